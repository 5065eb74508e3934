// GET /metrics for operators. Without METRICS_TOKEN only loopback may scrape (a request that
// came through a proxy, i.e. carries X-Forwarded-For or Forwarded, is not local, whatever the
// socket says); with METRICS_TOKEN set, `Authorization: Bearer <token>` is required from anywhere.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Metrics } from './metrics';

export interface MetricsRouteDeps {
  metrics: Pick<Metrics, 'render'>;
  /** METRICS_TOKEN; undefined or empty: loopback only. */
  token?: string;
}

export function registerMetricsRoute(app: FastifyInstance, deps: MetricsRouteDeps): void {
  const expected = deps.token !== undefined && deps.token !== '' ? digest(deps.token) : null;
  app.get('/metrics', async (request, reply) => {
    if (expected !== null) {
      const presented = bearer(request);
      if (presented === null || !timingSafeEqual(digest(presented), expected)) {
        return reply.code(401).header('WWW-Authenticate', 'Bearer').header('Cache-Control', 'no-store').send({ error: 'token-invalid' });
      }
    } else if (!isLocal(request)) {
      return reply.code(403).header('Cache-Control', 'no-store').send({ error: 'metrics-loopback-only' });
    }
    const { contentType, body } = await deps.metrics.render();
    return reply.code(200).header('Cache-Control', 'no-store').type(contentType).send(body);
  });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** Loopback, and not relayed by a proxy on this machine. `request.ip` honours TRUST_PROXY. */
export function isLocal(request: FastifyRequest): boolean {
  if (request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined) return false;
  return isLoopback(request.ip);
}

export function isLoopback(ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return ip === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
