// V6: `GET /api/documents/:id/submissions/:version/text`, one frozen version's fields and
// sections as text, so the approve screen and the history can show what changed between two
// versions. For the office and the document's author only (other field workers of the team see
// the list, not the content); same 404 for unknown and foreign documents.
import type { FastifyInstance } from 'fastify';
import * as Y from 'yjs';
import { z } from 'zod';
import { versionParts } from '../../shared/model/version-text';
import type { VersionTextAnswer } from '../../shared/protocol/version-text';
import type { AuthService } from '../auth/auth-service';
import type { DocumentStore, SubmissionStore } from '../store/types';
import type { TemplateRegistry } from '../templates/registry';
import { worksOnDocuments } from '../../shared/model/roles';
import { notFound } from './actions';
import { documentRoleRequired } from './document-routes';
import { authorize, jsonAnswer, send } from './replies';

export interface VersionRoutesDeps {
  auth: AuthService;
  store: DocumentStore & Pick<SubmissionStore, 'getSubmission'>;
  templates: Pick<TemplateRegistry, 'get'>;
}

const Params = z.object({ id: z.string().min(1).max(200), version: z.string().regex(/^[1-9][0-9]{0,5}$/) });

export function registerVersionRoutes(app: FastifyInstance, deps: VersionRoutesDeps): void {
  app.get('/api/documents/:id/submissions/:version/text', async (request, reply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    if (!worksOnDocuments(claims.roles)) return send(reply, documentRoleRequired);
    const params = Params.safeParse(request.params);
    if (!params.success) return send(reply, notFound);
    const row = await deps.store.getDocument(params.data.id);
    if (row === null || row.teamId !== claims.teamId) return send(reply, notFound);
    if (!claims.roles.includes('office') && row.createdBy !== claims.userId) return send(reply, jsonAnswer(403, { error: 'role-required' }));
    const submission = await deps.store.getSubmission(row.id, Number(params.data.version));
    if (submission === null) return send(reply, notFound);
    const template = deps.templates.get(submission.templateId, submission.templateVersion);
    if (template === null) return send(reply, jsonAnswer(409, { error: 'unknown-template' }));
    const doc = new Y.Doc();
    try {
      Y.applyUpdate(doc, submission.content);
      const answer: VersionTextAnswer = {
        version: submission.version,
        templateId: submission.templateId,
        templateVersion: submission.templateVersion,
        submittedAt: submission.submittedAt,
        parts: versionParts(doc, template),
      };
      return send(reply.header('Cache-Control', 'private, no-store'), jsonAnswer(200, answer));
    } finally {
      doc.destroy();
    }
  });
}
