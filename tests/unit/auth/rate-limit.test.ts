// Failed-login limiter (G1): five failures per account and address pair, twenty per account from
// everywhere (without a device proof), a hundred per address; a device proof is judged alone.
// Refusals carry a retry-after until the window has passed; memory stays bounded.
import { describe, expect, it } from 'vitest';
import { createLoginRateLimiter } from '../../../server/auth/rate-limit';
import type { AttemptKeys, LocalLoginRateLimiter } from '../../../server/auth/rate-limit';
import { createClock } from './accounts-fixture';

const MINUTE = 60_000;

const keys = (username: string, address: string, proofId: string | null = null): AttemptKeys => ({ username, address, proofId });

function fail(limiter: LocalLoginRateLimiter, username: string, address: string, times: number, proofId: string | null = null): void {
  for (let i = 0; i < times; i++) expect(limiter.begin(keys(username, address, proofId)).ok).toBe(true);
}

describe('login rate limiter', () => {
  it('[G1] after 5 failures of an account from one address that pair is refused until the window passes; other addresses are not', () => {
    const clock = createClock();
    const limiter = createLoginRateLimiter({ now: clock.now });
    fail(limiter, 'veldwerker', 'ip-1', 1);
    clock.advance(5 * MINUTE);
    fail(limiter, 'veldwerker', 'ip-1', 4);

    expect(limiter.begin(keys('VeldWerker', 'ip-1'))).toEqual({ ok: false, retryAfterSeconds: 10 * 60 });
    expect(limiter.begin(keys('veldwerker', 'ip-2')).ok).toBe(true);
    clock.advance(10 * MINUTE - 1_000);
    expect(limiter.begin(keys('veldwerker', 'ip-1'))).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock.advance(1_000);
    // The first failure has left the window: one attempt free again.
    expect(limiter.begin(keys('veldwerker', 'ip-1')).ok).toBe(true);
    expect(limiter.begin(keys('veldwerker', 'ip-1'))).toEqual({ ok: false, retryAfterSeconds: 5 * 60 });
  });

  it('[G1] an office behind one address: one person failing does not lock out colleagues', () => {
    const limiter = createLoginRateLimiter({ now: createClock().now });
    fail(limiter, 'kantoor', 'ip-nat', 5);
    expect(limiter.begin(keys('kantoor', 'ip-nat')).ok).toBe(false);
    for (const colleague of ['a', 'b', 'c', 'd', 'e', 'f']) expect(limiter.begin(keys(colleague, 'ip-nat')).ok).toBe(true);
  });

  it('[G1] the account\'s slower back-off: 20 failures from anywhere refuse attempts without a proof, not those with one', () => {
    const limiter = createLoginRateLimiter({ now: createClock().now });
    for (let i = 0; i < 20; i++) fail(limiter, 'kantoor', `ip-${i}`, 1);
    expect(limiter.begin(keys('kantoor', 'ip-fresh'))).toEqual({ ok: false, retryAfterSeconds: 15 * 60 });
    expect(limiter.begin(keys('kantoor', 'ip-fresh', 'proof-owner')).ok).toBe(true);
  });

  it('[G1] password spraying from one address stops at the address limit', () => {
    const limiter = createLoginRateLimiter({ now: createClock().now, limits: { addressMaxFailures: 10 } });
    for (let i = 0; i < 10; i++) fail(limiter, `user-${i}`, 'ip-1', 1);
    expect(limiter.begin(keys('user-99', 'ip-1')).ok).toBe(false);
    expect(limiter.begin(keys('user-99', 'ip-2')).ok).toBe(true);
  });

  it('[G1] failures with a proof count against the proof only, and lock it after 5', () => {
    const limiter = createLoginRateLimiter({ now: createClock().now });
    fail(limiter, 'kantoor', 'ip-1', 5, 'proof-1');
    expect(limiter.begin(keys('kantoor', 'ip-1', 'proof-1')).ok).toBe(false);
    expect(limiter.begin(keys('kantoor', 'ip-1', 'proof-2')).ok).toBe(true);
    expect(limiter.begin(keys('kantoor', 'ip-1')).ok).toBe(true);
  });

  it("a success resets the pair's counter and takes back only this attempt from the account and the address", () => {
    const limiter = createLoginRateLimiter({ now: createClock().now, limits: { accountMaxFailures: 6 } });
    fail(limiter, 'veldwerker', 'ip-1', 4);
    const attempt = limiter.begin(keys('veldwerker', 'ip-1'));
    if (!attempt.ok) throw new Error('expected an attempt');
    limiter.succeeded(attempt.attempt);
    // The pair starts again; the account still holds 4 of its 6.
    fail(limiter, 'veldwerker', 'ip-1', 2);
    expect(limiter.begin(keys('veldwerker', 'ip-1')).ok).toBe(false);
    expect(limiter.begin(keys('veldwerker', 'ip-2')).ok).toBe(false);
  });

  it('an attempt in flight counts at once, so parallel guesses cannot pass the check together', () => {
    const limiter = createLoginRateLimiter({ now: createClock().now });
    const starts = Array.from({ length: 20 }, () => limiter.begin(keys('veldwerker', 'ip-1')));
    expect(starts.filter((s) => s.ok)).toHaveLength(5);
  });

  it('keeps at most maxKeys keys; spraying new names does not evict a locked-out account', () => {
    const clock = createClock();
    const limiter = createLoginRateLimiter({ now: clock.now, maxKeys: 100 });
    for (let i = 0; i < 20; i++) fail(limiter, 'target', `ip-target-${i}`, 1);
    for (let i = 0; i < 1_000; i++) {
      limiter.begin(keys(`user-${i}`, `ip-${i}`));
      expect(limiter.size()).toBeLessThanOrEqual(100);
    }
    expect(limiter.begin(keys('target', 'ip-elsewhere'))).toEqual({ ok: false, retryAfterSeconds: 15 * 60 });
  });

  it('expired keys are dropped when the bound is reached', () => {
    const clock = createClock();
    const limiter = createLoginRateLimiter({ now: clock.now, maxKeys: 15 });
    for (let i = 0; i < 5; i++) limiter.begin(keys(`old-${i}`, `ip-old-${i}`));
    expect(limiter.size()).toBe(15);
    clock.advance(16 * MINUTE);
    limiter.begin(keys('new', 'ip-new'));
    expect(limiter.size()).toBe(3);
  });
});
