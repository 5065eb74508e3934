// The ZGW adapter against a stateful fake DMS (tests/support/zgw-fake.ts), for what a static
// mock cannot show: one document per identificatie whatever happens (O2: a create that commits
// and then times out, a repeated delivery), linked to its zaak once; 5xx and 429 retryable, a 400
// permanent with a Dutch reason for the back office (O3); a JWT-ZGW the DMS can verify.
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZgwDms, type ZgwDelivery } from '../../server/dms/zgw/adapter';
import type { ZgwConfig } from '../../server/dms/zgw/config';
import { startFakeZgw, type FakeZgw } from '../support/zgw-fake';

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
  return {
    documentenUrl: fake.documentenUrl,
    zakenUrl: fake.zakenUrl,
    catalogiUrl: fake.catalogiUrl,
    clientId: 'keukentafel-test',
    secret: SECRET,
    rsin: RSIN,
    informatieobjecttype: `${fake.catalogiUrl}/informatieobjecttypen/7f5b0a3e-0000-4000-8000-000000000001`,
    timeoutMs: 2_000,
    ...overrides,
  };
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
    const dms = createZgwDms({ config: config({ timeoutMs: 300 }) });
    fake.commitThenDelayNextCreate(1_500);
    const d = delivery({ zaak: '' });
    const result = await dms.deliver(d);
    expect(result).toEqual({ ok: false, retryable: true, reason: 'dms-timeout' });
    expect(fake.documents).toHaveLength(1);
    expect(await dms.lookup(d.identificatie, d.zaak)).toEqual({ found: true, reference: fake.documents[0]!.url });
    // Even a deliver without a look-up first (the outbox only looks up after an unknown outcome) files nothing new.
    expect(await dms.deliver(d)).toEqual({ ok: true, reference: fake.documents[0]!.url });
    expect(fake.documents).toHaveLength(1);
  });

  it('[O2] after a timeout between filing and linking, lookup says "not there yet" and the next deliver links the same document', async () => {
    const dms = createZgwDms({ config: config({ timeoutMs: 300 }) });
    fake.commitThenDelayNextCreate(1_500);
    const d = delivery();
    expect(await dms.deliver(d)).toMatchObject({ ok: false, retryable: true });
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
    expect(results[0]).toEqual({ ok: false, retryable: true, reason: 'dms-server-error: 503' });
    expect(results.at(-1)).toMatchObject({ ok: true });
    expect(fake.documents).toHaveLength(1);
    expect(fake.links).toHaveLength(1);
  });

  it('[O3] 429 is retryable', async () => {
    const dms = createZgwDms({ config: config() });
    fake.failNext(1, 429);
    expect(await dms.deliver(delivery())).toEqual({ ok: false, retryable: true, reason: 'dms-rate-limited: 429' });
  });

  it('[O3] a 400 with invalidParams is a permanent failure with a Dutch reason naming the fields', async () => {
    const dms = createZgwDms({ config: config() });
    fake.refuseNextCreate([
      { name: 'informatieobjecttype', code: 'bad-url', reason: 'De URL is ongeldig.' },
      { name: 'vertrouwelijkheidaanduiding', code: 'invalid_choice', reason: '"geheimpje" is een ongeldige keuze.' },
    ]);
    const result = await dms.deliver(delivery());
    expect(result).toEqual({
      ok: false,
      retryable: false,
      reason: 'dms-refused: 400 Het DMS weigert het document: informatieobjecttype: De URL is ongeldig.; vertrouwelijkheidaanduiding: "geheimpje" is een ongeldige keuze.',
    });
    expect(fake.documents).toHaveLength(0);
  });

  it('[O3] a zaak the DMS does not know is permanent, and no document is filed without its case', async () => {
    const dms = createZgwDms({ config: config() });
    const result = await dms.deliver(delivery({ zaak: 'ZAAK-2026-9999' }));
    expect(result).toMatchObject({ ok: false, retryable: false, reason: expect.stringContaining('De zaak ZAAK-2026-9999 bestaat niet in het DMS') as string });
    expect(fake.documents).toHaveLength(0);
  });

  it('[O3] an unreachable DMS is retryable, for deliver and lookup alike', async () => {
    const port = await freePort();
    const dms = createZgwDms({ config: config({ documentenUrl: `http://127.0.0.1:${port}/documenten/api/v1`, zakenUrl: `http://127.0.0.1:${port}/zaken/api/v1` }) });
    expect(await dms.deliver(delivery())).toEqual({ ok: false, retryable: true, reason: 'dms-unreachable: ECONNREFUSED' });
    expect(await dms.lookup('KT-0123456789abcdef-v1', ZAAK)).toEqual({ ok: false, reason: 'dms-unreachable: ECONNREFUSED' });
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
    expect(result).toMatchObject({ ok: false, retryable: false, reason: expect.stringContaining('controleer ZGW_CLIENT_ID, ZGW_SECRET') as string });
    expect(fake.requests.every((r) => r.claims === null && r.status === 403)).toBe(true);
    expect(fake.documents).toHaveLength(0);
  });
});
