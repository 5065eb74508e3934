// GET /api/health (G7: 200 `{"status":"ok"}` or 503 with a reason) and GET /api/ready (G8: 200
// only while serving). While the server stops, every other request gets 503 `server-stopping`
// with `Connection: close`, as Fastify would, but through our hooks and headers.
import type { FastifyInstance } from 'fastify';
import type { Health } from '../health/health';

export function registerHealthRoutes(app: FastifyInstance, health: Health): void {
  // Y1: every visible app asks this every 2 s to know it can reach the server; a log line per ask
  // would drown the log. Failures (5xx) are still logged by the error handler.
  app.get('/api/health', { logLevel: 'warn' }, async (_request, reply) => {
    const { status, body } = await health.check();
    return reply.code(status).header('cache-control', 'no-store').send(body);
  });
  app.get('/api/ready', async (_request, reply) => {
    const { status, body } = health.ready();
    return reply.code(status).header('cache-control', 'no-store').send(body);
  });
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0];
    if (health.phase !== 'stopping' || path === '/api/ready' || path === '/api/health') return;
    await reply.code(503).header('connection', 'close').header('cache-control', 'no-store').send({ error: 'server-stopping' });
  });
}
