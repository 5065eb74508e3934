// HTTP face of documents (the outside contract): POST /api/documents/:id/actions, the only way
// a workflow status changes (W1), and GET /api/documents/:id. Handlers parse with zod, check
// the bearer token and hand over to server/http/actions.ts; they only write its answer.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ActionType } from '../../shared/model/status';
import type { AccessClaims, AuthService } from '../auth/auth-service';
import type { IndexService } from '../index/index-service';
import type { DocumentRow, DocumentStore } from '../store/types';
import { bearerClaims } from './auth-routes';
import { documentView, jsonAnswer, KeyedSerializer, notFound, performAction, type HttpAnswer } from './actions';

export interface DocumentRoutesDeps {
  auth: AuthService;
  store: DocumentStore;
  index: Pick<IndexService, 'documentChanged'>;
  now: () => number;
}

const Params = z.object({ id: z.string().min(1).max(200) });

// Further fields (the submit payload of the next issue) are allowed through untouched.
const ActionBody = z.looseObject({
  type: z.enum(ActionType),
  idempotencyKey: z
    .string()
    .min(8)
    .max(128)
    .regex(/^[A-Za-z0-9_-]+$/),
});

// An action is a type and a key; room for a submit payload, not for uploads.
const BODY_LIMIT = 64 * 1024;

export function registerDocumentRoutes(app: FastifyInstance, deps: DocumentRoutesDeps): void {
  const perDocument = new KeyedSerializer();
  const documentChanged = (row: DocumentRow): Promise<void> => deps.index.documentChanged(row);

  app.route({
    method: 'POST',
    url: '/api/documents/:id/actions',
    bodyLimit: BODY_LIMIT,
    errorHandler: sendBodyError,
    handler: async (request, reply) => {
      const claims = await authorize(request, reply, deps.auth);
      if (claims === null) return reply;
      const params = Params.safeParse(request.params);
      if (!params.success) return send(reply, notFound);
      const body = ActionBody.safeParse(request.body);
      if (!body.success) return send(reply, badRequest(body.error.issues));
      const docId = params.data.id;
      const answer = await perDocument.run(docId, () =>
        performAction(
          { store: deps.store, documentChanged, now: deps.now },
          {
            docId,
            userId: claims.userId,
            teamId: claims.teamId,
            roles: claims.roles,
            type: body.data.type,
            idempotencyKey: body.data.idempotencyKey,
          },
        ),
      );
      return send(reply, answer);
    },
  });

  app.get('/api/documents/:id', async (request, reply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    const params = Params.safeParse(request.params);
    if (!params.success) return send(reply, notFound);
    return send(reply, documentView(await deps.store.getDocument(params.data.id), claims.teamId));
  });
}

/** The token's claims, or null after answering 401 with the reason. */
async function authorize(request: FastifyRequest, reply: FastifyReply, auth: AuthService): Promise<AccessClaims | null> {
  const result = await bearerClaims(request, auth);
  if (result.ok) return result.claims;
  void send(reply.header('WWW-Authenticate', 'Bearer'), jsonAnswer(401, { error: result.reason }));
  return null;
}

function badRequest(issues: readonly z.core.$ZodIssue[]): HttpAnswer {
  return jsonAnswer(400, {
    error: 'bad-request',
    issues: issues.map((i) => ({ path: i.path.map(String), code: i.code, message: i.message })),
  });
}

function send(reply: FastifyReply, answer: HttpAnswer): FastifyReply {
  return reply
    .code(answer.httpStatus)
    .header('Cache-Control', 'no-store')
    .type('application/json; charset=utf-8')
    .send(answer.body);
}

/**
 * Body parsing fails before the handler runs (invalid JSON, wrong content type, too large);
 * answer those in the contract's shape. Anything else goes on to the app's error handler.
 */
function sendBodyError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 500;
  if (status === 400 || status === 415) {
    void send(reply, jsonAnswer(400, { error: 'bad-request', issues: [{ path: [], code: 'unreadable-body', message: error.message }] }));
  } else if (status === 413) void send(reply, jsonAnswer(413, { error: 'payload-too-large' }));
  else throw error;
}
