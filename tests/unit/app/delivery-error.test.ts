// A delivery's lastError in Dutch for the back office's Verzending screen (O3).
import { describe, expect, it } from 'vitest';
import { deliveryError, deliveryErrorText } from '../../../client/app/logic/delivery-error';
import { formatFailure } from '../../../shared/protocol/delivery-failure';

describe('deliveryErrorText', () => {
  it('[Z2] [Z4] a reason stored with its Dutch message is shown as it is, with the DMS\'s own answer apart', () => {
    const stored = formatFailure({ code: 'dms-zaak-closed', zaak: 'ZAAK-2026-0042', einddatum: '2026-11-30', details: '{"detail":"Je mag geen gegevens aanpassen van een gesloten zaak."}' });
    expect(stored.startsWith('dms-zaak-closed: Zaak ZAAK-2026-0042 is afgesloten: heropen de zaak of kies een andere')).toBe(true);
    expect(deliveryError(stored)).toEqual({
      text: 'Zaak ZAAK-2026-0042 is afgesloten: heropen de zaak of kies een andere (einddatum 2026-11-30), en kies daarna "Opnieuw proberen". Er is niets gearchiveerd.',
      details: '{"detail":"Je mag geen gegevens aanpassen van een gesloten zaak."}',
    });
    expect(deliveryError(formatFailure({ code: 'dms-timeout' }))?.details).toBeNull();
    // The worker wraps an adapter's reason after a failed look-up: both sentences.
    expect(deliveryErrorText(`lookup-failed: ${formatFailure({ code: 'dms-server-error', status: 502 })}`)).toBe(
      'Controleren of het document al in het DMS staat lukte niet. Het DMS had een storing (HTTP 502). Er wordt vanzelf opnieuw geprobeerd; duurt het lang, meld het bij de beheerder van het DMS.',
    );
  });

  it('words known reasons in Dutch, keeps the DMS\'s own Dutch explanation, and shows unknown ones as they came', () => {
    expect(deliveryErrorText(null)).toBeNull();
    expect(deliveryErrorText('dms-unreachable: ECONNREFUSED')).toBe('Het DMS is niet bereikbaar.');
    expect(deliveryErrorText('dms-server-error: 503')).toBe('Het DMS had een storing.');
    expect(deliveryErrorText('outcome-unknown: socket hang up')).toContain('niet zeker');
    expect(deliveryErrorText('dms-refused: 400 Het veld titel is verplicht')).toBe('Het DMS heeft het document geweigerd. Het veld titel is verplicht');
    // J9: the DMS holds our identificatie for another document: a full Dutch sentence, shown as it is (Z4).
    expect(deliveryErrorText('duplicate-identificatie: In het DMS staat al een ander document met identificatie KT-2026-0000001 (SHA-256 cccccccccccc…).')).toBe(
      'In het DMS staat al een ander document met identificatie KT-2026-0000001 (SHA-256 cccccccccccc…).',
    );
    expect(deliveryErrorText('iets-onbekends: x')).toBe('De levering mislukte (iets-onbekends: x).');
  });
});
