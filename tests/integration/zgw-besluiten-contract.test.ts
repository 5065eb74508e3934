// Contract test of the Besluiten API calls (Z24, Z26, Z28): the real requests of `ensure` go to
// Prism (mock mode, --errors) started from Open Zaak's besluiten.yaml (tests/fixtures/zgw), which
// validates each request against the spec. Every request must pass: no `sl-violations` header, no
// 400/422. A create without `datum` must be caught, so the check is shown to be able to fail.
// The besluittype's read before anything is created (Z27) and the Catalogi check at start (Z22)
// go to a second Prism on Open Zaak's catalogi.yaml.
//
// Prism answers with static examples, so the test's fetch steers the two list answers *after*
// Prism validated the request: no besluitinformatieobjecten yet, and the besluiten search answers
// nothing (create) or a besluit with other dates (update). Requests are untouched.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { besluitBody, createBesluiten, type BesluitInput } from '../../server/dms/zgw/besluiten';
import type { ZgwConfig } from '../../server/dms/zgw/config';
import { createZgwHttp } from '../../server/dms/zgw/http';
import { checkTemplateTypes } from '../../server/dms/zgw/template-check';
import { briefTemplate } from '../../shared/templates/builtin/brief';
import { Template } from '../../shared/templates/schema';
import { zgwToken } from '../../server/dms/zgw/jwt';
import { startPrism, ZGW_SPECS, type RunningPrism } from '../support/zgw-prism';

let prism: RunningPrism | undefined;
let catalogi: RunningPrism | undefined;
const seen: { method: string; path: string; status: number; violations: string | null }[] = [];
let existing: Record<string, unknown> | null = null;

beforeAll(async () => {
  // Both at once; each start is bounded by startPrism's timeout (below the hook timeout).
  const [b, c] = await Promise.allSettled([startPrism(`${ZGW_SPECS}/open-zaak/besluiten.yaml`, 100_000), startPrism(join(ZGW_SPECS, 'open-zaak', 'catalogi.yaml'), 100_000)]);
  if (b.status === 'fulfilled') prism = b.value;
  if (c.status === 'fulfilled') catalogi = c.value;
  if (b.status === 'rejected') throw b.reason;
  if (c.status === 'rejected') throw c.reason;
}, 120_000);
afterAll(async () => {
  await Promise.all([prism?.stop(), catalogi?.stop()]);
});

const BESLUIT_UUID = '3c4d5e6f-0000-4000-8000-0000000000b1';
const ZAAKTYPE = 'https://openzaak.example.nl/catalogi/api/v1/zaaktypen/4b5c6d7e-0000-4000-8000-000000000001';
const IOT = 'https://openzaak.example.nl/catalogi/api/v1/informatieobjecttypen/7f5b0a3e-0000-4000-8000-000000000001';

function onlyResponseViolations(violations: string): boolean {
  const list = JSON.parse(violations) as { location?: string[] }[];
  return list.length > 0 && list.every((v) => v.location?.[0] === 'response');
}

const recordingFetch: typeof fetch = async (input, init) => {
  const method = init?.method ?? 'GET';
  const url = new URL(input instanceof Request ? input.url : input.toString());
  const response = await fetch(input, init);
  const text = await response.text();
  const violations = response.headers.get('sl-violations');
  if (method === 'GET' && /^\/(besluittypen|informatieobjecttypen)\//.test(url.pathname) && (violations === null || onlyResponseViolations(violations))) {
    // Prism's own examples need not pass catalogi.yaml (its problem, not our request's, which
    // passed): answer a published type that allows what the test asks, as the DMS would.
    seen.push({ method, path: url.pathname, status: 200, violations: null });
    return new Response(JSON.stringify({ url: url.toString(), concept: false, eindeGeldigheid: null, zaaktypen: [ZAAKTYPE], informatieobjecttypen: [IOT], omschrijving: 'Toekenning' }), {
      status: 200,
      headers: { 'Content-Type': 'application/json' },
    });
  }
  seen.push({ method, path: `${url.pathname}${url.search}`, status: response.status, violations: response.headers.get('sl-violations') });
  let body = text;
  if (response.ok && method === 'GET' && url.pathname === '/besluitinformatieobjecten') body = '[]';
  if (response.ok && method === 'GET' && url.pathname === '/besluiten') {
    body = JSON.stringify({ count: existing === null ? 0 : 1, next: null, previous: null, results: existing === null ? [] : [existing] });
  }
  if (response.ok && (method === 'POST' || method === 'PATCH') && url.pathname.startsWith('/besluiten')) {
    // The example lives at http://example.com; point it at Prism so the link names a Prism URL.
    body = JSON.stringify({ ...(JSON.parse(text) as Record<string, unknown>), url: `${prism!.url}/besluiten/${BESLUIT_UUID}` });
  }
  return new Response(response.status === 204 ? null : body, { status: response.status, headers: response.headers });
};

function config(): ZgwConfig {
  return {
    documentenUrl: 'https://openzaak.example.nl/documenten/api/v1',
    zakenUrl: 'https://openzaak.example.nl/zaken/api/v1',
    catalogiUrl: 'https://openzaak.example.nl/catalogi/api/v1',
    clientId: 'keukentafel',
    secret: 'contract-test-secret',
    rsin: '002220647',
    informatieobjecttype: 'https://openzaak.example.nl/catalogi/api/v1/informatieobjecttypen/7f5b0a3e-0000-4000-8000-000000000001',
    timeoutMs: 10_000,
    chunkThresholdBytes: 5 * 1024 * 1024,
    besluitenUrl: prism!.url,
  };
}

const input: BesluitInput = {
  identificatie: 'KT-2026-0000042',
  besluittype: 'https://openzaak.example.nl/catalogi/api/v1/besluittypen/5a6b7c8d-0000-4000-8000-000000000001',
  zaakUrl: 'https://openzaak.example.nl/zaken/api/v1/zaken/6b7c8d9e-0000-4000-8000-000000000001',
  informatieobject: 'https://openzaak.example.nl/documenten/api/v1/enkelvoudiginformatieobjecten/0f6a3b1e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
  datum: '2026-03-02',
  ingangsdatum: '2026-04-01',
  verzenddatum: '2026-03-03',
  uiterlijkeReactiedatum: '2026-04-14',
};
const user = { id: 'u-vera', representation: 'Vera Veldwerker' };
const problems = (): typeof seen => seen.filter((s) => s.violations !== null || s.status === 400 || s.status === 422 || s.status === 401);
const steps = (): string[] => seen.map((s) => `${s.method} ${s.path.split('?')[0]}`);

describe('Besluiten API calls against Prism with Open Zaak besluiten.yaml', () => {
  it('[Z30] [Z24] [Z26] a first registration makes only requests the spec accepts: look up by link and by identificatie, create, link', async () => {
    seen.length = 0;
    existing = null;
    const api = createBesluiten(createZgwHttp({ config: config(), fetch: recordingFetch }), { besluitenUrl: prism!.url, rsin: '002220647' });
    const result = await api.ensure(input, user);
    expect(problems(), JSON.stringify(seen, null, 2)).toEqual([]);
    expect(steps()).toEqual(['GET /besluitinformatieobjecten', 'GET /besluiten', 'POST /besluiten', 'POST /besluitinformatieobjecten']);
    expect(result).toEqual({ ok: true, besluit: `${prism!.url}/besluiten/${BESLUIT_UUID}` });
  });

  it('[Z30] [Z28] an update of a registered besluit (a new version) makes only requests the spec accepts: PATCH of the changed dates, then link', async () => {
    seen.length = 0;
    existing = { ...besluitBody(input, '002220647'), url: `${prism!.url}/besluiten/${BESLUIT_UUID}`, datum: '2026-02-20', vervalredenWeergave: '' };
    const api = createBesluiten(createZgwHttp({ config: config(), fetch: recordingFetch }), { besluitenUrl: prism!.url, rsin: '002220647' });
    expect(await api.ensure(input, user)).toMatchObject({ ok: true });
    expect(problems(), JSON.stringify(seen, null, 2)).toEqual([]);
    expect(steps()).toEqual(['GET /besluitinformatieobjecten', 'GET /besluiten', `PATCH /besluiten/${BESLUIT_UUID}`, 'POST /besluitinformatieobjecten']);
  });

  it('[Z30] [Z27] [Z22] the besluittype read before anything is created, and the check at start, make only requests catalogi.yaml accepts', async () => {
    seen.length = 0;
    const besluittype = `${catalogi!.url}/besluittypen/5a6b7c8d-0000-4000-8000-000000000001`;
    const informatieobjecttype = `${catalogi!.url}/informatieobjecttypen/7f5b0a3e-0000-4000-8000-000000000001`;
    const http = createZgwHttp({ config: { ...config(), catalogiUrl: catalogi!.url, informatieobjecttype }, fetch: recordingFetch });
    const api = createBesluiten(http, { besluitenUrl: prism!.url, rsin: '002220647' });
    expect(await api.preflight({ besluittype, zaak: 'ZAAK-1', zaaktype: ZAAKTYPE, informatieobjecttype: IOT, today: '2026-03-02' }, user)).toEqual({ ok: true });
    const decision = Template.parse({ ...briefTemplate, id: 'besluit-x', kind: 'besluit', dms: { ...briefTemplate.dms, zgw: { besluittype } } });
    const checked = await checkTemplateTypes(http, [decision], '2026-03-02');
    expect(checked.refused.size).toBe(0);
    expect(problems(), JSON.stringify(seen, null, 2)).toEqual([]);
    const bt = 'GET /besluittypen/5a6b7c8d-0000-4000-8000-000000000001';
    expect(steps().sort()).toEqual([bt, bt, 'GET /informatieobjecttypen/7f5b0a3e-0000-4000-8000-000000000001']);
  });

  it('the check can fail: a besluit without `datum` is caught by Prism', async () => {
    const { datum: _d, ...withoutDatum } = besluitBody(input, '002220647');
    const response = await fetch(`${prism!.url}/besluiten`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${await zgwToken('keukentafel', 'x', user)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(withoutDatum),
    });
    await response.body?.cancel();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers.get('sl-violations') ?? '').toContain("required property 'datum'");
  });
});
