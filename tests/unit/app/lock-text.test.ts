// The lock screens' Dutch words (K10, K11, K12, K15): attempts left, the last-attempt warning,
// the grace warning and why a chosen PIN is refused.
import { describe, expect, it } from 'vitest';
import {
  attemptsLeftText,
  checkPinEntry,
  graceWarningText,
  isLastAttempt,
  lastContactText,
  LAST_ATTEMPT_WARNING,
  pinProblemText,
} from '../../../client/app/logic/lock-text';

describe('lock screen words', () => {
  it('[K11] says how many attempts are left', () => {
    expect(attemptsLeftText(10)).toBe('U kunt het nog 10 keer proberen.');
    expect(attemptsLeftText(1)).toBe('U kunt het nog 1 keer proberen.');
  });

  it('[K12] warns before the last attempt, not earlier, that a wrong PIN erases what is not on the server', () => {
    expect(isLastAttempt(2)).toBe(false);
    expect(isLastAttempt(1)).toBe(true);
    expect(LAST_ATTEMPT_WARNING).toContain('laatste poging');
    expect(LAST_ATTEMPT_WARNING).toContain('Wat nog niet op de server staat, gaat dan verloren.');
  });

  it('[K15] the grace warning says when unlocking stops', () => {
    const at = Date.UTC(2026, 11, 1);
    expect(graceWarningText({ daysLeft: 3, lastContactAt: at })).toContain('over 3 dagen kunt u de app anders niet meer ontgrendelen');
    expect(graceWarningText({ daysLeft: 1, lastContactAt: at })).toContain('morgen kunt u');
    expect(graceWarningText({ daysLeft: 0, lastContactAt: at })).toContain('vandaag kunt u');
    expect(lastContactText(Date.UTC(2026, 10, 19, 12), 'Europe/Amsterdam')).toBe('Dit apparaat had voor het laatst verbinding met de server op 19 november 2026.');
  });

  it('[K10] a chosen PIN: digits only, long enough, typed the same twice', () => {
    expect(checkPinEntry('', '', 6)).toBe('pin-empty');
    expect(checkPinEntry('12a456', '12a456', 6)).toBe('pin-not-digits');
    expect(checkPinEntry('24681', '24681', 6)).toBe('pin-too-short');
    expect(checkPinEntry('246810', '246811', 6)).toBe('pins-differ');
    expect(checkPinEntry('246810', '246810', 6)).toBeNull();
    expect(checkPinEntry('24681012', '24681012', 8)).toBeNull();
    expect(pinProblemText('pin-too-short', 8)).toBe('De pincode moet minstens 8 cijfers hebben.');
    expect(pinProblemText('pin-too-simple', 6)).toContain('te makkelijk');
  });
});
