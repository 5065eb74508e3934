// The scale section of `npm run bench` (KT_BENCH_ONLY=scale alone, issue 15 "How it is proven"):
// rows side by side in one run, each beside its peer from the same run, medians, p95 and ratios.
//   1. edit → persisted-ack with 30 clients on 10 documents: 1 process on SQLite (FULL, the peer),
//      1 on PostgreSQL, 3 on PostgreSQL + Redis (clients spread over the three ports directly, no
//      balancer: client i goes to process i mod 3). The three set-ups run once started, in passes
//      of rotating order, so a slow phase of the shared machine hits all of them.
//   2. fan-out: 1 writer and 50 readers of one document, edit → the last reader holds it, on the
//      same three set-ups (writer on process 0, readers spread).
//   3. history: per-commit edit → ack on a document with 20,000 stored updates beside one with
//      100, seeded by a burst client (one update per message, every tenth a deletion, at random
//      places), first with the log as seeded (room in memory), then after the room left memory and
//      was loaded again, which compacts the log as the server does (>= 500 rows); on SQLite and on
//      PostgreSQL. The ratio should stay near 1.
//   4. idle: N idle authenticated connections on one process, memory per connection
//      (tests/bench/scale-idle.ts).
// Real parts: PostgreSQL (tests/support/postgres.ts) and Redis (tests/support/redis.ts) in temp
// folders, started here and stopped at the end. Sizes by env: KT_SCALE_EDITS (per client, 40),
// KT_SCALE_RATE_HZ (5), KT_SCALE_PASSES (3), KT_SCALE_READERS (50), KT_SCALE_FANOUT_EDITS (30),
// KT_SCALE_HISTORY (20000), KT_SCALE_HISTORY_SMALL (100), KT_SCALE_COMMITS (100 per document and
// phase), KT_SCALE_IDLE (10000), KT_SCALE_IDLE_HOLD_S (20), KT_SCALE_PARTS (ack,fanout,history,idle).
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import * as Y from 'yjs';
import { bodyText } from '../support/body-text';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { startRedis, type RedisServer } from '../support/redis';
import { sleep, whenCovers, whenSynced } from './client';
import { runLatency } from './latency';
import { openFilesLimit, raiseOpenFiles, startScaleSetup, type ScaleTarget } from './scale-setup';
import { runIdle, type IdleResult } from './scale-idle';
import { ms, printSection, ratio, renderTable, summarize, type Cell } from './table';
import { cleanupAll, gist, onCleanup, type BenchClient } from './target';

const num = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

const SIZES = {
  edits: num('KT_SCALE_EDITS', 40),
  rateHz: num('KT_SCALE_RATE_HZ', 5),
  passes: num('KT_SCALE_PASSES', 3),
  readers: num('KT_SCALE_READERS', 50),
  fanoutEdits: num('KT_SCALE_FANOUT_EDITS', 30),
  history: num('KT_SCALE_HISTORY', 20_000),
  historySmall: num('KT_SCALE_HISTORY_SMALL', 100),
  commits: num('KT_SCALE_COMMITS', 100),
  idle: num('KT_SCALE_IDLE', 10_000),
  idleHoldMs: num('KT_SCALE_IDLE_HOLD_S', 20) * 1000,
};
const PARTS = new Set((process.env.KT_SCALE_PARTS ?? 'ack,fanout,history,idle').split(',').map((p) => p.trim()));

type Samples = Map<string, number[]>;
const push = (into: Samples, key: string, values: readonly number[]): void => {
  into.set(key, [...(into.get(key) ?? []), ...values]);
};

export interface ScaleFigures {
  ack: Samples;
  seen: Samples;
  ackLost: Map<string, number>;
  fanout: Samples;
  fanoutLost: Map<string, number>;
  /** `<engine>|<phase>|<small|big>` → per-commit ack ms; loads: `<engine>|<small|big>` → load+sync ms. */
  history: Samples;
  /** `<engine>|<small|big>|<first|second>` → load + sync ms on the first reload (compacts) and the next. */
  historyLoad: Map<string, number>;
  historySeed: Map<string, number>;
  /** `<engine>` → the server's worst event-loop delay during the first reload and its commits, ms. */
  historyLag: Map<string, number>;
  idle: IdleResult | null;
  idleLimit: string;
  notes: string[];
  errors: string[];
  loadStart: number[];
  loadEnd: number[] | null;
}

export const emptyScaleFigures = (): ScaleFigures => ({
  ack: new Map(),
  seen: new Map(),
  ackLost: new Map(),
  fanout: new Map(),
  fanoutLost: new Map(),
  history: new Map(),
  historyLoad: new Map(),
  historySeed: new Map(),
  historyLag: new Map(),
  idle: null,
  idleLimit: '',
  notes: [],
  errors: [],
  loadStart: loadavg(),
  loadEnd: null,
});

/** The section's own budget (KT_SCALE_BUDGET_S, default 15 minutes). */
export function scaleBudgetMs(): number {
  return num('KT_SCALE_BUDGET_S', 15 * 60) * 1000;
}

const SQLITE = '1 proc SQLite FULL';
const PG = '1 proc PostgreSQL';
const CLUSTER = '3 procs PostgreSQL + Redis';
const SETUPS = [SQLITE, PG, CLUSTER] as const;

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');

export async function runScaleSection(figures: ScaleFigures, deadline: number, progress: (m: string) => void): Promise<void> {
  figures.loadStart = loadavg();
  let pg: PostgresCluster | null = null;
  let redis: RedisServer | null = null;
  const stopInfra = async (): Promise<void> => {
    await redis?.stop().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    redis = null;
    pg = null;
  };
  const unregister = onCleanup(() => void stopInfra());
  try {
    progress('scale: starting PostgreSQL and Redis');
    pg = await startPostgres();
    redis = await startRedis();
    if (PARTS.has('ack') || PARTS.has('fanout')) await runSideBySide(figures, pg, redis, deadline, progress);
    if (PARTS.has('history')) {
      await runHistoryOn(figures, SQLITE.replace('1 proc ', ''), () => startScaleSetup({ label: 'history SQLite', processes: 1, idleMs: 1_000 }), deadline, progress);
      const url = await pg.createDatabase();
      await runHistoryOn(figures, 'PostgreSQL', () => startScaleSetup({ label: 'history PostgreSQL', processes: 1, idleMs: 1_000, databaseUrl: url }), deadline, progress);
    }
    if (PARTS.has('idle')) await runIdlePart(figures, deadline, progress);
  } catch (error) {
    figures.errors.push(errorText(error));
  } finally {
    await stopInfra();
    unregister();
    figures.loadEnd = loadavg();
  }
}

async function runSideBySide(figures: ScaleFigures, pg: PostgresCluster, redis: RedisServer, deadline: number, progress: (m: string) => void): Promise<void> {
  const targets = new Map<string, ScaleTarget>();
  try {
    progress('scale: starting 1 process on SQLite, 1 on PostgreSQL, 3 on PostgreSQL + Redis');
    const pgUrl = await pg.createDatabase();
    const clusterUrl = await pg.createDatabase();
    targets.set(SQLITE, await startScaleSetup({ label: SQLITE, processes: 1 }));
    targets.set(PG, await startScaleSetup({ label: PG, processes: 1, databaseUrl: pgUrl }));
    targets.set(CLUSTER, await startScaleSetup({ label: CLUSTER, processes: 3, databaseUrl: clusterUrl, redisUrl: redis.url }));
    const scenario = { label: '30 clients, 10 docs × 3', docs: 10, writersPerDoc: 3, rounds: 1, editsPerClient: SIZES.edits, rateHz: SIZES.rateHz };
    for (let pass = 0; pass < SIZES.passes; pass++) {
      const order = SETUPS.map((_, i) => SETUPS[(i + pass) % SETUPS.length] ?? SQLITE);
      for (const label of order) {
        const target = targets.get(label);
        if (target === undefined) continue;
        if (Date.now() > deadline - 60_000) {
          figures.errors.push(`side by side: pass ${pass + 1} on ${label} skipped, time budget used up`);
          continue;
        }
        try {
          if (PARTS.has('ack')) {
            progress(`scale: ack pass ${pass + 1}/${SIZES.passes}: ${label}`);
            const result = await runLatency(target, scenario);
            push(figures.ack, label, result.ack);
            push(figures.seen, label, result.seen);
            figures.ackLost.set(label, (figures.ackLost.get(label) ?? 0) + result.lostAck);
          }
          if (PARTS.has('fanout')) {
            progress(`scale: fan-out pass ${pass + 1}/${SIZES.passes}: ${label}`);
            const fan = await runFanout(target, SIZES.readers, Math.ceil(SIZES.fanoutEdits / SIZES.passes));
            push(figures.fanout, label, fan.last);
            figures.fanoutLost.set(label, (figures.fanoutLost.get(label) ?? 0) + fan.lost);
          }
        } catch (error) {
          figures.errors.push(`${label} pass ${pass + 1}: ${errorText(error)} (server said: ${gist(target.output())})`);
        }
      }
    }
  } catch (error) {
    figures.errors.push(`side by side: ${errorText(error)}`);
  } finally {
    await Promise.all([...targets.values()].map((t) => t.stop().catch(() => undefined)));
  }
}

/** One writer (process 0) and `readers` readers spread over the processes; edit → last reader holds it. */
async function runFanout(target: ScaleTarget, readers: number, edits: number): Promise<{ last: number[]; lost: number }> {
  const room = `doc:${randomUUID()}`;
  const writer = target.connectAt(room, 0);
  const others = Array.from({ length: readers }, (_, i) => target.connectAt(room, i + 1));
  const last: number[] = [];
  let lost = 0;
  try {
    const synced = await Promise.all([writer, ...others].map((c) => whenSynced(c.provider, 30_000)));
    if (synced.some((s) => !s)) throw new Error(`${synced.filter((s) => !s).length} of ${readers + 1} clients did not sync`);
    const text = bodyText(writer.doc);
    const id = writer.doc.clientID;
    // The first edit makes the body; every reader must hold it before timing starts.
    text.insert(0, '|');
    const first = new Map([[id, Y.getState(writer.doc.store, id)]]);
    await Promise.all(others.map((r) => whenCovers(r.doc, first, 30_000)));
    for (let k = 0; k < edits; k++) {
      const t0 = performance.now();
      text.insert(text.length, 'woord ');
      const want = new Map([[id, Y.getState(writer.doc.store, id)]]);
      const times = await Promise.all(others.map((r) => whenCovers(r.doc, want, 10_000).then((ok) => (ok ? performance.now() : Number.NaN))));
      if (times.some((t) => Number.isNaN(t))) lost += 1;
      else last.push(Math.max(...times) - t0);
      await sleep(100); // typing pace: one word per ~0.1 s plus the fan-out itself
    }
  } finally {
    for (const c of [writer, ...others]) c.destroy();
  }
  return { last, lost };
}

const WORDS = ['kast ', 'tafel ', 'stoel ', 'raam ', 'deur ', 'vloer ', 'lamp '];

/** Seed clients per document: the server takes at most 150 messages a second from one connection. */
const SEED_CLIENTS = num('KT_SCALE_SEED_CLIENTS', 20);
/** Each seed client sends this many updates, then waits SEED_PAUSE_MS: 125 a second, under the limit. */
const SEED_CHUNK = 100;
const SEED_PAUSE_MS = 800;

/** Resolves when `client`'s persisted-ack covers its own clock `want`; false after `timeoutMs`. */
function ackCovers(client: BenchClient, want: number, timeoutMs: number): Promise<boolean> {
  const id = client.doc.clientID;
  return new Promise<boolean>((resolve) => {
    let off = (): void => undefined;
    const timer = setTimeout(() => {
      off();
      resolve(false);
    }, timeoutMs);
    const check = (durable: Y.Snapshot): void => {
      if ((durable.sv.get(id) ?? 0) < want) return;
      clearTimeout(timer);
      off();
      resolve(true);
    };
    off = client.onAck(check);
    if (client.durable !== null) check(client.durable);
  });
}

/**
 * Burst clients: `updates` single-update messages over SEED_CLIENTS sessions (every tenth a
 * deletion, at random places), each session paced under the per-connection message limit;
 * resolves with the wall time once every update is acknowledged.
 */
async function seedHistory(target: ScaleTarget, room: string, updates: number): Promise<number> {
  const started = performance.now();
  const clients = Array.from({ length: SEED_CLIENTS }, () => target.connect(room));
  try {
    const synced = await Promise.all(clients.map((c) => whenSynced(c.provider, 30_000)));
    if (synced.some((s) => !s)) throw new Error(`seed ${room}: not every seed client synced`);
    // One session makes the body first: rival bodies made at once would drop all but one.
    const maker = clients[0];
    if (maker === undefined) return 0;
    bodyText(maker.doc).insert(0, '|');
    const made = new Map([[maker.doc.clientID, Y.getState(maker.doc.store, maker.doc.clientID)]]);
    await Promise.all(clients.map((c) => whenCovers(c.doc, made, 30_000)));
    const acked = await Promise.all(
      clients.map(async (client, j) => {
        const text = bodyText(client.doc);
        const mine = Math.floor(updates / SEED_CLIENTS) + (j < updates % SEED_CLIENTS ? 1 : 0) - (j === 0 ? 1 : 0);
        for (let i = 0; i < mine; i++) {
          if (i % 10 === 9 && text.length > 1) text.delete(Math.floor(Math.random() * text.length), 1);
          else text.insert(Math.floor(Math.random() * (text.length + 1)), WORDS[i % WORDS.length] ?? 'x');
          if ((i + 1) % SEED_CHUNK === 0) await sleep(SEED_PAUSE_MS);
        }
        return ackCovers(client, Y.getState(client.doc.store, client.doc.clientID), 300_000);
      }),
    );
    if (acked.some((a) => !a)) throw new Error(`seed ${room}: ${acked.filter((a) => !a).length} seed session(s) not acked in 300 s`);
    const closes = clients.reduce((sum, c) => sum + c.closes, 0);
    if (closes > 0) throw new Error(`seed ${room}: ${closes} seed connection(s) closed under the burst`);
  } finally {
    for (const c of clients) c.destroy();
  }
  return performance.now() - started;
}

/** Sequential commits alternating between the two documents; edit → ack covering it, per document. */
async function commitsOn(target: ScaleTarget, rooms: Record<'small' | 'big', string>, commits: number): Promise<Record<'small' | 'big', number[]> & { loadMs: Record<'small' | 'big', number> }> {
  const kinds = ['small', 'big'] as const;
  const loadMs = { small: 0, big: 0 };
  const clients = { small: target.connect(rooms.small), big: target.connect(rooms.big) };
  const out = { small: [] as number[], big: [] as number[] };
  try {
    for (const kind of kinds) {
      const started = performance.now();
      if (!(await whenSynced(clients[kind].provider, 120_000))) throw new Error(`${kind} document did not sync`);
      loadMs[kind] = performance.now() - started;
    }
    for (let i = 0; i < commits * 2; i++) {
      const kind = kinds[i % 2] ?? 'small';
      const client = clients[kind];
      const text = bodyText(client.doc);
      const t0 = performance.now();
      text.insert(text.length, 'woord ');
      const want = Y.getState(client.doc.store, client.doc.clientID);
      const took = (await ackCovers(client, want, 30_000)) ? performance.now() - t0 : Number.NaN;
      if (Number.isNaN(took)) throw new Error(`${kind} document: commit not acked in 30 s`);
      out[kind].push(took);
    }
  } finally {
    clients.small.destroy();
    clients.big.destroy();
  }
  return { ...out, loadMs };
}

async function runHistoryOn(figures: ScaleFigures, engine: string, start: () => Promise<ScaleTarget>, deadline: number, progress: (m: string) => void): Promise<void> {
  if (Date.now() > deadline - 90_000) {
    figures.errors.push(`history on ${engine}: skipped, time budget used up`);
    return;
  }
  let target: ScaleTarget | null = null;
  try {
    target = await start();
    const rooms = { small: `doc:${randomUUID()}`, big: `doc:${randomUUID()}` };
    progress(`scale: history on ${engine}: seeding ${SIZES.historySmall} and ${SIZES.history} updates`);
    figures.historySeed.set(`${engine}|small`, await seedHistory(target, rooms.small, SIZES.historySmall));
    figures.historySeed.set(`${engine}|big`, await seedHistory(target, rooms.big, SIZES.history));
    progress(`scale: history on ${engine}: commits, log as seeded`);
    const asSeeded = await commitsOn(target, rooms, SIZES.commits);
    push(figures.history, `${engine}|seeded|small`, asSeeded.small);
    push(figures.history, `${engine}|seeded|big`, asSeeded.big);
    // Let both rooms leave memory (idle 1 s here); the next load compacts the log (>= 500 rows).
    await waitUnloaded(figures, target, engine);
    progress(`scale: history on ${engine}: reload (compaction at load), commits`);
    await target.loopLag(); // starts the server's loop-delay window here
    const reloaded = await commitsOn(target, rooms, SIZES.commits);
    figures.historyLag.set(engine, (await target.loopLag()).maxMs);
    push(figures.history, `${engine}|reloaded|small`, reloaded.small);
    push(figures.history, `${engine}|reloaded|big`, reloaded.big);
    // Once more, already compacted: the load alone.
    await waitUnloaded(figures, target, engine);
    const again = await commitsOn(target, rooms, 0);
    for (const kind of ['small', 'big'] as const) {
      figures.historyLoad.set(`${engine}|${kind}|first`, reloaded.loadMs[kind]);
      figures.historyLoad.set(`${engine}|${kind}|second`, again.loadMs[kind]);
    }
  } catch (error) {
    figures.errors.push(`history on ${engine}: ${errorText(error)}${target === null ? '' : ` (server said: ${gist(target.output())})`}`);
  } finally {
    await target?.stop().catch(() => undefined);
  }
}

/** Waits until the server holds no room (they leave memory after idleMs). */
async function waitUnloaded(figures: ScaleFigures, target: ScaleTarget, engine: string): Promise<void> {
  const until = Date.now() + 30_000;
  let loaded = (await target.counts()).rooms;
  while (loaded > 0 && Date.now() < until) {
    await sleep(200);
    loaded = (await target.counts()).rooms;
  }
  if (loaded > 0) figures.notes.push(`history on ${engine}: ${loaded} room(s) still loaded after 30 s; a reload row may not have reloaded`);
}

async function runIdlePart(figures: ScaleFigures, deadline: number, progress: (m: string) => void): Promise<void> {
  if (Date.now() > deadline - 60_000) {
    figures.errors.push('idle: skipped, time budget used up');
    return;
  }
  // Each connection is a socket in this process and one in the server's: both need the files.
  const wanted = SIZES.idle + 1_000;
  const mine = raiseOpenFiles(process.pid, wanted);
  let target: ScaleTarget | null = null;
  try {
    target = await startScaleSetup({ label: 'idle', processes: 1, openFiles: wanted });
    const theirs = openFilesLimit(target.pid);
    figures.idleLimit = `open files: bench ${mine ?? '?'}, server ${theirs ?? '?'} (wanted ${wanted})`;
    progress(`scale: idle: opening ${SIZES.idle} connections (${figures.idleLimit})`);
    figures.idle = await runIdle(target, { connections: SIZES.idle, concurrency: 50, holdMs: SIZES.idleHoldMs, deadline: deadline - 20_000 });
  } catch (error) {
    figures.errors.push(`idle: ${errorText(error)}${target === null ? '' : ` (server said: ${gist(target.output())})`}`);
  } finally {
    await target?.stop().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const kib = (bytes: number): string => (Number.isFinite(bytes) ? (bytes / 1024).toFixed(1) : '–');
const p = (samples: readonly number[] | undefined): { n: number; median: number; p95: number } => summarize(samples ?? []);

export function printScaleFigures(figures: ScaleFigures): void {
  const rows: Cell[][] = [];
  const sideBySide = (title: string, samples: Samples, lost: Map<string, number> | null): void => {
    const peer = p(samples.get(SQLITE));
    for (const label of SETUPS) {
      const s = p(samples.get(label));
      if (s.n === 0 && !samples.has(label)) continue;
      rows.push([label === SQLITE ? title : '', label, s.n, ms(s.median), ms(s.p95), label === SQLITE ? 'peer' : ratio(s.median, peer.median), label === SQLITE ? '' : ratio(s.p95, peer.p95), lost === null ? '' : String(lost.get(label) ?? 0)]);
    }
  };
  sideBySide(`edit → persisted-ack, 30 clients on 10 docs, ${SIZES.rateHz} Hz each`, figures.ack, figures.ackLost);
  sideBySide('edit → co-editor on the same doc sees it (same run)', figures.seen, null);
  sideBySide(`fan-out: 1 writer, ${SIZES.readers} readers, edit → last reader has it`, figures.fanout, figures.fanoutLost);
  const engines = [...new Set([...figures.history.keys()].map((k) => k.split('|')[0] ?? ''))];
  for (const engine of engines) {
    for (const phase of ['seeded', 'reloaded'] as const) {
      const small = p(figures.history.get(`${engine}|${phase}|small`));
      const big = p(figures.history.get(`${engine}|${phase}|big`));
      const title = phase === 'seeded' ? `per-commit ack, log as seeded (${engine})` : `per-commit ack after reload + compaction (${engine})`;
      rows.push([title, `doc with ${SIZES.historySmall} updates`, small.n, ms(small.median), ms(small.p95), 'peer', '', '']);
      rows.push(['', `doc with ${SIZES.history.toLocaleString('en')} updates`, big.n, ms(big.median), ms(big.p95), ratio(big.median, small.median), ratio(big.p95, small.p95), '']);
    }
  }
  const notes = [
    'Clients spread over the three processes by port (client i → process i mod 3), no balancer; the fan-out writer is on process 0.',
    'Every process lifts the per-account quotas and connect rate (one demo account plays every device).',
    'On one process a co-editor sees an edit before it is committed; across processes the relay publishes after the commit.',
    ...[...figures.historySeed].map(([k, seeded]) => {
      const [engine, kind] = k.split('|');
      const load = (which: string): string => ms(figures.historyLoad.get(`${k}|${which}`));
      return `history on ${engine ?? ''}, ${kind === 'big' ? SIZES.history.toLocaleString('en') : SIZES.historySmall} updates: seeded in ${ms(seeded)} ms (${SEED_CLIENTS} sessions); load + sync on the reload that compacts ${load('first')} ms, on the next ${load('second')} ms`;
    }),
    ...[...figures.historyLag].map(([engine, lag]) => `history on ${engine}: the server's worst event-loop delay during the compacting reload and its commits ${ms(lag)} ms`),
    ...figures.notes,
    `load average at the start ${figures.loadStart.map((l) => l.toFixed(2)).join(' ')}, at the end ${figures.loadEnd?.map((l) => l.toFixed(2)).join(' ') ?? '–'} (1, 5, 15 min; 2 cores)`,
    ...figures.errors.map((e) => `error: ${e}`),
  ];
  printSection('Scale (issue 15): side by side in one run; ms, ratios against the row marked peer', renderTable(['figure', 'set-up', 'n', 'p50', 'p95', 'p50 ratio', 'p95 ratio', 'lost'], rows, 2), notes);
  const idle = figures.idle;
  if (idle !== null) {
    const n = Math.max(1, idle.opened - 1);
    const rss = (idle.after.vmRssBytes ?? idle.after.rssBytes) - (idle.before.vmRssBytes ?? idle.before.rssBytes);
    const heap = idle.after.heapUsedBytes - idle.before.heapUsedBytes;
    const ext = idle.after.externalBytes - idle.before.externalBytes;
    const table = renderTable(
      ['connections', 'server holds', 'opened in', 'RSS before', 'RSS after', 'RSS / conn', 'heap / conn', 'external / conn', 'after hold', 'closed in hold'],
      [[`${idle.opened} of ${idle.wanted}`, idle.serverSocketsOpen, `${(idle.openMs / 1000).toFixed(1)} s`, `${kib(idle.before.rssBytes / 1024)} MiB`, `${kib(idle.after.rssBytes / 1024)} MiB`, `${kib(rss / n)} KiB`, `${kib(heap / n)} KiB`, `${kib(ext / n)} KiB`, `${idle.serverSocketsAfterHold} (${(idle.holdMs / 1000).toFixed(0)} s)`, idle.closedDuringHold]],
      1,
    );
    printSection(
      'Scale: idle authenticated connections on one process (index room of the team), memory after forced GC',
      table,
      [
        `per connection = (with all − with one) / ${n}; RSS after the hold ${kib(idle.afterHold.rssBytes / 1024)} MiB, heap ${kib(idle.afterHold.heapUsedBytes / 1024)} MiB`,
        figures.idleLimit,
        ...idle.errors,
      ],
    );
  }
}

// Run alone: `npx tsx tests/bench/scale.ts` (KT_BENCH_ONLY=scale runs it within npm run bench).
if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const figures = emptyScaleFigures();
  process.on('exit', cleanupAll);
  process.setMaxListeners(0); // every y-websocket provider adds an 'exit' listener
  const exit = (code: number): void => {
    printScaleFigures(figures);
    process.exit(code);
  };
  runScaleSection(figures, Date.now() + scaleBudgetMs(), (m) => process.stderr.write(`${m}\n`)).then(() => exit(0), (error: unknown) => {
    figures.errors.push(errorText(error));
    exit(1);
  });
}
