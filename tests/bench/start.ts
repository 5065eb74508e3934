// The start section of `npm run bench` (KT_BENCH_ONLY=start, issue 19, OP1): process start to the
// first 200 from /api/ready for the built start (`node scripts/start.mjs`, plain node) beside
// today's tsx start of the same server (`node --import tsx server/main.ts`) and the former
// `npm start` (`vite build && tsx server/main.ts`). Passes alternate the order; one data dir,
// seeded by an unmeasured start, so every row is a restart. Nothing is asserted.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/child-server';
import { ensureBuilt, PROJECT_ROOT, startBuiltServer } from '../support/built-server';
import { ms, summarize, type Summary } from './table';

const PASSES = 5;
const FORMER_PASSES = 2;

export interface StartFigures {
  built: Summary | null;
  tsx: Summary | null;
  former: Summary | null;
  errors: string[];
}

export const emptyStartFigures = (): StartFigures => ({ built: null, tsx: null, former: null, errors: [] });

/** Runs `command` until it exits 0; its wall time in ms. */
async function timed(command: string, args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn(command, args, { cwd: PROJECT_ROOT, stdio: 'ignore' });
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}`);
  return performance.now() - started;
}

/** Starts the server with tsx (today's loader start) and waits for /api/ready; ms to ready. */
async function tsxStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', KEUKENTAFEL_DEMO_PASSWORD: 'bench-wachtwoord-1' },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((r) => child.on('exit', r));
  const deadline = Date.now() + 120_000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`tsx start exited ${child.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/ready`)).ok) return performance.now() - started;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error('tsx start: not ready within 120 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}

async function builtStart(dataDir: string): Promise<number> {
  const server = await startBuiltServer(dataDir, await freePort(), { KEUKENTAFEL_DEMO_PASSWORD: 'bench-wachtwoord-1' });
  await server.stop();
  return server.readyAfterMs;
}

export async function runStartSection(figures: StartFigures, deadline: number, progress: (m: string) => void): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kt-bench-start-'));
  try {
    progress('start: making sure the build is fresh (npm run build when not)');
    await ensureBuilt();
    await builtStart(dataDir); // seeds the data dir; not measured
    const built: number[] = [];
    const tsx: number[] = [];
    for (let pass = 0; pass < PASSES && Date.now() < deadline - 30_000; pass++) {
      const order = pass % 2 === 0 ? (['built', 'tsx'] as const) : (['tsx', 'built'] as const);
      for (const kind of order) {
        if (kind === 'built') built.push(await builtStart(dataDir));
        else tsx.push(await tsxStart(dataDir));
      }
      progress(`start: pass ${pass + 1}: built ${ms(built.at(-1))} ms, tsx ${ms(tsx.at(-1))} ms`);
    }
    figures.built = summarize(built);
    figures.tsx = summarize(tsx);
    // The former `npm start`: a client build into a scratch folder (not dist/, which the built
    // start serves), then the tsx start.
    const former: number[] = [];
    const scratch = join(dataDir, 'dist');
    for (let pass = 0; pass < FORMER_PASSES && Date.now() < deadline - 60_000; pass++) {
      const build = await timed(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', scratch, '--emptyOutDir', '--logLevel', 'warn']);
      former.push(build + (await tsxStart(dataDir)));
      progress(`start: former npm start pass ${pass + 1}: ${ms(former.at(-1))} ms`);
    }
    figures.former = former.length === 0 ? null : summarize(former);
  } catch (error) {
    figures.errors.push(String(error));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function printStartFigures(figures: StartFigures): void {
  const row = (label: string, s: Summary | null): string =>
    `${label.padEnd(72)} ${s === null || s.n === 0 ? '–' : `median ${ms(s.median)} ms   max ${ms(s.max)} ms   (n=${s.n})`}`;
  console.log(
    [
      '',
      'Server start: process start → first 200 from /api/ready (OP1; restart on a seeded SQLite data dir)',
      row('npm start: node scripts/start.mjs → build/server/main.js (plain node)', figures.built),
      row('tsx start of the same server: node --import tsx server/main.ts', figures.tsx),
      row('former npm start: vite build && tsx server/main.ts', figures.former),
      ...figures.errors.map((e) => `error: ${e}`),
    ].join('\n'),
  );
}

// Run alone: `npx tsx tests/bench/start.ts` (also what KT_BENCH_ONLY=start runs).
if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const figures = emptyStartFigures();
  void runStartSection(figures, Date.now() + startBudgetMs(), (m) => process.stderr.write(`${m}\n`)).then(() => printStartFigures(figures));
}

/** The section's own budget: the build when stale, five passes of two starts, two former starts. */
export function startBudgetMs(): number {
  return 4 * 60_000;
}
