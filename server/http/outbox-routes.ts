// GET /api/outbox: the back office's view of the team's deliveries to the DMS (O3): what waits,
// what failed and why, when the next attempt is, and each archived document's DMS reference.
// Office role only. Undelivered first, then newest submission first; `?status=` filters.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuthService } from '../auth/auth-service';
import type { Store, TeamDelivery } from '../store/types';
import { authorize, jsonAnswer, send } from './replies';

export interface OutboxRoutesDeps {
  auth: AuthService;
  store: Pick<Store, 'listTeamDeliveries'>;
}

/** More than a back office reads on one screen; older archived rows fall off the end. */
export const OUTBOX_LIST_LIMIT = 500;

const Query = z.looseObject({ status: z.enum(['wacht-op-dms', 'in-dms', 'mislukt']).optional() });

export type DeliveryStatus = 'wacht-op-dms' | 'in-dms' | 'mislukt';

/** As `GET /api/documents/:id` words it for a queued submission (O1, O3). */
export function deliveryStatus(d: TeamDelivery): DeliveryStatus {
  if (d.delivery.state === 'delivered') return 'in-dms';
  return d.delivery.lastError === null ? 'wacht-op-dms' : 'mislukt';
}

export function outboxEntry(d: TeamDelivery): Record<string, unknown> {
  const delivered = d.delivery.state === 'delivered';
  return {
    docId: d.docId,
    title: d.title,
    version: d.version,
    identificatie: d.identificatie,
    zaak: d.zaak,
    status: deliveryStatus(d),
    attempts: d.delivery.attempts,
    lastError: d.delivery.lastError,
    // O4: a failed delivery has no next attempt until retry-delivery.
    nextAttemptAt: delivered || d.delivery.state === 'failed' ? null : d.delivery.nextAttemptAt,
    dmsReference: d.delivery.reference,
    submittedAt: d.submittedAt,
    archivedAt: d.delivery.deliveredAt,
    // J1, J2: the letter's date, how it leaves, and when it left (null until sent).
    dagtekening: d.sending?.dagtekening ?? null,
    verzending: d.sending?.sentOn ?? null,
    verzenddatum: d.sending?.verzenddatum ?? null,
    bezwaartermijnEinde: d.sending?.bezwaartermijnEinde ?? null,
  };
}

export function registerOutboxRoutes(app: FastifyInstance, deps: OutboxRoutesDeps): void {
  app.get('/api/outbox', async (request, reply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    if (!claims.roles.includes('office')) return send(reply, jsonAnswer(403, { error: 'role-required', role: 'office' }));
    const query = Query.safeParse(request.query);
    if (!query.success) return send(reply, jsonAnswer(400, { error: 'bad-request', issues: [{ path: ['status'], code: 'invalid-status' }] }));
    const rows = (await deps.store.listTeamDeliveries(claims.teamId, OUTBOX_LIST_LIMIT)).map(outboxEntry);
    const wanted = query.data.status;
    return send(reply, jsonAnswer(200, wanted === undefined ? rows : rows.filter((r) => r.status === wanted)));
  });
}
