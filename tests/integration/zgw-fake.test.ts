// The ZGW adapter against a stateful fake DMS (tests/support/zgw-fake.ts), for what a static
// mock cannot show: one document per identificatie whatever happens (O2: a create that commits
// and then times out, a repeated delivery), linked to its zaak once; 5xx and 429 retryable, a 400
// permanent with a Dutch reason for the back office (O3); a JWT-ZGW the DMS can verify. Then a
// template's informatieobjecttype and confidentiality (O7), the approver in beschrijving (O8),
// uploads in bestandsdelen that survive an interruption (O6), and new versions through lock →
// PATCH → unlock that finish with the stored lock and never leave the object locked (O5).
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZgwDms, type ZgwDelivery } from '../../server/dms/zgw/adapter';
import type { ZgwConfig } from '../../server/dms/zgw/config';
import { fakeZgwConfig, startFakeZgw, type FakeZgw } from '../support/zgw-fake';

const SECRET = 'een-geheim-van-minstens-32-tekens-lang!';
const RSIN = '002220647';
const ZAAK = 'ZAAK-2026-0042';

let fake: FakeZgw;
beforeEach(async () => {
  fake = await startFakeZgw(SECRET);
  fake.addZaak(ZAAK, RSIN);
});
afterEach(async () => {
  await fake.close();
});

/** A port nobody listens on (taken and released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 1;
}

function config(overrides: Partial<ZgwConfig> = {}): ZgwConfig {
  return fakeZgwConfig(fake, SECRET, RSIN, overrides);
}

// A create that commits and answers late. The impatient adapter gives up on it; everything after
// goes through a patient one, so a slow shared machine (the validating mock takes its time under
// load) cannot turn the retry that must succeed into a second timeout.
const IMPATIENT_TIMEOUT_MS = 1_500;
const CREATE_DELAY_MS = 10_000;
function timingOut(overrides: Partial<ZgwConfig> = {}): { impatient: ReturnType<typeof createZgwDms>; dms: ReturnType<typeof createZgwDms> } {
  fake.commitThenDelayNextCreate(CREATE_DELAY_MS);
  return { impatient: createZgwDms({ config: config({ ...overrides, timeoutMs: IMPATIENT_TIMEOUT_MS }) }), dms: createZgwDms({ config: config(overrides) }) };
}

function delivery(overrides: Partial<ZgwDelivery> = {}): ZgwDelivery {
  const pdf = new TextEncoder().encode('%PDF-1.7 test');
  return {
    identificatie: 'KT-0123456789abcdef-v1',
    zaak: ZAAK,
    pdf,
    pdfSha256: createHash('sha256').update(pdf).digest('hex'),
    metadata: {
      title: 'Besluit op uw aanvraag',
      author: 'Vera Veldwerker',
      creatiedatum: '2026-03-02',
      taal: 'nld',
      documenttype: 'Besluit',
      vertrouwelijkheidaanduiding: 'zaakvertrouwelijk',
    },
    submittedBy: { id: 'u-vera', representation: 'Vera Veldwerker' },
    ...overrides,
  };
}

describe('ZGW adapter against a stateful fake DMS', () => {
  it('[O1] files the PDF with its metadata, links it to the zaak, and answers the document URL as reference', async () => {
    const dms = createZgwDms({ config: config() });
    const d = delivery();
    const result = await dms.deliver(d);
    expect(result).toEqual({ ok: true, reference: fake.documents[0]?.url });
    expect(fake.documents).toHaveLength(1);
    const body = fake.documents[0]!.body;
    expect(body).toMatchObject({
      bronorganisatie: RSIN,
      identificatie: d.identificatie,
      creatiedatum: '2026-03-02',
      titel: 'Besluit op uw aanvraag',
      auteur: 'Vera Veldwerker',
      taal: 'nld',
      formaat: 'application/pdf',
      bestandsnaam: `${d.identificatie}.pdf`,
      bestandsomvang: d.pdf.byteLength,
      integriteit: { algoritme: 'sha_256', waarde: d.pdfSha256, datum: '2026-03-02' },
      status: 'definitief',
      vertrouwelijkheidaanduiding: 'zaakvertrouwelijk',
    });
    expect(Buffer.from(body.inhoud as string, 'base64')).toEqual(Buffer.from(d.pdf));
    expect(fake.links).toEqual([expect.objectContaining({ informatieobject: fake.documents[0]!.url })]);
    expect(await dms.lookup(d.identificatie, d.zaak)).toEqual({ found: true, reference: fake.documents[0]!.url });
    expect(await dms.lookup('KT-ffffffffffffffff-v1', d.zaak)).toEqual({ found: false });
  });

  it('the fake enforces uniqueness of (bronorganisatie, identificatie): a second create is a 400', async () => {
    const dms = createZgwDms({ config: config() });
    await dms.deliver(delivery());
    const token = fake.requests[0]!; // any verified call proves the JWT; now a raw duplicate create:
    expect(token.claims).not.toBeNull();
    const { zgwToken } = await import('../../server/dms/zgw/jwt');
    const res = await fetch(`${fake.documentenUrl}/enkelvoudiginformatieobjecten`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await zgwToken('keukentafel-test', SECRET, { id: 'x', representation: 'x' })}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(fake.documents[0]!.body),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('identificatie-niet-uniek');
    expect(fake.documents).toHaveLength(1);
  });

  it('[O2] delivering the same identificatie again files nothing new and answers the same reference', async () => {
    const dms = createZgwDms({ config: config() });
    const first = await dms.deliver(delivery());
    const second = await dms.deliver(delivery());
    expect(second).toEqual(first);
    expect(fake.documents).toHaveLength(1);
    expect(fake.links).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/enkelvoudiginformatieobjecten'))).toHaveLength(1);
  });

  it('[O2] a create that commits and then times out is retryable; lookup finds it; exactly one document', async () => {
    const { impatient, dms } = timingOut();
    const d = delivery({ zaak: '' });
    const result = await impatient.deliver(d);
    expect(result).toMatchObject({ ok: false, retryable: true, failure: { code: 'dms-timeout' }, reason: expect.stringMatching(/^dms-timeout: Het DMS antwoordde niet op tijd\./) as string });
    expect(fake.documents).toHaveLength(1);
    expect(await dms.lookup(d.identificatie, d.zaak)).toEqual({ found: true, reference: fake.documents[0]!.url });
    // Even a deliver without a look-up first (the outbox only looks up after an unknown outcome) files nothing new.
    expect(await dms.deliver(d)).toEqual({ ok: true, reference: fake.documents[0]!.url });
    expect(fake.documents).toHaveLength(1);
  });

  it('[O2] after a timeout between filing and linking, lookup says "not there yet" and the next deliver links the same document', async () => {
    const { impatient, dms } = timingOut();
    const d = delivery();
    expect(await impatient.deliver(d)).toMatchObject({ ok: false, retryable: true });
    expect(fake.links).toHaveLength(0);
    expect(await dms.lookup(d.identificatie, d.zaak)).toEqual({ found: false });
    expect(await dms.deliver(d)).toEqual({ ok: true, reference: fake.documents[0]!.url });
    expect(fake.documents).toHaveLength(1);
    expect(fake.links).toHaveLength(1);
  });

  it('[O3] 5xx for a while is retryable, and delivering later files exactly one document', async () => {
    const dms = createZgwDms({ config: config() });
    fake.failNext(5, 503);
    const results = [];
    for (let i = 0; i < 10; i += 1) {
      const r = await dms.deliver(delivery());
      results.push(r);
      if (r.ok) break;
    }
    expect(results[0]).toMatchObject({ ok: false, retryable: true, failure: { code: 'dms-server-error', status: 503 }, reason: expect.stringMatching(/^dms-server-error: Het DMS had een storing \(HTTP 503\)/) as string });
    expect(results.at(-1)).toMatchObject({ ok: true });
    expect(fake.documents).toHaveLength(1);
    expect(fake.links).toHaveLength(1);
  });

  it('[O3] 429 is retryable', async () => {
    const dms = createZgwDms({ config: config() });
    fake.failNext(1, 429);
    expect(await dms.deliver(delivery())).toMatchObject({ ok: false, retryable: true, failure: { code: 'dms-rate-limited' }, reason: expect.stringMatching(/^dms-rate-limited: /) as string });
  });

  it('[O3] a 400 with invalidParams is a permanent failure with a Dutch reason naming the fields', async () => {
    const dms = createZgwDms({ config: config() });
    fake.refuseNextCreate([
      { name: 'informatieobjecttype', code: 'bad-url', reason: 'De URL is ongeldig.' },
      { name: 'vertrouwelijkheidaanduiding', code: 'invalid_choice', reason: '"geheimpje" is een ongeldige keuze.' },
    ]);
    const result = await dms.deliver(delivery());
    expect(result).toMatchObject({
      ok: false,
      retryable: false,
      failure: { code: 'dms-refused', status: 400, fields: 'informatieobjecttype: De URL is ongeldig.; vertrouwelijkheidaanduiding: "geheimpje" is een ongeldige keuze.' },
      reason: expect.stringMatching(
        /^dms-refused: Het DMS weigert het document \(HTTP 400\): informatieobjecttype: De URL is ongeldig\.; vertrouwelijkheidaanduiding: "geheimpje" is een ongeldige keuze\. Laat .*Opnieuw proberen.*\n\nAntwoord van het DMS: \{.*"invalidParams"/s,
      ) as string,
    });
    expect(fake.documents).toHaveLength(0);
  });

  it('[O3] [Z5] a zaak the DMS does not know is permanent, and no document is filed without its case', async () => {
    const dms = createZgwDms({ config: config() });
    const result = await dms.deliver(delivery({ zaak: 'ZAAK-2026-9999' }));
    expect(result).toMatchObject({ ok: false, retryable: false, reason: expect.stringContaining('Zaak ZAAK-2026-9999 bestaat niet in het DMS') as string });
    expect(fake.documents).toHaveLength(0);
  });

  it('[O3] an unreachable DMS is retryable, for deliver and lookup alike', async () => {
    const port = await freePort();
    const dms = createZgwDms({ config: config({ documentenUrl: `http://127.0.0.1:${port}/documenten/api/v1`, zakenUrl: `http://127.0.0.1:${port}/zaken/api/v1` }) });
    expect(await dms.deliver(delivery())).toMatchObject({ ok: false, retryable: true, failure: { code: 'dms-unreachable', cause: 'ECONNREFUSED' }, reason: expect.stringMatching(/^dms-unreachable: Het DMS is niet bereikbaar \(ECONNREFUSED\)/) as string });
    expect(await dms.lookup('KT-0123456789abcdef-v1', ZAAK)).toEqual({ ok: false, reason: expect.stringMatching(/^dms-unreachable: Het DMS is niet bereikbaar \(ECONNREFUSED\)/) as string });
  });

  it('every call carries a JWT-ZGW the DMS verifies (HS256, iss/client_id, iat, user_id, user_representation)', async () => {
    const dms = createZgwDms({ config: config() });
    await dms.deliver(delivery());
    await dms.lookup('KT-0123456789abcdef-v1', ZAAK);
    expect(fake.requests.length).toBeGreaterThanOrEqual(5);
    for (const r of fake.requests) {
      expect(r.claims).toMatchObject({ iss: 'keukentafel-test', client_id: 'keukentafel-test', iat: expect.any(Number) as number });
    }
    const creates = fake.requests.filter((r) => r.method === 'POST');
    expect(creates.map((r) => [r.claims?.user_id, r.claims?.user_representation])).toEqual([
      ['u-vera', 'Vera Veldwerker'],
      ['u-vera', 'Vera Veldwerker'],
    ]);
  });

  it('a wrong secret is refused by the DMS: permanent, with a Dutch reason pointing at the settings', async () => {
    const dms = createZgwDms({ config: config({ secret: 'niet-het-goede-geheim' }) });
    const result = await dms.deliver(delivery());
    expect(result).toMatchObject({ ok: false, retryable: false, reason: expect.stringContaining('ZGW_CLIENT_ID, ZGW_SECRET en de autorisaties') as string });
    expect(fake.requests.every((r) => r.claims === null && r.status === 403)).toBe(true);
    expect(fake.documents).toHaveLength(0);
  });
});

/** A PDF of `size` bytes whose content shows where each byte came from. */
function bigDelivery(size: number, overrides: Partial<ZgwDelivery> = {}): ZgwDelivery {
  const pdf = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) pdf[i] = (i * 7 + 13) % 251;
  pdf.set(new TextEncoder().encode('%PDF-1.7'));
  return delivery({ pdf, pdfSha256: createHash('sha256').update(pdf).digest('hex'), ...overrides });
}

/** A second version of the same letter, filed into the object of version 1 (O5). */
function secondVersion(reference: string, overrides: Partial<ZgwDelivery> = {}): ZgwDelivery {
  const pdf = new TextEncoder().encode('%PDF-1.7 test, versie 2');
  return delivery({
    identificatie: 'KT-0123456789abcdef-v2',
    version: 2,
    pdf,
    pdfSha256: createHash('sha256').update(pdf).digest('hex'),
    previous: { identificatie: 'KT-0123456789abcdef-v1', version: 1, reference },
    ...overrides,
  });
}

const calls = (): string[] =>
  fake.requests.map((r) => `${r.method} ${r.path.split('?')[0]!.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{uuid}')} ${r.status}`);

/** Keeps the lock the adapter hands over, as the outbox row does (O5, O6). */
function lockKeeper(): { held: string | null; rememberLock: (lock: string | null) => Promise<void> } {
  const keeper = {
    held: null as string | null,
    rememberLock: (lock: string | null): Promise<void> => {
      keeper.held = lock;
      return Promise.resolve();
    },
  };
  return keeper;
}

describe('ZGW adapter: template metadata, approver, bestandsdelen and new versions', () => {
  it('[O7] a template that names an informatieobjecttype URL files under it; a plain name keeps ZGW_INFORMATIEOBJECTTYPE; confidentiality goes to vertrouwelijkheidaanduiding', async () => {
    const dms = createZgwDms({ config: config() });
    const own = `${fake.catalogiUrl}/informatieobjecttypen/00000000-0000-4000-8000-00000000beef`;
    fake.allowType(own);
    const base = delivery().metadata;
    await dms.deliver(delivery({ metadata: { ...base, documenttype: own, vertrouwelijkheidaanduiding: 'vertrouwelijk' } }));
    await dms.deliver(delivery({ identificatie: 'KT-0123456789abcdef-v9', metadata: { ...base, documenttype: 'Besluit', vertrouwelijkheidaanduiding: 'openbaar' } }));
    expect(fake.documents.map((d) => [d.body.informatieobjecttype, d.body.vertrouwelijkheidaanduiding])).toEqual([
      [own, 'vertrouwelijk'],
      [config().informatieobjecttype, 'openbaar'],
    ]);
  });

  it('[O8] the approver (W4) and the time of approval are in beschrijving; the JWT stays the submitting official', async () => {
    const dms = createZgwDms({ config: config() });
    const at = Date.UTC(2026, 2, 2, 10, 30);
    await dms.deliver(delivery({ version: 1, approvedBy: { id: 'u-karel', representation: 'Karel Kantoor', at } }));
    expect(fake.documents[0]?.body.beschrijving).toBe(
      'Keukentafel KT-0123456789abcdef-v1 (versie 1), ingediend door Vera Veldwerker; goedgekeurd door Karel Kantoor op 2026-03-02T10:30:00.000Z',
    );
    const create = fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/enkelvoudiginformatieobjecten'));
    expect([create?.claims?.user_id, create?.claims?.user_representation]).toEqual(['u-vera', 'Vera Veldwerker']);
  });

  it('[O6] a PDF above ZGW_CHUNK_THRESHOLD_BYTES goes up in bestandsdelen: create without inhoud, PUT each part with the lock, unlock', async () => {
    const dms = createZgwDms({ config: config({ chunkThresholdBytes: 100_000 }) });
    const keeper = lockKeeper();
    const d = bigDelivery(150_000, { rememberLock: keeper.rememberLock });
    expect(await dms.deliver(d)).toEqual({ ok: true, reference: fake.documents[0]?.url });
    expect(fake.documents).toHaveLength(1);
    const doc = fake.documents[0]!;
    expect(doc.body).toMatchObject({ inhoud: null, bestandsomvang: 150_000, integriteit: { algoritme: 'sha_256', waarde: d.pdfSha256 } });
    expect(doc.parts.map((p) => p.omvang)).toEqual([65_536, 65_536, 18_928]);
    expect(Buffer.from(doc.content).equals(Buffer.from(d.pdf))).toBe(true);
    expect(doc.lock).toBeNull();
    expect(keeper.held).toBeNull();
    expect(calls()).toEqual([
      'GET /zaken/api/v1/zaken 200',
      'GET /catalogi/api/v1/zaaktypen/{uuid} 200',
      'GET /documenten/api/v1/enkelvoudiginformatieobjecten 200',
      'POST /documenten/api/v1/enkelvoudiginformatieobjecten 201',
      'PUT /documenten/api/v1/bestandsdelen/{uuid} 200',
      'PUT /documenten/api/v1/bestandsdelen/{uuid} 200',
      'PUT /documenten/api/v1/bestandsdelen/{uuid} 200',
      'POST /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid}/unlock 204',
      'GET /zaken/api/v1/zaakinformatieobjecten 200',
      'POST /zaken/api/v1/zaakinformatieobjecten 201',
    ]);
    // At or below the threshold it stays one inhoud.
    await dms.deliver(bigDelivery(100_000, { identificatie: 'KT-0123456789abcdef-v7' }));
    expect(typeof fake.documents[1]?.body.inhoud).toBe('string');
  });

  it('[O6] [O2] an upload that broke off half-way is completed with the stored lock, never filed twice', async () => {
    const dms = createZgwDms({ config: config({ chunkThresholdBytes: 100_000 }) });
    const keeper = lockKeeper();
    const d = bigDelivery(150_000, { rememberLock: keeper.rememberLock });
    fake.failPartUploadAfter(1);
    expect(await dms.deliver(d)).toMatchObject({ ok: false, retryable: true, failure: { code: 'dms-server-error', status: 503 }, reason: expect.stringMatching(/^dms-server-error: Het DMS had een storing \(HTTP 503\)/) as string });
    expect(fake.documents[0]?.lock).not.toBeNull();
    expect(keeper.held).toBe(fake.documents[0]?.lock);
    // Half there is not archived.
    expect(await dms.lookup(d.identificatie, d.zaak, d)).toEqual({ found: false });

    fake.requests.length = 0;
    expect(await dms.deliver({ ...d, heldLock: keeper.held! })).toEqual({ ok: true, reference: fake.documents[0]?.url });
    expect(fake.documents).toHaveLength(1);
    expect(Buffer.from(fake.documents[0]!.content).equals(Buffer.from(d.pdf))).toBe(true);
    expect(fake.documents[0]?.lock).toBeNull();
    expect(keeper.held).toBeNull();
    // Only the missing parts were sent again.
    expect(calls().filter((c) => c.startsWith('PUT'))).toHaveLength(2);
    expect(await dms.lookup(d.identificatie, d.zaak, d)).toEqual({ found: true, reference: fake.documents[0]?.url });
  });

  it('[O6] [O2] a chunked create whose answer (and lock) was lost: the half-created document is unlocked by force and completed', async () => {
    const { impatient, dms } = timingOut({ chunkThresholdBytes: 100_000 });
    const keeper = lockKeeper();
    const d = bigDelivery(150_000, { rememberLock: keeper.rememberLock });
    expect(await impatient.deliver(d)).toMatchObject({ ok: false, retryable: true, failure: { code: 'dms-timeout' }, reason: expect.stringMatching(/^dms-timeout: Het DMS antwoordde niet op tijd\./) as string });
    expect(keeper.held).toBeNull();
    expect(await dms.lookup(d.identificatie, d.zaak, d)).toEqual({ found: false });
    expect(await dms.deliver(d)).toEqual({ ok: true, reference: fake.documents[0]?.url });
    expect(fake.documents).toHaveLength(1);
    expect(Buffer.from(fake.documents[0]!.content).equals(Buffer.from(d.pdf))).toBe(true);
    expect(fake.documents[0]?.lock).toBeNull();

    // Without documenten.geforceerd-unlock it is a permanent failure the operator can act on.
    const other = bigDelivery(150_000, { identificatie: 'KT-0123456789abcdef-v8' });
    fake.commitThenDelayNextCreate(CREATE_DELAY_MS);
    await impatient.deliver(other);
    fake.refuseForcedUnlock = true;
    expect(await dms.deliver(other)).toMatchObject({ ok: false, retryable: false, reason: expect.stringContaining('documenten.geforceerd-unlock') as string });
    expect(fake.documents).toHaveLength(2);
  });

  it('[O5] a new version of an archived document goes through lock, PATCH with the new inhoud and integriteit, unlock; the object keeps its identificatie', async () => {
    const dms = createZgwDms({ config: config() });
    const first = await dms.deliver(delivery({ version: 1 }));
    if (!first.ok) throw new Error('first version not filed');
    fake.requests.length = 0;
    const keeper = lockKeeper();
    const v2 = secondVersion(first.reference, { rememberLock: keeper.rememberLock });
    expect(await dms.lookup(v2.identificatie, v2.zaak, v2)).toEqual({ found: false });
    fake.requests.length = 0;
    expect(await dms.deliver(v2)).toEqual({ ok: true, reference: first.reference });
    expect(calls()).toEqual([
      'GET /zaken/api/v1/zaken 200',
      'GET /catalogi/api/v1/zaaktypen/{uuid} 200',
      'GET /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid} 200',
      'POST /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid}/lock 200',
      'PATCH /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid} 200',
      'POST /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid}/unlock 204',
      'GET /zaken/api/v1/zaakinformatieobjecten 200',
    ]);
    expect(fake.documents).toHaveLength(1);
    const doc = fake.documents[0]!;
    expect(doc).toMatchObject({ versie: 2, lock: null });
    expect(doc.body).toMatchObject({
      identificatie: 'KT-0123456789abcdef-v1',
      bestandsnaam: 'KT-0123456789abcdef-v2.pdf',
      integriteit: { algoritme: 'sha_256', waarde: v2.pdfSha256, datum: '2026-03-02' },
    });
    expect(String(doc.body.beschrijving)).toContain('KT-0123456789abcdef-v2 (versie 2)');
    expect(Buffer.from(doc.content).equals(Buffer.from(v2.pdf))).toBe(true);
    expect(fake.links).toHaveLength(1);
    expect(keeper.held).toBeNull();
    // Done is done: delivering it again only reads.
    fake.requests.length = 0;
    expect(await dms.deliver(v2)).toEqual({ ok: true, reference: first.reference });
    expect(calls().some((c) => c.includes('/lock') || c.startsWith('PATCH'))).toBe(false);
    expect(await dms.lookup(v2.identificatie, v2.zaak, v2)).toEqual({ found: true, reference: first.reference });
  });

  it('[O5] a DMS that will not update a definitief document: the lock is released and the version is filed as its own document, once', async () => {
    const dms = createZgwDms({ config: config() });
    const first = await dms.deliver(delivery({ version: 1 }));
    if (!first.ok) throw new Error('first version not filed');
    fake.refuseUpdateOfDefinitief = true;
    const keeper = lockKeeper();
    const v2 = secondVersion(first.reference, { rememberLock: keeper.rememberLock });
    fake.requests.length = 0;
    const filed = await dms.deliver(v2);
    if (!filed.ok) throw new Error(`v2 not filed: ${filed.reason}`);
    expect(filed.reference).not.toBe(first.reference);
    expect(calls()).toEqual([
      'GET /zaken/api/v1/zaken 200',
      'GET /catalogi/api/v1/zaaktypen/{uuid} 200',
      'GET /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid} 200',
      'POST /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid}/lock 200',
      'PATCH /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid} 400',
      'POST /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid}/unlock 204',
      'GET /documenten/api/v1/enkelvoudiginformatieobjecten 200',
      'POST /documenten/api/v1/enkelvoudiginformatieobjecten 201',
      'GET /zaken/api/v1/zaakinformatieobjecten 200',
      'POST /zaken/api/v1/zaakinformatieobjecten 201',
    ]);
    // The archived version is untouched and unlocked; the new one is its own, linked to the zaak.
    expect(fake.documents).toHaveLength(2);
    expect(fake.documents[0]).toMatchObject({ versie: 1, lock: null });
    expect(fake.documents[1]!.body).toMatchObject({ identificatie: v2.identificatie, status: 'definitief' });
    expect(String(fake.documents[1]!.body.beschrijving)).toContain('volgt op KT-0123456789abcdef-v1');
    expect(fake.links).toHaveLength(2);
    expect(keeper.held).toBeNull();
    // O2: looked up and delivered again, it is found; never a third document.
    expect(await dms.lookup(v2.identificatie, v2.zaak, v2)).toEqual({ found: true, reference: filed.reference });
    expect(await dms.deliver(v2)).toEqual({ ok: true, reference: filed.reference });
    expect(fake.documents).toHaveLength(2);
  });

  it('[O5] [O2] after a PATCH whose answer was lost, the next attempt continues with the stored lock and unlocks; never a second object', async () => {
    let dropPatch = true;
    const dropping: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === 'PATCH' && dropPatch) {
        dropPatch = false;
        await response.body?.cancel();
        throw new TypeError('fetch failed (simulated: answer lost)');
      }
      return response;
    };
    const dms = createZgwDms({ config: config(), fetch: dropping });
    const first = await dms.deliver(delivery({ version: 1 }));
    if (!first.ok) throw new Error('first version not filed');
    const keeper = lockKeeper();
    const v2 = secondVersion(first.reference, { rememberLock: keeper.rememberLock });
    expect(await dms.deliver(v2)).toMatchObject({ ok: false, retryable: true });
    expect(fake.documents[0]).toMatchObject({ versie: 2 });
    expect(fake.documents[0]?.lock).not.toBeNull();
    expect(keeper.held).toBe(fake.documents[0]?.lock);
    expect(await dms.lookup(v2.identificatie, v2.zaak, v2)).toEqual({ found: false });

    fake.requests.length = 0;
    expect(await dms.deliver({ ...v2, heldLock: keeper.held! })).toEqual({ ok: true, reference: first.reference });
    // The bytes were already there: no second PATCH, just the unlock.
    expect(calls().filter((c) => c.startsWith('PATCH') || c.includes('/lock '))).toEqual([]);
    expect(fake.documents).toHaveLength(1);
    expect(fake.documents[0]).toMatchObject({ versie: 2, lock: null });
    expect(keeper.held).toBeNull();
  });

  it('[O5] an update without the right lock is a 400 in the fake; a colleague\'s lock makes the new version wait (retryable)', async () => {
    const dms = createZgwDms({ config: config() });
    const first = await dms.deliver(delivery({ version: 1 }));
    if (!first.ok) throw new Error('first version not filed');
    const { zgwToken } = await import('../../server/dms/zgw/jwt');
    const headers = { Authorization: `Bearer ${await zgwToken('keukentafel-test', SECRET, { id: 'x', representation: 'x' })}`, 'Content-Type': 'application/json' };
    const unlocked = await fetch(first.reference, { method: 'PATCH', headers, body: JSON.stringify({ lock: 'nope', titel: 'x' }) });
    expect(unlocked.status).toBe(400);
    fake.lockByOther(first.reference);
    const wrong = await fetch(first.reference, { method: 'PATCH', headers, body: JSON.stringify({ lock: 'nope', titel: 'x' }) });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(await wrong.json())).toContain('incorrect-lock-id');

    const result = await dms.deliver(secondVersion(first.reference));
    expect(result).toMatchObject({ ok: false, retryable: true, reason: expect.stringMatching(/^dms-locked: Het document is in het DMS vergrendeld door iemand anders/) as string });
    expect(fake.documents[0]).toMatchObject({ versie: 1 });
  });

  it('[O5] a stored lock the DMS no longer takes is refused, forgotten, and never leaves the object in our hands', async () => {
    const dms = createZgwDms({ config: config() });
    const first = await dms.deliver(delivery({ version: 1 }));
    if (!first.ok) throw new Error('first version not filed');
    fake.lockByOther(first.reference);
    const keeper = lockKeeper();
    keeper.held = 'stale-lock';
    const v2 = secondVersion(first.reference, { rememberLock: keeper.rememberLock, heldLock: 'stale-lock' });
    expect(await dms.deliver(v2)).toMatchObject({ ok: false, retryable: false, reason: expect.stringContaining('Incorrect lock ID') as string });
    expect(keeper.held).toBeNull();
    expect(fake.documents[0]).toMatchObject({ versie: 1 });
    expect(fake.documents[0]?.lock).toMatch(/^colleague-/);
    // Without the stale lock the next attempt waits for the colleague (retryable).
    expect(await dms.deliver(secondVersion(first.reference))).toMatchObject({ ok: false, retryable: true, reason: expect.stringMatching(/^dms-locked/) as string });
  });

  it('[O5] [O6] a new version above the threshold: lock, PATCH without inhoud, parts, unlock', async () => {
    const dms = createZgwDms({ config: config({ chunkThresholdBytes: 100_000 }) });
    const first = await dms.deliver(delivery({ version: 1 }));
    if (!first.ok) throw new Error('first version not filed');
    const big = bigDelivery(150_000);
    fake.requests.length = 0;
    expect(await dms.deliver(secondVersion(first.reference, { pdf: big.pdf, pdfSha256: big.pdfSha256 }))).toEqual({ ok: true, reference: first.reference });
    expect(calls().filter((c) => !c.includes('/zaken/') && !c.includes('/catalogi/'))).toEqual([
      'GET /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid} 200',
      'POST /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid}/lock 200',
      'PATCH /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid} 200',
      'PUT /documenten/api/v1/bestandsdelen/{uuid} 200',
      'PUT /documenten/api/v1/bestandsdelen/{uuid} 200',
      'PUT /documenten/api/v1/bestandsdelen/{uuid} 200',
      'POST /documenten/api/v1/enkelvoudiginformatieobjecten/{uuid}/unlock 204',
    ]);
    expect(Buffer.from(fake.documents[0]!.content).equals(Buffer.from(big.pdf))).toBe(true);
    expect(fake.documents[0]).toMatchObject({ versie: 2, lock: null });
  });
});
