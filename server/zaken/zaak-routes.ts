// X1, X4, X5: POST /api/zaken/zoek, thin: bearer token, a document role (B9), the user's rate,
// the body (shared/protocol/zaken.ts), then the look-up. Without a look-up (no ZGW, or
// ZAAK_LOOKUP=off) it answers `{available: false}` and the app keeps the field free text.
import type { FastifyInstance } from 'fastify';
import { worksOnDocuments } from '../../shared/model/roles';
import { ZAAK_SEARCH_PATH, ZaakLookupFailure, ZaakSearchRequestSchema, type ZaakSearchAnswer } from '../../shared/protocol/zaken';
import type { AuthService } from '../auth/auth-service';
import { documentRoleRequired } from '../http/document-routes';
import { authorize, jsonAnswer, send } from '../http/replies';
import { createRateBucket, type RateBucket } from '../limits/rate-bucket';
import type { ZaakLookup } from './zaak-lookup';

export interface ZaakRoutesDeps {
  auth: AuthService;
  /** Null: no look-up here (X1). */
  lookup: ZaakLookup | null;
  perMinute: number;
  now: () => number;
  nameOf: (userId: string) => Promise<string>;
}

/** A query is at most 100 characters; the rest is JSON around it. */
const BODY_LIMIT = 2 * 1024;
/** Users whose bucket is kept; full buckets are forgotten first. */
const MAX_BUCKETS = 10_000;

const STATUS_OF: Record<ZaakLookupFailure, number> = {
  [ZaakLookupFailure.timeout]: 504,
  [ZaakLookupFailure.unreachable]: 502,
  [ZaakLookupFailure.badAnswer]: 502,
  [ZaakLookupFailure.refused]: 502,
  [ZaakLookupFailure.rateLimited]: 429,
};

export function registerZaakRoutes(app: FastifyInstance, deps: ZaakRoutesDeps): void {
  const buckets = new Map<string, RateBucket>();
  const bucketOf = (userId: string): RateBucket => {
    let bucket = buckets.get(userId);
    if (bucket === undefined) {
      if (buckets.size >= MAX_BUCKETS) for (const [id, b] of buckets) if (b.isFull()) buckets.delete(id);
      bucket = createRateBucket(deps.perMinute, deps.perMinute / 60, deps.now);
      buckets.set(userId, bucket);
    }
    return bucket;
  };

  app.post(ZAAK_SEARCH_PATH, { bodyLimit: BODY_LIMIT }, async (request, reply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    if (!worksOnDocuments(claims.roles)) return send(reply, documentRoleRequired);
    const body = ZaakSearchRequestSchema.safeParse(request.body);
    if (!body.success) return send(reply, jsonAnswer(400, { error: 'bad-request' }));
    if (deps.lookup === null) return send(reply, jsonAnswer(200, { available: false } satisfies ZaakSearchAnswer));
    // X5: the DMS is shared by the whole municipality; one device typing fast must not flood it.
    if (!bucketOf(claims.userId).take()) {
      const retryAfterSeconds = Math.max(1, Math.ceil(60 / deps.perMinute));
      reply.header('Retry-After', String(retryAfterSeconds));
      return send(reply, jsonAnswer(429, { error: ZaakLookupFailure.rateLimited, retryAfterSeconds }));
    }
    const found = await deps.lookup.search(body.data.q, { id: claims.userId, name: await deps.nameOf(claims.userId) });
    if (!found.ok) return send(reply, jsonAnswer(STATUS_OF[found.reason], { error: found.reason }));
    return send(reply, jsonAnswer(200, { available: true, results: found.value.results, more: found.value.more } satisfies ZaakSearchAnswer));
  });
}
