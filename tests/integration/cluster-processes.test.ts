// Issue 15's main proof (CL18): three real server processes on one PostgreSQL and one Redis,
// behind a round-robin balancer; 30 stock y-websocket clients edit the same 10 documents while one
// process after another is SIGKILLed and restarted. At the end every acknowledged edit is in every
// document on every process. Seeded (KT_CLUSTER_SEED), KT_CLUSTER_TRIALS trials (default 1 in npm test; `KT_BENCH_ONLY=cluster npm run bench` runs 20).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotCovers } from '../../shared/protocol/persisted';
import { bodyOf, bodyText } from '../support/body-text';
import { freePort, startChildServer, type ChildServer } from '../support/child-server';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { startRedis, type RedisServer } from '../support/redis';
import { startRoundRobinProxy } from '../support/round-robin-proxy';
import { AckingClient, login, waitFor } from '../support/server';

const TRIALS = Number(process.env.KT_CLUSTER_TRIALS ?? '1');
const SEED = Number(process.env.KT_CLUSTER_SEED ?? String(Date.now() % 1_000_000));
const PROCESSES = 3;
const CLIENTS = 30;
const DOCUMENTS = 10;
const KILLS_PER_TRIAL = 3;

let pg: PostgresCluster;
let redis: RedisServer;
const dataDir = mkdtempSync(join(tmpdir(), 'kt-cluster-'));
const children = new Set<ChildServer>();

beforeAll(async () => {
  pg = await startPostgres();
  redis = await startRedis();
}, 180_000);
afterAll(async () => {
  for (const c of children) c.process.kill('SIGKILL');
  await redis.stop();
  await pg.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** mulberry32: small, seeded, good enough to pick waits and victims. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Edit {
  token: string;
  room: string;
  snapshot: Y.Snapshot;
}

export interface TrialResult {
  acknowledged: number;
  lost: string[];
}

/** One trial on a fresh database; returns the acknowledged edits missing from any process. */
export async function runClusterTrial(databaseUrl: string, seed: number): Promise<TrialResult> {
  const random = seeded(seed);
  const ports = await Promise.all(Array.from({ length: PROCESSES }, () => freePort()));
  const env = { DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: '4', REDIS_URL: `redis://127.0.0.1:${redis.port}` };
  const start = async (port: number, i: number): Promise<ChildServer> => {
    const child = await startChildServer(join(dataDir, `p${i}-${seed}`), port, env);
    children.add(child);
    return child;
  };
  // The first start seeds the demo accounts alone: parallel first starts on an empty database race
  // in seedDemoAccounts (count, then insert: one dies on users_username_key_key). Reported.
  const first = await start(ports[0] ?? 0, 0);
  const procs = [first, ...(await Promise.all(ports.slice(1).map((p, i) => start(p, i + 1))))];
  const balancer = await startRoundRobinProxy(ports);
  const via = `http://127.0.0.1:${balancer.port}`;
  const { accessToken } = await login(via, 'veldwerker');
  const rooms = Array.from({ length: DOCUMENTS }, () => `doc:${randomUUID()}`);
  const clients = Array.from({ length: CLIENTS }, (_, i) => new AckingClient(via, rooms[i % DOCUMENTS] ?? '', accessToken));
  const edits: Edit[] = [];
  const acked = new Set<Edit>();
  const pending = new Map<AckingClient, Edit[]>(clients.map((c) => [c, []]));
  const settle = (): void => {
    for (const [c, list] of pending) {
      const durable = c.durable;
      if (durable === null) continue;
      for (const e of list.splice(0)) {
        if (snapshotCovers(durable, e.snapshot)) acked.add(e);
        else list.push(e);
      }
    }
  };
  let editing = true;
  try {
    await waitFor(() => clients.every((c) => c.durable !== null), 60_000, 'every client synced');
    // One client per document makes the body first: clients that each create `sections.body` at
    // once make rival texts, and all but one (with what was typed into them) lose, as in the app.
    for (let r = 0; r < DOCUMENTS; r++) {
      const maker = clients[r];
      if (maker === undefined) continue;
      bodyText(maker.doc).insert(0, '|');
      await maker.waitSaved(30_000);
    }
    await waitFor(() => clients.every((c) => bodyOf(c.doc) !== ''), 60_000, 'every client sees its body');
    const editLoops = clients.map(async (c, i) => {
      let n = 0;
      while (editing) {
        await pause(100 + Math.floor(random() * 300));
        if (!editing) break;
        const token = `[c${i}e${n++}]`;
        const text = bodyText(c.doc);
        text.insert(text.length, token);
        const e: Edit = { token, room: rooms[i % DOCUMENTS] ?? '', snapshot: Y.snapshot(c.doc) };
        edits.push(e);
        pending.get(c)?.push(e);
        settle();
      }
    });
    for (let k = 0; k < KILLS_PER_TRIAL; k++) {
      await pause(2_000 + Math.floor(random() * 2_000));
      const victim = Math.floor(random() * PROCESSES);
      const port = ports[victim] ?? 0;
      const proc = procs[victim];
      balancer.setAlive(port, false);
      proc?.process.kill('SIGKILL');
      if (proc !== undefined) {
        await proc.exited;
        children.delete(proc);
      }
      procs[victim] = await start(port, victim);
      balancer.setAlive(port, true);
      settle();
    }
    editing = false;
    await Promise.all(editLoops);
    // Give every client the chance to get its last edits acknowledged; not all have to.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !clients.every((c) => c.saved)) {
      settle();
      await pause(100);
    }
    settle();
  } finally {
    editing = false;
    for (const c of clients) c.destroy();
  }

  const lost: string[] = [];
  try {
    for (const proc of procs) {
      const { accessToken: token } = await login(proc.url, 'veldwerker');
      for (const room of rooms) {
        const reader = new AckingClient(proc.url, room, token, new Y.Doc(), false);
        try {
          const wanted = [...acked].filter((e) => e.room === room);
          await waitFor(() => reader.durable !== null, 30_000, `reader on ${proc.url} ${room}`);
          // The relay may still be bringing the last edits; wait until all are there or time runs out.
          const until = Date.now() + 10_000;
          while (Date.now() < until && !wanted.every((e) => bodyOf(reader.doc).includes(e.token))) await pause(50);
          const body = bodyOf(reader.doc);
          for (const e of wanted) if (!body.includes(e.token)) lost.push(`${e.token} in ${room} on ${proc.url}`);
        } finally {
          reader.destroy();
        }
      }
    }
  } finally {
    for (const proc of procs) {
      proc.process.kill('SIGKILL');
      children.delete(proc);
    }
    await balancer.close();
  }
  return { acknowledged: acked.size, lost };
}

describe('three server processes on one PostgreSQL and Redis', () => {
  it(
    '[CL18] [CL1] [CL5] [S3] no acknowledged edit is lost across processes while processes are SIGKILLed and restarted',
    async () => {
      console.log(`cluster-processes seed ${SEED}, ${TRIALS} trials`);
      const results: TrialResult[] = [];
      for (let t = 0; t < TRIALS; t++) {
        const url = await pg.createDatabase();
        results.push(await runClusterTrial(url, SEED + t));
      }
      const lost = results.flatMap((r) => r.lost);
      console.log(`cluster-processes trials=${TRIALS} acknowledged=${results.map((r) => r.acknowledged).join(',')} lost=${lost.length}`);
      expect(results.every((r) => r.acknowledged > 0)).toBe(true);
      expect(lost).toEqual([]);
    },
    TRIALS * 240_000 + 60_000,
  );
});
