// CL13: bytes per second per user (L6) over every process. A message is judged at once, without a
// round trip to Redis: the bytes a process received are added up per user and charged to one token
// bucket per user in Redis every FLUSH_MS; when the shared bucket is in debt the user is refused
// on this process until it has refilled. A user over the rate is therefore refused within one
// flush on every process they send through, while this process's own bucket (L6) keeps acting
// at once. CL15: a flush that fails changes nothing; the per-process bucket still holds.
import type { Redis } from 'ioredis';
import type { SharedByteRate } from '../limits/usage-ledger';

// KEYS: the user's bucket. ARGV: now, amount, capacity, refill per ms. Charges into debt and
// returns the level after (floored; negative = in debt).
const CHARGE_SCRIPT = `
local now = tonumber(ARGV[1])
local cap = tonumber(ARGV[3])
local rate = tonumber(ARGV[4])
local v = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(v[1]) or cap
local at = tonumber(v[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - at) * rate) - tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', ARGV[1])
redis.call('PEXPIRE', KEYS[1], math.ceil((cap - math.min(tokens, 0)) / rate) + 1000)
return math.floor(tokens)
`;

export const FLUSH_MS = 100;

export interface RedisByteRateOptions {
  redis: Redis;
  burst: number;
  perSecond: number;
  now: () => number;
  onError: (error: unknown, context: string) => void;
  prefix?: string;
}

export interface RedisByteRate extends SharedByteRate {
  /** Charges what was received since the last flush (also run every FLUSH_MS). */
  flush(): Promise<void>;
  close(): void;
}

export function createRedisByteRate(options: RedisByteRateOptions): RedisByteRate {
  const { redis, now, burst, perSecond } = options;
  const prefix = options.prefix ?? 'kt:quota:user-bytes:';
  /** Bytes received per user, not yet charged. */
  const pending = new Map<string, number>();
  /** Users refused until this time: the shared bucket was in debt. */
  const refusedUntil = new Map<string, number>();
  let flushing = false;

  const flush = async (): Promise<void> => {
    if (flushing || pending.size === 0) return;
    flushing = true;
    const batch = [...pending];
    pending.clear();
    try {
      const pipeline = redis.pipeline();
      for (const [userId, bytes] of batch) pipeline.eval(CHARGE_SCRIPT, 1, prefix + userId, now(), bytes, burst, perSecond / 1000);
      const answers = (await pipeline.exec()) ?? [];
      const t = now();
      batch.forEach(([userId], i) => {
        const [error, level] = answers[i] ?? [null, 0];
        if (error !== null) return options.onError(error, 'shared byte rate');
        const tokens = Number(level);
        if (tokens < 0) refusedUntil.set(userId, t + Math.ceil((-tokens / perSecond) * 1000));
        else refusedUntil.delete(userId);
      });
    } catch (error) {
      options.onError(error, 'shared byte rate unavailable; this process limits on its own (CL15)');
    } finally {
      flushing = false;
    }
  };
  const timer = setInterval(() => void flush(), FLUSH_MS);
  timer.unref();

  return {
    admits(userId, bytes) {
      const until = refusedUntil.get(userId);
      if (until !== undefined) {
        if (now() < until) return false;
        refusedUntil.delete(userId);
      }
      pending.set(userId, (pending.get(userId) ?? 0) + bytes);
      return true;
    },
    flush,
    close() {
      clearInterval(timer);
    },
  };
}
