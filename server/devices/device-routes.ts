// HTTP face of the device vault's server side (K22, K25): POST /api/auth/device-status, asked by a
// locked device with its status token and no bearer token, and POST /api/auth/device-recovery,
// asked by a new sign-in for the previous device's recovery key. Thin: parse, decide, answer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditRecorder } from '../audit/recorder';
import type { AuthService } from '../auth/auth-service';
import { createLoginRateLimiter, type LoginRateLimiter } from '../auth/rate-limit';
import { authorize } from '../http/replies';
import type { AccountStore } from '../store/types';
import {
  DeviceRecoveryRequestSchema,
  DeviceReplacedRequestSchema,
  DeviceStatusRequestSchema,
  type DeviceStatusResponse,
} from '../../shared/protocol/device';
import { statusTokenMatches } from './keys';
import { deviceStanding } from './standing';

const BODY_LIMIT = 4 * 1024;

export interface DeviceRouteDeps {
  auth: AuthService;
  store: Pick<AccountStore, 'getDevice' | 'touchDevice' | 'revokeDevice' | 'setDeviceWipe' | 'markDeviceRecovered' | 'forgetRecoveryKey'>;
  now: () => number;
  drainDays: number;
  audit?: AuditRecorder;
  /** The previous device's sockets close once its key went to the new sign-in. */
  onDeviceRevoked?: (deviceId: string) => void;
  /** Tests inject one with small limits. */
  statusLimiter?: LoginRateLimiter;
}

export function registerDeviceRoutes(app: FastifyInstance, deps: DeviceRouteDeps): void {
  const { store, now } = deps;
  // K22: wrong status tokens count like failed sign-ins, per (device, address) and per address.
  // The per-device count is set out of reach: strangers guessing must not silence the real device.
  const limiter =
    deps.statusLimiter ??
    createLoginRateLimiter({ now, limits: { pairMaxFailures: 10, accountMaxFailures: 1_000_000, addressMaxFailures: 100 } });

  app.post('/api/auth/device-status', { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const body = DeviceStatusRequestSchema.safeParse(request.body);
    if (!body.success) return answer(reply, 400, { error: 'bad-request' });
    const { deviceId, statusToken } = body.data;
    const start = await limiter.begin({ username: `device:${deviceId}`, address: request.ip, proofId: null });
    if (!start.ok) {
      return reply
        .code(429)
        .header('Retry-After', String(start.retryAfterSeconds))
        .header('Cache-Control', 'no-store')
        .send({ error: 'rate-limited', retryAfterSeconds: start.retryAfterSeconds });
    }
    const device = await store.getDevice(deviceId);
    // K22: an unknown device and a wrong token get one answer, after the same work: no oracle for
    // device ids. It is not "revoked": only a device that proves itself may be told to destroy data.
    if (!statusTokenMatches(statusToken, device?.statusTokenHash) || device === null) {
      return answer(reply, 401, { error: 'device-unknown' });
    }
    await limiter.succeeded(start.attempt);
    const t = now();
    // K22: an answer to the device itself is contact, whatever it says.
    await store.touchDevice(device.id, t);
    const standing = deviceStanding(device, t, deps.drainDays);
    const status: DeviceStatusResponse =
      standing.kind === 'active'
        ? { state: 'active' }
        : { state: 'revoked', wipe: standing.kind === 'draining' ? 'send-then-wipe' : standing.wipe };
    return answer(reply, 200, status);
  });

  app.post('/api/auth/device-recovery', { bodyLimit: BODY_LIMIT }, async (request: FastifyRequest, reply: FastifyReply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    const body = DeviceRecoveryRequestSchema.safeParse(request.body);
    if (!body.success) return answer(reply, 400, { error: 'bad-request' });
    const { previousDeviceId } = body.data;
    const previous = await store.getDevice(previousDeviceId);
    const t = now();
    // K25: another user's device, an unknown one and one revoked as lost get the same 404.
    const refused =
      previous === null ||
      previous.userId !== claims.userId ||
      previous.id === claims.deviceId ||
      previous.recoveryKey == null ||
      (previous.recoveredBy != null && previous.recoveredBy !== claims.deviceId) ||
      (previous.recoveredBy == null && isWipedAsLost(previous, t, deps.drainDays));
    if (refused) return answer(reply, 404, { error: 'device-not-recoverable' });
    // Recorded first: a lost answer may be asked again by this device, by no other (K25).
    if (!(await store.markDeviceRecovered(previous.id, claims.deviceId))) return answer(reply, 404, { error: 'device-not-recoverable' });
    const revokedNow = await store.revokeDevice(previous.id, t, 'wipe-now');
    // The data now lives under the new device; the old id must never drain or unlock anything again.
    if (!revokedNow) await store.setDeviceWipe(previous.id, 'wipe-now');
    deps.onDeviceRevoked?.(previous.id);
    if (previous.recoveredBy == null) {
      await deps.audit?.record(
        { userId: claims.userId, deviceId: claims.deviceId, address: request.ip },
        { action: 'device-revoked', details: { reason: 'recovered', deviceId: previous.id, name: previous.name.slice(0, 120) } },
      );
    }
    return answer(reply, 200, { recoveryKey: previous.recoveryKey });
  });

  // K28: a new sign-in on a device whose vault already existed (the old PIN opened it, the new
  // device keys wrap it now). The previous device id belongs to the same phone and is used no more:
  // revoke it, and forget its recovery key, which with an older copy of the profile would still
  // open the data key. Idempotent; another user's device, an unknown one and one's own get 404.
  app.post('/api/auth/device-replaced', { bodyLimit: BODY_LIMIT }, async (request: FastifyRequest, reply: FastifyReply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    const body = DeviceReplacedRequestSchema.safeParse(request.body);
    if (!body.success) return answer(reply, 400, { error: 'bad-request' });
    const previous = await store.getDevice(body.data.previousDeviceId);
    if (previous === null || previous.userId !== claims.userId || previous.id === claims.deviceId) {
      return answer(reply, 404, { error: 'device-not-found' });
    }
    const revokedNow = await store.revokeDevice(previous.id, now(), 'wipe-now');
    await store.forgetRecoveryKey(previous.id);
    deps.onDeviceRevoked?.(previous.id);
    if (revokedNow) {
      await deps.audit?.record(
        { userId: claims.userId, deviceId: claims.deviceId, address: request.ip },
        { action: 'device-revoked', details: { reason: 'replaced', deviceId: previous.id, name: previous.name.slice(0, 120) } },
      );
    }
    return reply.code(204).header('Cache-Control', 'no-store').send();
  });
}

/** K25: a device revoked as lost (wipe-now chosen, or its drain ran out) keeps its key on the server. */
function isWipedAsLost(device: Parameters<typeof deviceStanding>[0], now: number, drainDays: number): boolean {
  const standing = deviceStanding(device, now, drainDays);
  return standing.kind === 'revoked' && standing.chosen && standing.wipe === 'wipe-now';
}

function answer(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('Cache-Control', 'no-store').send(body);
}
