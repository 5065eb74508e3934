// The lock's pure rules with a controlled clock: PIN acceptance and the grace period's standing.
import { describe, expect, it } from 'vitest';
import { graceStanding, isTrivialPin, pinProblem } from '../../../client/vault/policy';
import { DEFAULT_LOCK_POLICY } from '../../../client/vault/types';

const DAY = 24 * 60 * 60 * 1000;
const policy = { ...DEFAULT_LOCK_POLICY, graceDays: 14, graceWarnDays: 3 };
const t0 = Date.UTC(2026, 0, 1);

describe('lock policy', () => {
  it('[K4] trivial PINs: repeats and runs, up or down, wrapping at 9', () => {
    for (const pin of ['000000', '999999', '123456', '654321', '890123', '3210987']) expect(isTrivialPin(pin)).toBe(true);
    for (const pin of ['482915', '112233', '135790', '121212']) expect(isTrivialPin(pin)).toBe(false);
    expect(pinProblem('48291', policy)).toBe('pin-too-short');
    expect(pinProblem('４８２９１５', policy)).toBe('pin-not-digits');
    expect(pinProblem(' 482915', policy)).toBe('pin-not-digits');
    expect(pinProblem('4829150', { ...policy, minPinDigits: 8 })).toBe('pin-too-short');
    // A policy below 6 digits is not honoured (the issue: 6+ digits).
    expect(pinProblem('48291', { ...policy, minPinDigits: 4 })).toBe('pin-too-short');
    expect(pinProblem('482915', policy)).toBeNull();
  });

  it('[K6] grace: quiet until graceWarnDays before the end, then days left, then expired', () => {
    expect(graceStanding(t0, t0, policy)).toEqual({ kind: 'ok', warning: null });
    expect(graceStanding(t0, t0 + 11 * DAY - 1, policy)).toEqual({ kind: 'ok', warning: null });
    expect(graceStanding(t0, t0 + 11 * DAY, policy)).toEqual({ kind: 'ok', warning: { daysLeft: 3, lastContactAt: t0 } });
    expect(graceStanding(t0, t0 + 13 * DAY + 1, policy)).toEqual({ kind: 'ok', warning: { daysLeft: 0, lastContactAt: t0 } });
    expect(graceStanding(t0, t0 + 14 * DAY, policy)).toEqual({ kind: 'expired', lastContactAt: t0 });
    // A clock set back does not lock anyone out.
    expect(graceStanding(t0, t0 - 30 * DAY, policy)).toEqual({ kind: 'ok', warning: null });
  });
});
