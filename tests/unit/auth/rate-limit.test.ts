// Failed-login limiter: five failures per username or per client in fifteen minutes, then
// refusals with a retry-after until the window has passed; bounded memory.
import { describe, expect, it } from 'vitest';
import { createLoginRateLimiter } from '../../../server/auth/rate-limit';
import type { LoginRateLimiter } from '../../../server/auth/rate-limit';
import { createClock } from './accounts-fixture';

const MINUTE = 60_000;

function fail(limiter: LoginRateLimiter, username: string, client: string, times: number): void {
  for (let i = 0; i < times; i++) expect(limiter.begin(username, client).ok).toBe(true);
}

describe('login rate limiter', () => {
  it('after 5 failures for a username the next attempt is refused with retry-after until the window passes', () => {
    const clock = createClock();
    const limiter = createLoginRateLimiter({ now: clock.now });
    fail(limiter, 'veldwerker', 'ip-1', 1);
    clock.advance(5 * MINUTE);
    fail(limiter, 'veldwerker', 'ip-2', 4);

    // From other clients too: the username is the key here.
    expect(limiter.begin('VeldWerker', 'ip-3')).toEqual({ ok: false, retryAfterSeconds: 10 * 60 });
    clock.advance(10 * MINUTE - 1_000);
    expect(limiter.begin('veldwerker', 'ip-3')).toEqual({ ok: false, retryAfterSeconds: 1 });
    clock.advance(1_000);
    // The first failure has left the window: one attempt free again.
    expect(limiter.begin('veldwerker', 'ip-3').ok).toBe(true);
    expect(limiter.begin('veldwerker', 'ip-3')).toEqual({ ok: false, retryAfterSeconds: 5 * 60 });
  });

  it('after 5 failures from one client, other usernames from that client are refused too', () => {
    const clock = createClock();
    const limiter = createLoginRateLimiter({ now: clock.now });
    ['a', 'b', 'c', 'd', 'e'].forEach((u) => fail(limiter, u, 'ip-1', 1));
    expect(limiter.begin('f', 'ip-1')).toEqual({ ok: false, retryAfterSeconds: 15 * 60 });
    expect(limiter.begin('f', 'ip-2').ok).toBe(true);
  });

  it("a success resets the username's counter and does not count against the client", () => {
    const clock = createClock();
    const limiter = createLoginRateLimiter({ now: clock.now });
    fail(limiter, 'veldwerker', 'ip-1', 4);
    const attempt = limiter.begin('veldwerker', 'ip-1');
    if (!attempt.ok) throw new Error('expected an attempt');
    limiter.succeeded(attempt.attempt);
    fail(limiter, 'veldwerker', 'ip-2', 5);
    expect(limiter.begin('veldwerker', 'ip-2').ok).toBe(false);
    // ip-1 holds 4 failures; the successful attempt was taken back.
    expect(limiter.begin('someone', 'ip-1').ok).toBe(true);
    expect(limiter.begin('someone', 'ip-1').ok).toBe(false);
  });

  it('an attempt in flight counts at once, so parallel guesses cannot pass the check together', () => {
    const limiter = createLoginRateLimiter({ now: createClock().now });
    const starts = Array.from({ length: 20 }, () => limiter.begin('veldwerker', 'ip-1'));
    expect(starts.filter((s) => s.ok)).toHaveLength(5);
  });

  it('keeps at most maxKeys keys; spraying new names does not evict a locked-out username', () => {
    const clock = createClock();
    const limiter = createLoginRateLimiter({ now: clock.now, maxKeys: 100 });
    fail(limiter, 'target', 'ip-target', 5);
    for (let i = 0; i < 1_000; i++) {
      limiter.begin(`user-${i}`, `ip-${i}`);
      expect(limiter.size()).toBeLessThanOrEqual(100);
    }
    expect(limiter.begin('target', 'ip-elsewhere')).toEqual({ ok: false, retryAfterSeconds: 15 * 60 });
  });

  it('expired keys are dropped when the bound is reached', () => {
    const clock = createClock();
    const limiter = createLoginRateLimiter({ now: clock.now, maxKeys: 10 });
    for (let i = 0; i < 5; i++) limiter.begin(`old-${i}`, `ip-old-${i}`);
    expect(limiter.size()).toBe(10);
    clock.advance(16 * MINUTE);
    limiter.begin('new', 'ip-new');
    expect(limiter.size()).toBe(2);
  });
});
