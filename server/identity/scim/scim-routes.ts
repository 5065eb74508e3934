// HTTP face of SCIM 2.0 at /scim/v2 (C1–C9): bearer SCIM_TOKEN compared in constant time, JSON
// bodies as `application/scim+json` or `application/json`, RFC 7644 error bodies for every
// refusal (bad token, unreadable body, unknown route included). Handlers parse, call the
// ScimService, serialise. Without SCIM_TOKEN nothing is registered: /scim/v2 is a plain 404 (C1).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  SCIM_CONTENT_TYPE,
  ScimGroupInput,
  ScimPatchRequest,
  ScimUserInput,
} from '../../../shared/protocol/scim';
import { fail, scimErrorBody, type ScimProblem, type ScimResult } from './errors';
import { parseEqFilter } from './filter';
import { groupBody, listBody, MAX_PAGE, resourceTypes, schemas, serviceProviderConfig, userBody } from './resources';
import type { ScimCaller, ScimService } from './scim-service';
import type { ScimGroup, ScimUser } from '../../store/types';

export const SCIM_PREFIX = '/scim/v2';
/** C1: shorter tokens are refused at start: a guessable token would open account management. */
export const SCIM_TOKEN_MIN_LENGTH = 32;

export interface ScimRouteDeps {
  service: ScimService;
  token: string;
}

interface Params {
  id: string;
}

interface ListQuery {
  filter?: string;
  startIndex?: string;
  count?: string;
  excludedAttributes?: string;
}

export async function registerScimRoutes(app: FastifyInstance, deps: ScimRouteDeps): Promise<void> {
  if (deps.token.length < SCIM_TOKEN_MIN_LENGTH) throw new Error(`SCIM_TOKEN must be at least ${SCIM_TOKEN_MIN_LENGTH} characters`);
  const expected = digest(deps.token);
  const { service } = deps;

  await app.register(
    (scim, _options, done) => {
      const jsonParser = scim.getDefaultJsonParser('error', 'error');
      scim.addContentTypeParser(SCIM_CONTENT_TYPE, { parseAs: 'string' }, jsonParser);

      scim.addHook('onRequest', async (request, reply) => {
        const presented = bearer(request);
        if (presented === null || !timingSafeEqual(digest(presented), expected)) {
          return sendProblem(reply.header('WWW-Authenticate', 'Bearer realm="scim"'), { status: 401, detail: 'a valid bearer token is required' });
        }
        return undefined;
      });
      scim.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
        const status = error.statusCode ?? 500;
        if (status === 413) return sendProblem(reply, { status: 413, detail: 'request body too large', scimType: 'tooMany' });
        if (status === 415) return sendProblem(reply, { status: 400, detail: 'the body must be application/scim+json', scimType: 'invalidSyntax' });
        if (status >= 400 && status < 500) return sendProblem(reply, { status: 400, detail: 'the body is not valid JSON', scimType: 'invalidSyntax' });
        request.log.error({ err: error }, 'scim request failed');
        return sendProblem(reply, { status: 500, detail: `internal error (request ${request.id})` });
      });
      scim.setNotFoundHandler((_request, reply) => sendProblem(reply, { status: 404, detail: 'no such endpoint' }));

      const base = (request: FastifyRequest): string => `${request.protocol}://${request.host}${SCIM_PREFIX}`;

      // --- Users ---
      scim.get<{ Querystring: ListQuery }>('/Users', async (request, reply) => {
        const filter = readFilter(request.query.filter, ['userName', 'externalId', 'id']);
        if (!filter.ok) return sendProblem(reply, filter.problem);
        const page = readPage(request.query);
        const [users, groups] = await Promise.all([service.listUsers(filter.value), service.groupsByUser()]);
        const bodies = users.map((u) => userBody(base(request), u, groups.get(u.user.id) ?? []));
        return sendScim(reply, 200, listBody(bodies, page.startIndex, page.count));
      });
      scim.post('/Users', async (request, reply) => {
        const input = ScimUserInput.safeParse(request.body);
        if (!input.success) return sendProblem(reply, invalid(input.error));
        return sendUser(request, reply, await service.createUser(input.data, callerOf(request)), 201);
      });
      scim.get<{ Params: Params }>('/Users/:id', async (request, reply) => sendUser(request, reply, await service.getUser(request.params.id), 200));
      scim.put<{ Params: Params }>('/Users/:id', async (request, reply) => {
        const input = ScimUserInput.safeParse(request.body);
        if (!input.success) return sendProblem(reply, invalid(input.error));
        return sendUser(request, reply, await service.replaceUser(request.params.id, input.data, callerOf(request)), 200);
      });
      scim.patch<{ Params: Params }>('/Users/:id', async (request, reply) => {
        const patch = ScimPatchRequest.safeParse(request.body);
        if (!patch.success) return sendProblem(reply, invalid(patch.error));
        return sendUser(request, reply, await service.patchUser(request.params.id, patch.data.Operations, callerOf(request)), 200);
      });
      scim.delete<{ Params: Params }>('/Users/:id', async (request, reply) => {
        const result = await service.deleteUser(request.params.id, callerOf(request));
        return result.ok ? reply.code(204).header('Cache-Control', 'no-store').send() : sendProblem(reply, result.problem);
      });

      // --- Groups (teams) ---
      scim.get<{ Querystring: ListQuery }>('/Groups', async (request, reply) => {
        const filter = readFilter(request.query.filter, ['displayName', 'externalId', 'id']);
        if (!filter.ok) return sendProblem(reply, filter.problem);
        const page = readPage(request.query);
        const withMembers = !excludes(request.query.excludedAttributes, 'members');
        const [groups, names] = await Promise.all([service.listGroups(filter.value), service.userNames()]);
        return sendScim(reply, 200, listBody(groups.map((g) => groupBody(base(request), g, names, withMembers)), page.startIndex, page.count));
      });
      scim.post('/Groups', async (request, reply) => {
        const input = ScimGroupInput.safeParse(request.body);
        if (!input.success) return sendProblem(reply, invalid(input.error));
        return sendGroup(request, reply, await service.createGroup(input.data, callerOf(request)), 201);
      });
      scim.get<{ Params: Params; Querystring: ListQuery }>('/Groups/:id', async (request, reply) =>
        sendGroup(request, reply, await service.getGroup(request.params.id), 200, !excludes(request.query.excludedAttributes, 'members')),
      );
      scim.put<{ Params: Params }>('/Groups/:id', async (request, reply) => {
        const input = ScimGroupInput.safeParse(request.body);
        if (!input.success) return sendProblem(reply, invalid(input.error));
        return sendGroup(request, reply, await service.replaceGroup(request.params.id, input.data, callerOf(request)), 200);
      });
      scim.patch<{ Params: Params }>('/Groups/:id', async (request, reply) => {
        const patch = ScimPatchRequest.safeParse(request.body);
        if (!patch.success) return sendProblem(reply, invalid(patch.error));
        return sendGroup(request, reply, await service.patchGroup(request.params.id, patch.data.Operations, callerOf(request)), 200);
      });
      scim.delete<{ Params: Params }>('/Groups/:id', async (request, reply) => {
        const result = await service.deleteGroup(request.params.id, callerOf(request));
        return result.ok ? reply.code(204).header('Cache-Control', 'no-store').send() : sendProblem(reply, result.problem);
      });

      // --- Discovery (RFC 7644 §4) ---
      scim.get('/ServiceProviderConfig', async (request, reply) => sendScim(reply, 200, serviceProviderConfig(base(request))));
      scim.get('/ResourceTypes', async (request, reply) => {
        const all = resourceTypes(base(request));
        return sendScim(reply, 200, listBody(all, 1, all.length));
      });
      scim.get<{ Params: Params }>('/ResourceTypes/:id', async (request, reply) => {
        const found = resourceTypes(base(request)).find((r) => r.id === request.params.id);
        return found ? sendScim(reply, 200, found) : sendProblem(reply, { status: 404, detail: 'no such resource type' });
      });
      scim.get('/Schemas', async (request, reply) => {
        const all = schemas(base(request));
        return sendScim(reply, 200, listBody(all, 1, all.length));
      });
      scim.get<{ Params: Params }>('/Schemas/:id', async (request, reply) => {
        const found = schemas(base(request)).find((s) => s.id === request.params.id);
        return found ? sendScim(reply, 200, found) : sendProblem(reply, { status: 404, detail: 'no such schema' });
      });
      done();
    },
    { prefix: SCIM_PREFIX },
  );

  async function sendUser(request: FastifyRequest, reply: FastifyReply, result: ScimResult<ScimUser>, status: 200 | 201): Promise<FastifyReply> {
    if (!result.ok) return sendProblem(reply, result.problem);
    const base = `${request.protocol}://${request.host}${SCIM_PREFIX}`;
    const body = userBody(base, result.value, await service.groupsOf(result.value.user.id));
    if (status === 201) void reply.header('Location', body.meta.location);
    return sendScim(reply, status, body);
  }

  async function sendGroup(request: FastifyRequest, reply: FastifyReply, result: ScimResult<ScimGroup>, status: 200 | 201, withMembers = true): Promise<FastifyReply> {
    if (!result.ok) return sendProblem(reply, result.problem);
    const base = `${request.protocol}://${request.host}${SCIM_PREFIX}`;
    const body = groupBody(base, result.value, await service.userNames(), withMembers);
    if (status === 201) void reply.header('Location', body.meta.location);
    return sendScim(reply, status, body);
  }
}

function sendScim(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('Cache-Control', 'no-store').type(`${SCIM_CONTENT_TYPE}; charset=utf-8`).send(body);
}

function sendProblem(reply: FastifyReply, problem: ScimProblem): FastifyReply {
  return sendScim(reply, problem.status, scimErrorBody(problem));
}

function readFilter(filter: string | undefined, allowed: readonly string[]): ScimResult<{ attribute: string; value: string } | null> {
  if (filter === undefined || filter.trim() === '') return { ok: true, value: null };
  return parseEqFilter(filter, allowed);
}

/** RFC 7644 §3.4.2.4: 1-based startIndex (below 1 counts as 1), count at most MAX_PAGE. */
function readPage(query: ListQuery): { startIndex: number; count: number } {
  const start = Number.parseInt(query.startIndex ?? '1', 10);
  const count = Number.parseInt(query.count ?? String(MAX_PAGE), 10);
  return {
    startIndex: Number.isFinite(start) && start >= 1 ? start : 1,
    count: Number.isFinite(count) ? Math.min(Math.max(count, 0), MAX_PAGE) : MAX_PAGE,
  };
}

function excludes(excluded: string | undefined, attribute: string): boolean {
  return (excluded ?? '').split(',').some((a) => a.trim().toLowerCase() === attribute.toLowerCase());
}

function invalid(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): ScimProblem {
  const first = error.issues[0];
  const where = first === undefined || first.path.length === 0 ? 'body' : first.path.map(String).join('.');
  // A wrong or missing attribute is a value problem; a body without the message's shape (no
  // Operations, not an object) is a syntax problem (RFC 7644 §3.12).
  const structural = first === undefined || first.path.length === 0 || first.path[0] === 'Operations';
  return fail(400, `${where}: ${first?.message ?? 'invalid'}`, structural ? 'invalidSyntax' : 'invalidValue').problem;
}

/** The IdP's provisioning client: its address (request.ip, TRUST_PROXY-aware) is all that is known of it. */
function callerOf(request: FastifyRequest): ScimCaller {
  return { address: request.ip };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}
