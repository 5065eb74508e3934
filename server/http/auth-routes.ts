// HTTP face of sign-in (the outside contract): POST /api/auth/login and /api/auth/refresh, plus
// POST /api/auth/logout (an addition: sign-out revokes the device's sign-in on the server), and
// `bearerClaims` for later routes. Handlers only parse with zod, call the AuthService and map
// its result to a status; the policy lives in server/auth.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bindLogContext } from './log-context';
import type { AuthService, IssuedDeviceKeys, TokenPair, VerifyResult } from '../auth/auth-service';
import type { AuditRecorder } from '../audit/recorder';
import type { DeviceReport } from '../store/types';
import { LoginRequestSchema, RefreshRequestSchema, type RateLimitedBody } from '../../shared/protocol/http';

/** What the routes need of a schema; the shared zod/mini schemas have it. */
interface BodySchema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false };
}

// Credentials are small; a large body here is an attack, not a login.
const BODY_LIMIT = 16 * 1024;

export interface AuthRouteHooks {
  /** A device signed out, or a reused refresh token revoked it: whatever it still has open (sockets) must end now. */
  onDeviceRevoked?: (deviceId: string) => void;
  /** U5: sign-in, failed sign-in, device registration, sign-out and revocation go on the trail. */
  audit?: AuditRecorder;
  /** The user a device belongs to (sign-out and a reused token name the device, not the user). */
  ownerOf?: (deviceId: string) => Promise<string | null>;
}

/** Longest attempted username kept on a failed sign-in's entry. */
const AUDIT_USERNAME_MAX = 100;

export function registerAuthRoutes(app: FastifyInstance, auth: AuthService, hooks: AuthRouteHooks = {}): void {
  /** A POST whose small JSON body must match `schema`; anything else is 400 in the contract's shape. */
  const post = <T>(url: string, schema: BodySchema<T>, handle: (body: T, request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>): void => {
    app.route({
      method: 'POST',
      url,
      bodyLimit: BODY_LIMIT,
      errorHandler: sendBodyError,
      handler: async (request, reply) => {
        const body = schema.safeParse(request.body);
        return body.success ? handle(body.data, request, reply) : sendError(reply, 400, 'bad-request');
      },
    });
  };

  const recordRevoked = async (request: FastifyRequest, deviceId: string, action: 'sign-out' | 'device-revoked', reason: string): Promise<void> => {
    if (hooks.audit === undefined) return;
    const userId = (await hooks.ownerOf?.(deviceId)) ?? null;
    await hooks.audit.record({ userId, deviceId, address: request.ip }, { action, details: { reason } });
  };

  post('/api/auth/login', LoginRequestSchema, async ({ username, password, deviceName, deviceProof, appVersion, storagePersisted }, request, reply) => {
    const report = deviceReport(appVersion, storagePersisted);
    const result = await auth.login({ username, password, deviceName, deviceProof, address: request.ip, report });
    if (result.ok) {
      // Every password sign-in binds a new device: one entry for each (U5).
      const actor = { userId: result.user.id, deviceId: result.deviceId, address: request.ip };
      await hooks.audit?.record(actor, { action: 'device-registered', details: { name: (deviceName ?? '').trim().slice(0, 120), method: 'password' } });
      await hooks.audit?.record(actor, { action: 'sign-in', details: { method: 'password' } });
      return sendPair(reply, result, result.deviceProof, result.device);
    }
    if (result.reason === 'rate-limited') {
      // Not recorded one by one: the limiter's refusals cost an attacker nothing, the disk something (U5).
      const body: RateLimitedBody = { error: 'rate-limited', retryAfterSeconds: result.retryAfterSeconds };
      return reply.code(429).header('Retry-After', String(result.retryAfterSeconds)).header('Cache-Control', 'no-store').send(body);
    }
    // I8: LOCAL_LOGIN=off; the sign-in screen offers only the municipality's account then.
    if (result.reason === 'local-login-off') return sendError(reply, 403, 'local-login-off');
    await hooks.audit?.record(
      { userId: result.userId, deviceId: null, address: request.ip },
      { action: 'sign-in-failed', details: { username: username.slice(0, AUDIT_USERNAME_MAX), reason: 'invalid-credentials' } },
    );
    return sendError(reply, 401, 'invalid-credentials');
  });

  post('/api/auth/refresh', RefreshRequestSchema, async ({ refreshToken, appVersion, storagePersisted }, request, reply) => {
    const result = await auth.refresh(refreshToken, deviceReport(appVersion, storagePersisted));
    // A reused token revoked its device (G2): its sockets close now (4401 device-revoked).
    if (!result.ok && result.revokedDeviceId !== undefined) {
      hooks.onDeviceRevoked?.(result.revokedDeviceId);
      // An IdP refusal (idp-refused) is recorded by the OIDC side with the IdP's answer (I9).
      if (result.reason === 'refresh-token-reused') await recordRevoked(request, result.revokedDeviceId, 'device-revoked', 'refresh-token-reused');
    }
    // The reason tells the client whether to wipe local data (revoked) or just sign in again.
    // K23: a revocation with a chosen wipe mode says it, so the app knows whether to send first.
    if (!result.ok && result.wipe !== undefined) return reply.code(401).header('Cache-Control', 'no-store').send({ error: result.reason, wipe: result.wipe });
    return result.ok ? sendPair(reply, result) : sendError(reply, 401, result.reason);
  });

  post('/api/auth/logout', RefreshRequestSchema, async ({ refreshToken }, request, reply) => {
    const revoked = await auth.logout(refreshToken);
    if (revoked !== null) {
      hooks.onDeviceRevoked?.(revoked);
      // Sign-out revokes the device: one entry says both (U5).
      await recordRevoked(request, revoked, 'sign-out', 'sign-out');
    }
    // 204 whether or not the token was known: sign-out is idempotent and tells nothing.
    return reply.code(204).header('Cache-Control', 'no-store').send();
  });
}

/** B6: what the device said about itself; undefined when it said nothing (older apps keep the stored values). */
function deviceReport(appVersion: string | undefined, storagePersisted: boolean | undefined): DeviceReport | undefined {
  if (appVersion === undefined && storagePersisted === undefined) return undefined;
  return { appVersion: appVersion ?? null, storagePersisted: storagePersisted ?? null };
}

export type BearerResult = VerifyResult | { ok: false; reason: 'token-missing' };

/** The token of `Authorization: Bearer <token>`, unchecked; null without one. */
export function bearerToken(request: FastifyRequest): string | null {
  const match = /^Bearer +([^\s]+) *$/i.exec(request.headers.authorization ?? '');
  return match?.[1] || null;
}

/** Reads `Authorization: Bearer <token>` and checks it (signature, expiry, revocation). */
export async function bearerClaims(request: FastifyRequest, auth: AuthService): Promise<BearerResult> {
  const token = bearerToken(request);
  if (token === null) return { ok: false, reason: 'token-missing' };
  const result = await auth.verifyAccessToken(token);
  // OP22: the request's later log lines say who, on which device.
  if (result.ok) bindLogContext(request, { userId: result.claims.userId, deviceId: result.claims.deviceId });
  return result;
}

function sendPair(reply: FastifyReply, pair: TokenPair, deviceProof?: string, device?: IssuedDeviceKeys): FastifyReply {
  const { accessToken, refreshToken, user } = pair;
  // OP22: a sign-in's or refresh's own lines say whom and which device it was for.
  bindLogContext(reply.request, { userId: user.id, deviceId: pair.deviceId });
  return reply
    .code(200)
    .header('Cache-Control', 'no-store')
    .send({
      accessToken,
      refreshToken,
      user,
      ...(deviceProof === undefined ? {} : { deviceProof }),
      ...(device === undefined ? {} : { device }),
    });
}

function sendError(reply: FastifyReply, status: number, error: string): FastifyReply {
  return reply.code(status).header('Cache-Control', 'no-store').send({ error });
}

/**
 * Body parsing fails before the handler runs (invalid JSON, wrong content type, too large);
 * answer those in the contract's shape. Anything else goes on to the app's error handler.
 */
function sendBodyError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 500;
  if (status === 400 || status === 415) void sendError(reply, 400, 'bad-request');
  else if (status === 413) void sendError(reply, 413, 'payload-too-large');
  else throw error;
}
