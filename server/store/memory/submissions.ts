// In-memory submissions and outbox with the SQLite store's semantics (same contract suite):
// immutable submissions, one synchronous step per "transaction", copies in and out. Shares the
// memory store's document and action maps, because submit and delivery outcomes change them too.
/* eslint-disable @typescript-eslint/require-await --
   Methods are async without awaiting on purpose, as in memory/store.ts. */
import { WorkflowStatus } from '../../../shared/model/index-entry';
import { docRoom } from '../../../shared/protocol/rooms';
import { contentCoversStored } from '../frozen-content';
import type {
  ActionRecord,
  ClaimedDelivery,
  DecisionRecord,
  DeliveryCounts,
  DispatchRecord,
  DeliveryRow,
  DocumentPatch,
  DocumentRow,
  IdentificatieNumber,
  ReviewRecord,
  SubmissionRecord,
  SubmissionStore,
  TeamDelivery,
} from '../types';
import { assertValidReservation } from '../sqlite/submissions';
import { withStatusSince } from '../status-since';

export interface MemorySubmissionsDeps {
  documents: Map<string, DocumentRow>;
  actions: Map<string, ActionRecord>;
  /** Throws when the store is closed. */
  open: () => void;
  /** Checks and applies an action record and patch as commitAction does. */
  storeAction: (record: ActionRecord, patch: DocumentPatch | null) => void;
  /** CL27: what is stored for a room (snapshot first, then the log), as loadUpdates has it. */
  storedUpdates: (room: string) => Uint8Array[];
}

export interface MemorySubmissions {
  store: SubmissionStore;
  /** Inside a commit: makes the document's pending deliveries due at `at`. */
  rescheduleDeliveries: (docId: string, at: number) => void;
  /** The back office's outbox view (Store's last block). */
  view: {
    listTeamDeliveries(teamId: string, limit: number): Promise<TeamDelivery[]>;
    countDeliveries(): Promise<DeliveryCounts>;
  };
}

export function createMemorySubmissions(deps: MemorySubmissionsDeps): MemorySubmissions {
  const { documents, actions, open } = deps;
  /** Keyed `${docId}\n${version}`. */
  const submissions = new Map<string, SubmissionRecord>();
  const outbox = new Map<string, DeliveryRow>();
  const reviews: ReviewRecord[] = [];
  /** J9: `${docId}\n${version}` → its number; `lastSeq` per year. */
  const numbers = new Map<string, IdentificatieNumber>();
  const lastSeq = new Map<number, number>();
  /** J1, J2: keyed like submissions; never changed once set. */
  const decisions = new Map<string, DecisionRecord>();
  const dispatches = new Map<string, DispatchRecord>();
  const storeDecision = (d: DecisionRecord): void => {
    assertValidDecision(d);
    const k = key(d.docId, d.version);
    if (!submissions.has(k)) throw new Error('FOREIGN KEY constraint failed: decisions');
    if (decisions.has(k)) throw new Error('UNIQUE constraint failed: decisions');
    decisions.set(k, copyDecision(d));
  };
  const queue = (identificatie: string, docId: string, version: number, dueAt: number): void => {
    outbox.set(identificatie, {
      identificatie,
      docId,
      version,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: dueAt,
      lastAttemptAt: null,
      lastError: null,
      outcomeUnknown: false,
      deliveredAt: null,
      reference: null,
      dmsLock: null,
    });
  };
  const key = (docId: string, version: number): string => `${docId}\n${version}`;
  const latest = (docId: string): number => {
    let max = 0;
    for (const s of submissions.values()) if (s.docId === docId && s.version > max) max = s.version;
    return max;
  };
  const moveDocument = (docId: string, version: number, from: readonly string[], to: WorkflowStatus, at: number): DocumentRow | null => {
    const row = documents.get(docId);
    if (!row || !from.includes(row.status) || latest(docId) !== version) return null;
    const next = withStatusSince(row, { ...row, status: to, updatedAt: at });
    documents.set(docId, next);
    return { ...next };
  };

  const store: SubmissionStore = {
    async latestSubmissionVersion(docId) {
      open();
      return latest(docId);
    },
    async reserveIdentificatie(r) {
      open();
      assertValidReservation(r);
      const known = numbers.get(key(r.docId, r.version));
      if (known) return { ...known };
      const seq = (lastSeq.get(r.year) ?? 0) + 1;
      if (seq > 9_999_999) throw new Error('CHECK constraint failed: seq');
      lastSeq.set(r.year, seq);
      numbers.set(key(r.docId, r.version), { year: r.year, seq });
      return { year: r.year, seq };
    },
    async commitSubmission(c) {
      open();
      const taken = actions.get(c.record.idempotencyKey);
      if (taken) return { stored: false, existing: { ...taken } };
      const row = documents.get(c.record.docId);
      if (!row || row.status !== c.ifStatus || c.submission.version !== latest(c.record.docId) + 1) {
        return { stored: false, existing: null, status: row?.status ?? null };
      }
      assertValidSubmission(c.submission);
      // J9: an identificatie another submission holds is a conflict, never a constraint error (500).
      for (const s of submissions.values()) {
        if (s.identificatie === c.submission.identificatie) return { stored: false, existing: null, status: row.status };
      }
      // CL27: an update stored after the submit read the content would be acknowledged but not submitted.
      if (!contentCoversStored(c.submission.content, deps.storedUpdates(docRoom(c.record.docId)))) {
        return { stored: false, existing: null, status: row.status, contentMoved: true };
      }
      if (c.decision !== undefined) assertValidDecision(c.decision);
      deps.storeAction(c.record, c.patch);
      submissions.set(key(c.submission.docId, c.submission.version), copySubmission(c.submission));
      if (c.decision !== undefined) storeDecision(c.decision);
      if (c.dueAt !== null) queue(c.submission.identificatie, c.submission.docId, c.submission.version, c.dueAt);
      return { stored: true };
    },
    async commitReview(c) {
      open();
      const taken = actions.get(c.record.idempotencyKey);
      if (taken) return { stored: false, existing: { ...taken } };
      const row = documents.get(c.record.docId);
      if (!row || row.status !== c.ifStatus || c.review.docId !== c.record.docId || c.review.version !== latest(c.record.docId)) {
        return { stored: false, existing: null, status: row?.status ?? null };
      }
      assertValidReview(c.review);
      const submission = submissions.get(key(c.review.docId, c.review.version));
      if (!submission) throw new Error('FOREIGN KEY constraint failed: reviews');
      if (c.dueAt !== null && outbox.has(submission.identificatie)) throw new Error('UNIQUE constraint failed: outbox.identificatie');
      if (c.decision !== undefined) {
        assertValidDecision(c.decision);
        if (decisions.has(key(c.decision.docId, c.decision.version)) || c.decision.docId !== c.review.docId || c.decision.version !== c.review.version) {
          throw new Error('decision of another version (J1)');
        }
      }
      deps.storeAction(c.record, c.patch);
      reviews.push({ ...c.review });
      if (c.decision !== undefined) storeDecision(c.decision);
      if (c.dueAt !== null) queue(submission.identificatie, submission.docId, submission.version, c.dueAt);
      return { stored: true };
    },
    async listReviews(docId) {
      open();
      return reviews.filter((r) => r.docId === docId).map((r) => ({ ...r }));
    },
    async listSubmissions(docId) {
      open();
      return [...submissions.values()]
        .filter((s) => s.docId === docId)
        .sort((a, b) => a.version - b.version)
        .map(({ content: _content, pdf: _pdf, ...rest }) => {
          const delivery = outbox.get(rest.identificatie);
          return { ...rest, metadata: { ...rest.metadata }, delivery: delivery ? { ...delivery } : null };
        });
    },
    async getSubmission(docId, version) {
      open();
      const s = submissions.get(key(docId, version));
      return s ? copySubmission(s) : null;
    },
    async claimDueDeliveries(now, leaseMs, limit) {
      open();
      const due = [...outbox.values()]
        .filter((d) => d.state === 'pending' && d.nextAttemptAt <= now)
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || (a.identificatie < b.identificatie ? -1 : 1))
        .slice(0, limit);
      return due.map((d): ClaimedDelivery => {
        const lookupFirst = d.outcomeUnknown;
        d.attempts += 1;
        d.nextAttemptAt = now + leaseMs;
        d.lastAttemptAt = now;
        d.outcomeUnknown = true;
        return { delivery: { ...d }, lookupFirst };
      });
    },
    async recordDelivered(o) {
      open();
      const d = outbox.get(o.identificatie);
      if (!d || d.state !== 'pending') return { recorded: false };
      Object.assign(d, { state: 'delivered', reference: o.reference, deliveredAt: o.at, outcomeUnknown: false, lastError: null, dmsLock: null });
      // J2: the letter left with this delivery, recorded with the reference.
      const sent = o.dispatch;
      if (sent !== undefined && decisions.has(key(sent.docId, sent.version)) && !dispatches.has(key(sent.docId, sent.version))) {
        dispatches.set(key(sent.docId, sent.version), { ...sent });
      }
      const from = [WorkflowStatus.submitted, WorkflowStatus.deliveryFailed];
      return { recorded: true, document: moveDocument(d.docId, d.version, from, WorkflowStatus.archived, o.at) };
    },
    async recordDeliveryFailure(o) {
      open();
      const d = outbox.get(o.identificatie);
      if (!d || d.state !== 'pending' || d.attempts !== o.attempt) return { recorded: false };
      Object.assign(d, { lastError: o.error, outcomeUnknown: o.outcomeUnknown, nextAttemptAt: o.nextAttemptAt, state: o.giveUp === true ? 'failed' : 'pending' });
      const from = [WorkflowStatus.submitted];
      return { recorded: true, document: moveDocument(d.docId, d.version, from, WorkflowStatus.deliveryFailed, o.at) };
    },
    async hastenRetries(rows, at) {
      open();
      let moved = 0;
      for (const r of rows) {
        const d = outbox.get(r.identificatie);
        if (d === undefined || d.state !== 'pending' || d.attempts !== r.attempt || d.nextAttemptAt <= at) continue;
        d.nextAttemptAt = at;
        moved += 1;
      }
      return moved;
    },
    async recordDeliveryLock(u) {
      open();
      const d = outbox.get(u.identificatie);
      if (d !== undefined && d.state !== 'delivered') d.dmsLock = u.lock;
    },
    async getDecision(docId, version) {
      open();
      const d = decisions.get(key(docId, version));
      return d ? copyDecision(d) : null;
    },
    async listDecisions(docId) {
      open();
      return [...decisions.values()]
        .filter((d) => d.docId === docId)
        .sort((a, b) => a.version - b.version)
        .map(({ pdf: _pdf, ...rest }) => {
          const sent = dispatches.get(key(rest.docId, rest.version));
          return { ...rest, metadata: { ...rest.metadata }, dispatch: sent ? { ...sent } : null };
        });
    },
    async commitDispatch(c) {
      open();
      const taken = actions.get(c.record.idempotencyKey);
      if (taken) return { stored: false, existing: { ...taken } };
      const row = documents.get(c.record.docId);
      const k = key(c.dispatch.docId, c.dispatch.version);
      if (!row || row.status !== c.ifStatus || c.dispatch.docId !== c.record.docId || !decisions.has(k) || dispatches.has(k)) {
        return { stored: false, existing: null, status: row?.status ?? null };
      }
      assertValidDispatch(c.dispatch);
      deps.storeAction(c.record, null);
      dispatches.set(k, { ...c.dispatch });
      return { stored: true };
    },
  };
  return {
    store,
    rescheduleDeliveries(docId, at) {
      for (const d of outbox.values()) {
        if (d.docId !== docId || d.state === 'delivered') continue;
        // O4: a failed row starts over (the look-up first after an unknown outcome stays asked for).
        if (d.state === 'failed') Object.assign(d, { state: 'pending', attempts: 0 });
        d.nextAttemptAt = at;
      }
    },
    view: {
      async listTeamDeliveries(teamId, limit) {
        open();
        const rows: TeamDelivery[] = [];
        for (const s of submissions.values()) {
          const doc = documents.get(s.docId);
          const delivery = outbox.get(s.identificatie);
          if (doc?.teamId !== teamId || delivery === undefined) continue;
          const { content: _content, pdf: _pdf, ...rest } = s;
          const decided = decisions.get(key(s.docId, s.version));
          const sent = dispatches.get(key(s.docId, s.version));
          const sending =
            decided === undefined
              ? null
              : { dagtekening: decided.dagtekening, sentOn: decided.sentOn, verzenddatum: sent?.verzenddatum ?? null, bezwaartermijnEinde: sent?.bezwaartermijnEinde ?? null };
          rows.push({ ...rest, metadata: { ...rest.metadata }, delivery: { ...delivery }, title: doc.title, sending });
        }
        return rows
          .sort(
            (a, b) =>
              Number(a.delivery.state === 'delivered') - Number(b.delivery.state === 'delivered') ||
              b.submittedAt - a.submittedAt ||
              (a.identificatie < b.identificatie ? -1 : 1),
          )
          .slice(0, limit);
      },
      async countDeliveries() {
        open();
        const counts: DeliveryCounts = { waiting: 0, failed: 0, delivered: 0 };
        for (const d of outbox.values()) {
          if (d.state === 'delivered') counts.delivered += 1;
          else if (d.state === 'pending' && d.lastError === null) counts.waiting += 1;
          else counts.failed += 1;
        }
        return counts;
      },
    },
  };
}

function copySubmission(s: SubmissionRecord): SubmissionRecord {
  const { attachments, ...rest } = s;
  return {
    ...rest,
    content: s.content.slice(),
    pdf: s.pdf.slice(),
    metadata: { ...s.metadata },
    // F9: as in SQLite, an empty list is stored as none.
    ...(attachments === undefined || attachments.length === 0 ? {} : { attachments: attachments.map((a) => ({ ...a })) }),
  };
}

function copyDecision(d: DecisionRecord): DecisionRecord {
  return { ...d, pdf: d.pdf.slice(), metadata: { ...d.metadata } };
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The checks SQLite's column constraints make on decisions. */
function assertValidDecision(d: DecisionRecord): void {
  if (!ISO_DAY.test(d.dagtekening)) throw new Error('CHECK constraint failed: dagtekening');
  if (d.decidedBy.length === 0 || !Number.isInteger(d.decidedAt)) throw new Error('CHECK constraint failed: decision');
  if (!(d.pdf instanceof Uint8Array) || d.pdfSha256.length !== 64) throw new Error('CHECK constraint failed: pdf');
  if (d.sentOn !== 'delivery' && d.sentOn !== 'manual') throw new Error('CHECK constraint failed: sent_on');
}

/** The checks SQLite's column constraints make on dispatches. */
function assertValidDispatch(d: DispatchRecord): void {
  if (!ISO_DAY.test(d.verzenddatum)) throw new Error('CHECK constraint failed: verzenddatum');
  if ((d.how !== 'delivery' && d.how !== 'manual') || !Number.isInteger(d.at)) throw new Error('CHECK constraint failed: dispatch');
}

/** The checks SQLite's column constraints make on reviews. */
function assertValidReview(r: ReviewRecord): void {
  if (r.kind !== 'approved' && r.kind !== 'returned') throw new Error('CHECK constraint failed: kind');
  if (r.kind === 'returned' && (r.remark === null || r.remark.length < 1 || r.remark.length > 2000)) {
    throw new Error('CHECK constraint failed: remark');
  }
  if (!Number.isInteger(r.at) || typeof r.by !== 'string' || r.by.length === 0) throw new Error('CHECK constraint failed: review');
}

/** The checks SQLite's column constraints make on submissions. */
function assertValidSubmission(s: SubmissionRecord): void {
  if (!Number.isInteger(s.version) || s.version < 1) throw new Error('CHECK constraint failed: version');
  if (s.identificatie.length < 1 || s.identificatie.length > 40) throw new Error('CHECK constraint failed: identificatie');
  if (!(s.content instanceof Uint8Array) || !(s.pdf instanceof Uint8Array)) throw new Error('CHECK constraint failed: blob');
  if (s.contentSha256.length !== 64 || s.pdfSha256.length !== 64) throw new Error('CHECK constraint failed: sha256');
  if (!Number.isInteger(s.submittedAt) || !Number.isInteger(s.templateVersion)) throw new Error('CHECK constraint failed: integer');
}
