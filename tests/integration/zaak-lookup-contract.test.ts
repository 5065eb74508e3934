// X6: every request the zaak look-up makes (exact identificatie, part of one, omschrijving, and the
// submit's check) passes Prism started from Open Zaak's zaken.yaml (tests/fixtures/zgw): query
// parameters, headers (Accept-Crs, Content-Crs) and the `_zoek` body. A `_zoek` without its
// Content-Crs is shown to be caught, so the check can fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZgwConfig } from '../../server/dms/zgw/config';
import { zgwToken } from '../../server/dms/zgw/jwt';
import { createZgwZaakLookup } from '../../server/zaken/zaak-lookup';
import { prepareOpenZaakSpecs, startPrism, type LocalSpecs, type RunningPrism } from '../support/zgw-prism';

let specs: LocalSpecs | undefined;
let zaken: RunningPrism | undefined;
const seen: { method: string; path: string; status: number; violations: string | null }[] = [];

beforeAll(async () => {
  specs = prepareOpenZaakSpecs();
  zaken = await startPrism(specs.zaken, 50_000);
}, 60_000);

afterAll(async () => {
  await zaken?.stop();
  specs?.dispose();
});

function config(): ZgwConfig {
  return {
    documentenUrl: 'http://127.0.0.1:9/documenten/api/v1',
    zakenUrl: zaken!.url,
    catalogiUrl: 'http://127.0.0.1:9/catalogi/api/v1',
    clientId: 'keukentafel',
    secret: 'contract-test-secret',
    rsin: '002220647',
    informatieobjecttype: 'http://127.0.0.1:9/catalogi/api/v1/informatieobjecttypen/1',
    timeoutMs: 10_000,
    chunkThresholdBytes: 5 * 1024 * 1024,
  };
}

const recordingFetch: typeof fetch = async (input, init) => {
  const url = new URL(input instanceof Request ? input.url : input.toString());
  const response = await fetch(input, init);
  seen.push({ method: init?.method ?? 'GET', path: `${url.pathname}${url.search}`, status: response.status, violations: response.headers.get('sl-violations') });
  return response;
};

/** Requests Prism found fault with (a violation in the request, or its 4xx for one). */
function problems(): typeof seen {
  return seen.filter((s) => {
    const requestViolations = s.violations === null ? [] : (JSON.parse(s.violations) as { location?: string[] }[]).filter((v) => v.location?.[0] === 'request');
    return requestViolations.length > 0 || (s.status >= 400 && s.status < 500);
  });
}

describe('zaak look-up against Open Zaak zaken.yaml (Prism)', () => {
  it('[X6] the searches and the submit check send only requests the spec allows', async () => {
    const lookup = createZgwZaakLookup({ config: config(), timeoutMs: 10_000, fetch: recordingFetch });
    const asker = { id: 'u-1', name: 'Vera Veldwerker' };
    await lookup.search('ZAAK-2026-0042', asker);
    await lookup.search('schuur Molenweg', asker);
    await lookup.check('ZAAK-2026-0042', asker);
    const paths = seen.map((s) => `${s.method} ${s.path.split('?')[0]}`);
    expect(paths).toContain('GET /zaken');
    expect(paths).toContain('POST /zaken/_zoek');
    expect(problems(), JSON.stringify(seen, null, 2)).toEqual([]);
  }, 30_000);

  it('[X6] a _zoek without Content-Crs is caught, so the check can fail', async () => {
    const token = await zgwToken('keukentafel', 'contract-test-secret', { id: 'u-1', representation: 'Vera' });
    const response = await fetch(`${zaken!.url}/zaken/_zoek`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-crs': 'EPSG:4326' },
      body: JSON.stringify({ omschrijving: 'schuur' }),
    });
    const violations = response.headers.get('sl-violations');
    expect(response.status === 422 || response.status === 400 || (violations ?? '').includes('content-crs')).toBe(true);
  });
});
