// F1–F7, F13: the HTTP face of attachments (shared/protocol/attachments.ts). Thin: parse, check the
// token and the document role, hand over to the service, write its answer. Body limits per route:
// a declaration is small JSON, a chunk at most ATTACHMENT_CHUNK_BYTES of raw bytes.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { worksOnDocuments } from '../../shared/model/roles';
import { ATTACHMENT_CHUNK_CONTENT_TYPE, AttachmentDeclareSchema, UPLOAD_OFFSET_HEADER } from '../../shared/protocol/attachments';
import type { AccessClaims, AuthService } from '../auth/auth-service';
import { actorOf, type AuditRecorder } from '../audit/recorder';
import { documentRoleRequired, drainAwareClaims } from '../http/document-routes';
import { jsonAnswer, send } from '../http/replies';
import type { DocumentStore } from '../store/types';
import type { AttachmentService, Caller, Outcome } from './attachment-service';

export interface AttachmentRoutesDeps {
  auth: AuthService;
  service: AttachmentService;
  store: Pick<DocumentStore, 'getDocument'>;
  /** K24: whether a device sent updates to a document before (a draining device's own work). */
  deviceWrote?: (docId: string, deviceId: string) => Promise<boolean>;
  audit?: AuditRecorder;
  chunkBytes: number;
}

const Params = z.object({ id: z.string().min(1).max(200) });
const AttachmentParams = z.object({
  id: z.string().min(1).max(200),
  aid: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
});
const Offset = z.string().regex(/^[0-9]{1,12}$/);

const DECLARE_BODY_LIMIT = 16 * 1024;

const answer = (reply: FastifyReply, outcome: Outcome): FastifyReply => send(reply, jsonAnswer(outcome.httpStatus, outcome.body));

export function registerAttachmentRoutes(app: FastifyInstance, deps: AttachmentRoutesDeps): void {
  const { service } = deps;
  // The chunk's raw bytes; JSON and other types are refused by Fastify (415) before the handler.
  app.addContentTypeParser(ATTACHMENT_CHUNK_CONTENT_TYPE, { parseAs: 'buffer', bodyLimit: deps.chunkBytes }, (_request, body, done) => done(null, body));

  /** The caller as the service needs it, or null after answering (401, 403, draining device on others' work). */
  const callerOf = async (request: FastifyRequest, reply: FastifyReply, docId: string | null): Promise<{ caller: Caller; claims: AccessClaims } | null> => {
    const claims = await drainAwareClaims(request, reply, deps.auth);
    if (claims === null) return null;
    if (!worksOnDocuments(claims.roles)) {
      void send(reply, documentRoleRequired);
      return null;
    }
    // K24: a draining device sends its own work only, attachments included.
    if (claims.draining && (docId === null || !(await ownWork(deps, docId, claims)))) {
      void send(reply, jsonAnswer(403, { error: 'device-draining' }));
      return null;
    }
    return { caller: { userId: claims.userId, teamId: claims.teamId, actor: actorOf(request, claims) }, claims };
  };

  app.get('/api/attachment-policy', async (request, reply) => {
    const claims = await drainAwareClaims(request, reply, deps.auth);
    if (claims === null) return reply;
    return send(reply, jsonAnswer(200, service.policy()));
  });

  app.route({
    method: 'POST',
    url: '/api/documents/:id/attachments',
    bodyLimit: DECLARE_BODY_LIMIT,
    errorHandler: sendBodyError,
    handler: async (request, reply) => {
      const params = Params.safeParse(request.params);
      const who = await callerOf(request, reply, params.success ? params.data.id : null);
      if (who === null) return reply;
      if (!params.success) return send(reply, jsonAnswer(404, { error: 'not-found' }));
      const body = AttachmentDeclareSchema.safeParse(request.body);
      if (!body.success) return send(reply, badRequest(body.error.issues.map((i) => ({ path: i.path.map(String), code: i.code, message: i.message }))));
      return answer(reply, await service.declare(who.caller, params.data.id, body.data));
    },
  });

  app.route({
    method: 'PATCH',
    url: '/api/documents/:id/attachments/:aid',
    bodyLimit: deps.chunkBytes,
    errorHandler: sendBodyError,
    handler: async (request, reply) => {
      const params = AttachmentParams.safeParse(request.params);
      const who = await callerOf(request, reply, params.success ? params.data.id : null);
      if (who === null) return reply;
      if (!params.success) return send(reply, jsonAnswer(404, { error: 'not-found' }));
      const offset = Offset.safeParse(request.headers[UPLOAD_OFFSET_HEADER]);
      if (!offset.success) return send(reply, badRequest([{ path: ['Upload-Offset'], code: 'upload-offset', message: 'Upload-Offset must be a whole number of bytes' }]));
      const raw = request.body;
      if (!(raw instanceof Uint8Array)) return send(reply, jsonAnswer(415, { error: 'unsupported-media-type', message: `Stuur de bytes als ${ATTACHMENT_CHUNK_CONTENT_TYPE}.` }));
      const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
      const outcome = await service.chunk(who.caller, params.data.id, params.data.aid, Number(offset.data), bytes);
      return answer(reply, outcome);
    },
  });

  app.get('/api/documents/:id/attachments/:aid/status', async (request, reply) => {
    const params = AttachmentParams.safeParse(request.params);
    const who = await callerOf(request, reply, params.success ? params.data.id : null);
    if (who === null) return reply;
    if (!params.success) return send(reply, jsonAnswer(404, { error: 'not-found' }));
    return answer(reply, await service.status(who.caller, params.data.id, params.data.aid));
  });

  // F7: the bytes, for the document's team only (the same 404 for others and for unknown ones).
  app.get('/api/documents/:id/attachments/:aid', async (request, reply) => {
    const params = AttachmentParams.safeParse(request.params);
    const claims = await drainAwareClaims(request, reply, deps.auth);
    if (claims === null) return reply;
    if (!worksOnDocuments(claims.roles)) return send(reply, documentRoleRequired);
    if (claims.draining) return send(reply, jsonAnswer(403, { error: 'device-draining' }));
    if (!params.success) return send(reply, jsonAnswer(404, { error: 'not-found' }));
    const found = await service.bytes({ userId: claims.userId, teamId: claims.teamId }, params.data.id, params.data.aid);
    if (!found.ok) return answer(reply, found.outcome);
    const { row, bytes } = found;
    // U5, F17: every copy handed out is one entry (a photo may show a citizen's home or letter).
    await deps.audit?.record(actorOf(request, claims), {
      action: 'attachment-downloaded',
      documentId: row.docId,
      details: { attachmentId: row.id, sha256: row.sha256 },
    });
    return reply
      .code(200)
      .type(row.mediaType)
      .header('Content-Disposition', `inline; filename="${asciiName(row.name)}"; filename*=UTF-8''${encodeURIComponent(row.name)}`)
      .header('Cache-Control', 'private, no-store')
      .header('X-Content-Type-Options', 'nosniff')
      .header('ETag', `"${row.sha256}"`)
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}

/** K24: a document the draining device's user made, or this device wrote to before. */
async function ownWork(deps: AttachmentRoutesDeps, docId: string, claims: AccessClaims): Promise<boolean> {
  const row = await deps.store.getDocument(docId);
  if (row === null) return false;
  return row.createdBy === claims.userId || ((await deps.deviceWrote?.(docId, claims.deviceId)) ?? false);
}

/** A header-safe fallback name (the UTF-8 one is in filename*). */
function asciiName(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
}

function badRequest(issues: { path: string[]; code: string; message: string }[]) {
  return jsonAnswer(400, { error: 'bad-request', issues });
}

/** Body errors before the handler (too large, wrong content type, unreadable JSON) in the contract's shape. */
function sendBodyError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 500;
  if (status === 413) void send(reply, jsonAnswer(413, { error: 'payload-too-large', message: 'Dit deel van de bijlage is groter dan de server in één keer aanneemt.' }));
  else if (status === 415) void send(reply, jsonAnswer(415, { error: 'unsupported-media-type', message: `Stuur de bytes als ${ATTACHMENT_CHUNK_CONTENT_TYPE}.` }));
  else if (status === 400) void send(reply, badRequest([{ path: [], code: 'unreadable-body', message: error.message }]));
  else throw error;
}
