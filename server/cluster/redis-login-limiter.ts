// CL11: the failed-login limiter (G1) shared by every process through Redis: the same keys, limits
// and sliding window as the in-memory limiter (server/auth/rate-limit.ts), kept as one sorted set
// of failure times per key. Checking and recording happen in one Lua script, so attempts spread
// over processes cannot all pass the check before the first is counted.
// CL15: when Redis does not answer, the attempt is judged by this process's own in-memory limiter
// (the limits then hold per process, as before REDIS_URL), never let through unlimited and never
// refused for everybody; the log says so.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  attemptKeysOf,
  createLoginRateLimiter,
  defaultLoginLimits,
  maxFailuresFor,
  type AttemptStart,
  type LoginAttempt,
  type LoginLimits,
  type LoginRateLimiter,
} from '../auth/rate-limit';

// KEYS: the attempt's keys. ARGV: now, window (ms), this attempt's member, then each key's limit.
// Returns 0 when recorded, else the ms to wait (the oldest failure that still counts ages out).
const BEGIN_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local wait = 0
for i, key in ipairs(KEYS) do
  local max = tonumber(ARGV[3 + i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local n = redis.call('ZCARD', key)
  if n >= max then
    local oldest = redis.call('ZRANGE', key, n - max, n - max, 'WITHSCORES')
    local w = tonumber(oldest[2]) + window - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local max = tonumber(ARGV[3 + i])
  redis.call('ZADD', key, now, ARGV[3])
  redis.call('ZREMRANGEBYRANK', key, 0, -(max + 1))
  redis.call('PEXPIRE', key, window)
end
return 0
`;

export interface RedisLoginLimiterOptions {
  redis: Redis;
  now: () => number;
  limits?: Partial<LoginLimits>;
  /** Namespace of this limiter's keys (`kt:login:` for sign-in, another for device status). */
  prefix: string;
  onError: (error: unknown, context: string) => void;
}

export function createRedisLoginLimiter(options: RedisLoginLimiterOptions): LoginRateLimiter {
  const { redis, now, prefix } = options;
  const limits: LoginLimits = { ...defaultLoginLimits, ...options.limits };
  const local = createLoginRateLimiter({ now, limits });
  /** Which limiter counted an attempt, and its member in Redis. */
  const counted = new WeakMap<LoginAttempt, { member: string } | 'local'>();

  return {
    async begin(input): Promise<AttemptStart> {
      const t = now();
      const { keys, resetKey } = attemptKeysOf(input);
      const member = `${t}:${randomUUID()}`;
      let waitMs: number;
      try {
        const answer = await redis.eval(
          BEGIN_SCRIPT,
          keys.length,
          ...keys.map((key) => prefix + key),
          t,
          limits.windowMs,
          member,
          ...keys.map((key) => maxFailuresFor(key, limits)),
        );
        waitMs = Number(answer);
      } catch (error) {
        options.onError(error, 'shared sign-in limit unavailable; this process limits on its own (CL15)');
        const start = local.begin(input);
        if (start.ok) counted.set(start.attempt, 'local');
        return start;
      }
      if (waitMs > 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
      const attempt: LoginAttempt = { keys, resetKey, at: t };
      counted.set(attempt, { member });
      return { ok: true, attempt };
    },
    async succeeded(attempt) {
      const how = counted.get(attempt);
      if (how === undefined) return;
      if (how === 'local') return local.succeeded(attempt);
      // The pair's (or proof's) failures are forgotten; the account and address only lose this one.
      const pipeline = redis.multi().del(prefix + attempt.resetKey);
      for (const key of attempt.keys) if (key !== attempt.resetKey) pipeline.zrem(prefix + key, how.member);
      await pipeline.exec().catch((error: unknown) => options.onError(error, 'shared sign-in limit: success not recorded'));
    },
    size: () => local.size(),
  };
}
