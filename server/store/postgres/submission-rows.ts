// Row mapping between the PostgreSQL schema (snake_case columns; BIGINT as number, BOOLEAN,
// BYTEA) and the submission store's types, for postgres/submissions.ts. The twin of the mappers at the end of sqlite/submissions.ts.
// Documents and actions (rows, patches) are mapped once, in postgres/rows.ts.
import type { FrozenAttachment } from '../../../shared/model/attachments';
import type { WorkflowStatus } from '../../../shared/model/index-entry';
import type {
  ArchiveMetadata,
  DecisionRecord,
  DecisionSummary,
  DeliveryRow,
  ReviewRecord,
  SubmissionListing,
  SubmissionRecord,
  SubmissionSummary,
} from '../types';
import type { DocumentSql } from './rows';

export interface SubmissionSql {
  doc_id: string;
  version: number;
  identificatie: string;
  zaak: string;
  template_id: string;
  template_version: number;
  submitted_by: string;
  submitted_at: number;
  content: Uint8Array;
  content_sha256: string;
  pdf: Uint8Array;
  pdf_sha256: string;
  metadata: string;
  attachments: string | null;
}

export interface OutboxSql {
  identificatie: string;
  doc_id: string;
  version: number;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_error: string | null;
  outcome_unknown: boolean;
  delivered_at: number | null;
  reference: string | null;
  dms_lock: string | null;
}

export type SummarySql = Omit<SubmissionSql, 'content' | 'pdf'> & { [K in keyof OutboxSql as `o_${K}`]: OutboxSql[K] | null };

export interface DecisionSql {
  doc_id: string;
  version: number;
  decided_by: string;
  decided_at: number;
  dagtekening: string;
  signer_name: string;
  signer_function_title: string | null;
  pdf: Uint8Array;
  pdf_sha256: string;
  metadata: string;
  sent_on: 'delivery' | 'manual';
}

interface DispatchSql {
  doc_id: string;
  version: number;
  verzenddatum: string;
  bezwaartermijn_einde: string | null;
  how: 'delivery' | 'manual';
  by_user: string | null;
  at: number;
}

export type DecisionSummarySql = Omit<DecisionSql, 'pdf'> & { [K in keyof DispatchSql as `p_${K}`]: DispatchSql[K] | null };

export interface SendingSql {
  j_dagtekening: string | null;
  j_sent_on: 'delivery' | 'manual' | null;
  j_verzenddatum: string | null;
  j_bezwaartermijn_einde: string | null;
}

export interface ReviewSql {
  doc_id: string;
  version: number;
  kind: 'approved' | 'returned';
  by_user: string;
  by_name: string;
  at: number;
  section: string | null;
  remark: string | null;
  idempotency_key: string;
}

/** A submission without its blobs, with its outbox row's columns prefixed `o_`, as in sqlite/submissions.ts. */
export const SUMMARY_COLUMNS = `s.doc_id, s.version, s.identificatie, s.zaak, s.template_id, s.template_version, s.submitted_by,
  s.submitted_at, s.content_sha256, s.pdf_sha256, s.metadata, s.attachments,
  o.identificatie AS o_identificatie, o.doc_id AS o_doc_id, o.version AS o_version, o.state AS o_state,
  o.attempts AS o_attempts, o.next_attempt_at AS o_next_attempt_at, o.last_attempt_at AS o_last_attempt_at,
  o.last_error AS o_last_error, o.outcome_unknown AS o_outcome_unknown, o.delivered_at AS o_delivered_at,
  o.reference AS o_reference, o.dms_lock AS o_dms_lock`;


/** pg hands out Buffers that may share a slab; hand out plain copies, like the other stores. */
function bytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}

export function statusOf(row: DocumentSql): WorkflowStatus {
  return row.status as WorkflowStatus;
}

export function submissionFromSql(r: SubmissionSql): SubmissionRecord {
  return { ...summaryFields(r), content: bytes(r.content), pdf: bytes(r.pdf) };
}

function summaryFields(r: Omit<SubmissionSql, 'content' | 'pdf'>): Omit<SubmissionRecord, 'content' | 'pdf'> {
  return {
    docId: r.doc_id,
    version: r.version,
    identificatie: r.identificatie,
    zaak: r.zaak,
    templateId: r.template_id,
    templateVersion: r.template_version,
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at,
    contentSha256: r.content_sha256,
    pdfSha256: r.pdf_sha256,
    metadata: JSON.parse(r.metadata) as ArchiveMetadata,
    ...(r.attachments === null ? {} : { attachments: JSON.parse(r.attachments) as FrozenAttachment[] }),
  };
}

function decisionFields(r: Omit<DecisionSql, 'pdf'>): Omit<DecisionRecord, 'pdf'> {
  return {
    docId: r.doc_id,
    version: r.version,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    dagtekening: r.dagtekening,
    signerName: r.signer_name,
    signerFunctionTitle: r.signer_function_title,
    pdfSha256: r.pdf_sha256,
    metadata: JSON.parse(r.metadata) as ArchiveMetadata,
    sentOn: r.sent_on,
  };
}

export function decisionFromSql(r: DecisionSql): DecisionRecord {
  return { ...decisionFields(r), pdf: bytes(r.pdf) };
}

export function decisionSummaryFromSql(r: DecisionSummarySql): DecisionSummary {
  const dispatch =
    r.p_verzenddatum === null || r.p_how === null || r.p_at === null
      ? null
      : {
          docId: r.doc_id,
          version: r.version,
          verzenddatum: r.p_verzenddatum,
          bezwaartermijnEinde: r.p_bezwaartermijn_einde,
          how: r.p_how,
          by: r.p_by_user,
          at: r.p_at,
        };
  return { ...decisionFields(r), dispatch };
}

export function reviewFromSql(r: ReviewSql): ReviewRecord {
  return {
    docId: r.doc_id,
    version: r.version,
    kind: r.kind,
    by: r.by_user,
    byName: r.by_name,
    at: r.at,
    section: r.section,
    remark: r.remark,
    idempotencyKey: r.idempotency_key,
  };
}

/** A listed submission: without an outbox row (held for approval, W4) its delivery is null. */
export function listingFromSql(r: SummarySql): SubmissionListing {
  return r.o_identificatie === null ? { ...summaryFields(r), delivery: null } : summaryFromSql(r);
}

export function summaryFromSql(r: SummarySql): SubmissionSummary {
  if (
    r.o_identificatie === null ||
    r.o_doc_id === null ||
    r.o_version === null ||
    r.o_state === null ||
    r.o_attempts === null ||
    r.o_next_attempt_at === null ||
    r.o_outcome_unknown === null
  ) {
    throw new Error(`outbox row of ${r.identificatie} missing`);
  }
  return {
    ...summaryFields(r),
    delivery: deliveryFromSql({
      identificatie: r.o_identificatie,
      doc_id: r.o_doc_id,
      version: r.o_version,
      state: r.o_state,
      attempts: r.o_attempts,
      next_attempt_at: r.o_next_attempt_at,
      last_attempt_at: r.o_last_attempt_at,
      last_error: r.o_last_error,
      outcome_unknown: r.o_outcome_unknown,
      delivered_at: r.o_delivered_at,
      reference: r.o_reference,
      dms_lock: r.o_dms_lock,
    }),
  };
}

export function deliveryFromSql(r: OutboxSql): DeliveryRow {
  return {
    identificatie: r.identificatie,
    docId: r.doc_id,
    version: r.version,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastAttemptAt: r.last_attempt_at,
    lastError: r.last_error,
    outcomeUnknown: r.outcome_unknown,
    deliveredAt: r.delivered_at,
    reference: r.reference,
    dmsLock: r.dms_lock,
  };
}
