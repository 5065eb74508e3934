// CL12: sockets and rooms per user and per device (L7) and new documents per hour (L8), counted
// over every process in Redis. Each admitted socket is a member `<admission id>|<room>` of a
// sorted set per user and per device, scored by when its lease runs out; the process renews the
// leases of its open sockets, so the sockets of a process that died stop counting after one lease
// (CL14) instead of holding the quota forever. New documents are a token bucket per user and
// device, as in memory. Every check-and-take is one Lua script, so two processes cannot both
// take the last place.
// CL15: when Redis does not answer, this process's own ledger decides (the quota then holds per
// process, as without REDIS_URL); a socket admitted that way is released there too.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { LimitReason } from '../../shared/protocol/limit-reasons';
import type { AdmissionQuota } from '../limits/admission-quota';
import type { TrafficLimits } from '../limits/settings';
import type { Admit, Holder, UsageLedger } from '../limits/usage-ledger';

// KEYS: user set, device set. ARGV: now, lease ms, member, room, sockets per user, per device,
// rooms per user, per device. Returns 0 when taken, else which limit is full (1–4).
const ADMIT_SCRIPT = `
local now = tonumber(ARGV[1])
local lease = tonumber(ARGV[2])
local room = ARGV[4]
local function usage(key)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  local members = redis.call('ZRANGE', key, 0, -1)
  local rooms, count, inRoom = {}, 0, false
  for _, m in ipairs(members) do
    local r = string.sub(m, string.find(m, '|', 1, true) + 1)
    if not rooms[r] then rooms[r] = true; count = count + 1 end
    if r == room then inRoom = true end
  end
  return #members, count, inRoom
end
local us, ur, uin = usage(KEYS[1])
local ds, dr, din = usage(KEYS[2])
if us >= tonumber(ARGV[5]) then return 1 end
if ds >= tonumber(ARGV[6]) then return 2 end
if not uin and ur >= tonumber(ARGV[7]) then return 3 end
if not din and dr >= tonumber(ARGV[8]) then return 4 end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now + lease, ARGV[3])
  redis.call('PEXPIRE', key, lease)
end
return 0
`;

// Token buckets, all or nothing. KEYS: one hash per bucket. ARGV: now, amount, then capacity and
// refill per ms of each bucket. Returns 0 when taken, else the (1-based) bucket that refused.
export const TAKE_BUCKETS_SCRIPT = `
local now = tonumber(ARGV[1])
local amount = tonumber(ARGV[2])
local levels = {}
for i, key in ipairs(KEYS) do
  local cap = tonumber(ARGV[1 + 2 * i])
  local rate = tonumber(ARGV[2 + 2 * i])
  local v = redis.call('HMGET', key, 't', 'at')
  local tokens = tonumber(v[1]) or cap
  local at = tonumber(v[2]) or now
  tokens = math.min(cap, tokens + math.max(0, now - at) * rate)
  if tokens < math.min(amount, cap) then return i end
  levels[i] = tokens
end
for i, key in ipairs(KEYS) do
  local cap = tonumber(ARGV[1 + 2 * i])
  local rate = tonumber(ARGV[2 + 2 * i])
  redis.call('HSET', key, 't', tostring(levels[i] - amount), 'at', ARGV[1])
  redis.call('PEXPIRE', key, math.ceil((cap + amount) / rate))
end
return 0
`;

const ADMIT_REFUSALS: readonly LimitReason[] = [
  LimitReason.socketsPerUser,
  LimitReason.socketsPerDevice,
  LimitReason.roomsPerUser,
  LimitReason.roomsPerDevice,
];

const HOUR_MS = 3_600_000;
/** How long an admission counts without renewal: a dead process's sockets are free after this. */
export const DEFAULT_LEASE_MS = 60_000;

export interface RedisAdmissionQuotaOptions {
  redis: Redis;
  limits: TrafficLimits;
  /** This process's ledger: the answer when Redis does not give one (CL15). */
  ledger: UsageLedger;
  now: () => number;
  onError: (error: unknown, context: string) => void;
  leaseMs?: number;
  prefix?: string;
}

export function createRedisAdmissionQuota(options: RedisAdmissionQuotaOptions): AdmissionQuota {
  const { redis, limits, ledger, now } = options;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const prefix = options.prefix ?? 'kt:quota:';
  const userKey = (userId: string): string => `${prefix}user-sockets:${userId}`;
  const deviceKey = (deviceId: string): string => `${prefix}device-sockets:${deviceId}`;
  /** Admissions of this process held in Redis: member → its two keys, renewed until released. */
  const held = new Map<string, readonly [string, string]>();

  const renew = (): void => {
    if (held.size === 0) return;
    const until = now() + leaseMs;
    const pipeline = redis.pipeline();
    for (const [member, keys] of held) {
      for (const key of keys) pipeline.zadd(key, 'XX', until, member).pexpire(key, leaseMs);
    }
    pipeline.exec().catch((error: unknown) => options.onError(error, 'quota lease renewal'));
  };
  const renewal = setInterval(renew, Math.max(1, Math.floor(leaseMs / 3)));
  renewal.unref();

  return {
    async admit(holder: Holder, room: string): Promise<Admit> {
      const member = `${randomUUID()}|${room}`;
      const keys = [userKey(holder.userId), deviceKey(holder.deviceId)] as const;
      let answer: number;
      try {
        answer = Number(
          await redis.eval(ADMIT_SCRIPT, 2, ...keys, now(), leaseMs, member, room, limits.socketsPerUser, limits.socketsPerDevice, limits.roomsPerUser, limits.roomsPerDevice),
        );
      } catch (error) {
        options.onError(error, 'shared socket quota unavailable; this process counts on its own (CL15)');
        return ledger.admit(holder, room);
      }
      const refusal = ADMIT_REFUSALS[answer - 1];
      if (refusal !== undefined) return { ok: false, reason: refusal };
      held.set(member, keys);
      let released = false;
      return {
        ok: true,
        admission: {
          release: () => {
            if (released) return;
            released = true;
            held.delete(member);
            // A failed release is made good by the lease: the member stops counting when it runs out.
            redis
              .multi()
              .zrem(keys[0], member)
              .zrem(keys[1], member)
              .exec()
              .catch((error: unknown) => options.onError(error, 'quota release'));
          },
        },
      };
    },

    async takeNewDocument(holder: Holder): Promise<LimitReason | null> {
      const buckets = [
        [`${prefix}user-new-documents:${holder.userId}`, limits.newDocumentsPerHourUser],
        [`${prefix}device-new-documents:${holder.deviceId}`, limits.newDocumentsPerHourDevice],
      ] as const;
      let answer: number;
      try {
        answer = Number(
          await redis.eval(TAKE_BUCKETS_SCRIPT, 2, buckets[0][0], buckets[1][0], now(), 1, ...buckets.flatMap(([, perHour]) => [perHour, perHour / HOUR_MS])),
        );
      } catch (error) {
        options.onError(error, 'shared new-document quota unavailable; this process counts on its own (CL15)');
        return ledger.takeNewDocument(holder);
      }
      if (answer === 1) return LimitReason.newDocumentsPerUser;
      if (answer === 2) return LimitReason.newDocumentsPerDevice;
      return null;
    },

    close() {
      clearInterval(renewal);
    },
  };
}
