// The outbox worker delivering through the ZGW adapter to the stateful fake DMS, with a hand-driven
// clock over the memory store: 5xx for a while and the outbox delivers later (O3), a create that
// commits and then times out leaves exactly one document (O2), a 400 stays in the outbox with a
// Dutch reason (O3), and the document is archived only with the DMS's URL as reference (O1).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZgwDms } from '../../server/dms/zgw/adapter';
import { OutboxWorker } from '../../server/outbox/outbox-worker';
import { createMemoryStore, type MemoryStore } from '../../server/store/memory-store';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { seedSubmittedLetter } from '../support/submission-fixture';
import { startFakeZgw, type FakeZgw } from '../support/zgw-fake';

const SECRET = 'outbox-test-secret-outbox-test-secret';
const RSIN = '002220647';
const ID = 'KT-00000000000000d1-v1';

let fake: FakeZgw;
const workers: OutboxWorker[] = [];
beforeEach(async () => {
  fake = await startFakeZgw(SECRET);
  fake.addZaak('ZAAK-1', RSIN);
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.close();
  await fake.close();
});

interface Rig {
  store: MemoryStore;
  worker: OutboxWorker;
  clock: { now: number };
  statuses: string[];
}

async function rig(timeoutMs = 2_000): Promise<Rig> {
  const store = createMemoryStore();
  const clock = { now: 1_000 };
  const statuses: string[] = [];
  const dms = createZgwDms({
    config: {
      documentenUrl: fake.documentenUrl,
      zakenUrl: fake.zakenUrl,
      catalogiUrl: fake.catalogiUrl,
      clientId: 'keukentafel',
      secret: SECRET,
      rsin: RSIN,
      informatieobjecttype: `${fake.catalogiUrl}/informatieobjecttypen/1`,
      timeoutMs,
    },
  });
  const worker = new OutboxWorker({
    store,
    dms,
    now: () => clock.now,
    random: () => 0.5,
    timing: { leaseMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 8_000, attemptTimeoutMs: 5_000 },
    documentChanged: (row) => {
      statuses.push(row.status);
      return Promise.resolve();
    },
    onError: (error) => {
      throw error;
    },
  });
  workers.push(worker);
  await seedSubmittedLetter(store, { identificatie: ID, title: 'Besluit', author: 'Vera Veldwerker', documenttype: 'Besluit', confidentiality: 'zaakvertrouwelijk' });
  return { store, worker, clock, statuses };
}

async function row(r: Rig) {
  const [s] = await r.store.listSubmissions('doc-1');
  if (s === undefined || s.delivery === null) throw new Error('no queued submission');
  return s.delivery;
}

describe('outbox → ZGW adapter → stateful fake DMS', () => {
  it('[O1][O3] 5xx for a while: the outbox keeps the reason, waits, and delivers later, once', async () => {
    const r = await rig();
    fake.failNext(3, 503);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      expect(await r.worker.runOnce()).toBe(1);
      expect(await row(r)).toMatchObject({ state: 'pending', attempts: attempt, lastError: 'dms-server-error: 503' });
      r.clock.now += 10_000;
    }
    expect(await r.worker.runOnce()).toBe(1);
    expect(await row(r)).toMatchObject({ state: 'delivered', attempts: 4, reference: fake.documents[0]?.url });
    expect(fake.documents).toHaveLength(1);
    expect(fake.links).toHaveLength(1);
    expect(r.statuses).toEqual([WorkflowStatus.deliveryFailed, WorkflowStatus.archived]);
  });

  it('[O2] a create that commits and then times out: the next attempt finds it, exactly one document', async () => {
    const r = await rig(300);
    fake.commitThenDelayNextCreate(1_500);
    await r.worker.runOnce();
    expect(await row(r)).toMatchObject({ state: 'pending', lastError: 'dms-timeout' });
    r.clock.now += 10_000;
    await r.worker.runOnce();
    expect(await row(r)).toMatchObject({ state: 'delivered', reference: fake.documents[0]?.url });
    expect(fake.documents).toHaveLength(1);
    expect(fake.links).toHaveLength(1);
  });

  it('[O3] a 400 stays in the outbox, not retried before the cap, with the Dutch reason for the back office', async () => {
    const r = await rig();
    fake.refuseNextCreate([{ name: 'titel', code: 'max_length', reason: 'Zorg ervoor dat dit veld niet meer dan 200 karakters bevat.' }]);
    await r.worker.runOnce();
    const failed = await row(r);
    expect(failed).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastError: 'dms-refused: 400 Het DMS weigert het document: titel: Zorg ervoor dat dit veld niet meer dan 200 karakters bevat.',
      nextAttemptAt: 1_000 + 8_000,
    });
    expect(r.statuses).toEqual([WorkflowStatus.deliveryFailed]);
    expect(fake.documents).toHaveLength(0);
  });
});
