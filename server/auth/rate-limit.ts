// Failed-login limiter, keyed by username and by client (IP): after `maxFailures` failures
// within `windowMs` a key is refused until its oldest counted failure leaves the window.
// In memory, pure (clock injected) and bounded: old keys are evicted first.

export interface LoginRateLimiterOptions {
  now: () => number;
  maxFailures?: number;
  windowMs?: number;
  /** Most keys kept; beyond it the least recently failed keys are forgotten. */
  maxKeys?: number;
}

export type AttemptStart = { ok: true; attempt: LoginAttempt } | { ok: false; retryAfterSeconds: number };

/** An attempt in flight; it counts as a failure until `succeeded` says otherwise. */
export interface LoginAttempt {
  readonly usernameKey: string;
  readonly clientKey: string;
  readonly at: number;
}

export interface LoginRateLimiter {
  /**
   * Refuses while either key is over the limit; otherwise records the attempt as a failure at
   * once, so parallel attempts can't all pass the check before the first one has failed.
   */
  begin(username: string, clientKey: string): AttemptStart;
  /** The password was right: forget the username's failures and un-count this attempt. */
  succeeded(attempt: LoginAttempt): void;
  /** Number of keys held (for tests of the memory bound). */
  size(): number;
}

export function createLoginRateLimiter(options: LoginRateLimiterOptions): LoginRateLimiter {
  const { now, maxFailures = 5, windowMs = 15 * 60 * 1000, maxKeys = 10_000 } = options;
  // Key → times of failures still in the window, oldest first, at most maxFailures of them.
  // Map order is insertion order; a key is re-inserted on each failure, so the first keys are
  // the least recently failed ones.
  const failures = new Map<string, number[]>();

  const live = (key: string, t: number): number[] => {
    const times = (failures.get(key) ?? []).filter((at) => at > t - windowMs);
    if (times.length === 0) failures.delete(key);
    else failures.set(key, times);
    return times;
  };

  const retryAfterMs = (key: string, t: number): number => {
    const times = live(key, t);
    if (times.length < maxFailures) return 0;
    const oldest = times[times.length - maxFailures] ?? t;
    return oldest + windowMs - t;
  };

  const record = (key: string, t: number): void => {
    const times = live(key, t);
    times.push(t);
    failures.delete(key);
    failures.set(key, times.slice(-maxFailures));
    evict(t);
  };

  // Over the bound: drop expired keys, then keys not (yet) locked, then locked ones, least
  // recently failed first, down to 90% so the sweep runs once per maxKeys/10 new keys. Locked
  // keys go last: spraying fresh names must not be a way to unlock an account under attack.
  const evict = (t: number): void => {
    if (failures.size <= maxKeys) return;
    for (const key of [...failures.keys()]) live(key, t);
    const target = Math.floor(maxKeys * 0.9);
    for (const lockedToo of [false, true]) {
      for (const [key, times] of failures) {
        if (failures.size <= target) return;
        if (lockedToo || times.length < maxFailures) failures.delete(key);
      }
    }
  };

  return {
    begin(username, clientKey) {
      const t = now();
      const userKey = `user:${username.toLowerCase()}`;
      const ipKey = `client:${clientKey}`;
      const waitMs = Math.max(retryAfterMs(userKey, t), retryAfterMs(ipKey, t));
      if (waitMs > 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
      record(userKey, t);
      record(ipKey, t);
      return { ok: true, attempt: { usernameKey: userKey, clientKey: ipKey, at: t } };
    },
    succeeded(attempt) {
      failures.delete(attempt.usernameKey);
      const times = failures.get(attempt.clientKey);
      if (!times) return;
      const i = times.indexOf(attempt.at);
      if (i >= 0) times.splice(i, 1);
      if (times.length === 0) failures.delete(attempt.clientKey);
    },
    size() {
      return failures.size;
    },
  };
}
