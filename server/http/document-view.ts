// The document as `GET /api/documents/:id` shows it (outside contract): the row's metadata and
// workflow status, and every submission with where its delivery stands (O1, O3), so the back
// office sees what is archived, what waits, and why a delivery failed. W4: the remarks of
// returns (shown at their section in the editor) and the history of submits and reviews.
import type { DecisionSummary, DocumentRow, ReviewRecord, SubmissionListing } from '../store/types';
import { jsonAnswer, type HttpAnswer } from './replies';

export type SubmissionStatus = 'wacht-op-goedkeuring' | 'teruggestuurd' | 'wacht-op-dms' | 'in-dms' | 'mislukt';

export function submissionStatus(s: SubmissionListing, reviews: readonly ReviewRecord[] = []): SubmissionStatus {
  if (s.delivery === null) {
    const returned = reviews.some((r) => r.version === s.version && r.kind === 'returned');
    return returned ? 'teruggestuurd' : 'wacht-op-goedkeuring';
  }
  if (s.delivery.state === 'delivered') return 'in-dms';
  return s.delivery.lastError === null ? 'wacht-op-dms' : 'mislukt';
}

export function submissionView(
  s: SubmissionListing,
  reviews: readonly ReviewRecord[] = [],
  decisions: readonly DecisionSummary[] = [],
): Record<string, unknown> {
  const delivery = s.delivery;
  const decided = decisions.find((d) => d.version === s.version) ?? null;
  const delivered = delivery?.state === 'delivered';
  const approval = reviews.find((r) => r.version === s.version && r.kind === 'approved') ?? null;
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
    status: submissionStatus(s, reviews),
    approvedBy: approval?.by ?? null,
    approvedByName: approval?.byName ?? null,
    approvedAt: approval?.at ?? null,
    dmsReference: delivery?.reference ?? null,
    archivedAt: delivery?.deliveredAt ?? null,
    attempts: delivery?.attempts ?? 0,
    lastError: delivery?.lastError ?? null,
    nextAttemptAt: delivery === null || delivered || delivery.state === 'failed' ? null : delivery.nextAttemptAt,
    pdf: `/api/documents/${encodeURIComponent(s.docId)}/submissions/${s.version}/pdf`,
    // J1: the day the decision was taken (the letter's date) and who signed it; null until decided.
    dagtekening: decided?.dagtekening ?? null,
    decidedBy: decided?.decidedBy ?? null,
    decidedAt: decided?.decidedAt ?? null,
    signer: decided === null ? null : { name: decided.signerName, functionTitle: decided.signerFunctionTitle },
    decidedPdfSha256: decided?.pdfSha256 ?? null,
    // J2: how and when the letter left, and the last day to object counted from then.
    verzending: decided?.sentOn ?? null,
    verzenddatum: decided?.dispatch?.verzenddatum ?? null,
    bezwaartermijnEinde: decided?.dispatch?.bezwaartermijnEinde ?? null,
    // F9: the attachments frozen with this version, each with where its bytes are (F7).
    attachments: (s.attachments ?? []).map((a) => ({
      id: a.id,
      name: a.name,
      mediaType: a.mediaType,
      size: a.size,
      sha256: a.sha256,
      caption: a.caption,
      href: `/api/documents/${encodeURIComponent(s.docId)}/attachments/${a.id}`,
    })),
  };
}

/** A return's remark as the editor shows it; resolved once a later version was submitted. */
export interface RemarkView {
  by: string;
  byName: string;
  at: number;
  section: string | null;
  text: string;
  version: number;
  resolved: boolean;
}

export function remarksOf(reviews: readonly ReviewRecord[], latestVersion: number): RemarkView[] {
  return reviews
    .filter((r) => r.kind === 'returned' && r.remark !== null)
    .map((r) => ({
      by: r.by,
      byName: r.byName,
      at: r.at,
      section: r.section,
      text: r.remark ?? '',
      version: r.version,
      resolved: r.version < latestVersion,
    }));
}

export type HistoryEntry =
  | { action: 'submit'; by: string; byName: string; at: number; version: number }
  | { action: 'approve'; by: string; byName: string; at: number; version: number }
  | { action: 'return'; by: string; byName: string; at: number; version: number; section: string | null; remark: string };

/** Who submitted, approved and returned which version, and when (W4), oldest first. */
export function historyOf(submissions: readonly SubmissionListing[], reviews: readonly ReviewRecord[]): HistoryEntry[] {
  const entries: HistoryEntry[] = [
    ...submissions.map((s): HistoryEntry => ({ action: 'submit', by: s.submittedBy, byName: s.metadata.author, at: s.submittedAt, version: s.version })),
    ...reviews.map(
      (r): HistoryEntry =>
        r.kind === 'approved'
          ? { action: 'approve', by: r.by, byName: r.byName, at: r.at, version: r.version }
          : { action: 'return', by: r.by, byName: r.byName, at: r.at, version: r.version, section: r.section, remark: r.remark ?? '' },
    ),
  ];
  // Stable: a submit and its review at the same millisecond keep submit first.
  return entries.map((e, i) => ({ e, i })).sort((a, b) => a.e.at - b.e.at || a.i - b.i).map((x) => x.e);
}

export function documentView(
  row: DocumentRow,
  submissions: readonly SubmissionListing[],
  reviews: readonly ReviewRecord[] = [],
  decisions: readonly DecisionSummary[] = [],
): HttpAnswer {
  const latestVersion = submissions.reduce((max, s) => Math.max(max, s.version), 0);
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
    submissions: submissions.map((s) => submissionView(s, reviews, decisions)),
    remarks: remarksOf(reviews, latestVersion),
    history: historyOf(submissions, reviews),
  });
}
