// GET /api/municipality: the municipality's name and the letterhead's contact details (P6) for
// the preview on the device, beside /api/municipality/logo. Public like the letters they are
// printed on, so no token; the device keeps its own copy for offline previews
// (client/app/letter/use-municipality.ts) and revalidates with the ETag.
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { MUNICIPALITY_INFO_PATH, type MunicipalityInfo } from '../../shared/protocol/municipality';

export function registerMunicipalityRoute(app: FastifyInstance, info: MunicipalityInfo): void {
  const body = JSON.stringify(info);
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
  app.get(MUNICIPALITY_INFO_PATH, async (request, reply) => {
    reply.header('cache-control', 'no-cache').header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
