// The cluster section of `npm run bench` (KT_BENCH_ONLY=cluster alone, issue 15, CL18): the
// multi-process proof (tests/integration/cluster-processes.test.ts) with 20 trials instead of
// npm test's 2, run as the test runs it, printing the seed and trials/acknowledged/lost.
import { spawn } from 'node:child_process';

export const CLUSTER_TRIALS = 20;

/** Runs the proof; resolves to its exit code after printing its figures line. */
export async function runClusterSection(trials = CLUSTER_TRIALS): Promise<number> {
  const child = spawn(
    'npx',
    ['vitest', 'run', '--project', 'integration', 'tests/integration/cluster-processes.test.ts'],
    { env: { ...process.env, KT_CLUSTER_TRIALS: String(trials) }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  // vitest colours its output even into a pipe: strip the escapes before looking for our lines.
  const lines = out.split('\n').map((l) => l.replace(/\u001b\[[0-9;]*m/g, '')).filter((l) => l.startsWith('cluster-processes '));
  console.log(['## Several processes under SIGKILL (3 processes, PostgreSQL + Redis, 30 clients, 10 documents)', ...lines].join('\n'));
  if (code !== 0) console.log(out);
  return code ?? 1;
}
