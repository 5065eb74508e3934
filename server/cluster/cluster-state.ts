// What several processes share besides rooms (CL10–CL19), opened from REDIS_URL in one place so
// app.ts wires it with a few lines: the revocation bus, the sign-in and device-status limiters
// and the socket/new-document quotas, on one command connection and one subscriber connection.
import type { Redis } from 'ioredis';
import type { LoginRateLimiter } from '../auth/rate-limit';
import type { AdmissionQuota } from '../limits/admission-quota';
import type { TrafficLimits } from '../limits/settings';
import type { UsageLedger } from '../limits/usage-ledger';
import { connectRedis, whenReady } from './redis';
import { createRedisAdmissionQuota } from './redis-admission-quota';
import { createRedisByteRate, type RedisByteRate } from './redis-byte-rate';
import { createRedisLoginLimiter } from './redis-login-limiter';
import { createRedisRevocationBus } from './redis-revocation-bus';
import type { RevocationBus } from './revocation-bus';

export interface ClusterState {
  readonly revocations: RevocationBus;
  /** G1 sign-in failures over all processes (CL11). */
  readonly loginLimiter: LoginRateLimiter;
  /** K22 wrong status tokens over all processes (CL11). */
  readonly statusLimiter: LoginRateLimiter;
  /** L7/L8 over all processes (CL12), for createTrafficControl; it shares the ledger's byte rate too (CL13). */
  quotaOf(limits: TrafficLimits): (ledger: UsageLedger) => AdmissionQuota;
  close(): Promise<void>;
}

export interface ClusterStateOptions {
  url: string;
  now: () => number;
  onError: (error: unknown, context: string) => void;
  /** How long the start waits for Redis before it goes on with per-process fallbacks (CL15). */
  readyTimeoutMs?: number;
}

/** The device-status limits of device-routes.ts (K22), kept equal here. */
const STATUS_LIMITS = { pairMaxFailures: 10, accountMaxFailures: 1_000_000, addressMaxFailures: 100 };

export async function startClusterState(options: ClusterStateOptions): Promise<ClusterState> {
  const { url, now, onError } = options;
  const commands: Redis = connectRedis(url, { onError: (error) => onError(error, 'redis (shared limits)') });
  const subscriber: Redis = connectRedis(url, { subscriber: true, onError: (error) => onError(error, 'redis (revocations)') });
  await whenReady(commands, options.readyTimeoutMs ?? 3_000);
  const revocations = await createRedisRevocationBus({ publisher: commands, subscriber, onError });
  const quotas: AdmissionQuota[] = [];
  const byteRates: RedisByteRate[] = [];
  return {
    revocations,
    loginLimiter: createRedisLoginLimiter({ redis: commands, now, prefix: 'kt:login:', onError }),
    statusLimiter: createRedisLoginLimiter({ redis: commands, now, prefix: 'kt:device-status:', limits: STATUS_LIMITS, onError }),
    quotaOf: (limits) => (ledger) => {
      const quota = createRedisAdmissionQuota({ redis: commands, limits, ledger, now, onError });
      quotas.push(quota);
      const bytes = createRedisByteRate({ redis: commands, burst: limits.userBytesBurst, perSecond: limits.userBytesPerSecond, now, onError });
      byteRates.push(bytes);
      ledger.sharedBytes = bytes;
      return quota;
    },
    async close() {
      for (const quota of quotas) quota.close();
      for (const rate of byteRates) rate.close();
      await revocations.close();
      subscriber.disconnect();
      // quit() lets releases already sent finish; a Redis that is gone does not hold the stop.
      await commands.quit().catch(() => commands.disconnect());
    },
  };
}
