// Z1, Z2, Z4: failure reasons as one typed union with a Dutch message each, stored as
// `<code>: <message>` with the DMS's own answer apart, and older stored reasons still readable.
import { describe, expect, it } from 'vitest';
import { normaliseFailureReason } from '../../../server/metrics/metrics';
import { describeLastError, formatFailure, type DeliveryFailure } from '../../../shared/protocol/delivery-failure';

/** One of every code (the `satisfies` makes a new code without an example fail to compile). */
const examples = {
  'dms-timeout': { code: 'dms-timeout' },
  'dms-unreachable': { code: 'dms-unreachable', cause: 'ECONNREFUSED' },
  'dms-server-error': { code: 'dms-server-error', status: 503 },
  'dms-rate-limited': { code: 'dms-rate-limited' },
  'dms-bad-answer': { code: 'dms-bad-answer', what: 'GET /zaken 200' },
  'dms-not-authorised': { code: 'dms-not-authorised', status: 401, request: 'GET /zaken' },
  'dms-refused': { code: 'dms-refused', status: 400, fields: 'titel: Dit veld is vereist.' },
  'dms-zaak-unknown': { code: 'dms-zaak-unknown', zaak: 'ZAAK-1', bronorganisatie: '002220647' },
  'dms-zaak-closed': { code: 'dms-zaak-closed', zaak: 'ZAAK-2026-0042', einddatum: '2026-11-30' },
  'dms-type-not-allowed': { code: 'dms-type-not-allowed', zaak: 'ZAAK-1', zaaktype: 'https://oz/zt/1', informatieobjecttype: 'https://oz/iot/1' },
  'dms-zaak-forbidden': { code: 'dms-zaak-forbidden', zaak: 'ZAAK-1', status: 403 },
  'dms-locked': { code: 'dms-locked', by: 'colleague', document: '/documenten/api/v1/enkelvoudiginformatieobjecten/x' },
  'duplicate-identificatie': { code: 'duplicate-identificatie', identificatie: 'KT-2026-0000001', where: 'In het DMS' },
  'dms-write-failed': { code: 'dms-write-failed', cause: 'ENOSPC' },
  'dms-unreadable': { code: 'dms-unreadable', cause: 'EACCES' },
  'dms-folder-incomplete': { code: 'dms-folder-incomplete', folder: 'ZAAK-1/KT-2026-0000001' },
  'dms-checksum-mismatch': { code: 'dms-checksum-mismatch', written: 'a'.repeat(64), submitted: 'b'.repeat(64) },
  'dms-attachment-mismatch': { code: 'dms-attachment-mismatch', name: 'Foto 1.jpg', identificatie: 'KT-2026-0000001-B01' },
  'unsafe-path': { code: 'unsafe-path', zaak: '../x' },
  'dms-besluittype-unknown': { code: 'dms-besluittype-unknown', besluittype: 'https://oz/bt/1' },
  'dms-besluittype-concept': { code: 'dms-besluittype-concept', besluittype: 'https://oz/bt/1', name: 'Toekenning' },
  'dms-besluittype-expired': { code: 'dms-besluittype-expired', besluittype: 'https://oz/bt/1', name: 'Toekenning', einde: '2025-12-31' },
  'dms-besluittype-not-allowed': { code: 'dms-besluittype-not-allowed', besluittype: 'https://oz/bt/1', name: 'Toekenning', zaak: 'ZAAK-1', zaaktype: 'https://oz/zt/1' },
  'dms-besluittype-document-not-allowed': { code: 'dms-besluittype-document-not-allowed', besluittype: 'https://oz/bt/1', name: 'Toekenning', informatieobjecttype: 'https://oz/iot/1' },
  'dms-besluittype-missing': { code: 'dms-besluittype-missing', zaak: 'ZAAK-1', zaaktype: 'https://oz/zt/1' },
} satisfies { [K in DeliveryFailure['code']]: Extract<DeliveryFailure, { code: K }> };

describe('delivery failures (Z)', () => {
  it('[Z1] every reason has a Dutch message saying what to do, stored behind its code', () => {
    for (const failure of Object.values(examples) as DeliveryFailure[]) {
      const stored = formatFailure(failure);
      expect(stored.startsWith(`${failure.code}: `), stored).toBe(true);
      const { code, message, legacy } = describeLastError(stored);
      expect({ code, legacy }).toEqual({ code: failure.code, legacy: false });
      expect(message.endsWith('.'), message).toBe(true);
      // What to do: a retry by itself, or what a person does and then "Opnieuw proberen".
      expect(message, failure.code).toMatch(/vanzelf|Opnieuw proberen|laat de beheerder/);
      // No English leaks into the back office's text.
      expect(message, failure.code).not.toMatch(/\b(the|did not|failed|unknown)\b/);
    }
    expect(formatFailure(examples['dms-zaak-closed'])).toBe(
      'dms-zaak-closed: Zaak ZAAK-2026-0042 is afgesloten: heropen de zaak of kies een andere (einddatum 2026-11-30), en kies daarna "Opnieuw proberen". Er is niets gearchiveerd.',
    );
  });

  it('[Z2] the DMS\'s own answer is kept apart under details, and read back', () => {
    const stored = formatFailure({ ...examples['dms-refused'], details: '{"invalidParams":[{"name":"titel"}]}' });
    expect(describeLastError(stored)).toEqual({
      code: 'dms-refused',
      message: 'Het DMS weigert het document (HTTP 400): titel: Dit veld is vereist. Laat de oorzaak herstellen in het DMS of in het sjabloon, en kies daarna "Opnieuw proberen"; er komt nooit een tweede exemplaar.',
      details: '{"invalidParams":[{"name":"titel"}]}',
      legacy: false,
    });
    expect(formatFailure({ code: 'dms-timeout', details: 'x'.repeat(5000) }).length).toBeLessThan(2600);
  });

  it('[Z1] the code stays the prefix outage detection and metrics key on', () => {
    expect(normaliseFailureReason(formatFailure(examples['dms-server-error']))).toBe('dms-server-error');
    expect(normaliseFailureReason(formatFailure(examples['dms-zaak-closed']))).toBe('refused');
    expect(normaliseFailureReason(formatFailure(examples['dms-type-not-allowed']))).toBe('refused');
    expect(normaliseFailureReason(formatFailure(examples['dms-zaak-forbidden']))).toBe('refused');
  });

  it('[Z4] a reason stored before Z1 is recognised as such', () => {
    for (const old of ['dms-timeout', 'dms-server-error: 503', 'dms-refused: 400 Het DMS weigert het document: titel: te lang', 'lookup-failed: dms-unreachable', 'dms-zaak-unknown: De zaak X bestaat niet in het DMS (bronorganisatie 1); het document is niet gearchiveerd']) {
      expect(describeLastError(old).legacy, old).toBe(true);
    }
  });
});
