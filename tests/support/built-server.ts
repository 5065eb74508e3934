// The built installation for tests that run `npm start`'s own path (scripts/start.mjs →
// build/server/main.js, plain node): builds once per test run when the build is missing or stale
// (`npm run build` is slow on a shared machine, so a fresh build is reused), and starts it as a
// child process, waiting on /api/ready.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { checkBuild } from '../../scripts/build-stamp.mjs';
import { DEMO_PASSWORD } from './server';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const START_SCRIPT = join(PROJECT_ROOT, 'scripts', 'start.mjs');

/** Runs `npm run build` unless the installation already has a fresh build. */
export async function ensureBuilt(): Promise<void> {
  if (checkBuild(PROJECT_ROOT).ok) return;
  const child = spawn('npm', ['run', 'build'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  if (code !== 0) throw new Error(`npm run build failed (${code}):\n${out}`);
  const check = checkBuild(PROJECT_ROOT);
  if (!check.ok) throw new Error(`after npm run build: ${check.message}`);
}

export interface BuiltRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <script> ...args` (npm start's command) to its exit. */
export async function runToExit(script: string, args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<BuiltRun> {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

export interface BuiltServer {
  url: string;
  process: ChildProcess;
  /** Milliseconds from spawn to the first 200 from /api/ready. */
  readyAfterMs: number;
  output(): string;
  stop(): Promise<number | null>;
}

/** Starts the built server (`node scripts/start.mjs`) and waits until /api/ready answers 200. */
export async function startBuiltServer(dataDir: string, port: number, env: Record<string, string> = {}): Promise<BuiltServer> {
  const started = performance.now();
  const child = spawn(process.execPath, [START_SCRIPT], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, KEUKENTAFEL_DEMO_PASSWORD: DEMO_PASSWORD, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  // A fail-safe, not a timing claim: the machine is shared; the benchmark reports start times.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`built server exited early (${child.exitCode}):\n${out}`);
    try {
      if ((await fetch(`${url}/api/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`built server did not become ready:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyAfterMs = performance.now() - started;
  return {
    url,
    process: child,
    readyAfterMs,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
