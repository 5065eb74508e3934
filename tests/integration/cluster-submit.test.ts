// Submit, freeze and lists across processes (CL20–CL23): two servers on one real PostgreSQL
// database (each with its own pool, as two processes have) and one real Redis, stock y-websocket
// clients on each, real HTTP actions. What one process submits or returns
// holds in the other at once: the submitted version is the store's committed state, the other
// process's gate closes, and its lists never get an older status written back.
import { createHash, randomUUID } from 'node:crypto';
import pgLib from 'pg';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryDms, type MemoryDms } from '../../server/dms/memory';
import { openPostgresStore } from '../../server/store/postgres/store';
import type { Store } from '../../server/store/types';
import type { Revocation } from '../../server/cluster/revocation-bus';
import { readSection } from '../../shared/model/document';
import { INDEX_MAP, WorkflowStatus, type IndexEntry } from '../../shared/model/index-entry';
import { CloseCode, CloseReason } from '../../shared/protocol/messages';
import { snapshotCovers } from '../../shared/protocol/persisted';
import { act } from '../support/api';
import { fillDecision, writeSection } from '../support/decision';
import { createGate, type Gate } from '../support/gated-store';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { startRedis, type RedisServer } from '../support/redis';
import { AckingClient, login, trackTestServers, waitFor, type TestServer } from '../support/server';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

const { server, clients } = trackTestServers();
let redis: RedisServer;
let pg: PostgresCluster;
const proxies: TcpProxy[] = [];
const readers: Store[] = [];

beforeAll(async () => {
  redis = await startRedis();
  pg = await startPostgres();
});
afterEach(async () => {
  for (const p of proxies.splice(0)) await p.close();
  for (const r of readers.splice(0)) await r.close();
});
afterAll(async () => {
  await redis.stop();
  await pg.stop();
});

/** A fresh database and the test's own connection to read what the servers committed. */
async function database(): Promise<{ url: string; shared: Store }> {
  const url = await pg.createDatabase();
  const shared = await openPostgresStore(url);
  readers.push(shared);
  return { url, shared };
}

interface Node {
  server: TestServer;
  author: { token: string; id: string; teamId: string };
  approver: string;
}

/** A server with its own pool on the database; `wrap` puts something in front of its store. */
async function node(
  url: string,
  options: { redisPort?: number; dms?: MemoryDms; wrap?: (s: Store) => Store; hears?: (revocation: Revocation) => boolean } = {},
): Promise<Node> {
  const own = await openPostgresStore(url);
  const s = await server({
    store: options.wrap === undefined ? own : options.wrap(own),
    redisUrl: `redis://127.0.0.1:${options.redisPort ?? redis.port}`,
    ...(options.dms === undefined ? {} : { dms: options.dms }),
    ...(options.hears === undefined ? {} : { hearsFromElsewhere: options.hears }),
  });
  const vera = await login(s.url, 'veldwerker');
  const kantoor = await login(s.url, 'kantoor');
  return { server: s, author: { token: vera.accessToken, id: vera.user.id, teamId: vera.user.teamId }, approver: kantoor.accessToken };
}

function client(url: string, room: string, token: string): AckingClient {
  const c = new AckingClient(url, room, token);
  clients.push(c);
  return c;
}

function docOf(updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

/** A filled maatwerkbesluit (it needs approval, W4), written and committed through `on`. */
async function newDecision(on: Node): Promise<{ id: string; writer: AckingClient }> {
  const id = randomUUID();
  const writer = client(on.server.url, `doc:${id}`, on.author.token);
  fillDecision(writer.doc, { id, teamId: on.author.teamId, createdBy: on.author.id }, { maatwerk: true });
  await writer.waitSaved();
  return { id, writer };
}

/** A process whose copy of A's submit hold (CL29) is late or lost: the store must settle it (CL26–CL28). */
const missesSubmitHolds = (revocation: Revocation): boolean => revocation.kind !== 'submit-hold';

/** The refusal B's gate gives the document now (its room must be loaded on B). */
function refusalOn(on: Node, id: string): string | null | undefined {
  const room = on.server.rooms.peek(`doc:${id}`);
  return room === undefined ? undefined : on.server.rooms.editRefusal(room);
}

/**
 * A store whose `method` waits at `gate` while it is closed (the first call that reaches it: the
 * gate is opened once and stays open), so a test pins where one process stands in a race.
 */
function holding(method: 'commitSubmission' | 'appendUpdates', gate: Gate): (inner: Store) => Store {
  return around(method, async (call) => {
    await gate.wait();
    return call();
  });
}

/** A store whose `method` runs inside `wrapper` (which calls it once, with the caller's arguments). */
function around(method: 'commitSubmission' | 'appendUpdates', wrapper: (call: () => Promise<unknown>) => Promise<unknown>): (inner: Store) => Store {
  return (inner) =>
    new Proxy(inner, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== 'function') return value;
        const fn = (value as (...a: unknown[]) => unknown).bind(target);
        if (prop !== method) return fn;
        return (...args: unknown[]) => wrapper(() => Promise.resolve(fn(...args)));
      },
    });
}

/** CL26–CL28: an edit B acknowledged is in the version; one that is not was refused, not acknowledged. */
async function expectNoAckedEditOutsideTheVersion(
  shared: Store,
  id: string,
  edit: { text: string; client: AckingClient; acked: boolean },
): Promise<string> {
  const submission = await shared.getSubmission(id, 1);
  expect(submission).not.toBeNull();
  const submitted = readSection(docOf([submission?.content ?? new Uint8Array()]), 'besluit');
  if (edit.acked) expect(submitted).toBe(edit.text);
  else expect(edit.client.closes[0]).toEqual({ code: CloseCode.frozen, reason: CloseReason.documentFrozen });
  return submitted;
}

/** Polls an asynchronous condition with a deadline (a database state the test cannot be told of). */
async function pollUntil(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
  }
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

describe('submit, freeze and lists across processes', () => {
  it('[CL20] an edit committed through B that A has not received yet is in the version submitted on A', async () => {
    const { url, shared } = await database();
    const link = await startTcpProxy(redis.port);
    proxies.push(link);
    const a = await node(url, { redisPort: link.port });
    const b = await node(url);
    const { id, writer } = await newDecision(a);
    const onB = client(b.server.url, `doc:${id}`, b.author.token);
    await waitFor(() => readSection(onB.doc, 'besluit') !== '', 10_000, 'B synced');

    // A hears nothing from the relay now: B's edit is committed but A's room does not have it.
    link.down();
    writeSection(onB.doc, 'besluit', 'Aangepast via B vlak voor het indienen.');
    await onB.waitSaved();
    expect(readSection(writer.doc, 'besluit')).not.toBe('Aangepast via B vlak voor het indienen.');

    expect(await act(a.server.url, a.author.token, id, 'submit')).toMatchObject({ status: 202, body: { status: WorkflowStatus.awaitingApproval } });
    const submission = await shared.getSubmission(id, 1);
    expect(submission).not.toBeNull();
    expect(readSection(docOf([submission?.content ?? new Uint8Array()]), 'besluit')).toBe('Aangepast via B vlak voor het indienen.');
    link.up();
  });

  it('[CL21] after a submit on A, B refuses an edit with 4409 document-frozen; after a return on A, B takes edits again', async () => {
    const { url, shared } = await database();
    const a = await node(url);
    const b = await node(url);
    const { id } = await newDecision(a);
    const onB = client(b.server.url, `doc:${id}`, b.author.token);
    await waitFor(() => readSection(onB.doc, 'besluit') !== '', 10_000, 'B synced');
    expect(refusalOn(b, id)).toBeNull();

    expect(await act(a.server.url, a.author.token, id, 'submit')).toMatchObject({ status: 202 });
    await waitFor(() => refusalOn(b, id) === CloseReason.documentFrozen, 10_000, "B's gate closed");
    const before = readSection(docOf((await shared.loadUpdates(`doc:${id}`)).updates), 'besluit');
    writeSection(onB.doc, 'besluit', 'Na indienen via B gewijzigd.');
    await waitFor(() => onB.closes.length > 0, 10_000, 'B closes the socket');
    expect(onB.closes[0]).toEqual({ code: CloseCode.frozen, reason: CloseReason.documentFrozen });
    expect(readSection(docOf((await shared.loadUpdates(`doc:${id}`)).updates), 'besluit')).toBe(before);

    expect(await act(a.server.url, a.approver, id, 'return', undefined, { remark: 'Graag aanvullen.' })).toMatchObject({ status: 202 });
    await waitFor(() => refusalOn(b, id) === null, 10_000, "B's gate open again");
    const again = client(b.server.url, `doc:${id}`, b.author.token);
    await waitFor(() => readSection(again.doc, 'besluit') === before, 10_000, 'B synced again');
    writeSection(again.doc, 'besluit', 'Na terugsturen via B verbeterd.');
    await again.waitSaved();
    expect(readSection(docOf((await shared.loadUpdates(`doc:${id}`)).updates), 'besluit')).toBe('Na terugsturen via B verbeterd.');
  });

  it('[CL27] an edit B acknowledged after A read the content for its submit is in the version A submits', async () => {
    const { url, shared } = await database();
    // A stops right before its submit's commit: it has read the content and printed the PDF.
    const commit = createGate();
    const a = await node(url, { wrap: holding('commitSubmission', commit) });
    const b = await node(url, { hears: missesSubmitHolds });
    const { id } = await newDecision(a);
    const onB = client(b.server.url, `doc:${id}`, b.author.token);
    await waitFor(() => readSection(onB.doc, 'besluit') !== '', 10_000, 'B synced');

    commit.closed = true;
    const submitting = act(a.server.url, a.author.token, id, 'submit');
    await commit.whenHeld();
    // B has not heard of the submit (A's hold message, CL29, is late): it stores and acks.
    const text = 'Via B gewijzigd terwijl A indiende.';
    writeSection(onB.doc, 'besluit', text);
    await onB.waitSaved();
    expect(refusalOn(b, id)).toBeNull();
    commit.open();

    const answer = await submitting;
    expect(answer).toMatchObject({ status: 202, body: { status: WorkflowStatus.awaitingApproval } });
    await expectNoAckedEditOutsideTheVersion(shared, id, { text, client: onB, acked: true });
    // The answer's hash is the stored version's, read again after the edit.
    const submission = await shared.getSubmission(id, 1);
    expect((answer.body.submission as { sha256: string }).sha256).toBe(sha256(submission?.content ?? new Uint8Array()));
    expect(await shared.latestSubmissionVersion(id)).toBe(1);
  });

  it('[CL26] an edit B applied before A froze the document but stores after is refused: no ack, 4409 document-frozen, not in the version', async () => {
    const { url, shared } = await database();
    // B's commits wait at the gate: its edit is applied (the document is a concept) but not stored.
    const append = createGate();
    const a = await node(url);
    const b = await node(url, { wrap: holding('appendUpdates', append), hears: missesSubmitHolds });
    const { id } = await newDecision(a);
    const onB = client(b.server.url, `doc:${id}`, b.author.token);
    await waitFor(() => readSection(onB.doc, 'besluit') !== '', 10_000, 'B synced');
    const before = readSection(onB.doc, 'besluit');

    append.closed = true;
    const text = 'Via B gewijzigd, opgeslagen na het indienen.';
    writeSection(onB.doc, 'besluit', text);
    await append.whenHeld();
    expect(await act(a.server.url, a.author.token, id, 'submit')).toMatchObject({ status: 202 });
    append.open();

    await waitFor(() => onB.closes.length > 0, 10_000, 'B closes the socket');
    expect(onB.closes[0]).toEqual({ code: CloseCode.frozen, reason: CloseReason.documentFrozen });
    expect(onB.saved).toBe(false);
    expect(await expectNoAckedEditOutsideTheVersion(shared, id, { text, client: onB, acked: false })).toBe(before);
    expect(readSection(docOf((await shared.loadUpdates(`doc:${id}`)).updates), 'besluit')).toBe(before);
    // The device keeps the edit (V3: parked); the document on B is the stored one again.
    expect(readSection(onB.doc, 'besluit')).toBe(text);
    const fresh = client(b.server.url, `doc:${id}`, b.author.token);
    await waitFor(() => fresh.durable !== null, 10_000, 'a fresh client on B synced');
    expect(readSection(fresh.doc, 'besluit')).toBe(before);
  });

  it('[CL28] an append of B in flight when A commits its submit is waited for: the edit is acknowledged and in the version', async () => {
    const { url, shared } = await database();
    const a = await node(url);
    const b = await node(url, { hears: missesSubmitHolds });
    const { id } = await newDecision(a);
    const onB = client(b.server.url, `doc:${id}`, b.author.token);
    await waitFor(() => readSection(onB.doc, 'besluit') !== '', 10_000, 'B synced');

    // The test holds the room's advisory lock (DB2), so B's append stops inside its transaction,
    // after it took the document's row FOR SHARE and before it inserts.
    const sql = new pgLib.Client({ connectionString: url });
    await sql.connect();
    try {
      const room = `doc:${id}`;
      await sql.query('SELECT pg_advisory_lock(7246002, hashtext($1))', [room]);
      const waiting = async (fragment: string): Promise<boolean> => {
        const { rows } = await sql.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
          [`%${fragment}%`],
        );
        return (rows[0]?.n ?? 0) > 0;
      };
      const text = 'Via B gewijzigd, in de lucht tijdens het indienen.';
      writeSection(onB.doc, 'besluit', text);
      await pollUntil(() => waiting('pg_advisory_xact_lock_shared'), "B's append waits inside its transaction");

      let answered = false;
      const submitting = act(a.server.url, a.author.token, id, 'submit').finally(() => {
        answered = true;
      });
      // A's commit waits for B's row lock (or, were there none, A answers at once).
      await pollUntil(async () => answered || (await waiting('FOR UPDATE')), "A's submit waits for B's append");
      await sql.query('SELECT pg_advisory_unlock(7246002, hashtext($1))', [room]);

      expect(await submitting).toMatchObject({ status: 202 });
      // B's append ends one way or the other: its ack, or its refusal.
      await waitFor(() => onB.saved || onB.closes.length > 0, 10_000, "B's edit acknowledged or refused");
      const acked = onB.saved;
      await expectNoAckedEditOutsideTheVersion(shared, id, { text, client: onB, acked });
      // With the row lock the append committed first, so the submit read again and took it.
      expect(acked).toBe(true);
    } finally {
      await sql.end();
    }
  });

  it('[CL29] a device typing on B all through a submit on A: B holds its edits (4409 submit-in-progress), the submit is stored, every acknowledged edit is in it', async () => {
    const { url, shared } = await database();
    // B counts what it stores; A's submit commits only once B stored something after that
    // round began, or refused its device: without the hold every round finds the content moved.
    let stored = 0;
    const b = await node(url, {
      wrap: around('appendUpdates', async (call) => {
        const result = await call();
        stored++;
        return result;
      }),
    });
    let onB: AckingClient | null = null;
    const heldOnB = (): boolean => onB?.closes.some((c) => c.reason === CloseReason.submitInProgress) ?? false;
    let rounds = 0;
    const a = await node(url, {
      wrap: around('commitSubmission', async (call) => {
        rounds++;
        const before = stored;
        await waitFor(() => stored > before || heldOnB(), 20_000, 'B stored an edit or held its device');
        return call();
      }),
    });
    const { id } = await newDecision(a);
    const typist = client(b.server.url, `doc:${id}`, b.author.token);
    onB = typist;
    await waitFor(() => readSection(typist.doc, 'besluit') !== '', 10_000, 'B synced');

    const typed: { text: string; snapshot: Y.Snapshot }[] = [];
    let typing = true;
    const keys = (async () => {
      for (let n = 0; typing && typist.closes.length === 0; n++) {
        const text = `Aanvraag via B, aanslag ${n}.`;
        writeSection(typist.doc, 'aanvraag', text);
        typed.push({ text, snapshot: Y.snapshot(typist.doc) });
        await new Promise<void>((resolve) => setTimeout(resolve, 15));
      }
    })();
    await waitFor(() => stored > 2, 10_000, 'B stores what its device types');

    const answer = await act(a.server.url, a.author.token, id, 'submit');
    typing = false;
    await keys;
    expect(answer).toMatchObject({ status: 202, body: { status: WorkflowStatus.awaitingApproval } });
    expect(typist.closes[0]).toEqual({ code: CloseCode.frozen, reason: CloseReason.submitInProgress });
    // Every edit B acknowledged is in the version; the ones it held were never acknowledged.
    const submission = await shared.getSubmission(id, 1);
    const version = readSection(docOf([submission?.content ?? new Uint8Array()]), 'aanvraag');
    const lastAcked = typed.findLastIndex((t) => typist.durable !== null && snapshotCovers(typist.durable, t.snapshot));
    expect(lastAcked).toBeGreaterThanOrEqual(0);
    // Each keystroke replaces the section: the version holds the last acknowledged text or a later one.
    expect(typed.slice(lastAcked).map((t) => t.text)).toContain(version);
    expect(rounds).toBeLessThanOrEqual(3);
  });

  it('[CL22] with the outbox running in both processes, each submission reaches the DMS once', async () => {
    const { url } = await database();
    const dms = createMemoryDms();
    const a = await node(url, { dms });
    const b = await node(url, { dms });
    // Deliveries wait in the DMS, so a claim stays in flight while the other process's worker is
    // woken by its own submit: a claim that is not exclusive is delivered twice.
    dms.hold();
    const ids: string[] = [];
    for (const [i, on] of [a, b, a, b].entries()) {
      const id = randomUUID();
      const writer = client(on.server.url, `doc:${id}`, on.author.token);
      fillDecision(writer.doc, { id, teamId: on.author.teamId, createdBy: on.author.id }, { maatwerk: false });
      await writer.waitSaved();
      expect(await act(on.server.url, on.author.token, id, 'submit'), `submit ${i}`).toMatchObject({ status: 202 });
      ids.push(id);
    }
    // A worker delivers one at a time: one call held in each process.
    await waitFor(() => dms.calls.filter((c) => c.op === 'deliver').length >= 2, 30_000, 'a delivery in flight in each process');
    dms.release();
    await waitFor(() => dms.filed.size === ids.length, 30_000, 'every submission filed');
    expect(dms.duplicates).toBe(0);
    expect(dms.calls.filter((c) => c.op === 'deliver')).toHaveLength(ids.length);
  });

  it('[CL23] the team list on B shows the status A wrote, never an older one B had cached', async () => {
    const { url, shared } = await database();
    // B's row writes (title, updatedAt after a commit) can be held, so one lands after A's submit.
    const rowGate: Gate = createGate();
    const holdRowWrites = (inner: Store): Store =>
      new Proxy(inner, {
        get(target, prop) {
          if (prop === 'updateDocument') {
            return async (...args: Parameters<Store['updateDocument']>) => {
              await rowGate.wait();
              return target.updateDocument(...args);
            };
          }
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
    const a = await node(url);
    const b = await node(url, { wrap: holdRowWrites });
    const { id } = await newDecision(a);
    const list = client(b.server.url, `index:team:${b.author.teamId}`, b.author.token);
    const entry = (): IndexEntry | undefined => list.doc.getMap<IndexEntry>(INDEX_MAP).get(id);
    await waitFor(() => entry()?.status === WorkflowStatus.concept, 10_000, 'listed on B');

    // B commits a new title and caches the row (concept); its row write waits at the gate.
    const onB = client(b.server.url, `doc:${id}`, b.author.token);
    await waitFor(() => readSection(onB.doc, 'besluit') !== '', 10_000, 'B synced');
    rowGate.closed = true;
    onB.doc.getMap('meta').set('title', 'Titel via B');
    await onB.waitSaved();
    await rowGate.whenHeld();

    expect(await act(a.server.url, a.author.token, id, 'submit')).toMatchObject({ status: 202 });
    await waitFor(() => entry()?.status === WorkflowStatus.awaitingApproval, 10_000, "A's status listed on B");
    rowGate.open();
    // B's write lands and is mirrored (the new title shows it); the status stays A's.
    await waitFor(() => entry()?.title === 'Titel via B', 10_000, "B's row write mirrored");
    expect(entry()?.status).toBe(WorkflowStatus.awaitingApproval);
    expect((await shared.getDocument(id))?.status).toBe(WorkflowStatus.awaitingApproval);
  });
});
