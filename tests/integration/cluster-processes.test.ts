// Issue 15's main proof (CL18, CL25): three real server processes on one PostgreSQL and one Redis,
// started at the same moment (CL24), behind a round-robin balancer; 30 stock y-websocket clients
// edit the same 10 decisions while one process after another is SIGKILLed and restarted, and
// submit some of them through the balancer meanwhile (some submits racing on two processes, one
// refused). At the end every acknowledged edit is in every document on every process, and each
// submitted document is in the shared drop folder exactly once, claimed once. Seeded
// (KT_CLUSTER_SEED), KT_CLUSTER_TRIALS trials (default 1 in npm test; `KT_BENCH_ONLY=cluster npm run bench` runs 20).
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pgDriver from 'pg';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DMS_TMP_DIR } from '../../server/dms/filesystem';
import { readSection, sectionText } from '../../shared/model/document';
import { CloseCode, CloseReason } from '../../shared/protocol/messages';
import { snapshotCovers } from '../../shared/protocol/persisted';
import { act, newKey, type Answer } from '../support/api';
import { fillDecision, writeSection } from '../support/decision';
import { freePort, startChildServer, type ChildServer } from '../support/child-server';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { startRedis, type RedisServer } from '../support/redis';
import { startRoundRobinProxy } from '../support/round-robin-proxy';
import { AckingClient, login, waitFor } from '../support/server';
import { seededRandom } from '../support/seeded-random';

const TRIALS = Number(process.env.KT_CLUSTER_TRIALS ?? '1');
const SEED = Number(process.env.KT_CLUSTER_SEED ?? String(Date.now() % 1_000_000));
const PROCESSES = 3;
const CLIENTS = 30;
const DOCUMENTS = 10;
const KILLS_PER_TRIAL = 3;
/** CL25: documents submitted during the churn (by index), the first of each pair by two processes at once. */
const SUBMITTED = [0, 1, 2, 3];
const RACED = new Set([0, 3]);
/** CL25: a document whose submit is refused (W3: no besluit); it must never reach the drop folder. */
const REFUSED = DOCUMENTS - 1;
/** Where the clients type: a section of the maatwerkbesluit that stays valid however long it gets. */
const SECTION = 'aanvraag';
/** A claim of a killed process is taken over after this; short, so the outbox drains within the test. */
const LEASE_MS = 10_000;

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

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Edit {
  token: string;
  room: string;
  snapshot: Y.Snapshot;
}

export interface TrialResult {
  acknowledged: number;
  lost: string[];
  /** CL25: documents whose submit was accepted. */
  submitted: number;
  /** CL25: anything not filed exactly once, filed though refused, claimed twice, or left pending. */
  filing: string[];
}

/**
 * One submit as a device makes it: the same idempotency key until an answer arrives (a process
 * killed under the request gives none; the balancer then sends the retry to another).
 */
async function submitUntilAnswered(via: string, token: string, id: string, until: number): Promise<Answer> {
  const key = newKey();
  const seen: string[] = [];
  for (;;) {
    try {
      const answer = await act(via, token, id, 'submit', key);
      if (answer.status < 500) return answer;
      seen.push(`${answer.status} ${answer.text.slice(0, 80)}`);
    } catch (error) {
      // connection cut by a SIGKILL, or no live backend for a moment
      seen.push(String(error).slice(0, 80));
    }
    if (Date.now() > until) throw new Error(`submit ${id} got no answer; ${seen.length} attempts, the last: ${seen.slice(-5).join(' | ')}`);
    await pause(200);
  }
}

/** Which documents the outbox and the drop folder hold after everything drained (CL25). */
async function checkFiling(databaseUrl: string, dmsDir: string, ids: readonly string[], accepted: ReadonlySet<string>): Promise<string[]> {
  const problems: string[] = [];
  const db = new pgDriver.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const drained = Date.now() + 60_000;
    const pendingCount = async (): Promise<number> =>
      Number((await db.query<{ n: string | number }>(`SELECT count(*) AS n FROM outbox WHERE state <> 'delivered'`)).rows[0]?.n ?? 1);
    while ((await pendingCount()) > 0 && Date.now() < drained) await pause(250);
    const { rows } = await db.query<{ identificatie: string; doc_id: string; state: string; attempts: number; delivered_at: string | number | null; submitted_at: string | number }>(
      `SELECT o.identificatie, o.doc_id, o.state, o.attempts, o.delivered_at, s.submitted_at
       FROM outbox o JOIN submissions s USING (identificatie)`,
    );
    const docOf = new Map(rows.map((r) => [r.identificatie, r.doc_id]));
    for (const r of rows) {
      if (r.state !== 'delivered') problems.push(`${r.identificatie} of ${r.doc_id} left ${r.state}`);
      // DB10: a second claim is only right for a claim whose process died (taken over after the
      // lease) or a retry after a failure (10 s backoff): either way well after the submit.
      const tookMs = Number(r.delivered_at ?? 0) - Number(r.submitted_at);
      if (r.attempts > 1 && tookMs < LEASE_MS) problems.push(`${r.identificatie} claimed ${r.attempts} times within ${tookMs} ms`);
    }
    // The drop folder: DMS_DIR/<zaak>/<identificatie>/, each whole folder one filed document.
    const filed = new Map<string, number>();
    for (const zaak of existsSync(dmsDir) ? readdirSync(dmsDir) : []) {
      if (zaak === DMS_TMP_DIR) continue;
      for (const identificatie of readdirSync(join(dmsDir, zaak))) {
        if (!existsSync(join(dmsDir, zaak, identificatie, 'metadata.json'))) continue;
        const docId = docOf.get(identificatie) ?? `unknown identificatie ${identificatie}`;
        filed.set(docId, (filed.get(docId) ?? 0) + 1);
      }
    }
    for (const id of ids) {
      const want = accepted.has(id) ? 1 : 0;
      const there = filed.get(id) ?? 0;
      const rowsOf = rows.filter((r) => r.doc_id === id).length;
      if (there !== want) problems.push(`${id} in the drop folder ${there} times, want ${want}`);
      if (rowsOf !== want) problems.push(`${id} has ${rowsOf} submissions, want ${want}`);
      filed.delete(id);
    }
    for (const [other, n] of filed) problems.push(`${other} in the drop folder ${n} times`);
  } finally {
    await db.end();
  }
  return problems;
}

/** One trial on a fresh database; returns the acknowledged edits missing from any process. */
export async function runClusterTrial(databaseUrl: string, seed: number): Promise<TrialResult> {
  const random = seededRandom(seed);
  const began = Date.now();
  const phases: string[] = [];
  const phase = (name: string): void => {
    phases.push(`${name} ${Math.round((Date.now() - began) / 1000)}s`);
  };
  const ports = await Promise.all(Array.from({ length: PROCESSES }, () => freePort()));
  // CL25: one drop folder for every process, as the README says.
  const dmsDir = join(dataDir, `dms-${seed}`);
  mkdirSync(dmsDir, { recursive: true });
  const env = {
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '4',
    REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    DMS_DIR: dmsDir,
    OUTBOX_LEASE_MS: String(LEASE_MS),
    // All 30 clients are one device. A SIGKILLed process's sockets keep counting in Redis until
    // their lease runs out (CL14, 60 s), so after a few kills the default 40 per device would
    // refuse reconnects (4429) for the rest of the trial: that is the quota working, not what
    // this test is about.
    SYNC_SOCKETS_PER_DEVICE: '400',
    SYNC_SOCKETS_PER_USER: '400',
  };
  const start = async (port: number, i: number): Promise<ChildServer> => {
    // With DATABASE_URL and DMS_DIR nothing creates DATA_DIR, and health does not measure it (G7).
    const own = join(dataDir, `p${i}-${seed}`);
    const child = await startChildServer(own, port, env);
    children.add(child);
    return child;
  };
  // CL24: all three start at the same moment on the empty database.
  const started = await Promise.allSettled(ports.map((p, i) => start(p, i)));
  const procs = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  if (procs.length < PROCESSES) {
    throw new Error(
      `not every process came up:\n${started.map((r) => (r.status === 'fulfilled' ? `up: ${r.value.output()}` : String(r.reason))).join('\n---\n')}`,
    );
  }
  phase('up');
  const balancer = await startRoundRobinProxy(ports);
  const via = `http://127.0.0.1:${balancer.port}`;
  const { accessToken, user } = await login(via, 'veldwerker');
  const ids = Array.from({ length: DOCUMENTS }, () => randomUUID());
  const rooms = ids.map((id) => `doc:${id}`);
  const clients = Array.from({ length: CLIENTS }, (_, i) => new AckingClient(via, rooms[i % DOCUMENTS] ?? '', accessToken));
  // As the app does (client/sync/doc-connection.ts): after 4409 `submit-in-progress` try again in a
  // second. y-websocket itself never reconnects after a 44xx close, so without this a client held
  // by a submit that was then refused (422) stayed unsaved for the rest of the trial.
  let trialOver = false;
  for (const c of clients) {
    c.provider.on('connection-close', (event) => {
      if (event?.code !== CloseCode.frozen || event.reason !== CloseReason.submitInProgress) return;
      setTimeout(() => {
        if (!trialOver) c.provider.connect();
      }, 1_000);
    });
  }
  /** CL25: rooms whose submit was accepted: frozen, edits there are refused with 4409. */
  const frozen = new Set<string>();
  const accepted = new Set<string>();
  const answers: string[] = [];
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
    // One client per document makes it a complete decision first (a device creates a document
    // alone); the others edit it once they have it.
    for (let r = 0; r < DOCUMENTS; r++) {
      const maker = clients[r];
      if (maker === undefined) continue;
      fillDecision(maker.doc, { id: ids[r] ?? '', teamId: user.teamId, createdBy: user.id }, { maatwerk: false });
      if (r === REFUSED) writeSection(maker.doc, 'besluit', '');
      await maker.waitSaved(30_000);
    }
    await waitFor(() => clients.every((c) => readSection(c.doc, SECTION) !== ''), 60_000, 'every client sees its decision');
    phase('filled');
    const editLoops = clients.map(async (c, i) => {
      const room = rooms[i % DOCUMENTS] ?? '';
      let n = 0;
      while (editing && !frozen.has(room)) {
        await pause(100 + Math.floor(random() * 300));
        if (!editing) break;
        // A frozen document refuses this edit (4409) or has refused one already: not a loss. A
        // submit in progress (CL29) refuses edits only for a moment; the client reconnects.
        if (c.closes.some((x) => x.code === CloseCode.frozen && x.reason === CloseReason.documentFrozen)) break;
        const token = `[c${i}e${n++}]`;
        const text = sectionText(c.doc, SECTION);
        text?.insert(text.length, token);
        const e: Edit = { token, room, snapshot: Y.snapshot(c.doc) };
        edits.push(e);
        pending.get(c)?.push(e);
        settle();
      }
      if (!frozen.has(room)) return;
      // Frozen: the last edits are acknowledged or refused; then the client goes, so it does not
      // reconnect and resend refused edits for the rest of the trial.
      const until = Date.now() + 20_000;
      while (Date.now() < until && !c.saved && !c.closes.some((x) => x.code === CloseCode.frozen)) await pause(50);
      settle();
      c.destroy();
      pending.delete(c);
    });
    // CL25: submits through the balancer while processes are killed: pairs of submits of one
    // document on two processes at once (two connections, so two backends), the others and the
    // refused one alongside, so several processes' outboxes are kicked at the same moment.
    const submitter = (async () => {
      const bursts = [SUBMITTED.slice(0, 2), [...SUBMITTED.slice(2), REFUSED]];
      for (const burst of bursts) {
        await pause(1_500 + Math.floor(random() * 2_500));
        await Promise.all(
          burst.flatMap((r) => {
            const id = ids[r] ?? '';
            const submit = async (): Promise<void> => {
              const answer = await submitUntilAnswered(via, accessToken, id, Date.now() + 60_000);
              answers.push(`${r}:${answer.status}`);
              if (answer.status === 202) {
                accepted.add(id);
                frozen.add(`doc:${id}`);
              } else if (answer.status !== 409 && !(r === REFUSED && answer.status === 422)) {
                throw new Error(`submit of document ${r}: ${answer.status} ${answer.text}`);
              }
            };
            return RACED.has(r) ? [submit(), submit()] : [submit()];
          }),
        );
      }
    })();
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
    await submitter;
    phase('churned');
    editing = false;
    await Promise.all(editLoops);
    phase('edits stopped');
    // Give every client the chance to get its last edits acknowledged; not all have to.
    const deadline = Date.now() + 30_000;
    const live = (): AckingClient[] => clients.filter((c) => !frozen.has(rooms[clients.indexOf(c) % DOCUMENTS] ?? ''));
    while (Date.now() < deadline && !live().every((c) => c.saved)) {
      settle();
      await pause(100);
    }
    settle();
    // Why a client is still unsaved (not a failure: its unacknowledged edits are not counted).
    for (const c of live().filter((x) => !x.saved)) {
      const ws = c.provider.ws;
      console.log(
        `cluster-processes unsaved client ${clients.indexOf(c)}: socket ${ws === null ? 'none' : ['connecting', 'open', 'closing', 'closed'][ws.readyState]}, ` +
          `synced ${String(c.provider.synced)}, acked ${c.durable === null ? 'never' : 'before'}, closes ${c.closes.map((x) => `${x.code} ${x.reason}`).join(', ') || 'none'}`,
      );
    }
  } finally {
    editing = false;
    trialOver = true;
    for (const c of clients) c.destroy();
  }

  phase('saved');
  const lost: string[] = [];
  // One deadline for the whole read-back: the relay may still bring the last edits, but a lost
  // edit must not cost a wait per document.
  const readUntil = Date.now() + 15_000;
  try {
    for (const proc of procs) {
      const { accessToken: token } = await login(proc.url, 'veldwerker');
      for (const room of rooms) {
        const reader = new AckingClient(proc.url, room, token, new Y.Doc(), false);
        try {
          const wanted = [...acked].filter((e) => e.room === room);
          await waitFor(() => reader.durable !== null, 30_000, `reader on ${proc.url} ${room}`);
          // The relay may still be bringing the last edits; wait until all are there or time runs out.
          while (Date.now() < readUntil && !wanted.every((e) => readSection(reader.doc, SECTION).includes(e.token))) await pause(50);
          const body = readSection(reader.doc, SECTION);
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
  // CL25: each submit racing on two processes had exactly one winner; the refused one was refused.
  phase('read back');
  const filing = await checkFiling(databaseUrl, dmsDir, ids, accepted);
  phase('filing checked');
  console.log(`cluster-processes trial ${seed}: ${phases.join(', ')}; submits ${answers.join(' ')}`);
  for (const r of SUBMITTED) {
    const wins = answers.filter((a) => a === `${r}:202`).length;
    if (wins !== 1) filing.push(`document ${r} accepted ${wins} times (${answers.join(' ')})`);
  }
  if (!answers.includes(`${REFUSED}:422`)) filing.push(`document ${REFUSED} was not refused (${answers.join(' ')})`);
  return { acknowledged: acked.size, lost, submitted: accepted.size, filing };
}

describe('three server processes on one PostgreSQL and Redis', () => {
  it(
    '[CL18] [CL25] [CL24] [CL1] [CL5] [S3] no acknowledged edit is lost and each submitted document is filed exactly once while processes are SIGKILLed and restarted',
    async () => {
      console.log(`cluster-processes seed ${SEED}, ${TRIALS} trials`);
      const results: TrialResult[] = [];
      for (let t = 0; t < TRIALS; t++) {
        const url = await pg.createDatabase();
        results.push(await runClusterTrial(url, SEED + t));
      }
      const lost = results.flatMap((r) => r.lost);
      const filing = results.flatMap((r) => r.filing);
      console.log(
        `cluster-processes trials=${TRIALS} acknowledged=${results.map((r) => r.acknowledged).join(',')} lost=${lost.length} submitted=${results.map((r) => r.submitted).join(',')} filing-problems=${filing.length}`,
      );
      expect(results.every((r) => r.acknowledged > 0 && r.submitted === SUBMITTED.length)).toBe(true);
      expect({ lost, filing }).toEqual({ lost: [], filing: [] });
    },
    TRIALS * 240_000 + 60_000,
  );
});
