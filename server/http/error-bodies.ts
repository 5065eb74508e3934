// Error answers a client can act on (G4): Fastify's own failures (unreadable body, too large,
// unknown route) become a kebab-case reason; anything unexpected becomes 500 `internal` with the
// request id, while the cause (a database's text, a stack) goes only to the log under that id.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '../../shared/protocol/http';

const CLIENT_ERRORS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  408: 'request-timeout',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
  431: 'headers-too-large',
};

export function errorAnswer(error: Pick<FastifyError, 'statusCode'>, requestId: string): { status: number; body: ErrorBody } {
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return { status, body: { error: CLIENT_ERRORS[status] ?? 'bad-request' } };
  return { status: 500, body: { error: 'internal', requestId } };
}

export function registerErrorBodies(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = errorAnswer(error, request.id);
    // The log line carries reqId (Fastify's child logger) and the full error; the body does not.
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ err: { message: error.message, code: error.code } }, 'request refused');
    return reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(body);
  });
}

/** For the routes nothing else answers (no built app, or an /api/ path): 404 `not-found`. */
export function sendNotFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).send({ error: 'not-found' } satisfies ErrorBody);
}
