// The audit trail over HTTP (U6–U8): `GET /api/audit` for admins (filters user, document, period;
// JSON pages or a CSV export) and `GET /api/documents/:id/log`, a document's own entries for its
// history view (its team, like the document itself). Read only: no route changes or removes an
// entry; other methods on these paths answer 404 like any unknown route (U2).
import { worksOnDocuments } from '../../shared/model/roles';
import { documentRoleRequired } from './document-routes';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuthService } from '../auth/auth-service';
import { actorOf, type AuditRecorder } from '../audit/recorder';
import { auditCsv } from '../audit/csv';
import type { AuditRecord } from '../audit/types';
import type { DocumentStore } from '../store/types';
import {
  AUDIT_PAGE_MAX,
  AuditQuerySchema,
  type AuditEntryBody,
  type AuditListBody,
  type DocumentLogBody,
} from '../../shared/protocol/audit';
import { authorize, jsonAnswer, send } from './replies';
import { notFound } from './actions';

export interface AuditRoutesDeps {
  auth: AuthService;
  audit: AuditRecorder;
  store: Pick<DocumentStore, 'getDocument'>;
  /** A user's display name, null when the account is gone. */
  nameOf: (userId: string) => Promise<string | null>;
}

/** Most rows one CSV export carries; past it the `X-Audit-Next` header says where to go on. */
export const AUDIT_CSV_MAX = 50_000;
/** Most entries a document's log shows (its newest). */
export const DOCUMENT_LOG_MAX = 500;

const Params = z.object({ id: z.string().min(1).max(200) });

export function registerAuditRoutes(app: FastifyInstance, deps: AuditRoutesDeps): void {
  const names = (): ((userId: string | null) => Promise<string | null>) => {
    const cache = new Map<string, Promise<string | null>>();
    return (userId) => {
      if (userId === null) return Promise.resolve(null);
      let name = cache.get(userId);
      if (name === undefined) {
        name = deps.nameOf(userId);
        cache.set(userId, name);
      }
      return name;
    };
  };

  app.get('/api/audit', async (request, reply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    if (!claims.roles.includes('admin')) return send(reply, jsonAnswer(403, { error: 'role-required' }));
    const parsed = AuditQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      return send(reply, jsonAnswer(400, { error: 'bad-request', issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message })) }));
    }
    const q = parsed.data;
    const filter = {
      ...(q.user === undefined ? {} : { userId: q.user }),
      ...(q.document === undefined ? {} : { documentId: q.document }),
      ...(q.from === undefined ? {} : { from: Date.parse(q.from) }),
      ...(q.to === undefined ? {} : { to: Date.parse(q.to) }),
    };
    const nameOf = names();
    const view = async (r: AuditRecord): Promise<AuditEntryBody> => ({
      seq: r.seq,
      at: new Date(r.at).toISOString(),
      action: r.action,
      userId: r.userId,
      userName: await nameOf(r.userId),
      deviceId: r.deviceId,
      documentId: r.documentId,
      address: r.address,
      details: r.details,
    });
    let after = q.after === undefined ? 0 : Number(q.after);

    if (q.format === 'csv') {
      const rows: AuditEntryBody[] = [];
      let more = true;
      while (more && rows.length < AUDIT_CSV_MAX) {
        const page = await deps.audit.log.query({ ...filter, afterSeq: after, limit: Math.min(AUDIT_PAGE_MAX, AUDIT_CSV_MAX - rows.length) });
        for (const r of page) rows.push(await view(r));
        more = page.length > 0 && rows.length < AUDIT_CSV_MAX;
        after = page[page.length - 1]?.seq ?? after;
        if (page.length < AUDIT_PAGE_MAX) more = false;
      }
      const truncated = rows.length >= AUDIT_CSV_MAX && (await deps.audit.log.query({ ...filter, afterSeq: after, limit: 1 })).length > 0;
      // U7: who exported what is itself on the trail.
      await deps.audit.record(actorOf(request, claims), { action: 'audit-exported', details: { ...q, rows: rows.length } });
      if (truncated) void reply.header('X-Audit-Next', String(after));
      return reply
        .code(200)
        .header('Cache-Control', 'no-store')
        .header('Content-Disposition', 'attachment; filename="logboek.csv"')
        .type('text/csv; charset=utf-8')
        .send(auditCsv(rows));
    }

    const limit = Math.min(AUDIT_PAGE_MAX, q.limit === undefined ? AUDIT_PAGE_MAX : Math.max(1, Number(q.limit)));
    const page = await deps.audit.log.query({ ...filter, afterSeq: after, limit: limit + 1 });
    const shown = page.slice(0, limit);
    const body: AuditListBody = {
      entries: await Promise.all(shown.map(view)),
      next: page.length > limit ? (shown[shown.length - 1]?.seq ?? null) : null,
    };
    return send(reply, jsonAnswer(200, body));
  });

  app.get('/api/documents/:id/log', async (request, reply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    // B9: a document's log is the document's; an admin-only account does not read documents.
    if (!worksOnDocuments(claims.roles)) return send(reply, documentRoleRequired);
    const params = Params.safeParse(request.params);
    if (!params.success) return send(reply, notFound);
    const row = await deps.store.getDocument(params.data.id);
    if (row === null || row.teamId !== claims.teamId) return send(reply, notFound);
    const all = await deps.audit.log.query({ documentId: row.id });
    const nameOf = names();
    const body: DocumentLogBody = {
      entries: await Promise.all(
        all.slice(-DOCUMENT_LOG_MAX).map(async (r) => ({
          at: r.at,
          action: r.action,
          byName: await nameOf(r.userId),
          version: typeof r.details.version === 'number' ? r.details.version : null,
        })),
      ),
    };
    return send(reply, jsonAnswer(200, body));
  });
}
