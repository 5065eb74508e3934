// The outbox worker on its own, with a hand-driven clock over the memory store and DMS: what it
// does after a crash mid-attempt, a hanging DMS, a failing look-up and a refusal (O1–O3), and how
// its retry delays grow. The server-level journeys are in outbox.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryDms, type MemoryDms } from '../../server/dms/memory';
import { defaultOutboxTiming, OutboxWorker, retryDelay, type OutboxTiming } from '../../server/outbox/outbox-worker';
import { createMemoryStore, type MemoryStore } from '../../server/store/memory/store';
import type { DocumentRow } from '../../server/store/types';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { seedSubmittedLetter } from '../support/submission-fixture';

const workers: OutboxWorker[] = [];
const dmsList: MemoryDms[] = [];
afterEach(async () => {
  for (const d of dmsList.splice(0)) d.release();
  for (const w of workers.splice(0)) await w.close();
});

interface Rig {
  store: MemoryStore;
  dms: MemoryDms;
  worker: OutboxWorker;
  clock: { now: number };
  changed: DocumentRow[];
  errors: unknown[];
}

const ID = 'KT-doc-1-v1';

async function rig(timing: Partial<OutboxTiming> = {}): Promise<Rig> {
  const store = createMemoryStore();
  const dms = createMemoryDms();
  dmsList.push(dms);
  const clock = { now: 1_000 };
  const changed: DocumentRow[] = [];
  const errors: unknown[] = [];
  const worker = new OutboxWorker({
    store,
    dms,
    now: () => clock.now,
    random: () => 0.5,
    timing: { leaseMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 8_000, attemptTimeoutMs: 1_000, ...timing },
    documentChanged: (row) => {
      changed.push(row);
      return Promise.resolve();
    },
    onError: (error) => errors.push(error),
  });
  workers.push(worker);
  await seedSubmittedLetter(store, { identificatie: ID });
  return { store, dms, worker, clock, changed, errors };
}

async function delivery(r: Rig) {
  const [s] = await r.store.listSubmissions('doc-1');
  if (s === undefined || s.delivery === null) throw new Error('no queued submission');
  return s.delivery;
}

describe('outbox worker', () => {
  it('[O1] delivers a due submission, records the reference and reports the document in-dms', async () => {
    const r = await rig();
    expect(await r.worker.runOnce()).toBe(1);
    expect(await delivery(r)).toMatchObject({ state: 'delivered', reference: 'memory://ZAAK-1/KT-doc-1-v1', deliveredAt: 1_000 });
    expect(r.changed.map((d) => d.status)).toEqual([WorkflowStatus.archived]);
    expect(r.dms.filed.get(ID)?.delivery).toMatchObject({ identificatie: ID, zaak: 'ZAAK-1', pdfSha256: 'b'.repeat(64) });
    expect(await r.worker.runOnce()).toBe(0);
  });

  it('[O2] after a crash mid-attempt the row is due again after the lease, and looked up first', async () => {
    const r = await rig();
    // A worker claimed it, the DMS filed it, and the process died before recording anything.
    await r.store.claimDueDeliveries(r.clock.now, 60_000, 1);
    await r.dms.deliver({ identificatie: ID, zaak: 'ZAAK-1', pdf: Uint8Array.of(1), pdfSha256: 'b'.repeat(64), metadata: { title: '', author: '', creatiedatum: '', taal: 'nld', documenttype: '', vertrouwelijkheidaanduiding: '' } });
    r.dms.calls.length = 0;

    r.clock.now += 59_999;
    expect(await r.worker.runOnce()).toBe(0);
    r.clock.now += 1;
    expect(await r.worker.runOnce()).toBe(1);
    expect(r.dms.calls.map((c) => c.op)).toEqual(['lookup']);
    expect(r.dms.duplicates).toBe(0);
    expect(await delivery(r)).toMatchObject({ state: 'delivered', attempts: 2, reference: 'memory://ZAAK-1/KT-doc-1-v1' });
  });

  it('[O2] when the look-up finds nothing after a crash, it delivers', async () => {
    const r = await rig();
    await r.store.claimDueDeliveries(r.clock.now, 60_000, 1);
    r.clock.now += 60_000;
    await r.worker.runOnce();
    expect(r.dms.calls.map((c) => c.op)).toEqual(['lookup', 'deliver']);
    expect((await delivery(r)).state).toBe('delivered');
  });

  it('[O2] a DMS call that hangs past the attempt timeout is an unknown outcome, resolved by a look-up', async () => {
    const r = await rig({ attemptTimeoutMs: 30 });
    r.dms.hold();
    expect(await r.worker.runOnce()).toBe(1);
    expect(await delivery(r)).toMatchObject({ state: 'pending', outcomeUnknown: true, lastError: 'outcome-unknown: dms-timeout' });
    expect(r.changed.map((d) => d.status)).toEqual([WorkflowStatus.deliveryFailed]);
    // The hanging call completes after all: the DMS has it.
    r.dms.release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    r.clock.now += 10_000;
    await r.worker.runOnce();
    expect(r.dms.calls.map((c) => c.op)).toEqual(['deliver', 'lookup']);
    expect(r.dms.duplicates).toBe(0);
    expect((await delivery(r)).state).toBe('delivered');
    expect(r.changed.map((d) => d.status)).toEqual([WorkflowStatus.deliveryFailed, WorkflowStatus.archived]);
  });

  it('[O2] a failing look-up keeps the outcome unknown: no delivery until the look-up answers', async () => {
    const r = await rig();
    r.dms.faults.push({ kind: 'drop-after-filing' });
    await r.worker.runOnce();
    r.dms.lookupFailure = 'dms-unreachable';
    r.clock.now += 10_000;
    await r.worker.runOnce();
    expect(await delivery(r)).toMatchObject({ state: 'pending', outcomeUnknown: true, lastError: 'lookup-failed: dms-unreachable', attempts: 2 });
    r.dms.lookupFailure = null;
    r.clock.now += 10_000;
    await r.worker.runOnce();
    expect(r.dms.calls.map((c) => c.op)).toEqual(['deliver', 'lookup', 'lookup']);
    expect((await delivery(r)).state).toBe('delivered');
  });

  it('[O3] [O4] a retryable failure backs off exponentially; a refusal fails the row at once; nothing is dropped', async () => {
    const r = await rig();
    r.dms.refuseAll = { retryable: true, reason: 'dms-unreachable' };
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      await r.worker.runOnce();
      const d = await delivery(r);
      waits.push(d.nextAttemptAt - r.clock.now);
      r.clock.now = d.nextAttemptAt;
    }
    // random() = 0.5: three quarters of 1 s, 2 s, 4 s, 8 s, then capped at 8 s.
    expect(waits).toEqual([750, 1_500, 3_000, 6_000, 6_000]);
    r.dms.refuseAll = { retryable: false, reason: 'metadata-refused' };
    await r.worker.runOnce();
    const refused = await delivery(r);
    expect(refused).toMatchObject({ state: 'failed', lastError: 'metadata-refused', attempts: 6 });
    // Failed rows are not attempted again by themselves, however much time passes.
    r.clock.now += 10 * 8_000;
    expect(await r.worker.runOnce()).toBe(0);
    // Only the first failure moved the document; it stays levering-mislukt until delivered.
    expect(r.changed.map((d) => d.status)).toEqual([WorkflowStatus.deliveryFailed]);
  });

  it('[O4] a delivery that keeps failing is marked failed after OUTBOX_MAX_ATTEMPTS, keeps its reason, and retry-delivery starts it over', async () => {
    const r = await rig({ maxAttempts: 3 });
    r.dms.faults.push({ kind: 'drop-after-filing' });
    r.dms.lookupFailure = 'dms-unreachable';
    for (let i = 0; i < 3; i++) {
      expect(await r.worker.runOnce()).toBe(1);
      r.clock.now = (await delivery(r)).nextAttemptAt;
    }
    const failed = await delivery(r);
    // The last attempt's outcome stays unknown: the retry must look up before it delivers (O2).
    expect(failed).toMatchObject({ state: 'failed', attempts: 3, lastError: 'lookup-failed: dms-unreachable', outcomeUnknown: true });
    r.clock.now += 24 * 3_600_000;
    expect(await r.worker.runOnce()).toBe(0);
    expect(r.changed.map((d) => d.status)).toEqual([WorkflowStatus.deliveryFailed]);

    // retry-delivery (the office's action) makes it pending with its attempts reset.
    r.dms.lookupFailure = null;
    const at = r.clock.now;
    expect(
      await r.store.commitAction(
        { idempotencyKey: 'retry-1', docId: 'doc-1', userId: 'kantoor', type: 'retry-delivery', at, httpStatus: 202, response: '{}' },
        { status: WorkflowStatus.submitted, updatedAt: at },
        { ifStatus: WorkflowStatus.deliveryFailed, deliveriesDueAt: at },
      ),
    ).toEqual({ stored: true });
    expect(await delivery(r)).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: at });
    await r.worker.runOnce();
    expect(await delivery(r)).toMatchObject({ state: 'delivered', attempts: 1 });
    expect(r.dms.duplicates).toBe(0);
    expect(r.dms.filed.size).toBe(1);
  });

  it('[O3] when the DMS answers again, deliveries waiting on the outage are due at once, not after their backoff', async () => {
    const r = await rig({ baseDelayMs: 60_000, maxDelayMs: 600_000 });
    await seedSubmittedLetter(r.store, { identificatie: 'KT-doc-2-v1', docId: 'doc-2' });
    await seedSubmittedLetter(r.store, { identificatie: 'KT-doc-3-v1', docId: 'doc-3' });
    r.dms.refuseAll = { retryable: true, reason: 'dms-unreachable: ECONNREFUSED' };
    expect(await r.worker.runOnce()).toBe(3);
    // A refusal that is about this document, not about the DMS being away, keeps its backoff.
    r.dms.refuseAll = { retryable: true, reason: 'dms-locked: door een collega' };
    r.clock.now += 60_000;
    expect(await r.worker.runOnce()).toBe(3);
    r.dms.refuseAll = { retryable: true, reason: 'dms-unreachable: ECONNREFUSED' };
    r.clock.now += 120_000;
    expect(await r.worker.runOnce()).toBe(3);
    const waiting = async () => Promise.all(['doc-1', 'doc-2', 'doc-3'].map(async (id) => (await r.store.listSubmissions(id))[0]?.delivery));
    expect((await waiting()).every((d) => d !== null && d !== undefined && d.nextAttemptAt > r.clock.now + 60_000)).toBe(true);

    // The DMS is back; a fourth letter, just submitted, goes through, and takes the others along.
    r.dms.refuseAll = null;
    await seedSubmittedLetter(r.store, { identificatie: 'KT-doc-4-v1', docId: 'doc-4', at: r.clock.now });
    expect(await r.worker.runOnce()).toBe(4);
    expect((await waiting()).map((d) => d?.state)).toEqual(['delivered', 'delivered', 'delivered']);
  });

  it('[O4] the default bound survives a DMS outage of a few hours: 24 attempts span at least 7.5 h', () => {
    const { baseDelayMs, maxDelayMs, maxAttempts } = defaultOutboxTiming;
    expect(maxAttempts).toBe(24);
    let shortest = 0;
    for (let attempt = 1; attempt < maxAttempts; attempt++) shortest += retryDelay(attempt, baseDelayMs, maxDelayMs, 0);
    expect(shortest).toBeGreaterThan(7.5 * 3_600_000);
  });

  it('retry delays grow from the base, stay under the cap and are jittered within [half, full]', () => {
    expect(retryDelay(1, 10_000, 3_600_000, 0)).toBe(5_000);
    expect(retryDelay(1, 10_000, 3_600_000, 1)).toBe(10_000);
    expect(retryDelay(4, 10_000, 3_600_000, 0.5)).toBe(60_000);
    expect(retryDelay(50, 10_000, 3_600_000, 0.999)).toBeLessThanOrEqual(3_600_000);
    expect(retryDelay(50, 10_000, 3_600_000, 0)).toBe(1_800_000);
  });

  it('stops cleanly: close waits for the attempt in flight, and a kick after close does nothing', async () => {
    const r = await rig();
    r.dms.hold();
    r.worker.kick();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(r.dms.calls).toHaveLength(1);
    const closed = r.worker.close();
    r.dms.release();
    await closed;
    expect((await delivery(r)).state).toBe('delivered');
    r.worker.kick();
    r.clock.now += 1_000_000;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(r.dms.calls).toHaveLength(1);
    expect(r.errors).toEqual([]);
  });
});
