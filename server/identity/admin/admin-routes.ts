// HTTP face of administration (B1–B9): `/api/admin/*`, admin role only (B1). Handlers parse with
// the shared zod schemas, check the token and role, call the AdminService and map its refusal to
// a status; the policy is admin-service.ts's.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod/mini';
import {
  CreateUserRequestSchema,
  ResetPasswordRequestSchema,
  TeamRequestSchema,
  UpdateUserRequestSchema,
  type AdminRefusal,
} from '../../../shared/protocol/admin';
import type { AccessClaims, AuthService } from '../../auth/auth-service';
import type { DeviceWipe } from '../../store/types';
import { DeviceRevokeRequestSchema } from '../../../shared/protocol/device';
import { authorize, jsonAnswer, send } from '../../http/replies';
import type { AdminActor, AdminResult, AdminService } from './admin-service';

const BODY_LIMIT = 16 * 1024;
/** K23: no body, an empty one or `{wipe}`. */
const OptionalRevokeBody: Schema<{ wipe?: DeviceWipe | undefined }> = {
  safeParse: (input) => (input === undefined || input === null ? { success: true, data: {} } : DeviceRevokeRequestSchema.safeParse(input)),
};
const IdParams = z.object({ id: z.string().check(z.minLength(1), z.maxLength(200)) });
const SearchQuery = z.looseObject({ q: z.optional(z.string().check(z.maxLength(200))) });

const refusalStatus: Record<AdminRefusal, number> = {
  'not-found': 404,
  'username-taken': 409,
  'unknown-team': 422,
  'no-local-password': 409,
  'last-admin': 409,
  'own-account': 409,
  unprintable: 422,
};

interface Schema<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false };
}

export function registerAdminRoutes(app: FastifyInstance, deps: { auth: AuthService; admin: AdminService }): void {
  const { admin } = deps;

  /** The admin's claims, or null after answering 401 (no valid token) or 403 (not an admin, B1). */
  const adminClaims = async (request: FastifyRequest, reply: FastifyReply): Promise<AccessClaims | null> => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return null;
    if (!claims.roles.includes('admin')) {
      void send(reply, jsonAnswer(403, { error: 'role-required', role: 'admin' }));
      return null;
    }
    return claims;
  };
  const actorOf = (claims: AccessClaims, request: FastifyRequest): AdminActor => ({ userId: claims.userId, deviceId: claims.deviceId, address: request.ip });

  const reply = <T>(res: FastifyReply, result: AdminResult<T>, okStatus = 200): FastifyReply =>
    result.ok
      ? result.value === null
        ? res.code(204).header('Cache-Control', 'no-store').send()
        : send(res, jsonAnswer(okStatus, result.value))
      : send(res, jsonAnswer(refusalStatus[result.reason], { error: result.reason }));

  type Handler<B> = (claims: AccessClaims, body: B, id: string, request: FastifyRequest, res: FastifyReply) => Promise<FastifyReply>;
  /** One admin route: role check first (B1), then params and body; a wrong body is 400. */
  const route = <B>(method: 'GET' | 'POST' | 'PATCH', url: string, body: Schema<B> | null, handle: Handler<B>): void => {
    app.route({
      method,
      url,
      bodyLimit: BODY_LIMIT,
      errorHandler: sendBodyError,
      handler: async (request, res) => {
        const claims = await adminClaims(request, res);
        if (claims === null) return res;
        const params = IdParams.safeParse(request.params);
        const id = params.success ? params.data.id : '';
        let parsed = undefined as B;
        if (body !== null) {
          const result = body.safeParse(request.body);
          if (!result.success) return send(res, jsonAnswer(400, { error: 'bad-request' }));
          parsed = result.data;
        }
        return handle(claims, parsed, id, request, res);
      },
    });
  };

  route('GET', '/api/admin/users', null, async (_claims, _body, _id, request, res) => {
    const query = SearchQuery.safeParse(request.query);
    if (!query.success) return send(res, jsonAnswer(400, { error: 'bad-request' }));
    return send(res, jsonAnswer(200, { users: await admin.listUsers(query.data.q ?? '') }));
  });
  route('GET', '/api/admin/users/:id', null, async (_c, _b, id, _r, res) => reply(res, await admin.getUser(id)));
  route('POST', '/api/admin/users', CreateUserRequestSchema, async (claims, body, _id, request, res) =>
    reply(res, await admin.createUser(actorOf(claims, request), body), 201),
  );
  route('PATCH', '/api/admin/users/:id', UpdateUserRequestSchema, async (claims, body, id, request, res) =>
    reply(res, await admin.updateUser(actorOf(claims, request), id, body)),
  );
  route('POST', '/api/admin/users/:id/password', ResetPasswordRequestSchema, async (claims, body, id, request, res) =>
    reply(res, await admin.resetPassword(actorOf(claims, request), id, body.password)),
  );
  route('GET', '/api/admin/users/:id/devices', null, async (_c, _b, id, _r, res) => {
    const result = await admin.listDevices(id);
    return result.ok ? send(res, jsonAnswer(200, { devices: result.value })) : reply(res, result);
  });
  // K23: the body `{wipe}` is optional: older callers send none and get wipe-now.
  route('POST', '/api/admin/devices/:id/revoke', OptionalRevokeBody, async (claims, body, id, request, res) =>
    reply(res, await admin.revokeDevice(actorOf(claims, request), id, body.wipe ?? 'wipe-now')),
  );
  route('GET', '/api/admin/teams', null, async (_c, _b, _id, _r, res) => send(res, jsonAnswer(200, { teams: await admin.listTeams() })));
  route('POST', '/api/admin/teams', TeamRequestSchema, async (claims, body, _id, request, res) =>
    reply(res, await admin.createTeam(actorOf(claims, request), body.name), 201),
  );
  route('PATCH', '/api/admin/teams/:id', TeamRequestSchema, async (claims, body, id, request, res) =>
    reply(res, await admin.renameTeam(actorOf(claims, request), id, body.name)),
  );
}

/** Body parsing fails before the handler (invalid JSON, too large): the contract's shapes. */
function sendBodyError(error: FastifyError, _request: FastifyRequest, res: FastifyReply): void {
  const status = error.statusCode ?? 500;
  if (status === 400 || status === 415) void send(res, jsonAnswer(400, { error: 'bad-request' }));
  else if (status === 413) void send(res, jsonAnswer(413, { error: 'payload-too-large' }));
  else throw error;
}
