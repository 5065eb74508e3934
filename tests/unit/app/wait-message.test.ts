// The Dutch words for a login refused as too many attempts (G1): minutes rounded up, seconds
// below a minute, singular and plural.
import { describe, expect, it } from 'vitest';
import { waitMessage } from '../../../client/app/logic/wait-message';

describe('waitMessage', () => {
  it('[G1] says in Dutch how long to wait, in minutes rounded up or in seconds', () => {
    expect(waitMessage(240)).toBe('Te veel pogingen. Probeer het over 4 minuten opnieuw.');
    expect(waitMessage(181)).toBe('Te veel pogingen. Probeer het over 4 minuten opnieuw.');
    expect(waitMessage(900)).toBe('Te veel pogingen. Probeer het over 15 minuten opnieuw.');
    expect(waitMessage(60)).toBe('Te veel pogingen. Probeer het over 1 minuut opnieuw.');
    expect(waitMessage(59)).toBe('Te veel pogingen. Probeer het over 59 seconden opnieuw.');
    expect(waitMessage(1)).toBe('Te veel pogingen. Probeer het over 1 seconde opnieuw.');
    expect(waitMessage(0)).toBe('Te veel pogingen. Probeer het over 1 seconde opnieuw.');
  });
});
