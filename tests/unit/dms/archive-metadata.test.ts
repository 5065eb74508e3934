// What the archive gets besides the bytes: the outbox's OUTBOX_MAX_ATTEMPTS (O4), a template's own
// informatieobjecttype and confidentiality (O7), and the approver (W4) in the ZGW `beschrijving`
// (O8); the JWT keeps naming the submitting official.
import { describe, expect, it } from 'vitest';
import { archiveDescription, documentBody, informatieobjecttypeFor } from '../../../server/dms/zgw/adapter';
import type { Delivery } from '../../../server/dms/types';
import { readOutboxConfig } from '../../../server/outbox/config';

const CATALOGI = 'https://openzaak.example.nl/catalogi/api/v1';
const config = {
  rsin: '002220647',
  catalogiUrl: CATALOGI,
  informatieobjecttype: `${CATALOGI}/informatieobjecttypen/default`,
  chunkThresholdBytes: 10,
};

function delivery(overrides: Partial<Delivery> = {}): Delivery {
  return {
    identificatie: 'KT-0123456789abcdef-v2',
    zaak: 'ZAAK-1',
    pdf: Uint8Array.of(1, 2, 3),
    pdfSha256: 'c'.repeat(64),
    version: 2,
    metadata: {
      title: 'Besluit',
      author: 'Vera Veldwerker',
      creatiedatum: '2026-03-02',
      taal: 'nld',
      documenttype: 'Besluit',
      vertrouwelijkheidaanduiding: 'vertrouwelijk',
    },
    submittedBy: { id: 'u-vera', representation: 'Vera Veldwerker' },
    ...overrides,
  };
}

describe('OUTBOX_MAX_ATTEMPTS', () => {
  it('[O4] defaults to 24, takes a whole number from 1 to 10000, and names itself when malformed', () => {
    expect(readOutboxConfig({})).toEqual({ ok: true, timing: { maxAttempts: 24 } });
    expect(readOutboxConfig({ OUTBOX_MAX_ATTEMPTS: ' ' })).toEqual({ ok: true, timing: { maxAttempts: 24 } });
    expect(readOutboxConfig({ OUTBOX_MAX_ATTEMPTS: '100' })).toEqual({ ok: true, timing: { maxAttempts: 100 } });
    for (const bad of ['0', '-1', '2.5', 'veel', '10001']) {
      expect(readOutboxConfig({ OUTBOX_MAX_ATTEMPTS: bad })).toEqual({ ok: false, error: expect.stringContaining(`OUTBOX_MAX_ATTEMPTS must be`) as string });
    }
  });
});

describe('ZGW document body', () => {
  it('[O7] [Z9] a template documentType that is an informatieobjecttype URL in the Catalogi API is used; a name or a foreign URL falls back to ZGW_INFORMATIEOBJECTTYPE', () => {
    const own = `${CATALOGI}/informatieobjecttypen/eigen`;
    const typed = (documenttype: string): Pick<Delivery, 'metadata'> => ({ metadata: { ...delivery().metadata, documenttype } });
    expect(informatieobjecttypeFor(typed(own), config)).toBe(own);
    expect(informatieobjecttypeFor(typed(` ${own} `), config)).toBe(own);
    expect(informatieobjecttypeFor(typed('Besluit'), config)).toBe(config.informatieobjecttype);
    expect(informatieobjecttypeFor(typed('https://elders.example.nl/catalogi/api/v1/informatieobjecttypen/x'), config)).toBe(config.informatieobjecttype);
    expect(documentBody(delivery({ metadata: { ...delivery().metadata, documenttype: own } }), config)).toMatchObject({ informatieobjecttype: own, vertrouwelijkheidaanduiding: 'vertrouwelijk' });
  });

  it('[O8] beschrijving names the version, the submitter and, with four eyes, the approver and when', () => {
    expect(archiveDescription(delivery())).toBe('Keukentafel KT-0123456789abcdef-v2 (versie 2), ingediend door Vera Veldwerker');
    expect(archiveDescription(delivery({ approvedBy: { id: 'u-k', representation: 'Karim Kantoor', at: Date.UTC(2026, 2, 2, 8) } }))).toBe(
      'Keukentafel KT-0123456789abcdef-v2 (versie 2), ingediend door Vera Veldwerker; goedgekeurd door Karim Kantoor op 2026-03-02T08:00:00.000Z',
    );
  });

  it('[Z11] [Z12] [Z13] a complete record: indicatieGebruiksrecht false, creatiedatum the dagtekening, verzenddatum only when the letter left with the delivery, no ontvangstdatum, auteur, taal, formaat, bestandsomvang', () => {
    const body = documentBody(delivery({ dagtekening: '2026-03-01', verzenddatum: '2026-03-03' }), config);
    expect(body).toMatchObject({
      indicatieGebruiksrecht: false,
      creatiedatum: '2026-03-01',
      verzenddatum: '2026-03-03',
      auteur: 'Vera Veldwerker',
      taal: 'nld',
      formaat: 'application/pdf',
      bestandsomvang: 3,
    });
    expect(body).not.toHaveProperty('ontvangstdatum');
    const manual = documentBody(delivery(), config);
    expect(manual).toMatchObject({ creatiedatum: '2026-03-02', indicatieGebruiksrecht: false });
    expect(manual).not.toHaveProperty('verzenddatum');
  });

  it('[O6] above the threshold the body announces bestandsomvang with inhoud null; at or below it carries the bytes', () => {
    expect(documentBody(delivery({ pdf: new Uint8Array(11) }), config)).toMatchObject({ inhoud: null, bestandsomvang: 11 });
    expect(documentBody(delivery({ pdf: new Uint8Array(10) }), config)).toMatchObject({ inhoud: Buffer.alloc(10).toString('base64'), bestandsomvang: 10 });
  });
});
