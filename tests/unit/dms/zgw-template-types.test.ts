// A template's `dms.zgw` block (Z20, Z21), what a version keeps of it (Z25) and the settings of
// the Besluiten API (Z29): pure functions, no I/O.
import { describe, expect, it } from 'vitest';
import { documentBody, informatieobjecttypeFor } from '../../../server/dms/zgw/adapter';
import { besluitBody } from '../../../server/dms/zgw/besluiten';
import { readZgwConfig } from '../../../server/dms/zgw/config';
import { besluitInputOf, besluittypeOf } from '../../../server/dms/zgw/template-types';
import type { Delivery } from '../../../server/dms/types';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import { builtinTemplates } from '../../../shared/templates/builtin/index';
import { Template } from '../../../shared/templates/schema';

const CATALOGI = 'https://openzaak.example.nl/catalogi/api/v1';
const DEFAULT = `${CATALOGI}/informatieobjecttypen/default`;
const config = { rsin: '002220647', catalogiUrl: CATALOGI, informatieobjecttype: DEFAULT, chunkThresholdBytes: 1_000 };
const ZT_A = `${CATALOGI}/zaaktypen/a`;
const ZT_B = `${CATALOGI}/zaaktypen/b`;
const IOT_A = `${CATALOGI}/informatieobjecttypen/a`;
const BT = `${CATALOGI}/besluittypen/toekenning`;

function delivery(overrides: Partial<Delivery> = {}, metadata: Partial<Delivery['metadata']> = {}): Delivery {
  return {
    identificatie: 'KT-2026-0000042',
    zaak: 'ZAAK-1',
    pdf: Uint8Array.of(1, 2, 3),
    pdfSha256: 'c'.repeat(64),
    metadata: { title: 'Besluit', author: 'Vera Veldwerker', creatiedatum: '2026-03-02', taal: 'nld', documenttype: 'Beschikking', vertrouwelijkheidaanduiding: 'zaakvertrouwelijk', ...metadata },
    ...overrides,
  };
}

describe('dms.zgw in the template', () => {
  it('[Z20] the informatieobjecttype: the template\'s URL, or its map\'s for the zaaktype; a zaaktype the map does not name, or no block, gets O7 then ZGW_INFORMATIEOBJECTTYPE', () => {
    const m = delivery().metadata;
    expect(informatieobjecttypeFor({ metadata: { ...m, zgw: { informatieobjecttype: IOT_A } } }, config, ZT_B)).toBe(IOT_A);
    expect(informatieobjecttypeFor({ metadata: { ...m, zgw: { informatieobjecttype: { [ZT_A]: IOT_A } } } }, config, ZT_A)).toBe(IOT_A);
    expect(informatieobjecttypeFor({ metadata: { ...m, zgw: { informatieobjecttype: { [ZT_A]: IOT_A } } } }, config, ZT_B)).toBe(DEFAULT);
    expect(informatieobjecttypeFor({ metadata: { ...m, zgw: { informatieobjecttype: { [ZT_A]: IOT_A } } } }, config, null)).toBe(DEFAULT);
    expect(informatieobjecttypeFor({ metadata: { ...m, documenttype: `${CATALOGI}/informatieobjecttypen/o7` } }, config)).toBe(`${CATALOGI}/informatieobjecttypen/o7`);
    expect(informatieobjecttypeFor({ metadata: m }, config)).toBe(DEFAULT);
    // The create body without the preflight's type asks the same function.
    expect(documentBody(delivery({}, { zgw: { informatieobjecttype: IOT_A } }), config)).toMatchObject({ informatieobjecttype: IOT_A });
  });

  it('[Z21] indicatieGebruiksrecht is the template\'s value, else false; vertrouwelijkheidaanduiding the dms.zgw override, else the template\'s confidentiality', () => {
    expect(documentBody(delivery(), config)).toMatchObject({ indicatieGebruiksrecht: false, vertrouwelijkheidaanduiding: 'zaakvertrouwelijk' });
    expect(documentBody(delivery({}, { zgw: { indicatieGebruiksrecht: true, vertrouwelijkheidaanduiding: 'vertrouwelijk' } }), config)).toMatchObject({
      indicatieGebruiksrecht: true,
      vertrouwelijkheidaanduiding: 'vertrouwelijk',
    });
  });

  it('[Z21] the schema takes a URL or a map per zaaktype, refuses what is not an http(s) URL, and a besluittype on a template that is not a decision', () => {
    const withZgw = (zgw: unknown, kind = 'brief'): boolean => Template.safeParse({ ...briefTemplate, kind, dms: { ...briefTemplate.dms, zgw } }).success;
    expect(withZgw({ informatieobjecttype: IOT_A, indicatieGebruiksrecht: false })).toBe(true);
    expect(withZgw({ informatieobjecttype: { [ZT_A]: IOT_A } })).toBe(true);
    expect(withZgw({ informatieobjecttype: 'Beschikking' })).toBe(false);
    expect(withZgw({ informatieobjecttype: { 'geen-url': IOT_A } })).toBe(false);
    expect(withZgw({ vertrouwelijkheidaanduiding: 'streng-geheim' })).toBe(false);
    expect(withZgw({ besluittype: BT }, 'brief')).toBe(false);
    expect(withZgw({ besluittype: BT }, 'besluit')).toBe(true);
    // Every built-in template still loads (they name no municipality's types: those are the operator's).
    for (const t of builtinTemplates) expect(Template.safeParse(t).success).toBe(true);
  });
});

describe('the besluit of a delivery', () => {
  it('[Z24] the besluittype: the template\'s (per zaaktype), else ZGW_BESLUITTYPE for a decision template, else none', () => {
    expect(besluittypeOf({ zgw: { besluittype: BT } }, null)).toBe(BT);
    expect(besluittypeOf({ zgw: { besluittype: { [ZT_A]: BT } } }, ZT_B, `${CATALOGI}/besluittypen/default`)).toBe(`${CATALOGI}/besluittypen/default`);
    expect(besluittypeOf({ besluit: true }, null, `${CATALOGI}/besluittypen/default`)).toBe(`${CATALOGI}/besluittypen/default`);
    expect(besluittypeOf({ besluit: true }, null)).toBeNull();
    expect(besluittypeOf({}, null, `${CATALOGI}/besluittypen/default`)).toBeNull();
  });

  it('[Z25] datum is the dagtekening, ingangsdatum the version\'s ingangsdatum (else the dagtekening), verzenddatum and uiterlijkeReactiedatum only once sent; the identificatie is the document\'s', () => {
    const sent = delivery({ dagtekening: '2026-03-02', verzenddatum: '2026-03-03', bezwaartermijnEinde: '2026-04-14' }, { ingangsdatum: '2026-04-01' });
    const input = besluitInputOf(sent, BT, 'https://dms/eio/1', 'https://dms/zaak/1');
    expect(besluitBody(input, '002220647')).toEqual({
      verantwoordelijkeOrganisatie: '002220647',
      identificatie: 'KT-2026-0000042',
      besluittype: BT,
      zaak: 'https://dms/zaak/1',
      datum: '2026-03-02',
      ingangsdatum: '2026-04-01',
      verzenddatum: '2026-03-03',
      uiterlijkeReactiedatum: '2026-04-14',
    });
    expect(besluitBody(besluitInputOf(delivery({ dagtekening: '2026-03-05', bezwaartermijnEinde: null }), BT, 'https://dms/eio/1', null), '002220647')).toEqual({
      verantwoordelijkeOrganisatie: '002220647',
      identificatie: 'KT-2026-0000042',
      besluittype: BT,
      datum: '2026-03-05',
      ingangsdatum: '2026-03-05',
    });
  });
});

describe('ZGW_BESLUITEN_URL and ZGW_BESLUITTYPE', () => {
  const env = {
    ZGW_DOCUMENTEN_URL: 'https://oz.example.nl/documenten/api/v1',
    ZGW_ZAKEN_URL: 'https://oz.example.nl/zaken/api/v1',
    ZGW_CATALOGI_URL: CATALOGI,
    ZGW_CLIENT_ID: 'kt',
    ZGW_SECRET: 's',
    ZGW_RSIN: '002220647',
    ZGW_INFORMATIEOBJECTTYPE: DEFAULT,
  };
  it('[Z29] optional; a malformed value, a besluittype outside the Catalogi API or without the Besluiten API stops the start naming it', () => {
    const plain = readZgwConfig(env);
    expect(plain.ok && plain.config.besluitenUrl).toBeUndefined();
    const both = readZgwConfig({ ...env, ZGW_BESLUITEN_URL: 'https://oz.example.nl/besluiten/api/v1/', ZGW_BESLUITTYPE: BT });
    expect(both).toMatchObject({ ok: true, config: { besluitenUrl: 'https://oz.example.nl/besluiten/api/v1', besluittype: BT } });
    expect(readZgwConfig({ ...env, ZGW_BESLUITEN_URL: 'ftp://x' })).toEqual({ ok: false, error: expect.stringContaining('ZGW_BESLUITEN_URL must be an http(s) URL') as string });
    expect(readZgwConfig({ ...env, ZGW_BESLUITEN_URL: 'https://oz.example.nl/besluiten/api/v1', ZGW_BESLUITTYPE: 'https://elders.example.nl/besluittypen/x' })).toEqual({
      ok: false,
      error: expect.stringContaining('ZGW_BESLUITTYPE must be a URL under ZGW_CATALOGI_URL') as string,
    });
    expect(readZgwConfig({ ...env, ZGW_BESLUITTYPE: BT })).toEqual({ ok: false, error: expect.stringContaining('ZGW_BESLUITTYPE needs ZGW_BESLUITEN_URL') as string });
  });
});
