// Failed-login limiter (G1). Failures count per (account, address) pair, with a slower global
// limit per account and a generous one per address; an attempt that carries a valid device proof
// counts only against that proof, so strangers elsewhere never lock the owner's own device out.
// In memory, pure (clock injected) and bounded: old keys are evicted first. With REDIS_URL the
// same interface is served from Redis for all processes (server/cluster/redis-login-limiter.ts).

export interface LoginLimits {
  /** Failures of one account from one address (or one device proof) within the window. */
  pairMaxFailures: number;
  /** Failures of one account from everywhere, without a device proof: the slower global back-off. */
  accountMaxFailures: number;
  /** Failures from one address over all accounts (password spraying); high, for offices behind NAT. */
  addressMaxFailures: number;
  windowMs: number;
}

export const defaultLoginLimits: LoginLimits = {
  pairMaxFailures: 5,
  accountMaxFailures: 20,
  addressMaxFailures: 100,
  windowMs: 15 * 60 * 1000,
};

export interface LoginRateLimiterOptions {
  now: () => number;
  limits?: Partial<LoginLimits>;
  /** Most keys kept; beyond it the least recently failed keys are forgotten. */
  maxKeys?: number;
}

export interface AttemptKeys {
  username: string;
  /** The client's address (request.ip). */
  address: string;
  /** Id of a device proof already verified for this username, or null. */
  proofId: string | null;
}

export type AttemptStart = { ok: true; attempt: LoginAttempt } | { ok: false; retryAfterSeconds: number };

/** An attempt in flight; it counts as a failure until `succeeded` says otherwise. */
export interface LoginAttempt {
  readonly keys: readonly string[];
  /** The key a success clears: the pair or the proof (the account's count is only un-counted). */
  readonly resetKey: string;
  readonly at: number;
}

export interface LoginRateLimiter {
  /**
   * Refuses while any key of this attempt is over its limit; otherwise records the attempt as a
   * failure at once, so parallel attempts can't all pass the check before the first one failed.
   */
  begin(keys: AttemptKeys): AttemptStart | Promise<AttemptStart>;
  /** The password was right: forget the pair's (or proof's) failures and un-count this attempt. */
  succeeded(attempt: LoginAttempt): void | Promise<void>;
  /** Number of keys held (for tests of the memory bound). */
  size(): number;
}

/** The in-memory limiter answers at once (per process; the Redis one, CL11, is shared). */
export interface LocalLoginRateLimiter extends LoginRateLimiter {
  begin(keys: AttemptKeys): AttemptStart;
  succeeded(attempt: LoginAttempt): void;
}

type KeyKind = 'pair' | 'proof' | 'account' | 'address';

/** The limit of a key by its kind (shared with the Redis limiter, CL11). */
export function maxFailuresFor(key: string, limits: LoginLimits): number {
  const kind = key.slice(0, key.indexOf(':')) as KeyKind;
  if (kind === 'account') return limits.accountMaxFailures;
  if (kind === 'address') return limits.addressMaxFailures;
  return limits.pairMaxFailures;
}

/** The keys an attempt counts against, and the one its success clears (shared with CL11). */
export function attemptKeysOf({ username, address, proofId }: AttemptKeys): { keys: string[]; resetKey: string } {
  const user = username.toLowerCase();
  // A device that proved an earlier success for this account is judged on its own record only.
  if (proofId !== null) return { keys: [`proof:${proofId}`], resetKey: `proof:${proofId}` };
  const pair = `pair:${user}|${address}`;
  return { keys: [pair, `account:${user}`, `address:${address}`], resetKey: pair };
}

export function createLoginRateLimiter(options: LoginRateLimiterOptions): LocalLoginRateLimiter {
  const { now, maxKeys = 10_000 } = options;
  const limits = { ...defaultLoginLimits, ...options.limits };
  const { windowMs } = limits;
  const maxFor = (key: string): number => maxFailuresFor(key, limits);
  // Key → times of failures still in the window, oldest first, at most the key's limit of them.
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
    const max = maxFor(key);
    if (times.length < max) return 0;
    const oldest = times[times.length - max] ?? t;
    return oldest + windowMs - t;
  };

  const record = (key: string, t: number): void => {
    const times = live(key, t);
    times.push(t);
    failures.delete(key);
    failures.set(key, times.slice(-maxFor(key)));
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
        if (lockedToo || times.length < maxFor(key)) failures.delete(key);
      }
    }
  };


  return {
    begin(input) {
      const t = now();
      const { keys, resetKey } = attemptKeysOf(input);
      const waitMs = Math.max(0, ...keys.map((key) => retryAfterMs(key, t)));
      if (waitMs > 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
      for (const key of keys) record(key, t);
      return { ok: true, attempt: { keys, resetKey, at: t } };
    },
    succeeded(attempt) {
      failures.delete(attempt.resetKey);
      // The account's and the address's counts only lose this attempt: an owner signing in now
      // and then must not hand a guesser elsewhere a fresh allowance.
      for (const key of attempt.keys) {
        const times = failures.get(key);
        if (!times) continue;
        const i = times.indexOf(attempt.at);
        if (i >= 0) times.splice(i, 1);
        if (times.length === 0) failures.delete(key);
      }
    },
    size() {
      return failures.size;
    },
  };
}
