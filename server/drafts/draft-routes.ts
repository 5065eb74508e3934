// E7: GET /api/drafts/discarded, the office's "Verwijderde concepten": the team's discarded
// concepts with who discarded them and until when they can be restored (restore itself is an
// action, POST /api/documents/:id/actions `restore`). Office role only.
import type { FastifyInstance } from 'fastify';
import { DISCARDED_PATH, type DiscardedList } from '../../shared/protocol/drafts';
import type { AuthService } from '../auth/auth-service';
import { purgeAfter } from '../http/draft-actions';
import { authorize, jsonAnswer, send } from '../http/replies';
import type { DraftStore } from '../store/types';

export interface DraftRoutesDeps {
  auth: AuthService;
  store: Pick<DraftStore, 'listDiscarded'>;
  retentionMs: number;
  nameOf: (userId: string) => Promise<string | null>;
}

export function registerDraftRoutes(app: FastifyInstance, deps: DraftRoutesDeps): void {
  app.get(DISCARDED_PATH, async (request, reply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    if (!claims.roles.includes('office')) return send(reply, jsonAnswer(403, { error: 'role-required', role: 'office' }));
    const rows = await deps.store.listDiscarded(claims.teamId);
    const names = new Map<string, string>();
    const nameOf = async (userId: string): Promise<string> => {
      const known = names.get(userId);
      if (known !== undefined) return known;
      const name = (await deps.nameOf(userId)) ?? userId;
      names.set(userId, name);
      return name;
    };
    const body: DiscardedList = { documents: [] };
    for (const row of rows) {
      const discardedAt = row.discardedAt ?? 0;
      body.documents.push({
        id: row.id,
        title: row.title,
        templateId: row.templateId,
        zaak: row.zaak,
        createdBy: row.createdBy,
        authorName: await nameOf(row.createdBy),
        updatedAt: row.updatedAt,
        discardedAt,
        discardedByName: row.discardedBy === null || row.discardedBy === undefined ? '' : await nameOf(row.discardedBy),
        purgeAfter: purgeAfter(discardedAt, deps.retentionMs),
      });
    }
    return reply.code(200).header('Cache-Control', 'no-store').send(body);
  });
}
