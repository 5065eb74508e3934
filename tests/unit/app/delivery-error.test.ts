// A delivery's lastError in Dutch for the back office's Verzending screen (O3).
import { describe, expect, it } from 'vitest';
import { deliveryErrorText } from '../../../client/app/logic/delivery-error';

describe('deliveryErrorText', () => {
  it('words known reasons in Dutch, keeps the DMS\'s own Dutch explanation, and shows unknown ones as they came', () => {
    expect(deliveryErrorText(null)).toBeNull();
    expect(deliveryErrorText('dms-unreachable: ECONNREFUSED')).toBe('Het DMS is niet bereikbaar.');
    expect(deliveryErrorText('dms-server-error: 503')).toBe('Het DMS had een storing.');
    expect(deliveryErrorText('outcome-unknown: socket hang up')).toContain('niet zeker');
    expect(deliveryErrorText('dms-refused: 400 Het veld titel is verplicht')).toBe('Het DMS heeft het document geweigerd. Het veld titel is verplicht');
    // J9: the DMS holds our identificatie for another document: the sentence and what it is.
    expect(deliveryErrorText('duplicate-identificatie: In het DMS staat al een ander document met identificatie KT-2026-0000001 (SHA-256 cccccccccccc…).')).toBe(
      'Het DMS heeft al een ander document met dit kenmerk. In het DMS staat al een ander document met identificatie KT-2026-0000001 (SHA-256 cccccccccccc…).',
    );
    expect(deliveryErrorText('iets-onbekends: x')).toBe('De levering mislukte (iets-onbekends: x).');
  });
});
