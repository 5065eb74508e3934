// The outbox worker delivering a decision through the ZGW adapter to both fakes (Z24, Z26), with a
// hand-driven clock over the memory store: the besluit's create commits and answers too late, the
// row stays pending with the reason, and the next attempt ends with one document and one besluit;
// the Besluiten API down after the document was filed keeps the row pending until it is back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZgwDms } from '../../server/dms/zgw/adapter';
import { OutboxWorker } from '../../server/outbox/outbox-worker';
import { createMemoryStore, type MemoryStore } from '../../server/store/memory/store';
import { seedSubmittedLetter } from '../support/submission-fixture';
import { startFakeBesluiten, type FakeBesluiten } from '../support/zgw-besluiten-fake';
import { fakeZgwConfig, startFakeZgw, type FakeZgw } from '../support/zgw-fake';

const SECRET = 'besluiten-outbox-secret-besluiten-outbox';
const RSIN = '002220647';
const ID = 'KT-2026-0000077';

let zgw: FakeZgw;
let bes: FakeBesluiten;
const workers: OutboxWorker[] = [];
let iot: string;
let besluittype: string;

beforeEach(async () => {
  zgw = await startFakeZgw(SECRET);
  bes = await startFakeBesluiten(SECRET, {
    zaaktypeOf: (url) => (zgw.zaak('ZAAK-1')?.url === url ? (zgw.zaak('ZAAK-1')?.zaaktype ?? null) : null),
    informatieobjecttypeOf: (url) => {
      const doc = zgw.documents.find((d) => d.url === url);
      return doc === undefined ? null : String(doc.body.informatieobjecttype);
    },
  });
  iot = bes.addInformatieobjecttype({ omschrijving: 'Beschikking' });
  const zaaktype = zgw.addZaaktype([iot]);
  besluittype = bes.addBesluittype({ zaaktypen: [zaaktype], informatieobjecttypen: [iot] });
  zgw.addZaak('ZAAK-1', RSIN, { zaaktype });
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.close();
  await Promise.all([zgw.close(), bes.close()]);
});

async function rig(timeoutMs = 2_000): Promise<{ store: MemoryStore; worker: OutboxWorker; clock: { now: number } }> {
  const store = createMemoryStore();
  const clock = { now: 1_000 };
  const dms = createZgwDms({
    config: fakeZgwConfig({ ...zgw, catalogiUrl: bes.catalogiUrl }, SECRET, RSIN, { informatieobjecttype: iot, besluitenUrl: bes.besluitenUrl, timeoutMs }),
  });
  const worker = new OutboxWorker({
    store,
    dms,
    now: () => clock.now,
    random: () => 0.5,
    timing: { leaseMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 8_000, attemptTimeoutMs: 5_000 },
    documentChanged: () => Promise.resolve(),
    onError: (error) => {
      throw error;
    },
  });
  workers.push(worker);
  await seedSubmittedLetter(store, {
    identificatie: ID,
    title: 'Besluit',
    author: 'Vera Veldwerker',
    documenttype: 'Beschikking',
    confidentiality: 'zaakvertrouwelijk',
    metadata: { zgw: { informatieobjecttype: iot, besluittype }, besluit: true, ingangsdatum: '2026-02-01' },
  });
  return { store, worker, clock };
}

async function delivery(store: MemoryStore) {
  const [s] = await store.listSubmissions('doc-1');
  if (s === undefined || s.delivery === null) throw new Error('no queued submission');
  return s.delivery;
}

describe('outbox → ZGW adapter → Documenten/Zaken and Catalogi/Besluiten fakes', () => {
  it('[Z26] the besluit create commits and answers too late: the row stays pending, the next attempt ends with one document, one besluit, one link', async () => {
    // Generous: on a loaded machine the document's own requests must finish inside the timeout,
    // so that only the besluit's late answer times out.
    const r = await rig(2_000);
    bes.commitThenDelayNextBesluit(6_000);
    await r.worker.runOnce();
    expect(await delivery(r.store)).toMatchObject({ state: 'pending', lastError: expect.stringMatching(/^dms-timeout: /) as string });
    expect(bes.besluiten).toHaveLength(1);
    r.clock.now += 10_000;
    await r.worker.runOnce();
    expect(await delivery(r.store)).toMatchObject({ state: 'delivered', reference: zgw.documents[0]?.url });
    expect(zgw.documents).toHaveLength(1);
    expect(bes.besluiten).toHaveLength(1);
    expect(bes.besluiten[0]?.body).toMatchObject({ identificatie: ID, besluittype, datum: '2026-01-01', ingangsdatum: '2026-02-01' });
    expect(bes.links).toEqual([expect.objectContaining({ besluit: bes.besluiten[0]?.url, informatieobject: zgw.documents[0]?.url })]);
  });

  it('[Z26] the Besluiten API is down after the document was filed: the delivery waits (pending, retryable) and completes with the same document', async () => {
    const r = await rig();
    bes.failNext(1, 503, '/besluiten/');
    await r.worker.runOnce();
    expect(await delivery(r.store)).toMatchObject({ state: 'pending', lastError: expect.stringMatching(/^dms-server-error: .*HTTP 503/) as string });
    expect(zgw.documents).toHaveLength(1);
    expect(bes.besluiten).toHaveLength(0);
    r.clock.now += 10_000;
    await r.worker.runOnce();
    expect(await delivery(r.store)).toMatchObject({ state: 'delivered' });
    expect(zgw.documents).toHaveLength(1);
    expect(bes.besluiten).toHaveLength(1);
    expect(bes.links).toHaveLength(1);
  });
});
