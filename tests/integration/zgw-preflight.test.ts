// ZGW completeness (Z): the adapter against the stateful fake with Open Zaak's rules beyond the
// schema (tests/support/zgw-fake.ts). Each refusal — closed zaak, type not in the zaaktype, no
// permission — ends with the Dutch reason for the back office, no document left without its zaak
// (no orphan) and never a second one (no duplicate), also when delivered again. An orphan from an
// earlier crash (created, never linked) is reused when the delivery can go on, removed when it is
// refused for good. And every built-in template, delivered to the fake, lets the zaak be closed
// there (Open Zaak needs indicatieGebruiksrecht on every document).
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZgwDms, type ZgwDelivery } from '../../server/dms/zgw/adapter';
import type { ZgwConfig } from '../../server/dms/zgw/config';
import { SYSTEM_USER, zgwToken } from '../../server/dms/zgw/jwt';
import { archiveMetadata } from '../../server/submit/render-decision';
import { builtinTemplates } from '../../shared/templates/builtin';
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

function config(overrides: Partial<ZgwConfig> = {}): ZgwConfig {
  return fakeZgwConfig(fake, SECRET, RSIN, overrides);
}

function delivery(overrides: Partial<ZgwDelivery> = {}): ZgwDelivery {
  const pdf = new TextEncoder().encode('%PDF-1.7 preflight');
  return {
    identificatie: 'KT-2026-0000042',
    zaak: ZAAK,
    pdf,
    pdfSha256: createHash('sha256').update(pdf).digest('hex'),
    dagtekening: '2026-03-02',
    metadata: {
      title: 'Besluit op uw aanvraag',
      author: 'Vera Veldwerker',
      creatiedatum: '2026-03-02',
      taal: 'nld',
      documenttype: 'Beschikking',
      vertrouwelijkheidaanduiding: 'zaakvertrouwelijk',
    },
    submittedBy: { id: 'u-vera', representation: 'Vera Veldwerker' },
    ...overrides,
  };
}

const creates = (): number => fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/enkelvoudiginformatieobjecten')).length;

/** A fetch that lets everything through but fails the link as a crash would: the document stays without its zaak. */
const crashAtLink: typeof fetch = (input, init) => {
  const url = input instanceof Request ? input.url : input.toString();
  if ((init?.method ?? 'GET') === 'POST' && url.endsWith('/zaakinformatieobjecten')) return Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } }));
  return fetch(input, init);
};

describe('ZGW preflight: refused before anything is created', () => {
  it('[Z6] a closed zaak is refused before anything is created, in Dutch with what to do; again: no orphan, no duplicate', async () => {
    fake.closeZaak(ZAAK, '2026-11-30');
    const dms = createZgwDms({ config: config() });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const result = await dms.deliver(delivery());
      expect(result).toMatchObject({ ok: false, retryable: false, failure: { code: 'dms-zaak-closed', zaak: ZAAK, einddatum: '2026-11-30' } });
      expect(!result.ok && result.reason).toMatch(/^dms-zaak-closed: Zaak ZAAK-2026-0042 is afgesloten: heropen de zaak of kies een andere/);
    }
    expect(creates()).toBe(0);
    expect(fake.documents).toHaveLength(0);
    expect(fake.links).toHaveLength(0);
  });

  it('[Z7] a type the zaaktype does not allow is refused before anything is created, naming type and zaaktype; again: no orphan, no duplicate', async () => {
    const own = `${fake.catalogiUrl}/informatieobjecttypen/00000000-0000-4000-8000-0000000000aa`;
    const dms = createZgwDms({ config: config() });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const result = await dms.deliver(delivery({ metadata: { ...delivery().metadata, documenttype: own } }));
      expect(result).toMatchObject({ ok: false, retryable: false, failure: { code: 'dms-type-not-allowed', zaak: ZAAK, informatieobjecttype: own, zaaktype: fake.defaultZaaktype } });
      expect(!result.ok && result.reason).toContain('hoort niet bij het zaaktype van zaak ZAAK-2026-0042');
    }
    expect(creates()).toBe(0);
    expect(fake.documents).toHaveLength(0);
    // Once the Catalogi links the type to the zaaktype, the same delivery goes through, once.
    fake.allowType(own);
    expect(await dms.deliver(delivery({ metadata: { ...delivery().metadata, documenttype: own } }))).toMatchObject({ ok: true });
    expect(fake.documents).toHaveLength(1);
    expect(fake.links).toHaveLength(1);
  });

  it('[Z8] [Z17] a zaak the client may not write to (403 at the link) is refused as such, and the document just created is removed; again: no orphan, no duplicate', async () => {
    fake.forbidZaak(ZAAK);
    const dms = createZgwDms({ config: config() });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const result = await dms.deliver(delivery());
      expect(result).toMatchObject({ ok: false, retryable: false, failure: { code: 'dms-zaak-forbidden', zaak: ZAAK, status: 403 } });
      expect(!result.ok && result.reason).toMatch(/^dms-zaak-forbidden: Keukentafel mag niet schrijven in zaak ZAAK-2026-0042 .*zaken\.bijwerken.*\n\nAntwoord van het DMS: .*permission_denied/s);
      expect(fake.documents).toHaveLength(0);
    }
    expect(fake.deleted).toHaveLength(2);
    expect(fake.links).toHaveLength(0);
  });

  it('[Z16] a zaak closed between the preflight and the link: refused as closed, the new document removed', async () => {
    // The DMS closes the zaak the moment our document is created.
    const closing: typeof fetch = async (input, init) => {
      const answer = await fetch(input, init);
      const url = input instanceof Request ? input.url : input.toString();
      if ((init?.method ?? 'GET') === 'POST' && url.endsWith('/enkelvoudiginformatieobjecten')) fake.closeZaak(ZAAK, '2026-12-01');
      return answer;
    };
    const result = await createZgwDms({ config: config(), fetch: closing }).deliver(delivery());
    expect(result).toMatchObject({ ok: false, retryable: false, failure: { code: 'dms-zaak-closed', zaak: ZAAK } });
    expect(fake.documents).toHaveLength(0);
    expect(fake.deleted).toHaveLength(1);
  });
});

describe('ZGW preflight and O2', () => {
  it('[Z6] [O2] a delivery already archived in the zaak before it was closed is not refused when delivered again: same document, nothing new', async () => {
    const dms = createZgwDms({ config: config() });
    const first = await dms.deliver(delivery());
    if (!first.ok) throw new Error(first.reason);
    fake.closeZaak(ZAAK);
    expect(await dms.deliver(delivery())).toEqual({ ok: true, reference: first.reference });
    expect(creates()).toBe(1);
    expect(fake.documents).toHaveLength(1);
    expect(fake.deleted).toHaveLength(0);
  });
});

describe('ZGW orphans from an earlier crash', () => {
  it('[Z10] a document created before a crash at the link is found by the look-up and reused: one document, one link', async () => {
    const crashed = await createZgwDms({ config: config(), fetch: crashAtLink }).deliver(delivery());
    expect(crashed).toMatchObject({ ok: false, retryable: true, failure: { code: 'dms-unreachable' } });
    expect(fake.documents).toHaveLength(1);
    const dms = createZgwDms({ config: config() });
    expect(await dms.lookup('KT-2026-0000042', ZAAK, delivery())).toEqual({ found: false });
    const retried = await dms.deliver(delivery());
    expect(retried).toEqual({ ok: true, reference: fake.documents[0]?.url });
    expect(fake.documents).toHaveLength(1);
    expect(fake.links).toHaveLength(1);
    expect(creates()).toBe(1);
  });

  it('[Z10] a document created before a crash, whose zaak is closed by the retry, is removed: no orphan', async () => {
    await createZgwDms({ config: config(), fetch: crashAtLink }).deliver(delivery());
    expect(fake.documents).toHaveLength(1);
    fake.closeZaak(ZAAK);
    const result = await createZgwDms({ config: config() }).deliver(delivery());
    expect(result).toMatchObject({ ok: false, retryable: false, failure: { code: 'dms-zaak-closed' } });
    expect(fake.documents).toHaveLength(0);
    expect(fake.deleted).toHaveLength(1);
  });

  it('[Z10] a removal the DMS refuses is said in the details, and the next attempt reuses that document: never a second one', async () => {
    fake.forbidZaak(ZAAK);
    fake.refuseDeletes = true;
    const dms = createZgwDms({ config: config() });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const result = await dms.deliver(delivery());
      expect(result).toMatchObject({ ok: false, retryable: false, failure: { code: 'dms-zaak-forbidden' } });
      expect(!result.ok && result.failure?.details).toContain('staat zonder zaak in het DMS');
    }
    expect(creates()).toBe(1);
    expect(fake.documents).toHaveLength(1);
  });

  it('[Z10] someone else\'s document under our identificatie is never removed (J9)', async () => {
    await createZgwDms({ config: config(), fetch: crashAtLink }).deliver(delivery());
    fake.closeZaak(ZAAK);
    const other = new TextEncoder().encode('%PDF-1.7 iets anders');
    const result = await createZgwDms({ config: config() }).deliver(delivery({ pdf: other, pdfSha256: createHash('sha256').update(other).digest('hex') }));
    expect(result).toMatchObject({ ok: false, failure: { code: 'dms-zaak-closed' } });
    expect(fake.documents).toHaveLength(1);
    expect(fake.deleted).toHaveLength(0);
  });
});

/** Closes the zaak in the fake as a case worker would: its eindstatus, through the Zaken API. */
async function closeInDms(zaakUrl: string): Promise<Response> {
  const token = await zgwToken('keukentafel-test', SECRET, SYSTEM_USER);
  return fetch(`${fake.zakenUrl}/statussen`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ zaak: zaakUrl, statustype: fake.eindStatustype(), datumStatusGezet: '2026-12-03T10:00:00Z' }),
  });
}

describe('the fake enforces Open Zaak\'s rules beyond the schema', () => {
  it('[Z15] a link whose document type is not one of the zaaktype\'s is refused (400), as Open Zaak does', async () => {
    const own = `${fake.catalogiUrl}/informatieobjecttypen/00000000-0000-4000-8000-0000000000bb`;
    // Filed without a zaak (no preflight), then linked by hand.
    const filed = await createZgwDms({ config: config() }).deliver(delivery({ zaak: '', metadata: { ...delivery().metadata, documenttype: own } }));
    if (!filed.ok) throw new Error(filed.reason);
    const token = await zgwToken('keukentafel-test', SECRET, SYSTEM_USER);
    const answer = await fetch(`${fake.zakenUrl}/zaakinformatieobjecten`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ zaak: fake.zaak(ZAAK)!.url, informatieobject: filed.reference }),
    });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('missing-zaaktype-informatieobjecttype-relation');
    expect(fake.links).toHaveLength(0);
  });
});

describe('ZGW records complete enough to close the zaak', () => {
  it('[Z14] every built-in template delivered to the fake, then the zaak closes there', async () => {
    const dms = createZgwDms({ config: config() });
    const at = Date.UTC(2026, 2, 2, 9);
    const seen = new Set<string>();
    let n = 0;
    for (const template of builtinTemplates) {
      const key = `${template.id}@${template.version}`;
      if (seen.has(key)) continue;
      seen.add(key);
      n += 1;
      const pdf = new TextEncoder().encode(`%PDF-1.7 ${key}`);
      const result = await dms.deliver(
        delivery({
          identificatie: `KT-2026-${String(n).padStart(7, '0')}`,
          pdf,
          pdfSha256: createHash('sha256').update(pdf).digest('hex'),
          metadata: archiveMetadata(template, template.title, 'Vera Veldwerker', at),
        }),
      );
      expect(result, key).toMatchObject({ ok: true });
    }
    expect(fake.documents).toHaveLength(n);
    expect(fake.links).toHaveLength(n);
    expect(fake.documents.every((d) => d.body.indicatieGebruiksrecht === false)).toBe(true);
    const closed = await closeInDms(fake.zaak(ZAAK)!.url);
    expect(closed.status, await closed.clone().text()).toBe(201);
    expect(fake.zaak(ZAAK)?.einddatum).toBe('2026-12-03');
  });

  it('[Z18] the fake refuses to close a zaak while a document has no indicatieGebruiksrecht (as Open Zaak does)', async () => {
    expect(await createZgwDms({ config: config() }).deliver(delivery())).toMatchObject({ ok: true });
    // As a document filed before Z11 would be.
    delete fake.documents[0]!.body.indicatieGebruiksrecht;
    const refused = await closeInDms(fake.zaak(ZAAK)!.url);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('indicatiegebruiksrecht-unset');
    expect(fake.zaak(ZAAK)?.einddatum).toBeNull();
  });

  it('[Z11] a new version (O5) carries indicatieGebruiksrecht too, so an older document gets it', async () => {
    const dms = createZgwDms({ config: config() });
    const first = await dms.deliver(delivery());
    expect(first.ok).toBe(true);
    delete fake.documents[0]!.body.indicatieGebruiksrecht;
    const pdf = new TextEncoder().encode('%PDF-1.7 versie 2');
    const reference = first.ok ? first.reference : '';
    const second = await dms.deliver(
      delivery({ identificatie: 'KT-2026-0000043', version: 2, pdf, pdfSha256: createHash('sha256').update(pdf).digest('hex'), previous: { identificatie: 'KT-2026-0000042', version: 1, reference } }),
    );
    expect(second).toEqual({ ok: true, reference });
    expect(fake.documents[0]?.body.indicatieGebruiksrecht).toBe(false);
    expect((await closeInDms(fake.zaak(ZAAK)!.url)).status).toBe(201);
  });
});
