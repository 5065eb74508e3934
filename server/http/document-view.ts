// The document as `GET /api/documents/:id` shows it (outside contract): the row's metadata and
// workflow status, and every submission with where its delivery stands (O1, O3), so the back
// office sees what is archived, what waits, and why a delivery failed.
import type { DocumentRow, SubmissionSummary } from '../store/types';
import { jsonAnswer, type HttpAnswer } from './replies';

export type SubmissionStatus = 'wacht-op-dms' | 'in-dms' | 'mislukt';

export function submissionStatus(s: SubmissionSummary): SubmissionStatus {
  if (s.delivery.state === 'delivered') return 'in-dms';
  return s.delivery.lastError === null ? 'wacht-op-dms' : 'mislukt';
}

export function submissionView(s: SubmissionSummary): Record<string, unknown> {
  const delivered = s.delivery.state === 'delivered';
  return {
    version: s.version,
    /** SHA-256 of the frozen Yjs update (W2). */
    sha256: s.contentSha256,
    pdfSha256: s.pdfSha256,
    identificatie: s.identificatie,
    zaak: s.zaak,
    templateId: s.templateId,
    templateVersion: s.templateVersion,
    submittedAt: s.submittedAt,
    submittedBy: s.submittedBy,
    status: submissionStatus(s),
    dmsReference: s.delivery.reference,
    archivedAt: s.delivery.deliveredAt,
    attempts: s.delivery.attempts,
    lastError: s.delivery.lastError,
    nextAttemptAt: delivered ? null : s.delivery.nextAttemptAt,
    pdf: `/api/documents/${encodeURIComponent(s.docId)}/submissions/${s.version}/pdf`,
  };
}

export function documentView(row: DocumentRow, submissions: readonly SubmissionSummary[]): HttpAnswer {
  return jsonAnswer(200, {
    id: row.id,
    teamId: row.teamId,
    title: row.title,
    templateId: row.templateId,
    kind: row.kind,
    zaak: row.zaak,
    status: row.status,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    submissions: submissions.map(submissionView),
  });
}
