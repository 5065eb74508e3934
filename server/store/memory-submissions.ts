// In-memory submissions and outbox with the SQLite store's semantics (same contract suite):
// immutable submissions, one synchronous step per "transaction", copies in and out. Shares the
// memory store's document and action maps, because submit and delivery outcomes change them too.
/* eslint-disable @typescript-eslint/require-await --
   Methods are async without awaiting on purpose, as in memory-store.ts. */
import { WorkflowStatus } from '../../shared/model/index-entry';
import type {
  ActionRecord,
  ClaimedDelivery,
  DeliveryRow,
  DocumentPatch,
  DocumentRow,
  SubmissionRecord,
  SubmissionStore,
} from './types';

export interface MemorySubmissionsDeps {
  documents: Map<string, DocumentRow>;
  actions: Map<string, ActionRecord>;
  /** Throws when the store is closed. */
  open: () => void;
  /** Checks and applies an action record and patch as commitAction does. */
  storeAction: (record: ActionRecord, patch: DocumentPatch | null) => void;
}

export interface MemorySubmissions {
  store: SubmissionStore;
  /** Inside a commit: makes the document's pending deliveries due at `at`. */
  rescheduleDeliveries: (docId: string, at: number) => void;
}

export function createMemorySubmissions(deps: MemorySubmissionsDeps): MemorySubmissions {
  const { documents, actions, open } = deps;
  /** Keyed `${docId}\n${version}`. */
  const submissions = new Map<string, SubmissionRecord>();
  const outbox = new Map<string, DeliveryRow>();
  const key = (docId: string, version: number): string => `${docId}\n${version}`;
  const latest = (docId: string): number => {
    let max = 0;
    for (const s of submissions.values()) if (s.docId === docId && s.version > max) max = s.version;
    return max;
  };
  const moveDocument = (docId: string, version: number, from: readonly string[], to: WorkflowStatus, at: number): DocumentRow | null => {
    const row = documents.get(docId);
    if (!row || !from.includes(row.status) || latest(docId) !== version) return null;
    const next = { ...row, status: to, updatedAt: at };
    documents.set(docId, next);
    return { ...next };
  };

  const store: SubmissionStore = {
    async latestSubmissionVersion(docId) {
      open();
      return latest(docId);
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
      for (const s of submissions.values()) {
        if (s.identificatie === c.submission.identificatie) throw new Error('UNIQUE constraint failed: submissions.identificatie');
      }
      deps.storeAction(c.record, c.patch);
      submissions.set(key(c.submission.docId, c.submission.version), copySubmission(c.submission));
      outbox.set(c.submission.identificatie, {
        identificatie: c.submission.identificatie,
        docId: c.submission.docId,
        version: c.submission.version,
        state: 'pending',
        attempts: 0,
        nextAttemptAt: c.dueAt,
        lastAttemptAt: null,
        lastError: null,
        outcomeUnknown: false,
        deliveredAt: null,
        reference: null,
      });
      return { stored: true };
    },
    async listSubmissions(docId) {
      open();
      return [...submissions.values()]
        .filter((s) => s.docId === docId)
        .sort((a, b) => a.version - b.version)
        .map(({ content: _content, pdf: _pdf, ...rest }) => {
          const delivery = outbox.get(rest.identificatie);
          if (!delivery) throw new Error(`outbox row of ${rest.identificatie} missing`);
          return { ...rest, metadata: { ...rest.metadata }, delivery: { ...delivery } };
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
      Object.assign(d, { state: 'delivered', reference: o.reference, deliveredAt: o.at, outcomeUnknown: false, lastError: null });
      const from = [WorkflowStatus.submitted, WorkflowStatus.deliveryFailed];
      return { recorded: true, document: moveDocument(d.docId, d.version, from, WorkflowStatus.archived, o.at) };
    },
    async recordDeliveryFailure(o) {
      open();
      const d = outbox.get(o.identificatie);
      if (!d || d.state !== 'pending' || d.attempts !== o.attempt) return { recorded: false };
      Object.assign(d, { lastError: o.error, outcomeUnknown: o.outcomeUnknown, nextAttemptAt: o.nextAttemptAt });
      const from = [WorkflowStatus.submitted];
      return { recorded: true, document: moveDocument(d.docId, d.version, from, WorkflowStatus.deliveryFailed, o.at) };
    },
  };
  return {
    store,
    rescheduleDeliveries(docId, at) {
      for (const d of outbox.values()) if (d.docId === docId && d.state === 'pending') d.nextAttemptAt = at;
    },
  };
}

function copySubmission(s: SubmissionRecord): SubmissionRecord {
  return { ...s, content: s.content.slice(), pdf: s.pdf.slice(), metadata: { ...s.metadata } };
}

/** The checks SQLite's column constraints make on submissions. */
function assertValidSubmission(s: SubmissionRecord): void {
  if (!Number.isInteger(s.version) || s.version < 1) throw new Error('CHECK constraint failed: version');
  if (s.identificatie.length < 1 || s.identificatie.length > 40) throw new Error('CHECK constraint failed: identificatie');
  if (!(s.content instanceof Uint8Array) || !(s.pdf instanceof Uint8Array)) throw new Error('CHECK constraint failed: blob');
  if (s.contentSha256.length !== 64 || s.pdfSha256.length !== 64) throw new Error('CHECK constraint failed: sha256');
  if (!Number.isInteger(s.submittedAt) || !Number.isInteger(s.templateVersion)) throw new Error('CHECK constraint failed: integer');
}
