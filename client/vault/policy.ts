// The lock's pure rules: which PINs are acceptable, how many attempts are left, and where a device
// stands in its grace period. Time comes in as a number (the caller's injected clock).
import type { GraceWarning, LockPolicy, PinProblem } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** PINs anyone tries first: one digit repeated, or a run up or down (123456, 987654, 012345). */
export function isTrivialPin(pin: string): boolean {
  if (/^(\d)\1*$/.test(pin)) return true;
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10));
  return steps.size === 1 && (steps.has(1) || steps.has(9));
}

/** K4: digits only, at least the policy's length (never fewer than 6), not trivial. */
export function pinProblem(pin: string, policy: LockPolicy): PinProblem | null {
  if (!/^\d*$/.test(pin)) return 'pin-not-digits';
  if (pin.length < Math.max(6, policy.minPinDigits)) return 'pin-too-short';
  if (isTrivialPin(pin)) return 'pin-too-simple';
  return null;
}

export function attemptsLeft(failedAttempts: number, policy: LockPolicy): number {
  return Math.max(0, policy.maxAttempts - failedAttempts);
}

export type GraceStanding =
  | { kind: 'ok'; warning: GraceWarning | null }
  | { kind: 'expired'; lastContactAt: number };

/**
 * K6: a device that has not reached the server for `graceDays` stops unlocking; `graceWarnDays`
 * before that it warns. A clock that went backwards (contact "in the future") counts as contact
 * now: the user is not locked out by a wrong clock, and the server is asked at the next chance.
 */
export function graceStanding(lastContactAt: number, now: number, policy: LockPolicy): GraceStanding {
  const since = Math.max(0, now - lastContactAt);
  if (since >= policy.graceDays * DAY_MS) return { kind: 'expired', lastContactAt };
  const daysLeft = Math.floor((policy.graceDays * DAY_MS - since) / DAY_MS);
  const warning = since >= (policy.graceDays - policy.graceWarnDays) * DAY_MS ? { daysLeft, lastContactAt } : null;
  return { kind: 'ok', warning };
}
