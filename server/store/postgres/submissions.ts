// PostgreSQL side of submissions and the outbox (W2, W4, J1, J2, J9, O1–O4; DB10–DB19): the same
// semantics as sqlite/submissions.ts, method by method, for several processes on one database.
// SQLite gets this from one writer; here every status change locks its document row first
// (DB12), the outbox is claimed with FOR UPDATE SKIP LOCKED (DB10) and identificaties are
// reserved under one advisory lock (DB11). Locks go document first, then outbox (DB14). Row
// mapping lives in submission-rows.ts.
import { WorkflowStatus } from '../../../shared/model/index-entry';
import { assertValidReservation } from '../sqlite/submissions';
import { docRoom } from '../../../shared/protocol/rooms';
import { contentCoversStored } from '../frozen-content';
import type {
  ActionRecord,
  ClaimedDelivery,
  CommitActionResult,
  DecisionRecord,
  DeliveryCounts,
  DeliveryOutcome,
  DispatchRecord,
  DocumentRow,
  IdentificatieNumber,
  SubmissionStore,
  TeamDelivery,
} from '../types';
import {
  decisionFromSql,
  decisionSummaryFromSql,
  deliveryFromSql,
  listingFromSql,
  reviewFromSql,
  statusOf,
  submissionFromSql,
  summaryFromSql,
  SUMMARY_COLUMNS,
  type DecisionSql,
  type DecisionSummarySql,
  type OutboxSql,
  type ReviewSql,
  type SendingSql,
  type SubmissionSql,
  type SummarySql,
} from './submission-rows';
import { actionFromSql, bytesFromSql, documentFromSql, patchParams, UPDATE_DOCUMENT_SQL, type ActionSql, type DocumentSql } from './rows';
import { inTransaction, isUniqueViolation, type Pool, type Queryable } from './pool';

export interface PostgresSubmissions {
  store: SubmissionStore;
  /** Inside a caller's transaction (`client`): makes the document's pending deliveries due at `at`. */
  rescheduleDeliveries: (client: Queryable, docId: string, at: number) => Promise<void>;
  /** The back office's outbox view (Store's last block). */
  view: {
    listTeamDeliveries(teamId: string, limit: number): Promise<TeamDelivery[]>;
    countDeliveries(): Promise<DeliveryCounts>;
  };
}

/** DB11: the advisory lock every reservation of an identificatie takes (schema.ts holds 7_246_001). */
export const IDENTIFICATIE_LOCK = 7_246_010;

/** SQLite compares text bytewise; `COLLATE "C"` gives the same order whatever the database's locale. */
const BY_IDENTIFICATIE = 'identificatie COLLATE "C"';

const INSERT_ACTION = `INSERT INTO actions (idempotency_key, doc_id, user_id, type, at, http_status, response)
  VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING`;

/** The unique constraints an identificatie taken by another document's submit runs into (J9, DB13). */
const IDENTIFICATIE_KEYS = new Set(['submissions_identificatie_key', 'outbox_pkey']);

function constraintOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'constraint' in error && typeof error.constraint === 'string' ? error.constraint : '';
}

/** Thrown inside a transaction to roll it back when another transaction took the action's key first. */
class KeyTaken extends Error {
  constructor(readonly key: string) {
    super(`action ${key} was stored by another transaction`);
  }
}

/**
 * DB10: claims up to `limit` due rows and records the attempt and its lease in one statement, on
 * `client` (the store runs it in a transaction of its own; tests hold one open to show that a
 * claim in progress blocks no other). Rows another claim has locked are skipped, never waited on.
 */
export async function claimDueDeliveriesIn(client: Queryable, now: number, leaseMs: number, limit: number): Promise<ClaimedDelivery[]> {
  const { rows } = await client.query<OutboxSql & { was_unknown: boolean; was_due: number }>(
    `WITH due AS (
       SELECT identificatie, outcome_unknown, next_attempt_at FROM outbox
       WHERE state = 'pending' AND next_attempt_at <= $1
       ORDER BY next_attempt_at, ${BY_IDENTIFICATIE}
       LIMIT $3
       FOR UPDATE SKIP LOCKED
     )
     UPDATE outbox o SET attempts = o.attempts + 1, next_attempt_at = $2, last_attempt_at = $1, outcome_unknown = true
     FROM due WHERE o.identificatie = due.identificatie
     RETURNING o.*, due.outcome_unknown AS was_unknown, due.next_attempt_at AS was_due`,
    [now, now + leaseMs, limit],
  );
  // RETURNING has no order: oldest due first, then by identificatie (bytewise), as SQLite's claim.
  rows.sort((a, b) => a.was_due - b.was_due || compareBytes(a.identificatie, b.identificatie));
  return rows.map((r) => ({ delivery: deliveryFromSql(r), lookupFirst: r.was_unknown }));
}

export function createPostgresSubmissions(pool: Pool): PostgresSubmissions {
  const latest = async (q: Queryable, docId: string): Promise<number> => {
    const { rows } = await q.query<{ v: number | null }>('SELECT max(version) AS v FROM submissions WHERE doc_id = $1', [docId]);
    return rows[0]?.v ?? 0;
  };

  /** DB12: the document row, locked until the transaction ends; every status change goes through here. */
  const lockDocument = async (q: Queryable, docId: string): Promise<DocumentSql | null> => {
    const { rows } = await q.query<DocumentSql>('SELECT * FROM documents WHERE id = $1 FOR UPDATE', [docId]);
    return rows[0] ?? null;
  };

  const getAction = async (q: Queryable, key: string): Promise<ActionRecord | null> => {
    const { rows } = await q.query<ActionSql>('SELECT * FROM actions WHERE idempotency_key = $1', [key]);
    return rows[0] ? actionFromSql(rows[0]) : null;
  };

  const insertAction = async (q: Queryable, r: ActionRecord): Promise<void> => {
    const { rowCount } = await q.query(INSERT_ACTION, [r.idempotencyKey, r.docId, r.userId, r.type, r.at, r.httpStatus, r.response]);
    if (rowCount !== 1) throw new KeyTaken(r.idempotencyKey);
  };

  const insertOutbox = async (q: Queryable, identificatie: string, docId: string, version: number, dueAt: number): Promise<void> => {
    await q.query(`INSERT INTO outbox (identificatie, doc_id, version, state, next_attempt_at) VALUES ($1, $2, $3, 'pending', $4)`, [
      identificatie,
      docId,
      version,
      dueAt,
    ]);
  };

  const insertDecision = async (q: Queryable, d: DecisionRecord): Promise<void> => {
    await q.query(
      `INSERT INTO decisions (doc_id, version, decided_by, decided_at, dagtekening, signer_name, signer_function_title, pdf,
         pdf_sha256, metadata, sent_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [d.docId, d.version, d.decidedBy, d.decidedAt, d.dagtekening, d.signerName, d.signerFunctionTitle, d.pdf, d.pdfSha256, JSON.stringify(d.metadata), d.sentOn],
    );
  };

  const insertDispatch = async (q: Queryable, d: DispatchRecord): Promise<number> => {
    const { rowCount } = await q.query(
      `INSERT INTO dispatches (doc_id, version, verzenddatum, bezwaartermijn_einde, how, by_user, at)
       SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM decisions WHERE doc_id = $1 AND version = $2)
       ON CONFLICT (doc_id, version) DO NOTHING`,
      [d.docId, d.version, d.verzenddatum, d.bezwaartermijnEinde, d.how, d.by, d.at],
    );
    return rowCount ?? 0;
  };

  const refusal = (row: DocumentSql | null): CommitActionResult => ({ stored: false, existing: null, status: row ? statusOf(row) : null });

  /**
   * Runs a commit that stores an action record. Another transaction that stored the same key
   * first (KeyTaken) answers with that record, as a replay does; `onUnique` turns a unique
   * violation on the identificatie (a race no document lock covers: two documents) into the
   * refusal SQLite gives for it.
   */
  const commitWithKey = async (
    record: ActionRecord,
    work: (q: Queryable) => Promise<CommitActionResult>,
    onUnique?: () => Promise<CommitActionResult>,
  ): Promise<CommitActionResult> => {
    try {
      return await inTransaction(pool, work);
    } catch (error) {
      if (error instanceof KeyTaken) {
        const existing = await getAction(pool, record.idempotencyKey);
        if (existing) return { stored: false, existing };
      }
      if (onUnique !== undefined && isUniqueViolation(error) && IDENTIFICATIE_KEYS.has(constraintOf(error))) return onUnique();
      throw error;
    }
  };

  /**
   * Sets the document's status when it is in one of `from` and `version` is its latest submission;
   * `doc` is the row as locked by this transaction.
   */
  const moveDocument = async (q: Queryable, doc: DocumentSql | null, version: number, from: readonly string[], to: string, at: number): Promise<DocumentRow | null> => {
    if (!doc || !from.includes(doc.status) || (await latest(q, doc.id)) !== version) return null;
    const { rows } = await q.query<DocumentSql>('UPDATE documents SET status = $1, updated_at = $2 WHERE id = $3 RETURNING *', [to, at, doc.id]);
    return rows[0] ? documentFromSql(rows[0]) : null;
  };

  /** Locks document then outbox row (DB14's order); null when the row does not exist. */
  const lockDelivery = async (q: Queryable, identificatie: string): Promise<{ doc: DocumentSql | null; row: OutboxSql } | null> => {
    const { rows: found } = await q.query<{ doc_id: string }>('SELECT doc_id FROM outbox WHERE identificatie = $1', [identificatie]);
    const docId = found[0]?.doc_id;
    if (docId === undefined) return null;
    const doc = await lockDocument(q, docId);
    const { rows } = await q.query<OutboxSql>('SELECT * FROM outbox WHERE identificatie = $1 FOR UPDATE', [identificatie]);
    return rows[0] ? { doc, row: rows[0] } : null;
  };

  const store: SubmissionStore = {
    async latestSubmissionVersion(docId) {
      return latest(pool, docId);
    },

    async commitSubmission(c) {
      const statusNow = async (): Promise<CommitActionResult> => {
        const { rows } = await pool.query<DocumentSql>('SELECT * FROM documents WHERE id = $1', [c.record.docId]);
        return refusal(rows[0] ?? null);
      };
      return commitWithKey(
        c.record,
        async (q) => {
          const row = await lockDocument(q, c.record.docId);
          const taken = await getAction(q, c.record.idempotencyKey);
          if (taken) return { stored: false, existing: taken };
          if (!row || row.status !== c.ifStatus || c.submission.version !== (await latest(q, c.record.docId)) + 1) return refusal(row);
          // J9: an identificatie another submission holds is a conflict, never a constraint error (500).
          const { rowCount } = await q.query('SELECT 1 FROM submissions WHERE identificatie = $1', [c.submission.identificatie]);
          if (rowCount !== 0) return refusal(row);
          // CL27: under this row lock no append of the room is in flight (each holds the row FOR
          // SHARE), so this one statement sees every update stored; one the submit's content
          // lacks would be acknowledged but not submitted.
          const { rows: stored } = await q.query<{ data: Buffer }>(
            `SELECT data FROM (SELECT 0 AS kind, state AS data, 0::bigint AS seq FROM doc_snapshots WHERE room = $1
             UNION ALL SELECT 1 AS kind, "update" AS data, seq FROM doc_updates WHERE room = $1) AS stored ORDER BY kind, seq`,
            [docRoom(c.record.docId)],
          );
          if (!contentCoversStored(c.submission.content, stored.map((r) => bytesFromSql(r.data)))) return { stored: false, existing: null, status: statusOf(row), contentMoved: true };
          await insertAction(q, c.record);
          const s = c.submission;
          await q.query(
            `INSERT INTO submissions (doc_id, version, identificatie, zaak, template_id, template_version, submitted_by,
               submitted_at, content, content_sha256, pdf, pdf_sha256, metadata, attachments)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
            [
              s.docId,
              s.version,
              s.identificatie,
              s.zaak,
              s.templateId,
              s.templateVersion,
              s.submittedBy,
              s.submittedAt,
              s.content,
              s.contentSha256,
              s.pdf,
              s.pdfSha256,
              JSON.stringify(s.metadata),
              s.attachments === undefined || s.attachments.length === 0 ? null : JSON.stringify(s.attachments),
            ],
          );
          if (c.decision !== undefined) await insertDecision(q, c.decision);
          if (c.dueAt !== null) await insertOutbox(q, s.identificatie, s.docId, s.version, c.dueAt);
          await q.query(UPDATE_DOCUMENT_SQL, patchParams(c.record.docId, c.patch));
          return { stored: true };
        },
        // J9: another document's submit took the identificatie after our check (DB13).
        statusNow,
      );
    },

    async reserveIdentificatie(r) {
      assertValidReservation(r);
      return inTransaction(pool, async (q): Promise<IdentificatieNumber> => {
        // DB11: one reservation at a time, installation-wide; READ COMMITTED then sees every
        // reservation committed before the lock was granted, so max + 1 is free and gap-free.
        await q.query('SELECT pg_advisory_xact_lock($1)', [IDENTIFICATIE_LOCK]);
        const { rows: known } = await q.query<IdentificatieNumber>('SELECT year, seq FROM identificaties WHERE doc_id = $1 AND version = $2', [r.docId, r.version]);
        if (known[0]) return { year: known[0].year, seq: known[0].seq };
        const { rows } = await q.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM identificaties WHERE year = $1', [r.year]);
        const seq = (rows[0]?.seq ?? 0) + 1;
        await q.query('INSERT INTO identificaties (year, seq, doc_id, version) VALUES ($1, $2, $3, $4)', [r.year, seq, r.docId, r.version]);
        return { year: r.year, seq };
      });
    },

    async commitReview(c) {
      return commitWithKey(c.record, async (q) => {
        const row = await lockDocument(q, c.record.docId);
        const taken = await getAction(q, c.record.idempotencyKey);
        if (taken) return { stored: false, existing: taken };
        if (!row || row.status !== c.ifStatus || c.review.docId !== c.record.docId || c.review.version !== (await latest(q, c.record.docId))) {
          return refusal(row);
        }
        const { rows } = await q.query<{ identificatie: string }>('SELECT identificatie FROM submissions WHERE doc_id = $1 AND version = $2', [
          c.review.docId,
          c.review.version,
        ]);
        const submission = rows[0];
        if (!submission) throw new Error('FOREIGN KEY constraint failed: reviews');
        await insertAction(q, c.record);
        const v = c.review;
        await q.query(
          `INSERT INTO reviews (doc_id, version, kind, by_user, by_name, at, section, remark, idempotency_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [v.docId, v.version, v.kind, v.by, v.byName, v.at, v.section, v.remark, v.idempotencyKey],
        );
        if (c.decision !== undefined) {
          if (c.decision.docId !== v.docId || c.decision.version !== v.version) throw new Error('decision of another version (J1)');
          await insertDecision(q, c.decision);
        }
        if (c.dueAt !== null) await insertOutbox(q, submission.identificatie, v.docId, v.version, c.dueAt);
        await q.query(UPDATE_DOCUMENT_SQL, patchParams(c.record.docId, c.patch));
        return { stored: true };
      });
    },

    async listReviews(docId) {
      const { rows } = await pool.query<ReviewSql>(
        'SELECT doc_id, version, kind, by_user, by_name, at, section, remark, idempotency_key FROM reviews WHERE doc_id = $1 ORDER BY seq',
        [docId],
      );
      return rows.map(reviewFromSql);
    },

    async listSubmissions(docId) {
      const { rows } = await pool.query<SummarySql>(
        `SELECT ${SUMMARY_COLUMNS} FROM submissions s LEFT JOIN outbox o ON o.identificatie = s.identificatie
         WHERE s.doc_id = $1 ORDER BY s.version`,
        [docId],
      );
      return rows.map(listingFromSql);
    },

    async getSubmission(docId, version) {
      const { rows } = await pool.query<SubmissionSql>('SELECT * FROM submissions WHERE doc_id = $1 AND version = $2', [docId, version]);
      return rows[0] ? submissionFromSql(rows[0]) : null;
    },

    async claimDueDeliveries(now, leaseMs, limit) {
      return inTransaction(pool, (q) => claimDueDeliveriesIn(q, now, leaseMs, limit));
    },

    async recordDelivered(o) {
      return inTransaction(pool, async (q): Promise<DeliveryOutcome> => {
        const locked = await lockDelivery(q, o.identificatie);
        if (!locked || locked.row.state !== 'pending') return { recorded: false };
        await q.query(
          `UPDATE outbox SET state = 'delivered', reference = $1, delivered_at = $2, outcome_unknown = false, last_error = NULL, dms_lock = NULL
           WHERE identificatie = $3`,
          [o.reference, o.at, o.identificatie],
        );
        // J2: the letter left with this delivery (O1: in the transaction that records the reference).
        if (o.dispatch !== undefined) await insertDispatch(q, o.dispatch);
        const from = [WorkflowStatus.submitted, WorkflowStatus.deliveryFailed];
        return { recorded: true, document: await moveDocument(q, locked.doc, locked.row.version, from, WorkflowStatus.archived, o.at) };
      });
    },

    async recordDeliveryFailure(o) {
      return inTransaction(pool, async (q): Promise<DeliveryOutcome> => {
        const locked = await lockDelivery(q, o.identificatie);
        if (!locked || locked.row.state !== 'pending' || locked.row.attempts !== o.attempt) return { recorded: false };
        await q.query('UPDATE outbox SET last_error = $1, outcome_unknown = $2, next_attempt_at = $3, state = $4 WHERE identificatie = $5', [
          o.error,
          o.outcomeUnknown,
          o.nextAttemptAt,
          o.giveUp === true ? 'failed' : 'pending',
          o.identificatie,
        ]);
        const from = [WorkflowStatus.submitted];
        return { recorded: true, document: await moveDocument(q, locked.doc, locked.row.version, from, WorkflowStatus.deliveryFailed, o.at) };
      });
    },

    async hastenRetries(rows, at) {
      if (rows.length === 0) return 0;
      // One statement; the attempt is the compare-and-set (a row claimed since has a higher one).
      // It locks several rows, so it runs in inTransaction, which retries it after a deadlock.
      const { rowCount } = await inTransaction(pool, (q) => q.query(
        `UPDATE outbox o SET next_attempt_at = $1
         FROM unnest($2::text[], $3::int[]) AS r(identificatie, attempt)
         WHERE o.identificatie = r.identificatie AND o.attempts = r.attempt AND o.state = 'pending' AND o.next_attempt_at > $1`,
        [at, rows.map((r) => r.identificatie), rows.map((r) => r.attempt)],
      ));
      return rowCount ?? 0;
    },

    async recordDeliveryLock(update) {
      await pool.query(`UPDATE outbox SET dms_lock = $1 WHERE identificatie = $2 AND state <> 'delivered'`, [update.lock, update.identificatie]);
    },

    async getDecision(docId, version) {
      const { rows } = await pool.query<DecisionSql>('SELECT * FROM decisions WHERE doc_id = $1 AND version = $2', [docId, version]);
      return rows[0] ? decisionFromSql(rows[0]) : null;
    },

    async listDecisions(docId) {
      const { rows } = await pool.query<DecisionSummarySql>(
        `SELECT d.doc_id, d.version, d.decided_by, d.decided_at, d.dagtekening, d.signer_name, d.signer_function_title,
           d.pdf_sha256, d.metadata, d.sent_on,
           p.doc_id AS p_doc_id, p.version AS p_version, p.verzenddatum AS p_verzenddatum,
           p.bezwaartermijn_einde AS p_bezwaartermijn_einde, p.how AS p_how, p.by_user AS p_by_user, p.at AS p_at
         FROM decisions d LEFT JOIN dispatches p ON p.doc_id = d.doc_id AND p.version = d.version
         WHERE d.doc_id = $1 ORDER BY d.version`,
        [docId],
      );
      return rows.map(decisionSummaryFromSql);
    },

    async commitDispatch(c) {
      return commitWithKey(c.record, async (q) => {
        const row = await lockDocument(q, c.record.docId);
        const taken = await getAction(q, c.record.idempotencyKey);
        if (taken) return { stored: false, existing: taken };
        const { docId, version } = c.dispatch;
        if (!row || row.status !== c.ifStatus || docId !== c.record.docId) return refusal(row);
        const { rows } = await q.query<{ decided: boolean; sent: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM decisions WHERE doc_id = $1 AND version = $2) AS decided,
             EXISTS (SELECT 1 FROM dispatches WHERE doc_id = $1 AND version = $2) AS sent`,
          [docId, version],
        );
        const found = rows[0];
        if (found === undefined || !found.decided || found.sent) return refusal(row);
        await insertAction(q, c.record);
        if ((await insertDispatch(q, c.dispatch)) !== 1) throw new Error(`dispatch of ${docId} v${version} vanished inside its transaction`);
        return { stored: true };
      });
    },
  };

  return {
    store,
    async rescheduleDeliveries(client, docId, at) {
      // O4: a failed row starts over (the look-up first after an unknown outcome stays asked for).
      await client.query(
        `UPDATE outbox SET next_attempt_at = $1,
           attempts = CASE WHEN state = 'failed' THEN 0 ELSE attempts END, state = 'pending'
         WHERE doc_id = $2 AND state IN ('pending', 'failed')`,
        [at, docId],
      );
    },
    view: {
      async listTeamDeliveries(teamId, limit) {
        const { rows } = await pool.query<SummarySql & { d_title: string } & SendingSql>(
          `SELECT ${SUMMARY_COLUMNS}, d.title AS d_title,
             dc.dagtekening AS j_dagtekening, dc.sent_on AS j_sent_on, p.verzenddatum AS j_verzenddatum,
             p.bezwaartermijn_einde AS j_bezwaartermijn_einde
           FROM documents d
           JOIN submissions s ON s.doc_id = d.id
           JOIN outbox o ON o.identificatie = s.identificatie
           LEFT JOIN decisions dc ON dc.doc_id = s.doc_id AND dc.version = s.version
           LEFT JOIN dispatches p ON p.doc_id = s.doc_id AND p.version = s.version
           WHERE d.team_id = $1
           ORDER BY o.state = 'delivered', s.submitted_at DESC, s.${BY_IDENTIFICATIE}
           LIMIT $2`,
          [teamId, limit],
        );
        return rows.map((r): TeamDelivery => {
          const summary = summaryFromSql(r);
          if (summary.delivery === null) throw new Error(`outbox row of ${r.identificatie} missing`);
          const sending =
            r.j_dagtekening === null || r.j_sent_on === null
              ? null
              : { dagtekening: r.j_dagtekening, sentOn: r.j_sent_on, verzenddatum: r.j_verzenddatum, bezwaartermijnEinde: r.j_bezwaartermijn_einde };
          return { ...summary, delivery: summary.delivery, title: r.d_title, sending };
        });
      },
      async countDeliveries() {
        const { rows } = await pool.query<DeliveryCounts>(
          `SELECT count(*) FILTER (WHERE state = 'pending' AND last_error IS NULL) AS waiting,
             count(*) FILTER (WHERE state = 'failed' OR (state = 'pending' AND last_error IS NOT NULL)) AS failed,
             count(*) FILTER (WHERE state = 'delivered') AS delivered
           FROM outbox`,
        );
        return { waiting: rows[0]?.waiting ?? 0, failed: rows[0]?.failed ?? 0, delivered: rows[0]?.delivered ?? 0 };
      },
    },
  };
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
