// Who and what a log line is about (OP22): once a request's token is checked, its user and device
// ids join every later line of that request (the "request completed" line included), and a
// document route's id joins from the start. Ids only: names, titles and content never reach the
// log (README, "Logs").
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';

export interface LogContext {
  userId?: string;
  deviceId?: string;
  docId?: string;
}

type BindableLogger = FastifyBaseLogger & { setBindings?: (bindings: Record<string, unknown>) => void };

/** Adds ids to this request's logger (pino's setBindings on the request's child logger). */
export function bindLogContext(request: FastifyRequest, context: LogContext): void {
  (request.log as BindableLogger).setBindings?.({ ...context });
}

/** Routes `/api/documents/:id…`: the document id is known before anything else runs. */
export function registerDocumentLogContext(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const id = (request.params as { id?: unknown } | undefined)?.id;
    if (typeof id === 'string' && request.routeOptions.url?.startsWith('/api/documents/') === true) bindLogContext(request, { docId: id });
    done();
  });
}
