// The Besluiten API through the ZGW adapter (Z24–Z28), against two real fakes on 127.0.0.1: the
// Documenten/Zaken fake (tests/support/zgw-fake.ts) and the Catalogi/Besluiten fake
// (tests/support/zgw-besluiten-fake.ts), which enforce Open Zaak's rules beyond the schema. A
// decision registers one besluit with its besluitinformatieobject; a timeout after the besluit was
// created and a crash between document and besluit end with one document and one besluit; a
// besluittype that is a concept or does not allow the zaaktype or the document's type refuses the
// delivery before anything is created; a new version updates the same besluit.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliveryErrorText } from '../../client/app/logic/delivery-error';
import { createZgwDms, type ZgwDelivery } from '../../server/dms/zgw/adapter';
import type { ZgwConfig } from '../../server/dms/zgw/config';
import { startFakeBesluiten, type FakeBesluiten } from '../support/zgw-besluiten-fake';
import { fakeZgwConfig, startFakeZgw, type FakeZgw } from '../support/zgw-fake';

const SECRET = 'besluiten-test-secret-besluiten-test';
const RSIN = '002220647';
const ZAAK = 'ZAAK-2026-0042';
const OTHER_ZAAK = 'ZAAK-2026-0043';

let zgw: FakeZgw;
let bes: FakeBesluiten;
let zaakUrl: string;
let zaaktype: string;
let iotBeschikking: string;
let besluittype: string;

beforeEach(async () => {
  zgw = await startFakeZgw(SECRET);
  bes = await startFakeBesluiten(SECRET, {
    zaaktypeOf: (url) => [ZAAK, OTHER_ZAAK].map((id) => zgw.zaak(id)).find((z) => z?.url === url)?.zaaktype ?? null,
    informatieobjecttypeOf: (url) => {
      const doc = zgw.documents.find((d) => d.url === url);
      return doc === undefined ? null : String(doc.body.informatieobjecttype);
    },
  });
  iotBeschikking = bes.addInformatieobjecttype({ omschrijving: 'Beschikking' });
  // The zaaktype lives in the Zaken fake's Catalogi (Z15: which types it allows); the besluittype in ours.
  zaaktype = zgw.addZaaktype([iotBeschikking]);
  besluittype = bes.addBesluittype({ zaaktypen: [zaaktype], informatieobjecttypen: [iotBeschikking], omschrijving: 'Toekenning maatwerkvoorziening' });
  zaakUrl = zgw.addZaak(ZAAK, RSIN, { zaaktype });
});
afterEach(async () => {
  await Promise.all([zgw.close(), bes.close()]);
});

function config(overrides: Partial<ZgwConfig> = {}): ZgwConfig {
  return fakeZgwConfig({ ...zgw, catalogiUrl: bes.catalogiUrl }, SECRET, RSIN, {
    informatieobjecttype: bes.addInformatieobjecttype({ omschrijving: 'Default' }),
    besluitenUrl: bes.besluitenUrl,
    ...overrides,
  });
}

function decision(overrides: Partial<ZgwDelivery> = {}): ZgwDelivery {
  const pdf = new TextEncoder().encode('%PDF-1.7\n% besluit\n');
  return {
    identificatie: 'KT-2026-0000042',
    zaak: ZAAK,
    pdf,
    pdfSha256: createHash('sha256').update(pdf).digest('hex'),
    metadata: {
      title: 'Besluit op uw aanvraag maatwerkvoorziening',
      author: 'Vera Veldwerker',
      creatiedatum: '2026-03-02',
      taal: 'nld',
      documenttype: 'Beschikking',
      vertrouwelijkheidaanduiding: 'zaakvertrouwelijk',
      zgw: { informatieobjecttype: iotBeschikking, besluittype },
      besluit: true,
      ingangsdatum: '2026-04-01',
    },
    dagtekening: '2026-03-02',
    verzenddatum: '2026-03-03',
    bezwaartermijnEinde: '2026-04-14',
    version: 1,
    submittedBy: { id: 'u-vera', representation: 'Vera Veldwerker' },
    ...overrides,
  };
}

const besluitRequests = (): string[] => bes.requests.filter((r) => r.path.startsWith('/besluiten/')).map((r) => `${r.method} ${r.path.split('?')[0]}`);

describe('Besluiten API', () => {
  it('[Z24] a decision registers one besluit (besluittype, datum = dagtekening, ingangsdatum, verzenddatum, uiterlijkeReactiedatum = end of the objection term) and links its document', async () => {
    const dms = createZgwDms({ config: config() });
    const result = await dms.deliver(decision());
    expect(result).toMatchObject({ ok: true });
    expect(zgw.documents).toHaveLength(1);
    const doc = zgw.documents[0]!;
    expect(doc.body).toMatchObject({ informatieobjecttype: iotBeschikking, indicatieGebruiksrecht: false });
    expect(bes.besluiten).toHaveLength(1);
    expect(bes.besluiten[0]!.body).toEqual({
      verantwoordelijkeOrganisatie: RSIN,
      identificatie: 'KT-2026-0000042',
      besluittype,
      zaak: zaakUrl,
      datum: '2026-03-02',
      ingangsdatum: '2026-04-01',
      verzenddatum: '2026-03-03',
      uiterlijkeReactiedatum: '2026-04-14',
    });
    expect(bes.links).toEqual([expect.objectContaining({ besluit: bes.besluiten[0]!.url, informatieobject: doc.url })]);
    // O2 holds for the besluit too: the look-up says archived, and delivering again makes nothing new.
    expect(await dms.lookup('KT-2026-0000042', ZAAK, decision())).toEqual({ found: true, reference: doc.url });
    expect(await dms.deliver(decision())).toEqual(result);
    expect(bes.besluiten).toHaveLength(1);
    expect(bes.links).toHaveLength(1);
  });

  it('[Z24] a letter left for manual sending (no verzenddatum yet) registers the besluit without verzenddatum or uiterlijkeReactiedatum; no ingangsdatum field: the dagtekening', async () => {
    const dms = createZgwDms({ config: config() });
    const { verzenddatum: _v, bezwaartermijnEinde: _b, ...manual } = decision();
    const { ingangsdatum: _i, ...metadata } = manual.metadata;
    expect(await dms.deliver({ ...manual, metadata })).toMatchObject({ ok: true });
    expect(bes.besluiten[0]!.body).not.toHaveProperty('verzenddatum');
    expect(bes.besluiten[0]!.body).not.toHaveProperty('uiterlijkeReactiedatum');
    expect(bes.besluiten[0]!.body).toMatchObject({ datum: '2026-03-02', ingangsdatum: '2026-03-02' });
  });

  it('[Z24] without ZGW_BESLUITEN_URL a decision is archived as a document only: no call to the Besluiten API', async () => {
    const { besluitenUrl: _b, ...withoutBesluiten } = config();
    const dms = createZgwDms({ config: withoutBesluiten });
    expect(await dms.deliver(decision())).toMatchObject({ ok: true });
    expect(zgw.documents).toHaveLength(1);
    expect(bes.besluiten).toHaveLength(0);
    expect(besluitRequests()).toEqual([]);
  });

  it('[Z24] a letter (no besluittype, not a decision) registers no besluit even with the Besluiten API configured', async () => {
    const dms = createZgwDms({ config: config() });
    const letter = decision();
    expect(await dms.deliver({ ...letter, metadata: { ...letter.metadata, zgw: { informatieobjecttype: iotBeschikking }, besluit: false } })).toMatchObject({ ok: true });
    expect(bes.besluiten).toHaveLength(0);
    expect(besluitRequests()).toEqual([]);
  });

  it('[Z24] a decision template without its own besluittype gets ZGW_BESLUITTYPE', async () => {
    const dms = createZgwDms({ config: config({ besluittype }) });
    const d = decision();
    expect(await dms.deliver({ ...d, metadata: { ...d.metadata, zgw: { informatieobjecttype: iotBeschikking } } })).toMatchObject({ ok: true });
    expect(bes.besluiten.map((b) => b.body.besluittype)).toEqual([besluittype]);
  });

  it('[Z26] timeout after the besluit was created: the look-up says not there until it is linked, the next attempt finds it, one besluit and one document', async () => {
    // Generous: on a loaded machine only the besluit's late answer may time out.
    const dms = createZgwDms({ config: config({ timeoutMs: 2_000 }) });
    bes.commitThenDelayNextBesluit(6_000);
    const first = await dms.deliver(decision());
    expect(first).toMatchObject({ ok: false, retryable: true, reason: expect.stringContaining('dms-timeout') as string });
    expect(bes.besluiten).toHaveLength(1); // committed, the answer never came
    expect(bes.links).toHaveLength(0);
    expect(await dms.lookup('KT-2026-0000042', ZAAK, decision())).toEqual({ found: false });
    const second = await dms.deliver(decision());
    expect(second).toMatchObject({ ok: true });
    expect(zgw.documents).toHaveLength(1);
    expect(bes.besluiten).toHaveLength(1);
    expect(bes.links).toEqual([expect.objectContaining({ besluit: bes.besluiten[0]!.url, informatieobject: zgw.documents[0]!.url })]);
    expect(bes.requests.filter((r) => r.method === 'POST' && r.path === '/besluiten/api/v1/besluiten')).toHaveLength(1);
  });

  it('[Z26] crash between document and besluit: after a restart the look-up says not there, and the next attempt adds only the besluit', async () => {
    // The state a crash leaves: the document is filed and linked to its zaak, the besluit is not.
    bes.failNext(1_000, 503, '/besluiten/');
    const before = await createZgwDms({ config: config() }).deliver(decision());
    expect(before).toMatchObject({ ok: false, retryable: true });
    expect(zgw.documents).toHaveLength(1);
    expect(zgw.links).toHaveLength(1);
    bes.failNext(0);
    // A new adapter, as after a restart of the server: O2's look-up first, then deliver.
    const restarted = createZgwDms({ config: config() });
    expect(await restarted.lookup('KT-2026-0000042', ZAAK, decision())).toEqual({ found: false });
    expect(await restarted.deliver(decision())).toEqual({ ok: true, reference: zgw.documents[0]!.url });
    expect(zgw.documents).toHaveLength(1);
    expect(zgw.links).toHaveLength(1);
    expect(bes.besluiten).toHaveLength(1);
    expect(bes.links).toHaveLength(1);
    expect(zgw.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/documenten/api/v1/enkelvoudiginformatieobjecten'))).toHaveLength(1);
  });

  it('[Z26] a besluit an earlier attempt registered but never linked is found by its identificatie and linked, not duplicated', async () => {
    const dms = createZgwDms({ config: config() });
    // An earlier attempt registered the besluit and stopped before the besluitinformatieobject.
    await dms.deliver(decision());
    bes.links.splice(0);
    expect(await dms.deliver(decision())).toMatchObject({ ok: true });
    expect(bes.besluiten).toHaveLength(1);
    expect(bes.links).toHaveLength(1);
  });
});

describe('Besluit preflight before anything is created', () => {
  it('[Z27] a concept (unpublished) besluittype refuses the delivery at once: no document, no besluit, a Dutch reason', async () => {
    bes.setConcept(besluittype, true);
    const result = await createZgwDms({ config: config() }).deliver(decision());
    expect(result).toMatchObject({ ok: false, retryable: false, reason: expect.stringMatching(/^dms-besluittype-concept: .*niet gepubliceerd/) as string });
    // The office reads what is wrong and what to do.
    expect(deliveryErrorText(result.ok ? null : result.reason)).toMatch(/^Het besluittype "Toekenning maatwerkvoorziening" \(.*\) is nog niet gepubliceerd: laat het in de Catalogi API publiceren, en kies daarna "Opnieuw proberen"\. Er is niets gearchiveerd\.$/);
    expect(zgw.documents).toHaveLength(0);
    expect(bes.besluiten).toHaveLength(0);
  });

  it('[Z27] a besluittype that does not allow the zaak\'s zaaktype refuses the delivery: no orphan document', async () => {
    zgw.addZaak(OTHER_ZAAK, RSIN, { zaaktype: zgw.addZaaktype([iotBeschikking]) });
    const result = await createZgwDms({ config: config() }).deliver(decision({ zaak: OTHER_ZAAK }));
    expect(result).toMatchObject({ ok: false, retryable: false, reason: expect.stringMatching(/^dms-besluittype-not-allowed: /) as string });
    expect(zgw.documents).toHaveLength(0);
    expect(bes.besluiten).toHaveLength(0);
  });

  it('[Z27] a besluittype that does not allow the document\'s informatieobjecttype refuses the delivery: no orphan document', async () => {
    const brief = bes.addInformatieobjecttype({ omschrijving: 'Brief' });
    zgw.allowType(brief, zaaktype);
    const d = decision();
    const result = await createZgwDms({ config: config() }).deliver({ ...d, metadata: { ...d.metadata, zgw: { informatieobjecttype: brief, besluittype } } });
    expect(result).toMatchObject({ ok: false, retryable: false, reason: expect.stringMatching(/^dms-besluittype-document-not-allowed: /) as string });
    expect(zgw.documents).toHaveLength(0);
  });

  it('[Z27] a besluittype the Catalogi API does not have refuses the delivery with its URL', async () => {
    const missing = `${bes.catalogiUrl}/besluittypen/00000000-0000-4000-8000-00000000dead`;
    const d = decision();
    const result = await createZgwDms({ config: config() }).deliver({ ...d, metadata: { ...d.metadata, zgw: { informatieobjecttype: iotBeschikking, besluittype: missing } } });
    expect(result).toMatchObject({ ok: false, retryable: false, reason: expect.stringContaining(missing) as string });
    expect(zgw.documents).toHaveLength(0);
  });
});

describe('Besluit preflight after an earlier attempt', () => {
  it('[Z27] [O2] a decision archived with its besluit before the besluittype was withdrawn is answered as delivered, not refused', async () => {
    const dms = createZgwDms({ config: config() });
    const first = await dms.deliver(decision());
    if (!first.ok) throw new Error(first.reason);
    bes.setConcept(besluittype, true);
    expect(await dms.deliver(decision())).toEqual(first);
    expect(zgw.documents).toHaveLength(1);
    expect(bes.besluiten).toHaveLength(1);
  });
});

describe('A new version of a decision', () => {
  it('[Z28] return after DMS: the new version updates the same informatieobject and the same besluit (its dates), never a second besluit', async () => {
    const dms = createZgwDms({ config: config() });
    const first = await dms.deliver(decision());
    if (!first.ok) throw new Error(first.reason);
    const pdf = new TextEncoder().encode('%PDF-1.7\n% besluit, versie 2\n');
    const second = decision({
      identificatie: 'KT-2026-0000043',
      pdf,
      pdfSha256: createHash('sha256').update(pdf).digest('hex'),
      version: 2,
      dagtekening: '2026-03-10',
      verzenddatum: '2026-03-11',
      bezwaartermijnEinde: '2026-04-22',
      previous: { identificatie: 'KT-2026-0000042', version: 1, reference: first.reference },
    });
    expect(await dms.deliver(second)).toEqual({ ok: true, reference: first.reference });
    expect(zgw.documents).toHaveLength(1);
    expect(bes.besluiten).toHaveLength(1);
    expect(bes.besluiten[0]!.versie).toBe(2);
    expect(bes.besluiten[0]!.body).toMatchObject({ identificatie: 'KT-2026-0000042', datum: '2026-03-10', verzenddatum: '2026-03-11', uiterlijkeReactiedatum: '2026-04-22' });
    expect(bes.links).toHaveLength(1);
    expect(await dms.lookup('KT-2026-0000043', ZAAK, second)).toEqual({ found: true, reference: first.reference });
  });

  it('[Z28] a DMS that will not update the archived document (O5): the version is its own document, linked to the same besluit', async () => {
    zgw.refuseUpdateOfDefinitief = true;
    const dms = createZgwDms({ config: config() });
    const first = await dms.deliver(decision());
    if (!first.ok) throw new Error(first.reason);
    const pdf = new TextEncoder().encode('%PDF-1.7\n% besluit, versie 2\n');
    const second = decision({
      identificatie: 'KT-2026-0000043',
      pdf,
      pdfSha256: createHash('sha256').update(pdf).digest('hex'),
      version: 2,
      dagtekening: '2026-03-10',
      previous: { identificatie: 'KT-2026-0000042', version: 1, reference: first.reference },
    });
    const result = await dms.deliver(second);
    expect(result).toMatchObject({ ok: true });
    expect(zgw.documents).toHaveLength(2);
    expect(bes.besluiten).toHaveLength(1);
    expect(bes.besluiten[0]!.body).toMatchObject({ datum: '2026-03-10' });
    expect(bes.links.map((l) => l.informatieobject).sort()).toEqual(zgw.documents.map((d) => d.url).sort());
  });
});
