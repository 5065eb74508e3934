// HTTP face of documents (the outside contract): POST /api/documents/:id/actions, the only way
// a workflow status changes (W1), GET /api/documents/:id with its submissions, and the stored
// PDF of a submission. Handlers parse with zod, check the token and hand over to actions.ts or
// the store; they only write the answer.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { worksOnDocuments } from '../../shared/model/roles';
import { ActionType } from '../../shared/model/status';
import { ReviewExpectation } from '../../shared/protocol/review';
import type { AccessClaims, AuthService } from '../auth/auth-service';
import type { IndexService } from '../index/index-service';
import { WorkflowStatus } from '../../shared/model/index-entry';
import type { DecisionRecord, DocumentRow, DocumentStore, SubmissionStore } from '../store/types';
import { amsterdamDate } from '../submit/hashing';
import type { Preparation } from '../submit/prepare-submission';
import { KeyedSerializer, notFound, performAction, REMARK_MAX } from './actions';
import { bearerClaims, bearerToken } from './auth-routes';
import { bindLogContext } from './log-context';
import { documentView } from './document-view';
import { authorize, jsonAnswer, send, type HttpAnswer } from './replies';
import type { DesignatedDay } from '../../shared/law/designated-days';
import { actorOf, type AuditRecorder } from '../audit/recorder';
import type { PdfLinkResponse } from '../../shared/protocol/pdf-link';
import { pdfPath } from '../../shared/protocol/pdf-link';
import { createPdfTickets, PDF_TICKET_TTL_MS, type PdfTickets } from './pdf-tickets';

export interface DocumentRoutesDeps {
  auth: AuthService;
  /** K24: whether a device sent updates to a document before (a draining device's own work). */
  deviceWrote?: (docId: string, deviceId: string) => Promise<boolean>;
  store: DocumentStore & SubmissionStore;
  index: Pick<IndexService, 'documentChanged'>;
  prepareSubmission: (input: { row: DocumentRow; userId: string; at: number }) => Promise<Preparation>;
  /** J1: prints the decision on a version as `deciderId` would take it at `at` (server/submit/render-decision.ts). */
  renderDecision: (input: { docId: string; version: number; deciderId: string; at: number }) => Promise<DecisionRecord>;
  deliveryQueued: () => void;
  /** J5: days designated under Atw art. 3 lid 3 beyond the built-in table (HOLIDAYS_FILE). */
  designatedDays?: readonly DesignatedDay[];
  /** V1: keeps content edits out of a document while its submit freezes it. */
  holdEdits?: (docId: string) => () => void;
  /** E3: how long a discarded concept may be restored (DRAFT_RETENTION_DAYS). */
  draftRetentionMs?: number;
  /** A user's display name for the review trail (W4); the id when not given or unknown. */
  nameOf?: (userId: string) => Promise<string>;
  /** U5: actions carried out and PDFs handed out are recorded. */
  audit?: AuditRecorder;
  now: () => number;
  /** N8: one-use tickets for PDF links; a fresh in-memory set when not given. */
  pdfTickets?: PdfTickets;
}

const Params = z.object({ id: z.string().min(1).max(200) });
const PdfParams = z.object({ id: z.string().min(1).max(200), version: z.string().regex(/^[1-9][0-9]{0,5}$/) });
const PdfQuery = z.looseObject({ token: z.string().min(1).max(4096).optional(), ticket: z.string().min(1).max(200).optional() });

// Further fields are allowed through untouched.
const ActionBody = z.looseObject({
  type: z.enum(ActionType),
  idempotencyKey: z
    .string()
    .min(8)
    .max(128)
    .regex(/^[A-Za-z0-9_-]+$/),
  // W4: `return` needs a remark (checked in actions.ts, so the message is the same everywhere).
  remark: z.string().max(REMARK_MAX).optional(),
  section: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
});

// An action is a type and a key; room for a payload, not for uploads.
const BODY_LIMIT = 64 * 1024;

export function registerDocumentRoutes(app: FastifyInstance, deps: DocumentRoutesDeps): void {
  const pdfTickets = deps.pdfTickets ?? createPdfTickets({ now: deps.now });
  const perDocument = new KeyedSerializer();
  const actionDeps = {
    store: deps.store,
    documentChanged: (row: DocumentRow): Promise<void> => deps.index.documentChanged(row),
    prepareSubmission: deps.prepareSubmission,
    renderDecision: deps.renderDecision,
    dayOf: amsterdamDate,
    designatedDays: deps.designatedDays ?? [],
    deliveryQueued: deps.deliveryQueued,
    ...(deps.holdEdits === undefined ? {} : { holdEdits: deps.holdEdits }),
    nameOf: deps.nameOf ?? ((userId: string) => Promise.resolve(userId)),
    ...(deps.audit === undefined ? {} : { audit: deps.audit }),
    ...(deps.draftRetentionMs === undefined ? {} : { draftRetentionMs: deps.draftRetentionMs }),
    now: deps.now,
  };

  app.route({
    method: 'POST',
    url: '/api/documents/:id/actions',
    bodyLimit: BODY_LIMIT,
    errorHandler: sendBodyError,
    handler: async (request, reply) => {
      // K24: the one HTTP route a draining device may use, for the queued actions on its own documents.
      const claims = await drainAwareClaims(request, reply, deps.auth);
      if (claims === null) return reply;
      if (!worksOnDocuments(claims.roles)) return send(reply, documentRoleRequired);
      const params = Params.safeParse(request.params);
      if (!params.success) return send(reply, notFound);
      if (claims.draining && !(await ownWork(deps, params.data.id, claims))) return send(reply, jsonAnswer(403, { error: 'device-draining' }));
      const body = ActionBody.safeParse(request.body);
      if (!body.success) return send(reply, badRequest(body.error.issues));
      const expectation = ReviewExpectation.safeParse(request.body);
      if (!expectation.success) return send(reply, badRequest(expectation.error.issues));
      const expect = expectation.data.fromStatus === undefined && expectation.data.version === undefined ? undefined : expectation.data;
      const docId = params.data.id;
      const answer = await perDocument.run(docId, () =>
        performAction(actionDeps, {
          docId,
          userId: claims.userId,
          teamId: claims.teamId,
          roles: claims.roles,
          type: body.data.type,
          idempotencyKey: body.data.idempotencyKey,
          ...(body.data.remark === undefined ? {} : { remark: body.data.remark }),
          ...(body.data.section === undefined ? {} : { section: body.data.section }),
          ...(expect === undefined ? {} : { expect }),
          actor: actorOf(request, claims),
        }),
      );
      return send(reply, answer);
    },
  });

  /** The caller's team's document named by `id`: a role refusal (B9) or the same 404 for unknown and foreign ones otherwise. */
  const teamDocument = async (claims: AccessClaims, id: string | null): Promise<{ row: DocumentRow } | { refused: HttpAnswer }> => {
    if (!worksOnDocuments(claims.roles)) return { refused: documentRoleRequired };
    const row = id === null ? null : await deps.store.getDocument(id);
    return row === null || row.teamId !== claims.teamId ? { refused: notFound } : { row };
  };

  app.get('/api/documents/:id', async (request, reply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    const params = Params.safeParse(request.params);
    const found = await teamDocument(claims, params.success ? params.data.id : null);
    if ('refused' in found) return send(reply, found.refused);
    const { row } = found;
    return send(
      reply,
      documentView(row, await deps.store.listSubmissions(row.id), await deps.store.listReviews(row.id), await deps.store.listDecisions(row.id)),
    );
  });

  // N8: a link to one submission's PDF for a new tab or a PDF viewer, which cannot send an
  // Authorization header. It carries a one-use ticket, so the browser's History keeps nothing alive.
  // Only for a PDF the caller may read: no ticket is minted for a document of another team.
  app.post('/api/documents/:id/submissions/:version/pdf-link', async (request, reply) => {
    const claims = await authorize(request, reply, deps.auth);
    if (claims === null) return reply;
    const params = PdfParams.safeParse(request.params);
    const found = await teamDocument(claims, params.success ? params.data.id : null);
    if ('refused' in found) return send(reply, found.refused);
    if (!params.success) return send(reply, notFound);
    const { row } = found;
    const version = Number(params.data.version);
    if ((await deps.store.getSubmission(row.id, version)) === null) return send(reply, notFound);
    const token = bearerToken(request);
    if (token === null) return send(reply, jsonAnswer(401, { error: 'token-missing' }));
    const ticket = pdfTickets.issue(token, { docId: row.id, version });
    const body: PdfLinkResponse = { href: `${pdfPath(row.id, version)}?ticket=${encodeURIComponent(ticket)}`, expiresInSeconds: Math.floor(PDF_TICKET_TTL_MS / 1000) };
    return reply.code(200).header('Cache-Control', 'no-store').send(body);
  });

  // The PDF of one submission. The back office opens it in a new tab, where no Authorization
  // header can be set: `?ticket=` (N8, what the app uses) or `?token=<accessToken>` (older links
  // and scripts; short-lived, and the request log hides both) are accepted too. Same 404 for unknown and foreign documents. J1: a decided version serves the PDF
  // as decided (and archived); a version waiting for approval, asked for by an approver who may
  // approve it, is printed now as it will read when they approve today; any other the PDF as
  // submitted.
  app.get('/api/documents/:id/submissions/:version/pdf', async (request, reply) => {
    const claims = await tokenClaims(request, reply, deps.auth, pdfTickets);
    if (claims === null) return reply;
    const params = PdfParams.safeParse(request.params);
    const found = await teamDocument(claims, params.success ? params.data.id : null);
    if ('refused' in found) return send(reply, found.refused);
    if (!params.success) return send(reply, notFound);
    const { row } = found;
    const version = Number(params.data.version);
    const submission = await deps.store.getSubmission(row.id, version);
    if (submission === null) return send(reply, notFound);
    let pdf = { bytes: submission.pdf, sha256: submission.pdfSha256 };
    let kind: 'submission' | 'decision' | 'preview' = 'submission';
    const decided = await deps.store.getDecision(row.id, version);
    if (decided !== null) {
      pdf = { bytes: decided.pdf, sha256: decided.pdfSha256 };
      kind = 'decision';
    } else if (
      row.status === WorkflowStatus.awaitingApproval &&
      version === (await deps.store.latestSubmissionVersion(row.id)) &&
      claims.roles.includes('approver') &&
      claims.userId !== submission.submittedBy
    ) {
      const preview = await deps.renderDecision({ docId: row.id, version, deciderId: claims.userId, at: deps.now() });
      pdf = { bytes: preview.pdf, sha256: preview.pdfSha256 };
      kind = 'preview';
    }
    // U5: every copy handed out is one entry (a PDF holds a citizen's data).
    await deps.audit?.record(actorOf(request, claims), {
      action: 'pdf-downloaded',
      documentId: row.id,
      details: { version, kind, sha256: pdf.sha256 },
    });
    return reply
      .code(200)
      .type('application/pdf')
      .header('Content-Disposition', `inline; filename="${submission.identificatie}.pdf"`)
      .header('Cache-Control', 'private, no-store')
      .header('X-Content-Type-Options', 'nosniff')
      .header('ETag', `"${pdf.sha256}"`)
      .send(Buffer.from(pdf.bytes.buffer, pdf.bytes.byteOffset, pdf.bytes.byteLength));
  });
}

/** As `authorize`, but a draining device passes too (K24), marked `draining`. */
export async function drainAwareClaims(request: FastifyRequest, reply: FastifyReply, auth: AuthService): Promise<(AccessClaims & { draining: boolean }) | null> {
  const token = /^Bearer +([^\s]+) *$/i.exec(request.headers.authorization ?? '')?.[1];
  const result = token ? await auth.verifyAccessTokenForDrain(token) : ({ ok: false, reason: 'token-missing' } as const);
  if (result.ok) {
    bindLogContext(request, { userId: result.claims.userId, deviceId: result.claims.deviceId }); // OP22
    return result.claims;
  }
  void send(reply.header('WWW-Authenticate', 'Bearer'), jsonAnswer(401, { error: result.reason }));
  return null;
}

/** K24: a document the draining device's user made, or this device wrote to before. */
async function ownWork(deps: DocumentRoutesDeps, docId: string, claims: AccessClaims): Promise<boolean> {
  const row = await deps.store.getDocument(docId);
  if (row === null) return false;
  return row.createdBy === claims.userId || ((await deps.deviceWrote?.(docId, claims.deviceId)) ?? false);
}

/** Bearer header first, else `?token=`; answers 401 like `authorize` when neither checks out. */
async function tokenClaims(request: FastifyRequest, reply: FastifyReply, auth: AuthService, tickets: PdfTickets): Promise<AccessClaims | null> {
  const header = await bearerClaims(request, auth);
  if (header.ok) return header.claims;
  const query = PdfQuery.safeParse(request.query);
  const params = PdfParams.safeParse(request.params);
  const ticket = query.success ? query.data.ticket : undefined;
  if (header.reason === 'token-missing' && ticket !== undefined) {
    const held = params.success ? tickets.redeem(ticket, { docId: params.data.id, version: Number(params.data.version) }) : null;
    if (held === null) {
      void send(reply.header('WWW-Authenticate', 'Bearer'), jsonAnswer(401, { error: 'ticket-invalid' }));
      return null;
    }
    // The token is checked as if it came now: a revoked device or an expired token opens nothing.
    const result = await auth.verifyAccessToken(held);
    if (result.ok) return result.claims;
    void send(reply.header('WWW-Authenticate', 'Bearer'), jsonAnswer(401, { error: result.reason }));
    return null;
  }
  const token = query.success ? query.data.token : undefined;
  if (header.reason === 'token-missing' && token !== undefined) {
    const result = await auth.verifyAccessToken(token);
    if (result.ok) return result.claims;
    void send(reply.header('WWW-Authenticate', 'Bearer'), jsonAnswer(401, { error: result.reason }));
    return null;
  }
  void send(reply.header('WWW-Authenticate', 'Bearer'), jsonAnswer(401, { error: header.reason }));
  return null;
}

/** B9: an account without a document role (an administrator) does not read or act on documents. */
export const documentRoleRequired: HttpAnswer = jsonAnswer(403, { error: 'role-required', role: 'field' });

function badRequest(issues: readonly z.core.$ZodIssue[]): HttpAnswer {
  return jsonAnswer(400, {
    error: 'bad-request',
    issues: issues.map((i) => ({ path: i.path.map(String), code: i.code, message: i.message })),
  });
}

/**
 * Body parsing fails before the handler runs (invalid JSON, wrong content type, too large);
 * answer those in the contract's shape. Anything else goes on to the app's error handler.
 */
function sendBodyError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 500;
  if (status === 400 || status === 415) {
    void send(reply, jsonAnswer(400, { error: 'bad-request', issues: [{ path: [], code: 'unreadable-body', message: error.message }] }));
  } else if (status === 413) void send(reply, jsonAnswer(413, { error: 'payload-too-large' }));
  else throw error;
}
