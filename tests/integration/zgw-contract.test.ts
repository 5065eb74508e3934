// Contract tests of the ZGW adapter: its real requests go to Prism (mock mode, --errors) started
// from Open Zaak's documenten.yaml and zaken.yaml, which validates each request against the spec
// (headers, query, body: required fields, lengths, enums, formats). Every request must pass: no
// `sl-violations` header, no 400/422 from Prism. A deliberately broken create (no `taal`) must be
// caught, so the check is shown to be able to fail.
//
// Prism answers with static examples, so to walk the adapter through every request the test's
// fetch steers two list answers *after* Prism validated the request: the zaak search answers the
// zaak asked for, and the link list is empty (so the link is created). Requests are untouched.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createZgwDms, documentBody, type ZgwDelivery } from '../../server/dms/zgw/adapter';
import type { ZgwConfig } from '../../server/dms/zgw/config';
import { zgwToken } from '../../server/dms/zgw/jwt';
import { prepareOpenZaakSpecs, startPrism, type LocalSpecs, type RunningPrism } from '../support/zgw-prism';

const ZAAK = 'ZAAK-2026-0042';

interface Seen {
  method: string;
  path: string;
  status: number;
  violations: string | null;
}

let specs: LocalSpecs | undefined;
let documenten: RunningPrism | undefined;
let zaken: RunningPrism | undefined;
const seen: Seen[] = [];

beforeAll(async () => {
  specs = prepareOpenZaakSpecs();
  // Both at once; each start is bounded by startPrism's timeout (below the hook timeout).
  const [d, z] = await Promise.allSettled([startPrism(specs.documenten, 50_000), startPrism(specs.zaken, 50_000)]);
  if (d.status === 'fulfilled') documenten = d.value;
  if (z.status === 'fulfilled') zaken = z.value;
  if (d.status === 'rejected') throw d.reason;
  if (z.status === 'rejected') throw z.reason;
}, 60_000);

afterAll(async () => {
  await Promise.all([documenten?.stop(), zaken?.stop()]);
  specs?.dispose();
});

/** Records what Prism said about each request, and steers the two list answers (see above). */
const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const url = new URL(input instanceof Request ? input.url : input.toString());
  const text = await response.text();
  seen.push({ method: init?.method ?? 'GET', path: `${url.pathname}${url.search}`, status: response.status, violations: response.headers.get('sl-violations') });
  let body = text;
  const method = init?.method ?? 'GET';
  if (method === 'GET' && response.ok && url.pathname === '/zaken') {
    const page = JSON.parse(text) as { results: { identificatie: string }[] };
    for (const r of page.results) r.identificatie = url.searchParams.get('identificatie') ?? r.identificatie;
    body = JSON.stringify(page);
  }
  if (method === 'GET' && response.ok && url.pathname === '/zaakinformatieobjecten') body = '[]';
  return new Response(body, { status: response.status, headers: response.headers });
};

function config(): ZgwConfig {
  return {
    documentenUrl: documenten!.url,
    zakenUrl: zaken!.url,
    catalogiUrl: 'https://openzaak.example.nl/catalogi/api/v1',
    clientId: 'keukentafel',
    secret: 'contract-test-secret',
    rsin: '002220647',
    informatieobjecttype: 'https://openzaak.example.nl/catalogi/api/v1/informatieobjecttypen/7f5b0a3e-0000-4000-8000-000000000001',
    timeoutMs: 10_000,
  };
}

function delivery(overrides: Partial<ZgwDelivery> = {}): ZgwDelivery {
  const pdf = new TextEncoder().encode('%PDF-1.7\n% contract test\n');
  return {
    identificatie: 'KT-0123456789abcdef-v12',
    zaak: ZAAK,
    pdf,
    pdfSha256: createHash('sha256').update(pdf).digest('hex'),
    metadata: {
      title: 'Besluit op uw aanvraag maatwerkvoorziening',
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

const problems = (list: Seen[]): Seen[] => list.filter((s) => s.violations !== null || s.status === 400 || s.status === 422 || s.status === 401);

describe('ZGW adapter against Prism with Open Zaak documenten.yaml and zaken.yaml', () => {
  it('[O1] deliver makes only requests the specs accept: find zaak, look up, create document, list and create link', async () => {
    seen.length = 0;
    const dms = createZgwDms({ config: config(), fetch: recordingFetch });
    const result = await dms.deliver(delivery());
    expect(problems(seen), JSON.stringify(seen, null, 2)).toEqual([]);
    expect(seen.map((s) => `${s.method} ${s.path.split('?')[0]}`)).toEqual([
      'GET /zaken',
      'GET /enkelvoudiginformatieobjecten',
      'POST /enkelvoudiginformatieobjecten',
      'GET /zaakinformatieobjecten',
      'POST /zaakinformatieobjecten',
    ]);
    expect(result).toEqual({ ok: true, reference: 'http://example.com' });
  });

  it('[O2] lookup makes only requests the specs accept', async () => {
    seen.length = 0;
    const dms = createZgwDms({ config: config(), fetch: recordingFetch });
    // Prism's example document is called "string"; anything else is "not there".
    expect(await dms.lookup('KT-0123456789abcdef-v12', ZAAK)).toEqual({ found: false });
    expect(await dms.lookup('string', ZAAK)).toEqual({ found: false }); // found, but (steered) not linked yet
    expect(await dms.lookup('string', '')).toEqual({ found: true, reference: 'http://example.com' });
    expect(problems(seen), JSON.stringify(seen, null, 2)).toEqual([]);
    expect(seen.length).toBe(5);
  });

  it('the check can fail: a create without `taal` is caught by Prism, and the adapter reports it as permanent', async () => {
    seen.length = 0;
    const dms = createZgwDms({ config: config(), fetch: recordingFetch });
    const broken = delivery();
    const { taal: _taal, ...withoutTaal } = broken.metadata;
    const result = await dms.deliver({ ...broken, metadata: withoutTaal as ZgwDelivery['metadata'] });
    const create = seen.find((s) => s.method === 'POST' && s.path === '/enkelvoudiginformatieobjecten');
    expect(create?.status).toBeGreaterThanOrEqual(400);
    expect(create?.violations).toContain("required property 'taal'");
    expect(result).toMatchObject({ ok: false, retryable: false, reason: expect.stringMatching(/^dms-refused: 4\d\d Het DMS weigert het document/) as string });
  });

  it('the check can fail: a raw create with a too long identificatie and a bad vertrouwelijkheidaanduiding is caught', async () => {
    const body = documentBody(delivery({ identificatie: 'X'.repeat(41) }), config());
    body.vertrouwelijkheidaanduiding = 'heel-geheim';
    const response = await fetch(`${documenten!.url}/enkelvoudiginformatieobjecten`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await zgwToken('keukentafel', 'x', { id: 'u', representation: 'u' })}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.body?.cancel();
    const violations = response.headers.get('sl-violations') ?? '';
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(violations).toContain('identificatie');
    expect(violations).toContain('vertrouwelijkheidaanduiding');
  });
});
