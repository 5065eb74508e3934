// The soak (`KT_BENCH_ONLY=soak`): 200 honest editors, each a user of its own with a stock
// y-websocket client, append keystroke-sized edits to 40 shared documents for
// KT_BENCH_SOAK_SECONDS (default 45) per pass, with and without 20 hostile clients (5 each:
// sockets that never read, awareness flooders, oversized frames and deeply nested updates,
// reconnect storms; tests/bench/soak-clients.ts) under the default limits (L5–L9). Passes
// alternate quiet, hostile, hostile, quiet on a fresh server child each. After each pass the
// server is stopped and started again on its data and every acknowledged edit is looked for.
// Reports honest ack p50/p95 (median over passes) with the ratio, peak RSS and edits lost. The
// hostile clients run in a child process of their own (attackers' CPU is not ours to measure).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD, login } from '../support/server';
import {
  HOSTILE_KINDS,
  SOAK_PASSWORD,
  SOAK_SCRYPT,
  honestUsername,
  hostileUsername,
  lostAckedEdits,
  readRooms,
  runSoakPhase,
  soakUsernames,
  type HostileKind,
  type HostileRunner,
} from './soak-clients';
import { mib, ms, ratio, renderTable, summarize } from './table';
import { onCleanup, spawnServerChild, tempDir, type ServerChild } from './target';

const HONEST = 200;
const DOCS = 40;
const HOSTILE_PER_KIND = 5;
const EDIT_HZ = 1;
const SECONDS = Math.max(5, Number(process.env.KT_BENCH_SOAK_SECONDS) || 45);
const ORDER: readonly boolean[] = [false, true, true, false];
/** KT_BENCH_SOAK_KINDS (comma-separated) runs only those hostile kinds, to find what costs most. */
const KINDS: readonly HostileKind[] = (() => {
  const asked = (process.env.KT_BENCH_SOAK_KINDS ?? '').split(',').map((k) => k.trim()).filter((k) => k.length > 0);
  const known = HOSTILE_KINDS.filter((k) => asked.includes(k));
  return known.length > 0 ? known : HOSTILE_KINDS;
})();
const SCRIPT = fileURLToPath(new URL('./server-child.ts', import.meta.url));
const HOSTILE_SCRIPT = fileURLToPath(new URL('./hostile-child.ts', import.meta.url));

/** The hostile clients in a child process of their own (tests/bench/hostile-child.ts). */
function hostileChild(url: string, hostile: readonly { kind: HostileKind; accessToken: string }[]): HostileRunner {
  return async (rooms) => {
    const child = spawn(process.execPath, ['--import', 'tsx', HOSTILE_SCRIPT], {
      env: { ...process.env, KT_BENCH_HOSTILE: JSON.stringify({ url, hostile, rooms }) },
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    const unregister = onCleanup(() => child.kill('SIGKILL'));
    const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
    await new Promise<void>((resolveReady, reject) => {
      child.once('message', () => resolveReady());
      child.once('exit', (code) => reject(new Error(`hostile clients exited (${code}) before starting`)));
    });
    return {
      async stop() {
        const closes = new Promise<Map<string, number>>((resolveCloses) => {
          child.once('message', (message: { closes?: [string, number][] }) => resolveCloses(new Map(message.closes ?? [])));
          child.once('exit', () => resolveCloses(new Map()));
        });
        child.send({ op: 'stop' });
        const result = await closes;
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killer);
        unregister();
        return result;
      },
    };
  };
}

export interface SoakPass {
  hostile: boolean;
  p50: number;
  p95: number;
  samples: number;
  edits: number;
  unacked: number;
  lost: number;
  editorsUnserved: number;
  peakRssBytes: number | null;
  serverAlive: boolean;
  honestCloses: Map<string, number>;
  limitEvents: Map<string, number>;
  hostileCloses: Map<string, number>;
}

export interface SoakFigures {
  passes: SoakPass[];
  errors: string[];
  loadAtStart: string;
}

export function emptySoakFigures(): SoakFigures {
  return { passes: [], errors: [], loadAtStart: '' };
}

function startChild(dataDir: string): ServerChild {
  return spawnServerChild(SCRIPT, {
    KT_BENCH_SERVER: JSON.stringify({
      dataDir,
      demoPassword: DEMO_PASSWORD,
      sqliteSynchronous: 'FULL',
      idleMs: 30_000,
      soakUsers: { usernames: soakUsernames(HONEST), password: SOAK_PASSWORD, scrypt: SOAK_SCRYPT },
    }),
  });
}

/** VmHWM: the process's peak resident set since it started. */
function peakRss(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] !== undefined ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The server's own count of limits that acted (keukentafel_sync_limit_events_total). */
async function limitEvents(url: string): Promise<Map<string, number>> {
  const events = new Map<string, number>();
  const body = await (await fetch(`${url}/metrics`)).text();
  for (const m of body.matchAll(/^keukentafel_sync_limit_events_total\{event="([^"]+)"\} (\d+)/gm)) {
    if (m[1] !== undefined) events.set(m[1], Number(m[2]));
  }
  return events;
}

async function runPass(hostile: boolean, progress: (message: string) => void): Promise<SoakPass> {
  const dir = tempDir('kt-soak-');
  let child: ServerChild | null = startChild(dir.path);
  try {
    const url = `http://127.0.0.1:${await child.ready}`;
    // One at a time: an attempt in flight counts against the address until it succeeds.
    const honestTokens: string[] = [];
    for (let i = 0; i < HONEST; i += 1) honestTokens.push((await login(url, honestUsername(i), SOAK_PASSWORD)).accessToken);
    const hostiles: { kind: HostileKind; accessToken: string }[] = [];
    if (hostile) {
      for (const kind of KINDS) {
        const { accessToken } = await login(url, hostileUsername(kind), SOAK_PASSWORD);
        for (let i = 0; i < HOSTILE_PER_KIND; i += 1) hostiles.push({ kind, accessToken });
      }
    }
    const result = await runSoakPhase({ url, honestTokens, docs: DOCS, hostile: hostile ? hostileChild(url, hostiles) : null, seconds: SECONDS, editHz: EDIT_HZ, drainMs: 60_000, progress });
    const serverAlive = child.process.exitCode === null && child.process.signalCode === null;
    const rss = peakRss(child.pid);
    const events = serverAlive ? await limitEvents(url) : new Map<string, number>();
    for (const e of result.editors) e.client.destroy();
    await child.stop();
    child = null;

    progress('soak: restarting the server on its data to look for every acknowledged edit');
    child = startChild(dir.path);
    const again = `http://127.0.0.1:${await child.ready}`;
    const docs = await readRooms(again, (await login(again, honestUsername(0), SOAK_PASSWORD)).accessToken, result.rooms);
    const summary = summarize(result.ackMs);
    return {
      hostile,
      p50: summary.median,
      p95: summary.p95,
      samples: summary.n,
      edits: result.edits,
      unacked: result.unacked,
      lost: lostAckedEdits(result.editors, docs),
      editorsUnserved: result.editorsUnserved,
      peakRssBytes: rss,
      serverAlive,
      honestCloses: result.honestCloses,
      limitEvents: events,
      hostileCloses: result.hostileCloses,
    };
  } finally {
    await child?.stop();
    dir.remove();
  }
}

export async function runSoakSection(figures: SoakFigures, deadline: number, progress: (message: string) => void): Promise<void> {
  figures.loadAtStart = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  for (const [i, hostile] of ORDER.entries()) {
    if (Date.now() + SECONDS * 1000 + 90_000 > deadline) {
      figures.errors.push(`pass ${i + 1} (${hostile ? 'hostile' : 'quiet'}) skipped: time budget used up`);
      continue;
    }
    progress(`soak pass ${i + 1}/${ORDER.length}: ${HONEST} honest editors${hostile ? ` + ${KINDS.length * HOSTILE_PER_KIND} hostile clients` : ''}, ${SECONDS} s`);
    try {
      figures.passes.push(await runPass(hostile, progress));
    } catch (error) {
      figures.errors.push(`pass ${i + 1}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** The soak's budget: four passes with setup, drain and a restart each (~30 s quiet, ~2.5 min at a load of 26). */
export const soakBudgetMs = (): number => ORDER.length * (SECONDS * 1000 + 150_000);

/** Median over passes: the mean of the middle two for an even count. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const merged = (maps: readonly Map<string, number>[]): string => {
  const all = new Map<string, number>();
  for (const m of maps) for (const [k, v] of m) all.set(k, (all.get(k) ?? 0) + v);
  return all.size === 0 ? 'none' : [...all].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ×${v}`).join(', ');
};

export function printSoakFigures(figures: SoakFigures): void {
  const quiet = figures.passes.filter((p) => !p.hostile);
  const hostile = figures.passes.filter((p) => p.hostile);
  const side = (passes: readonly SoakPass[], pick: (p: SoakPass) => number): number => (passes.length === 0 ? Number.NaN : median(passes.map(pick)));
  console.log(
    [
      '',
      `Soak: ${HONEST} honest editors (one user each, stock y-websocket) on ${DOCS} documents, ${EDIT_HZ} edit/s each, ${SECONDS} s per pass;`,
      `hostile passes add ${KINDS.length * HOSTILE_PER_KIND} clients (${HOSTILE_PER_KIND} × ${KINDS.join(', ')}; one user per kind) under the default limits.`,
      `Server in a child process, SQLite FULL; load average at the start ${figures.loadAtStart}. Medians over passes; per pass below.`,
      '',
      renderTable(
        ['figure', 'without hostile', 'with hostile', 'with / without'],
        [
          ['honest edit → persisted-ack, p50 (ms)', ms(side(quiet, (p) => p.p50)), ms(side(hostile, (p) => p.p50)), ratio(side(hostile, (p) => p.p50), side(quiet, (p) => p.p50))],
          ['honest edit → persisted-ack, p95 (ms)', ms(side(quiet, (p) => p.p95)), ms(side(hostile, (p) => p.p95)), ratio(side(hostile, (p) => p.p95), side(quiet, (p) => p.p95))],
          ['server peak RSS (VmHWM, MiB)', mib(side(quiet, (p) => p.peakRssBytes ?? Number.NaN)), mib(side(hostile, (p) => p.peakRssBytes ?? Number.NaN)), ratio(side(hostile, (p) => p.peakRssBytes ?? Number.NaN), side(quiet, (p) => p.peakRssBytes ?? Number.NaN))],
          ['acknowledged edits lost (after restart)', sum(quiet.map((p) => p.lost)), sum(hostile.map((p) => p.lost)), ''],
          ['edits made / never acknowledged', `${sum(quiet.map((p) => p.edits))} / ${sum(quiet.map((p) => p.unacked))}`, `${sum(hostile.map((p) => p.edits))} / ${sum(hostile.map((p) => p.unacked))}`, ''],
          ['honest editors without any ack', sum(quiet.map((p) => p.editorsUnserved)), sum(hostile.map((p) => p.editorsUnserved)), ''],
          ['server alive at the end of every pass', quiet.every((p) => p.serverAlive) ? 'yes' : 'NO', hostile.every((p) => p.serverAlive) ? 'yes' : 'NO', ''],
        ],
      ),
      '',
      ...figures.passes.map(
        (p, i) =>
          `pass ${i + 1} (${p.hostile ? 'hostile' : 'quiet'}): p50 ${ms(p.p50)} ms, p95 ${ms(p.p95)} ms over ${p.samples} acks; peak RSS ${mib(p.peakRssBytes)} MiB; lost ${p.lost}; honest closes: ${merged([p.honestCloses])}`,
      ),
      `limits that acted (server counter, hostile passes): ${merged(hostile.map((p) => p.limitEvents))}`,
      `closes the hostile clients saw: ${merged(hostile.map((p) => p.hostileCloses))}`,
      ...figures.errors.map((e) => `soak: ${e}`),
    ].join('\n'),
  );
}
