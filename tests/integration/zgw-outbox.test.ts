// The outbox worker delivering through the ZGW adapter to the stateful fake DMS, with a hand-driven
// clock over the memory store: 5xx for a while and the outbox delivers later (O3), a create that
// commits and then times out leaves exactly one document (O2), a 400 stays in the outbox with a
// Dutch reason (O3, O4: failed at once), the document is archived only with the DMS's URL as
// reference (O1); a second version updates the archived object through lock → PATCH → unlock
// (O5) and a large PDF goes up in parts (O6), both finishing with the lock kept in the outbox row.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliveryError } from '../../client/app/logic/delivery-error';
import { createZgwDms } from '../../server/dms/zgw/adapter';
import { OutboxWorker } from '../../server/outbox/outbox-worker';
import { createMemoryStore, type MemoryStore } from '../../server/store/memory/store';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { seedSubmittedLetter } from '../support/submission-fixture';
import { fakeZgwConfig, startFakeZgw, type FakeZgw } from '../support/zgw-fake';

const SECRET = 'outbox-test-secret-outbox-test-secret';
const RSIN = '002220647';
const ID = 'KT-00000000000000d1-v1';

let fake: FakeZgw;
const workers: OutboxWorker[] = [];
beforeEach(async () => {
  // Two-byte parts, so the seeded four-byte PDF goes up in two parts when chunked (O6).
  fake = await startFakeZgw(SECRET, { partSize: 2 });
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

async function rig(timeoutMs = 2_000, chunkThresholdBytes = 5 * 1024 * 1024, fetchImpl?: typeof fetch): Promise<Rig> {
  const store = createMemoryStore();
  const clock = { now: 1_000 };
  const statuses: string[] = [];
  const dms = createZgwDms({
    config: fakeZgwConfig(fake, SECRET, RSIN, { clientId: 'keukentafel', informatieobjecttype: `${fake.catalogiUrl}/informatieobjecttypen/1`, timeoutMs, chunkThresholdBytes }),
    ...(fetchImpl === undefined ? {} : { fetch: fetchImpl }),
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
      expect(await row(r)).toMatchObject({ state: 'pending', attempts: attempt, lastError: expect.stringMatching(/^dms-server-error: Het DMS had een storing \(HTTP 503\)/) as string });
      r.clock.now += 10_000;
    }
    expect(await r.worker.runOnce()).toBe(1);
    expect(await row(r)).toMatchObject({ state: 'delivered', attempts: 4, reference: fake.documents[0]?.url });
    expect(fake.documents).toHaveLength(1);
    expect(fake.links).toHaveLength(1);
    expect(r.statuses).toEqual([WorkflowStatus.deliveryFailed, WorkflowStatus.archived]);
  });

  it('[O2] a create that commits and then times out: the next attempt finds it, exactly one document', async () => {
    // The delay far beyond the timeout, the timeout far beyond a slow request on a loaded machine.
    const r = await rig(2_000);
    fake.commitThenDelayNextCreate(10_000);
    await r.worker.runOnce();
    expect(await row(r)).toMatchObject({ state: 'pending', lastError: expect.stringMatching(/^dms-timeout: /) as string });
    r.clock.now += 10_000;
    await r.worker.runOnce();
    expect(await row(r)).toMatchObject({ state: 'delivered', reference: fake.documents[0]?.url });
    expect(fake.documents).toHaveLength(1);
    expect(fake.links).toHaveLength(1);
  });

  it('[O3] [O4] a 400 stays in the outbox as failed at once, with the Dutch reason for the back office', async () => {
    const r = await rig();
    fake.refuseNextCreate([{ name: 'titel', code: 'max_length', reason: 'Zorg ervoor dat dit veld niet meer dan 200 karakters bevat.' }]);
    await r.worker.runOnce();
    const failed = await row(r);
    expect(failed).toMatchObject({
      state: 'failed',
      attempts: 1,
      lastError: expect.stringMatching(
        /^dms-refused: Het DMS weigert het document \(HTTP 400\): titel: Zorg ervoor dat dit veld niet meer dan 200 karakters bevat\. Laat de oorzaak herstellen .*\n\nAntwoord van het DMS: \{/s,
      ) as string,
    });
    r.clock.now += 3_600_000;
    expect(await r.worker.runOnce()).toBe(0);
    expect(r.statuses).toEqual([WorkflowStatus.deliveryFailed]);
    expect(fake.documents).toHaveLength(0);
  });

  it('[Z6] [Z1] [Z2] a closed zaak fails at once in the outbox, the back office reads what to do, nothing is in the DMS', async () => {
    const r = await rig();
    fake.closeZaak('ZAAK-1', '2026-11-30');
    await r.worker.runOnce();
    const failed = await row(r);
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    expect(deliveryError(failed.lastError)?.text).toMatch(/^Zaak ZAAK-1 is afgesloten: heropen de zaak of kies een andere/);
    expect(fake.documents).toHaveLength(0);
    expect(fake.requests.filter((q) => q.method === 'POST')).toHaveLength(0);
  });

  it('[Z8] [Z2] a zaak the client may not write to: failed at once, the DMS\'s answer apart, no document left behind', async () => {
    const r = await rig();
    fake.forbidZaak('ZAAK-1');
    await r.worker.runOnce();
    const failed = await row(r);
    expect(failed).toMatchObject({ state: 'failed', attempts: 1 });
    const shown = deliveryError(failed.lastError);
    expect(shown?.text).toMatch(/^Keukentafel mag niet schrijven in zaak ZAAK-1 /);
    expect(shown?.details).toContain('permission_denied');
    expect(fake.documents).toHaveLength(0);
    expect(fake.deleted).toHaveLength(1);
  });
});

/** Submits version 2 of doc-1 (after version 1 was archived) straight into the store. */
async function submitSecondVersion(store: MemoryStore, at: number): Promise<string> {
  const v1 = await store.getSubmission('doc-1', 1);
  if (v1 === null) throw new Error('no version 1');
  const identificatie = ID.replace(/-v1$/, '-v2');
  const pdf = Uint8Array.of(37, 80, 68, 70, 45, 50);
  const result = await store.commitSubmission({
    record: { idempotencyKey: 'submit-0002', docId: 'doc-1', userId: 'user-1', type: 'submit', at, httpStatus: 202, response: '{}' },
    submission: { ...v1, version: 2, identificatie, submittedAt: at, pdf, pdfSha256: createHash('sha256').update(pdf).digest('hex') },
    patch: { status: WorkflowStatus.submitted, updatedAt: at },
    ifStatus: WorkflowStatus.archived,
    dueAt: at,
  });
  if (!result.stored) throw new Error('version 2 not stored');
  return identificatie;
}

async function rowOf(r: Rig, version: number) {
  const s = (await r.store.listSubmissions('doc-1')).find((x) => x.version === version);
  if (s === undefined || s.delivery === null) throw new Error(`no queued version ${version}`);
  return s.delivery;
}

describe('outbox → ZGW: new versions and uploads in parts', () => {
  it('[O5] a second version of an archived document updates the same DMS object through lock, PATCH, unlock', async () => {
    const r = await rig();
    await r.worker.runOnce();
    const v1 = await rowOf(r, 1);
    expect(v1.state).toBe('delivered');
    r.clock.now += 1_000;
    await submitSecondVersion(r.store, r.clock.now);
    fake.requests.length = 0;
    expect(await r.worker.runOnce()).toBe(1);
    expect(await rowOf(r, 2)).toMatchObject({ state: 'delivered', reference: v1.reference, dmsLock: null });
    expect(fake.documents).toHaveLength(1);
    expect(fake.documents[0]).toMatchObject({ versie: 2, lock: null });
    expect(Buffer.from(fake.documents[0]!.content)).toEqual(Buffer.from('%PDF-2'));
    const writes = fake.requests.filter((q) => q.method !== 'GET').map((q) => `${q.method} ${q.path.replace(/.*\/enkelvoudiginformatieobjecten\/[0-9a-f-]{36}/, '…')}`);
    expect(writes).toEqual(['POST …/lock', 'PATCH …', 'POST …/unlock']);
    expect(r.statuses.at(-1)).toBe(WorkflowStatus.archived);
  });

  it('[O5] [O2] the PATCH answer is lost: the lock stays in the outbox row, and the next attempt unlocks with it', async () => {
    let dropPatch = false;
    const dropping: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === 'PATCH' && dropPatch) {
        dropPatch = false;
        await response.body?.cancel();
        throw new TypeError('fetch failed (simulated: answer lost)');
      }
      return response;
    };
    const r = await rig(2_000, 5 * 1024 * 1024, dropping);
    await r.worker.runOnce();
    r.clock.now += 1_000;
    await submitSecondVersion(r.store, r.clock.now);
    dropPatch = true;
    await r.worker.runOnce();
    const broken = await rowOf(r, 2);
    expect(broken).toMatchObject({ state: 'pending', lastError: expect.stringMatching(/^dms-unreachable/) as string });
    expect(broken.dmsLock).not.toBeNull();
    expect(broken.dmsLock).toBe(fake.documents[0]?.lock);

    r.clock.now = broken.nextAttemptAt;
    await r.worker.runOnce();
    expect(await rowOf(r, 2)).toMatchObject({ state: 'delivered', dmsLock: null });
    expect(fake.documents).toHaveLength(1);
    expect(fake.documents[0]).toMatchObject({ versie: 2, lock: null });
  });

  it('[O6] a PDF above the threshold goes up in parts; a part that fails is finished by the next attempt with the stored lock', async () => {
    const r = await rig(2_000, 2);
    fake.failPartUploadAfter(1);
    await r.worker.runOnce();
    const half = await rowOf(r, 1);
    expect(half).toMatchObject({ state: 'pending', lastError: expect.stringMatching(/^dms-server-error: Het DMS had een storing \(HTTP 503\)/) as string });
    expect(half.dmsLock).toBe(fake.documents[0]?.lock);
    expect(fake.documents[0]?.parts.map((p) => p.bytes !== null)).toEqual([true, false]);

    r.clock.now = half.nextAttemptAt;
    await r.worker.runOnce();
    expect(await rowOf(r, 1)).toMatchObject({ state: 'delivered', reference: fake.documents[0]?.url, dmsLock: null });
    expect(fake.documents).toHaveLength(1);
    expect(Buffer.from(fake.documents[0]!.content)).toEqual(Buffer.from('%PDF'));
    expect(fake.documents[0]?.lock).toBeNull();
    expect(fake.links).toHaveLength(1);
  });
});
