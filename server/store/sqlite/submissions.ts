// SQLite side of submissions and the outbox (W2, O1–O3): the submit transaction, claiming due
// deliveries with a lease, and recording outcomes together with the document status they cause.
// Every method is one IMMEDIATE transaction, so a second process sees all of it or nothing.
/* eslint-disable @typescript-eslint/require-await --
   Methods are async without awaiting on purpose, as in sqlite/store.ts. */
import type Database from 'better-sqlite3';
import type { FrozenAttachment } from '../../../shared/model/attachments';
import { WorkflowStatus } from '../../../shared/model/index-entry';
import { docRoom } from '../../../shared/protocol/rooms';
import { contentCoversStored } from '../frozen-content';
import {
  actionFromSql,
  actionToSql,
  documentFromSql,
  INSERT_ACTION_SQL,
  patchToSql,
  toUint8Array,
  UPDATE_DOCUMENT_SQL,
  type ActionSql,
  type DocumentSql,
} from './rows';
import type {
  ArchiveMetadata,
  ClaimedDelivery,
  CommitActionResult,
  DecisionRecord,
  DecisionSummary,
  DispatchCommit,
  DispatchRecord,
  DeliveryCounts,
  DeliveryOutcome,
  DeliveryRow,
  DocumentRow,
  IdentificatieNumber,
  ReviewCommit,
  ReviewRecord,
  SubmissionRecord,
  SubmissionStore,
  SubmissionListing,
  SubmissionSummary,
  SubmitCommit,
  TeamDelivery,
} from '../types';

interface SubmissionSql {
  doc_id: string;
  version: number;
  identificatie: string;
  zaak: string;
  template_id: string;
  template_version: number;
  submitted_by: string;
  submitted_at: number;
  content: Buffer | Uint8Array;
  content_sha256: string;
  pdf: Buffer | Uint8Array;
  pdf_sha256: string;
  metadata: string;
  /** F9: JSON of the frozen attachments; null for none (and for submissions from before F9). */
  attachments: string | null;
}

interface OutboxSql {
  identificatie: string;
  doc_id: string;
  version: number;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_error: string | null;
  outcome_unknown: number;
  delivered_at: number | null;
  reference: string | null;
  dms_lock: string | null;
}

/** The outbox columns are null when the submission has no outbox row (held for approval, W4). */
type SummarySql = Omit<SubmissionSql, 'content' | 'pdf'> & { [K in keyof OutboxSql as `o_${K}`]: OutboxSql[K] | null };

interface DecisionSql {
  doc_id: string;
  version: number;
  decided_by: string;
  decided_at: number;
  dagtekening: string;
  signer_name: string;
  signer_function_title: string | null;
  pdf: Buffer | Uint8Array;
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

/** The outbox view's decision and dispatch columns (null: not decided, not sent). */
interface SendingSql {
  j_dagtekening: string | null;
  j_sent_on: 'delivery' | 'manual' | null;
  j_verzenddatum: string | null;
  j_bezwaartermijn_einde: string | null;
}

/** A decision without its PDF and its dispatch's columns prefixed `p_` (null: not sent yet). */
type DecisionSummarySql = Omit<DecisionSql, 'pdf'> & { [K in keyof DispatchSql as `p_${K}`]: DispatchSql[K] | null };

interface ReviewSql {
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


/**
 * A submission without its blobs, with its outbox row's columns prefixed `o_` (SummarySql): one
 * list for every query that reads summaries, so the row mapper and the queries cannot drift.
 */
const SUMMARY_COLUMNS = `s.doc_id, s.version, s.identificatie, s.zaak, s.template_id, s.template_version, s.submitted_by,
  s.submitted_at, s.content_sha256, s.pdf_sha256, s.metadata, s.attachments,
  o.identificatie AS o_identificatie, o.doc_id AS o_doc_id, o.version AS o_version, o.state AS o_state,
  o.attempts AS o_attempts, o.next_attempt_at AS o_next_attempt_at, o.last_attempt_at AS o_last_attempt_at,
  o.last_error AS o_last_error, o.outcome_unknown AS o_outcome_unknown, o.delivered_at AS o_delivered_at,
  o.reference AS o_reference, o.dms_lock AS o_dms_lock`;

export interface SqliteSubmissions {
  store: SubmissionStore;
  /** Inside a caller's transaction: makes the document's pending deliveries due at `at`. */
  rescheduleDeliveries: (docId: string, at: number) => void;
  /** The back office's outbox view (Store's last block). */
  view: {
    listTeamDeliveries(teamId: string, limit: number): Promise<TeamDelivery[]>;
    countDeliveries(): Promise<DeliveryCounts>;
  };
}

export function createSqliteSubmissions(db: Database.Database): SqliteSubmissions {
  const stmt = {
    latestVersion: db.prepare<[string], { v: number | null }>('SELECT max(version) AS v FROM submissions WHERE doc_id = ?'),
    getDocument: db.prepare<[string], DocumentSql>('SELECT * FROM documents WHERE id = ?'),
    storedUpdates: db.prepare<[string, string], { data: Buffer }>(
      `SELECT data FROM (SELECT 0 AS kind, state AS data, 0 AS seq FROM doc_snapshots WHERE doc_id = ?
       UNION ALL SELECT 1 AS kind, "update" AS data, seq FROM doc_updates WHERE doc_id = ?) ORDER BY kind, seq`,
    ),
    getAction: db.prepare<[string], ActionSql>('SELECT * FROM actions WHERE idempotency_key = ?'),
    insertAction: db.prepare<[ActionSql]>(INSERT_ACTION_SQL),
    updateDocument: db.prepare<[Record<string, string | number | null>]>(UPDATE_DOCUMENT_SQL),
    setStatus: db.prepare<[string, number, string]>('UPDATE documents SET status = ?, updated_at = ? WHERE id = ?'),
    insertSubmission: db.prepare<[SubmissionSql]>(
      `INSERT INTO submissions (doc_id, version, identificatie, zaak, template_id, template_version, submitted_by,
         submitted_at, content, content_sha256, pdf, pdf_sha256, metadata, attachments)
       VALUES (@doc_id, @version, @identificatie, @zaak, @template_id, @template_version, @submitted_by,
         @submitted_at, @content, @content_sha256, @pdf, @pdf_sha256, @metadata, @attachments)`,
    ),
    insertOutbox: db.prepare<[string, string, number, number]>(
      `INSERT INTO outbox (identificatie, doc_id, version, state, next_attempt_at) VALUES (?, ?, ?, 'pending', ?)`,
    ),
    getSubmission: db.prepare<[string, number], SubmissionSql>('SELECT * FROM submissions WHERE doc_id = ? AND version = ?'),
    identificatieTaken: db.prepare<[string], { doc_id: string }>('SELECT doc_id FROM submissions WHERE identificatie = ?'),
    reservedNumber: db.prepare<[string, number], { year: number; seq: number }>('SELECT year, seq FROM identificaties WHERE doc_id = ? AND version = ?'),
    lastNumber: db.prepare<[number], { seq: number | null }>('SELECT max(seq) AS seq FROM identificaties WHERE year = ?'),
    insertNumber: db.prepare<[number, number, string, number]>('INSERT INTO identificaties (year, seq, doc_id, version) VALUES (?, ?, ?, ?)'),
    listSummaries: db.prepare<[string], SummarySql>(
      `SELECT ${SUMMARY_COLUMNS}
       FROM submissions s LEFT JOIN outbox o ON o.identificatie = s.identificatie
       WHERE s.doc_id = ? ORDER BY s.version`,
    ),
    due: db.prepare<[number, number], OutboxSql>(
      `SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?
       ORDER BY next_attempt_at, identificatie LIMIT ?`,
    ),
    claim: db.prepare<[number, number, string]>(
      `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_attempt_at = ?, outcome_unknown = 1
       WHERE identificatie = ?`,
    ),
    getOutbox: db.prepare<[string], OutboxSql>('SELECT * FROM outbox WHERE identificatie = ?'),
    delivered: db.prepare<[string, number, string]>(
      `UPDATE outbox SET state = 'delivered', reference = ?, delivered_at = ?, outcome_unknown = 0, last_error = NULL, dms_lock = NULL
       WHERE identificatie = ?`,
    ),
    failed: db.prepare<[string, number, number, string, string]>(
      'UPDATE outbox SET last_error = ?, outcome_unknown = ?, next_attempt_at = ?, state = ? WHERE identificatie = ?',
    ),
    hasten: db.prepare<[number, string, number, number]>(
      `UPDATE outbox SET next_attempt_at = ? WHERE identificatie = ? AND attempts = ? AND state = 'pending' AND next_attempt_at > ?`,
    ),
    setLock: db.prepare<[string | null, string]>(`UPDATE outbox SET dms_lock = ? WHERE identificatie = ? AND state != 'delivered'`),
    insertDecision: db.prepare<[DecisionSql]>(
      `INSERT INTO decisions (doc_id, version, decided_by, decided_at, dagtekening, signer_name, signer_function_title, pdf,
         pdf_sha256, metadata, sent_on)
       VALUES (@doc_id, @version, @decided_by, @decided_at, @dagtekening, @signer_name, @signer_function_title, @pdf,
         @pdf_sha256, @metadata, @sent_on)`,
    ),
    getDecision: db.prepare<[string, number], DecisionSql>('SELECT * FROM decisions WHERE doc_id = ? AND version = ?'),
    listDecisions: db.prepare<[string], DecisionSummarySql>(
      `SELECT d.doc_id, d.version, d.decided_by, d.decided_at, d.dagtekening, d.signer_name, d.signer_function_title,
         d.pdf_sha256, d.metadata, d.sent_on,
         p.doc_id AS p_doc_id, p.version AS p_version, p.verzenddatum AS p_verzenddatum,
         p.bezwaartermijn_einde AS p_bezwaartermijn_einde, p.how AS p_how, p.by_user AS p_by_user, p.at AS p_at
       FROM decisions d LEFT JOIN dispatches p ON p.doc_id = d.doc_id AND p.version = d.version
       WHERE d.doc_id = ? ORDER BY d.version`,
    ),
    hasDispatch: db.prepare<[string, number], { n: number }>('SELECT count(*) AS n FROM dispatches WHERE doc_id = ? AND version = ?'),
    insertDispatch: db.prepare<[DispatchSql]>(
      `INSERT INTO dispatches (doc_id, version, verzenddatum, bezwaartermijn_einde, how, by_user, at)
       VALUES (@doc_id, @version, @verzenddatum, @bezwaartermijn_einde, @how, @by_user, @at)`,
    ),
    insertReview: db.prepare<[ReviewSql]>(
      `INSERT INTO reviews (doc_id, version, kind, by_user, by_name, at, section, remark, idempotency_key)
       VALUES (@doc_id, @version, @kind, @by_user, @by_name, @at, @section, @remark, @idempotency_key)`,
    ),
    listReviews: db.prepare<[string], ReviewSql>(
      'SELECT doc_id, version, kind, by_user, by_name, at, section, remark, idempotency_key FROM reviews WHERE doc_id = ? ORDER BY seq',
    ),
    // O4: a failed row starts over (the look-up first after an unknown outcome stays asked for).
    reschedule: db.prepare<[number, string]>(
      `UPDATE outbox SET next_attempt_at = ?,
         attempts = CASE WHEN state = 'failed' THEN 0 ELSE attempts END, state = 'pending'
       WHERE doc_id = ? AND state IN ('pending', 'failed')`,
    ),
    teamDeliveries: db.prepare<[string, number], SummarySql & { d_title: string } & SendingSql>(
      `SELECT ${SUMMARY_COLUMNS}, d.title AS d_title,
         dc.dagtekening AS j_dagtekening, dc.sent_on AS j_sent_on, p.verzenddatum AS j_verzenddatum,
         p.bezwaartermijn_einde AS j_bezwaartermijn_einde
       FROM documents d
       JOIN submissions s ON s.doc_id = d.id
       JOIN outbox o ON o.identificatie = s.identificatie
       LEFT JOIN decisions dc ON dc.doc_id = s.doc_id AND dc.version = s.version
       LEFT JOIN dispatches p ON p.doc_id = s.doc_id AND p.version = s.version
       WHERE d.team_id = ?
       ORDER BY o.state = 'delivered', s.submitted_at DESC, s.identificatie
       LIMIT ?`,
    ),
    countDeliveries: db.prepare<[], { waiting: number | null; failed: number | null; delivered: number | null }>(
      `SELECT sum(state = 'pending' AND last_error IS NULL) AS waiting,
         sum(state = 'failed' OR (state = 'pending' AND last_error IS NOT NULL)) AS failed,
         sum(state = 'delivered') AS delivered
       FROM outbox`,
    ),
  };

  const latest = (docId: string): number => stmt.latestVersion.get(docId)?.v ?? 0;

  const commitSubmissionTx = db.transaction((c: SubmitCommit): CommitActionResult => {
    const taken = stmt.getAction.get(c.record.idempotencyKey);
    if (taken) return { stored: false, existing: actionFromSql(taken) };
    const row = stmt.getDocument.get(c.record.docId);
    if (!row || row.status !== c.ifStatus || c.submission.version !== latest(c.record.docId) + 1) {
      return { stored: false, existing: null, status: row ? documentFromSql(row).status : null };
    }
    // J9: an identificatie another submission holds is a conflict, never a constraint error (500).
    if (stmt.identificatieTaken.get(c.submission.identificatie)) {
      return { stored: false, existing: null, status: documentFromSql(row).status };
    }
    // CL27: an update stored after the submit read the content would be acknowledged but not submitted.
    const room = docRoom(c.record.docId);
    const stored = stmt.storedUpdates.all(room, room).map((r) => toUint8Array(r.data));
    if (!contentCoversStored(c.submission.content, stored)) {
      return { stored: false, existing: null, status: documentFromSql(row).status, contentMoved: true };
    }
    stmt.insertAction.run(actionToSql(c.record));
    stmt.insertSubmission.run(submissionToSql(c.submission));
    if (c.decision !== undefined) stmt.insertDecision.run(decisionToSql(c.decision));
    if (c.dueAt !== null) stmt.insertOutbox.run(c.submission.identificatie, c.submission.docId, c.submission.version, c.dueAt);
    stmt.updateDocument.run(patchToSql(c.record.docId, c.patch));
    return { stored: true };
  });

  const reserveTx = db.transaction((r: { docId: string; version: number; year: number }): IdentificatieNumber => {
    const known = stmt.reservedNumber.get(r.docId, r.version);
    if (known) return { year: known.year, seq: known.seq };
    const seq = (stmt.lastNumber.get(r.year)?.seq ?? 0) + 1;
    stmt.insertNumber.run(r.year, seq, r.docId, r.version);
    return { year: r.year, seq };
  });

  const commitReviewTx = db.transaction((c: ReviewCommit): CommitActionResult => {
    const taken = stmt.getAction.get(c.record.idempotencyKey);
    if (taken) return { stored: false, existing: actionFromSql(taken) };
    const row = stmt.getDocument.get(c.record.docId);
    if (!row || row.status !== c.ifStatus || c.review.docId !== c.record.docId || c.review.version !== latest(c.record.docId)) {
      return { stored: false, existing: null, status: row ? documentFromSql(row).status : null };
    }
    const submission = stmt.getSubmission.get(c.review.docId, c.review.version);
    if (!submission) throw new Error('FOREIGN KEY constraint failed: reviews');
    stmt.insertAction.run(actionToSql(c.record));
    stmt.insertReview.run(reviewToSql(c.review));
    if (c.decision !== undefined) {
      if (c.decision.docId !== c.review.docId || c.decision.version !== c.review.version) throw new Error('decision of another version (J1)');
      stmt.insertDecision.run(decisionToSql(c.decision));
    }
    if (c.dueAt !== null) stmt.insertOutbox.run(submission.identificatie, submission.doc_id, submission.version, c.dueAt);
    stmt.updateDocument.run(patchToSql(c.record.docId, c.patch));
    return { stored: true };
  });

  const claimTx = db.transaction((now: number, leaseMs: number, limit: number): ClaimedDelivery[] => {
    const rows = stmt.due.all(now, limit);
    return rows.map((r) => {
      stmt.claim.run(now + leaseMs, now, r.identificatie);
      const claimed = stmt.getOutbox.get(r.identificatie);
      if (!claimed) throw new Error(`outbox row ${r.identificatie} vanished inside its claim`);
      return { delivery: deliveryFromSql(claimed), lookupFirst: r.outcome_unknown === 1 };
    });
  });

  /** Sets the document's status when it is in one of `from` and `version` is its latest submission. */
  const moveDocument = (docId: string, version: number, from: readonly string[], to: string, at: number): DocumentRow | null => {
    const row = stmt.getDocument.get(docId);
    if (!row || !from.includes(row.status) || latest(docId) !== version) return null;
    stmt.setStatus.run(to, at, docId);
    const updated = stmt.getDocument.get(docId);
    return updated ? documentFromSql(updated) : null;
  };

  const deliveredTx = db.transaction((o: { identificatie: string; reference: string; at: number; dispatch?: DispatchRecord }): DeliveryOutcome => {
    const row = stmt.getOutbox.get(o.identificatie);
    if (!row || row.state !== 'pending') return { recorded: false };
    stmt.delivered.run(o.reference, o.at, o.identificatie);
    // J2: the letter left with this delivery (O1: in the transaction that records the reference).
    const d = o.dispatch;
    if (d !== undefined && stmt.getDecision.get(d.docId, d.version) && (stmt.hasDispatch.get(d.docId, d.version)?.n ?? 0) === 0) {
      stmt.insertDispatch.run(dispatchToSql(d));
    }
    const from = [WorkflowStatus.submitted, WorkflowStatus.deliveryFailed];
    return { recorded: true, document: moveDocument(row.doc_id, row.version, from, WorkflowStatus.archived, o.at) };
  });

  const failedTx = db.transaction(
    (o: { identificatie: string; attempt: number; error: string; outcomeUnknown: boolean; nextAttemptAt: number; at: number; giveUp?: boolean }): DeliveryOutcome => {
      const row = stmt.getOutbox.get(o.identificatie);
      if (!row || row.state !== 'pending' || row.attempts !== o.attempt) return { recorded: false };
      stmt.failed.run(o.error, o.outcomeUnknown ? 1 : 0, o.nextAttemptAt, o.giveUp === true ? 'failed' : 'pending', o.identificatie);
      const from = [WorkflowStatus.submitted];
      return { recorded: true, document: moveDocument(row.doc_id, row.version, from, WorkflowStatus.deliveryFailed, o.at) };
    },
  );

  const commitDispatchTx = db.transaction((c: DispatchCommit): CommitActionResult => {
    const taken = stmt.getAction.get(c.record.idempotencyKey);
    if (taken) return { stored: false, existing: actionFromSql(taken) };
    const row = stmt.getDocument.get(c.record.docId);
    const { docId, version } = c.dispatch;
    const open =
      row !== undefined &&
      row.status === c.ifStatus &&
      docId === c.record.docId &&
      stmt.getDecision.get(docId, version) !== undefined &&
      (stmt.hasDispatch.get(docId, version)?.n ?? 0) === 0;
    if (!open) return { stored: false, existing: null, status: row ? documentFromSql(row).status : null };
    stmt.insertAction.run(actionToSql(c.record));
    stmt.insertDispatch.run(dispatchToSql(c.dispatch));
    return { stored: true };
  });

  const hastenTx = db.transaction((rows: readonly { identificatie: string; attempt: number }[], at: number): number => {
    let moved = 0;
    for (const r of rows) moved += stmt.hasten.run(at, r.identificatie, r.attempt, at).changes;
    return moved;
  });

  const store: SubmissionStore = {
    async latestSubmissionVersion(docId) {
      return latest(docId);
    },
    async commitSubmission(commit) {
      return commitSubmissionTx.immediate(commit);
    },
    async reserveIdentificatie(request) {
      assertValidReservation(request);
      return reserveTx.immediate(request);
    },
    async commitReview(commit) {
      return commitReviewTx.immediate(commit);
    },
    async listReviews(docId) {
      return stmt.listReviews.all(docId).map(reviewFromSql);
    },
    async listSubmissions(docId) {
      return stmt.listSummaries.all(docId).map(listingFromSql);
    },
    async getSubmission(docId, version) {
      const row = stmt.getSubmission.get(docId, version);
      return row ? submissionFromSql(row) : null;
    },
    async claimDueDeliveries(now, leaseMs, limit) {
      return claimTx.immediate(now, leaseMs, limit);
    },
    async recordDelivered(outcome) {
      return deliveredTx.immediate(outcome);
    },
    async recordDeliveryFailure(outcome) {
      return failedTx.immediate(outcome);
    },
    async hastenRetries(rows, at) {
      return hastenTx.immediate(rows, at);
    },
    async recordDeliveryLock(update) {
      stmt.setLock.run(update.lock, update.identificatie);
    },
    async getDecision(docId, version) {
      const row = stmt.getDecision.get(docId, version);
      return row ? decisionFromSql(row) : null;
    },
    async listDecisions(docId) {
      return stmt.listDecisions.all(docId).map(decisionSummaryFromSql);
    },
    async commitDispatch(commit) {
      return commitDispatchTx.immediate(commit);
    },
  };
  return {
    store,
    rescheduleDeliveries(docId, at) {
      stmt.reschedule.run(at, docId);
    },
    view: {
      async listTeamDeliveries(teamId, limit) {
        return stmt.teamDeliveries.all(teamId, limit).map((r): TeamDelivery => {
          const summary = summaryFromSql(r);
          // Joined on the outbox row: never null here.
          if (summary.delivery === null) throw new Error(`outbox row of ${r.identificatie} missing`);
          const sending =
            r.j_dagtekening === null || r.j_sent_on === null
              ? null
              : { dagtekening: r.j_dagtekening, sentOn: r.j_sent_on, verzenddatum: r.j_verzenddatum, bezwaartermijnEinde: r.j_bezwaartermijn_einde };
          return { ...summary, delivery: summary.delivery, title: r.d_title, sending };
        });
      },
      async countDeliveries() {
        const r = stmt.countDeliveries.get();
        return { waiting: r?.waiting ?? 0, failed: r?.failed ?? 0, delivered: r?.delivered ?? 0 };
      },
    },
  };
}

function submissionToSql(s: SubmissionRecord): SubmissionSql {
  return {
    doc_id: s.docId,
    version: s.version,
    identificatie: s.identificatie,
    zaak: s.zaak,
    template_id: s.templateId,
    template_version: s.templateVersion,
    submitted_by: s.submittedBy,
    submitted_at: s.submittedAt,
    content: s.content,
    content_sha256: s.contentSha256,
    pdf: s.pdf,
    pdf_sha256: s.pdfSha256,
    metadata: JSON.stringify(s.metadata),
    attachments: s.attachments === undefined || s.attachments.length === 0 ? null : JSON.stringify(s.attachments),
  };
}

function submissionFromSql(r: SubmissionSql): SubmissionRecord {
  return {
    ...summaryFields(r),
    content: toUint8Array(r.content),
    pdf: toUint8Array(r.pdf),
  };
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
    ...(r.attachments === null || r.attachments === undefined ? {} : { attachments: JSON.parse(r.attachments) as FrozenAttachment[] }),
  };
}

function decisionToSql(d: DecisionRecord): DecisionSql {
  return {
    doc_id: d.docId,
    version: d.version,
    decided_by: d.decidedBy,
    decided_at: d.decidedAt,
    dagtekening: d.dagtekening,
    signer_name: d.signerName,
    signer_function_title: d.signerFunctionTitle,
    pdf: d.pdf,
    pdf_sha256: d.pdfSha256,
    metadata: JSON.stringify(d.metadata),
    sent_on: d.sentOn,
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

function decisionFromSql(r: DecisionSql): DecisionRecord {
  return { ...decisionFields(r), pdf: toUint8Array(r.pdf) };
}

function decisionSummaryFromSql(r: DecisionSummarySql): DecisionSummary {
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

function dispatchToSql(d: DispatchRecord): DispatchSql {
  return {
    doc_id: d.docId,
    version: d.version,
    verzenddatum: d.verzenddatum,
    bezwaartermijn_einde: d.bezwaartermijnEinde,
    how: d.how,
    by_user: d.by,
    at: d.at,
  };
}

function reviewToSql(r: ReviewRecord): ReviewSql {
  return {
    doc_id: r.docId,
    version: r.version,
    kind: r.kind,
    by_user: r.by,
    by_name: r.byName,
    at: r.at,
    section: r.section,
    remark: r.remark,
    idempotency_key: r.idempotencyKey,
  };
}

function reviewFromSql(r: ReviewSql): ReviewRecord {
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
function listingFromSql(r: SummarySql): SubmissionListing {
  return r.o_identificatie === null ? { ...summaryFields(r), delivery: null } : summaryFromSql(r);
}

function summaryFromSql(r: SummarySql): SubmissionSummary {
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

function deliveryFromSql(r: OutboxSql): DeliveryRow {
  return {
    identificatie: r.identificatie,
    docId: r.doc_id,
    version: r.version,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastAttemptAt: r.last_attempt_at,
    lastError: r.last_error,
    outcomeUnknown: r.outcome_unknown === 1,
    deliveredAt: r.delivered_at,
    reference: r.reference,
    dmsLock: r.dms_lock,
  };
}

/** J9: what the identificaties table's checks refuse, refused before SQL with a plain message. */
export function assertValidReservation(r: { docId: string; version: number; year: number }): void {
  if (typeof r.docId !== 'string' || r.docId.length === 0) throw new Error('CHECK constraint failed: doc_id');
  if (!Number.isInteger(r.version) || r.version < 1) throw new Error('CHECK constraint failed: version');
  if (!Number.isInteger(r.year) || r.year < 2000 || r.year > 9999) throw new Error('CHECK constraint failed: year');
}
