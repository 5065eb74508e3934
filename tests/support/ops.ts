// The operator's commands as the README gives them (`npm run backup -- <file>`, `npm run restore --
// <file>`), run as child processes without blocking this process, so an in-process server keeps
// serving while they run (an online backup is the point).
import { spawn } from 'node:child_process';

export interface CommandResult {
  code: number | null;
  output: string;
  /** When the child was started and when it exited (Date.now()). */
  startedAt: number;
  endedAt: number;
}

export async function runNpm(script: 'backup' | 'restore', file: string, env: Record<string, string | undefined>): Promise<CommandResult> {
  const startedAt = Date.now();
  const child = spawn('npm', ['run', script, '--', file], {
    env: { ...process.env, DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolveExit) => child.on('exit', (c) => resolveExit(c)));
  return { code, output, startedAt, endedAt: Date.now() };
}
