// Runs the server as a child process from its sources (server/main.ts under tsx, as `npm run dev`
// does), for tests where a crash (SIGKILL) or a signal is the point. It runs the same main.ts that
// `npm run build` bundles; tsx spares these tests a build. The built start itself (scripts/start.mjs
// → build/server/main.js, plain node) is tested in tests/integration/built-start.test.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DEMO_PASSWORD } from './server';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

export interface ChildServer {
  url: string;
  process: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnServer(dataDir: string, port: number, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      KEUKENTAFEL_DEMO_PASSWORD: DEMO_PASSWORD,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** For starts that must fail: runs `npm start`'s entry until it exits, with what it printed. */
export async function runChildServerToExit(dataDir: string, port: number, env: Record<string, string> = {}, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  const child = spawnServer(dataDir, port, env);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  clearTimeout(timer);
  return { code, output: out };
}

export async function startChildServer(dataDir: string, port: number, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawnServer(dataDir, port, env);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.on('exit', (code, signal) => r({ code, signal })),
  );
  // A HOST other than every interface is where the server answers (G6).
  const host = env.HOST !== undefined && env.HOST !== '0.0.0.0' ? env.HOST : '127.0.0.1';
  const url = `http://${host}:${port}`;
  // A fail-safe, not a timing claim: on a shared 2-core machine under load a tsx start can take a minute.
  const deadline = Date.now() + 90_000;
  let last = 'no answer';
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) break;
      last = `${r.status} ${await r.text()}`;
    } catch (error) {
      // not listening yet
      last = String(error);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start (last health answer: ${last}):\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, process: child, output: () => out, exited };
}
