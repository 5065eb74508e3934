// GET /api/municipality/logo: the letterhead's logo (MUNICIPALITY_LOGO) for the preview on the
// device. Public like the letters it is printed on, so no token; the device keeps its own copy for
// offline use (client/app/letter/use-logo.ts) and revalidates with the ETag. Without a logo: 204
// (not 404, which every browser would log as an error on every preview).
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { LetterLogo } from '../pdf/logo';

export const LOGO_PATH = '/api/municipality/logo';

export function registerLogoRoute(app: FastifyInstance, logo: LetterLogo | null): void {
  const etag = logo === null ? '' : `"${createHash('sha256').update(logo.data).digest('hex').slice(0, 32)}"`;
  app.get(LOGO_PATH, async (request, reply) => {
    if (logo === null) return reply.code(204).send();
    reply.header('cache-control', 'no-cache').header('etag', etag);
    if (request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.type(logo.contentType).send(logo.data);
  });
}
