// Build once, start fast, checked settings (OP1–OP5, OP7): runs `npm start`'s own command
// (node scripts/start.mjs → build/server/main.js, no loader) against one build per test run, and
// scripts/start.mjs's build check against throw-away installations (missing, stale, fresh).
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyText } from '../support/body-text';
import { freePort } from '../support/child-server';
import { AckingClient, login, waitFor } from '../support/server';
import { ensureBuilt, PROJECT_ROOT, runToExit, START_SCRIPT, startBuiltServer, type BuiltServer } from '../support/built-server';

const temps: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'kt-built-'));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** path → mtime of every file under `dir`: what a start must leave as it is. */
function snapshot(dir: string): Map<string, number> {
  const files = new Map<string, number>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else files.set(relative(dir, path), stat.mtimeMs);
    }
  };
  walk(dir);
  return files;
}

describe('the built server', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 300_000);

  it('[OP1] npm start serves the build with plain node: /api/ready, the app shell and an acknowledged edit', async () => {
    const server = await startBuiltServer(tempDir(), await freePort());
    try {
      // Plain node: no loader in the command line or in the process's own arguments.
      expect(server.process.spawnargs.join(' ')).not.toMatch(/tsx|--import|--loader/);
      expect(await (await fetch(`${server.url}/api/ready`)).json()).toEqual({ status: 'ready' });
      const shell = await fetch(`${server.url}/`);
      expect(shell.status).toBe(200);
      expect(await shell.text()).toContain('<html');
      // The bundled server's sync path: sign in, edit, and hear that the edit is on disk.
      const { accessToken } = await login(server.url, 'veldwerker');
      const client = new AckingClient(server.url, `doc:${randomUUID()}`, accessToken);
      try {
        await waitFor(() => client.durable !== null, 20_000, 'connected');
        bodyText(client.doc).insert(0, 'gebouwd en gestart');
        await client.waitSaved(20_000);
      } finally {
        client.destroy();
      }
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('[OP3] two starts at once on one installation both come up, and neither writes into dist/ or build/', async () => {
    const before = { dist: snapshot(join(PROJECT_ROOT, 'dist')), build: snapshot(join(PROJECT_ROOT, 'build')) };
    const [portA, portB] = [await freePort(), await freePort()];
    const servers: BuiltServer[] = [];
    try {
      const started = await Promise.allSettled([startBuiltServer(tempDir(), portA), startBuiltServer(tempDir(), portB)]);
      for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
      for (const s of started) if (s.status === 'rejected') throw s.reason;
      for (const server of servers) expect((await fetch(`${server.url}/api/ready`)).status).toBe(200);
      expect(snapshot(join(PROJECT_ROOT, 'dist'))).toEqual(before.dist);
      expect(snapshot(join(PROJECT_ROOT, 'build'))).toEqual(before.build);
    } finally {
      for (const server of servers) await server.stop();
    }
  });

  it('[OP4] a start with several bad settings stops with every problem listed, before anything listens', async () => {
    const port = await freePort();
    const run = await runToExit(START_SCRIPT, [], {
      PORT: String(port),
      DATA_DIR: tempDir(),
      DEVICE_PIN_MIN_DIGITS: '4',
      DEVICE_GRACE_DAYS: 'veertien',
      SYNC_PING_INTERVAL_MS: 'vaak',
      HOST: 'overal',
      REDIS_URL: 'http://redis:6379',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Configuration has 5 problems');
    for (const name of ['DEVICE_PIN_MIN_DIGITS', 'DEVICE_GRACE_DAYS', 'SYNC_PING_INTERVAL_MS', 'HOST', 'REDIS_URL']) {
      expect(run.stderr).toMatch(new RegExp(`- ${name} must`));
    }
    await expect(fetch(`http://127.0.0.1:${port}/api/ready`)).rejects.toThrow();
  });

  it('[OP5] npm start -- --check-config prints every setting with secrets masked and exits 0', async () => {
    const token = 'geheim-metrics-token-0123456789';
    const run = await runToExit(START_SCRIPT, ['--check-config'], {
      DATA_DIR: tempDir(),
      PORT: '9090',
      METRICS_TOKEN: token,
      DATABASE_URL: 'postgres://kt:wachtwoord@db.gemeente.invalid/kt',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^PORT +9090$/m);
    expect(run.stdout).toMatch(/^HOST +0\.0\.0\.0 \(default\)$/m);
    expect(run.stdout).toMatch(/^METRICS_TOKEN +\*+ \(set\)$/m);
    expect(run.stdout).toMatch(/^DATABASE_URL +\*+ \(set\)$/m);
    expect(run.stdout).not.toContain(token);
    expect(run.stdout).not.toContain('wachtwoord');
    expect(run.stdout).toContain('Configuration OK.');
  });

  it('[OP5] --check-config with bad settings exits 1 with the whole problem list and starts nothing', async () => {
    const run = await runToExit(START_SCRIPT, ['--check-config'], {
      DATA_DIR: tempDir(),
      OUTBOX_MAX_ATTEMPTS: 'veel',
      SCIM_TOKEN: 'kort',
      LOG_LEVEL: 'luid',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Configuration has 3 problems');
    expect(run.stderr).toContain('OUTBOX_MAX_ATTEMPTS must be');
    expect(run.stderr).toContain('SCIM_TOKEN must be');
    expect(run.stderr).toContain('LOG_LEVEL must be');
    expect(run.stdout).not.toContain('kort');
  });

  it('[OP7] the bundled PDF thread loads without a loader and parses its fonts', async () => {
    const worker = new Worker(join(PROJECT_ROOT, 'build', 'server', 'render-worker-boot.mjs'));
    try {
      const first = await new Promise<unknown>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(first).toMatchObject({ ready: true });
    } finally {
      await worker.terminate();
    }
  });
});

describe('the start refuses a missing or stale build (scripts/start.mjs)', () => {
  /** A throw-away installation: the start script, package.json, one source file, optionally a build. */
  function installation(options: { built: boolean; version?: string }): string {
    const root = tempDir();
    mkdirSync(join(root, 'scripts'));
    for (const file of ['start.mjs', 'build-stamp.mjs']) copyFileSync(join(PROJECT_ROOT, 'scripts', file), join(root, 'scripts', file));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'kt', version: '1.2.3', type: 'module' }));
    mkdirSync(join(root, 'server'));
    writeFileSync(join(root, 'server', 'main.ts'), '// source\n');
    const past = new Date(Date.now() - 60_000);
    for (const file of ['package.json', 'scripts/start.mjs', 'scripts/build-stamp.mjs', 'server/main.ts']) utimesSync(join(root, file), past, past);
    if (options.built) {
      mkdirSync(join(root, 'build', 'server'), { recursive: true });
      mkdirSync(join(root, 'dist'));
      writeFileSync(join(root, 'dist', 'index.html'), '<html></html>');
      // The "server": says it ran, and with which arguments.
      writeFileSync(join(root, 'build', 'server', 'main.js'), 'console.log(`served ${process.argv.slice(2).join(" ")}`);\n');
      const stamp = { version: options.version ?? '1.2.3', commit: null, startedAt: Date.now() - 1_000, settings: { MUNICIPALITY_NAME: 'Gemeente Noord' } };
      writeFileSync(join(root, 'build', 'stamp.json'), JSON.stringify(stamp));
    }
    return root;
  }
  const start = (root: string, args: string[] = [], env: Record<string, string> = {}) => runToExit(join(root, 'scripts', 'start.mjs'), args, env);

  it('[OP2] a fresh build starts (arguments pass through)', async () => {
    const run = await start(installation({ built: true }), ['--check-config'], { MUNICIPALITY_NAME: 'Gemeente Noord' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('served --check-config');
    expect(run.code).toBe(0);
  });

  it('[OP2] a build made with another municipality name than the start has is stale', async () => {
    const run = await start(installation({ built: true }), [], { MUNICIPALITY_NAME: 'Gemeente Zuid' });
    expect(run.code).toBe(4);
    expect(run.stderr.trim()).toBe(
      'Keukentafel start refused: The app was built with MUNICIPALITY_NAME "Gemeente Noord", the server starts with "Gemeente Zuid". Run: npm run build (with the same settings)',
    );
  });

  it('[OP2] no build: the start stops with exit 4 and the command to run', async () => {
    const run = await start(installation({ built: false }));
    expect(run.code).toBe(4);
    expect(run.stderr.trim()).toBe('Keukentafel start refused: Keukentafel is not built yet. Run: npm run build');
    expect(run.stdout).not.toContain('served');
  });

  it('[OP2] a source changed after the build: stale, naming the file and the command', async () => {
    const root = installation({ built: true });
    writeFileSync(join(root, 'server', 'main.ts'), '// edited after the build\n');
    const run = await start(root, [], { MUNICIPALITY_NAME: 'Gemeente Noord' });
    expect(run.code).toBe(4);
    expect(run.stderr.trim()).toBe(`Keukentafel start refused: ${join('server', 'main.ts')} changed after the last build. Run: npm run build`);
    expect(run.stdout).not.toContain('served');
  });

  it('[OP2] a build of another version is stale', async () => {
    const run = await start(installation({ built: true, version: '1.2.2' }), [], { MUNICIPALITY_NAME: 'Gemeente Noord' });
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('The build is of version 1.2.2, this is version 1.2.3. Run: npm run build');
  });

  it('[OP2] a build of another git commit is stale', async () => {
    const root = installation({ built: true });
    const git = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    git('init', '-q');
    git('commit', '-q', '--allow-empty', '-m', 'first');
    const first = git('rev-parse', 'HEAD');
    writeFileSync(join(root, 'build', 'stamp.json'), JSON.stringify({ version: '1.2.3', commit: first, startedAt: Date.now(), settings: {} }));
    expect((await start(root)).code).toBe(0);
    git('commit', '-q', '--allow-empty', '-m', 'second');
    const run = await start(root);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`The build is of commit ${first.slice(0, 12)}`);
    expect(run.stderr).toContain('Run: npm run build');
  });
});
