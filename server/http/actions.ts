// W1: status changes only through idempotent actions. `performAction` decides one action
// request against the stored document and the idempotency log and returns the HTTP answer;
// the route only parses and writes it. The answer is stored with the key in the same
// transaction as the status change, so a replay of the key gets the same answer and the work
// is done once, also when two identical requests race (the store's unique key decides).
// A submit (W2, W3) also freezes the submission and queues its delivery in that transaction;
// one that needs approval (W4) goes to ter-goedkeuring with its delivery held, until `approve`
// (by another official than the submitter) queues it or `return` (with a remark) sends the
// document back to concept. Each review is kept with the action.
import { WorkflowStatus } from '../../shared/model/index-entry';
import { decideAction, type ActionType } from '../../shared/model/status';
import { bezwaartermijnEinde } from '../../shared/validate/rules';
import type { ReviewExpectation } from '../../shared/protocol/review';
import type {
  ActionRecord,
  CommitActionResult,
  DecisionRecord,
  DocumentRow,
  DocumentStore,
  ReviewRecord,
  Role,
  SubmissionStore,
} from '../store/types';
import type { Preparation } from '../submit/prepare-submission';
import type { AuditActor, AuditRecorder } from '../audit/recorder';
import type { AuditAction } from '../audit/types';
import { jsonAnswer, type HttpAnswer } from './replies';
import type { DesignatedDay } from '../../shared/law/designated-days';
import { alreadyDecided, reviewIsStale } from './review-expectation';
import { decideDraftAction, DEFAULT_DRAFT_RETENTION_MS } from './draft-actions';

export interface ActionDeps {
  store: DocumentStore &
    Pick<SubmissionStore, 'commitSubmission' | 'commitReview' | 'listSubmissions' | 'listReviews' | 'listDecisions' | 'commitDispatch' | 'latestSubmissionVersion'>;
  /** The display name kept with a review (W4); the user id when unknown. */
  nameOf: (userId: string) => Promise<string>;
  /** Mirrors a changed row into the live index rooms. */
  documentChanged: (row: DocumentRow) => Promise<void>;
  /** Validates, freezes and renders a submission of `row` (server/submit). */
  prepareSubmission: (input: { row: DocumentRow; userId: string; at: number }) => Promise<Preparation>;
  /**
   * J1: prints the decision on a submitted version as taken by `deciderId` at `at` (dated that
   * day, signed by that official); rendered before the approve transaction, stored by it.
   */
  renderDecision: (input: { docId: string; version: number; deciderId: string; at: number }) => Promise<DecisionRecord>;
  /** J2: the calendar day of a moment (Europe/Amsterdam), YYYY-MM-DD. */
  dayOf: (ms: number) => string;
  /** J5: days designated under Atw art. 3 lid 3 beyond the built-in table (HOLIDAYS_FILE). */
  designatedDays?: readonly DesignatedDay[];
  /** A delivery became due (submit, retry-delivery): wake the outbox worker. */
  deliveryQueued: () => void;
  /** V1: closes the document to content edits until the returned function is called. */
  holdEdits?: (docId: string) => () => void;
  /** U5: an action that was carried out (stored with its key now, not a replay or refusal) is recorded. */
  audit?: AuditRecorder;
  /** E3: how long the office may restore a discarded concept (DRAFT_RETENTION_DAYS); 30 days when not given. */
  draftRetentionMs?: number;
  now: () => number;
}

/** The audit trail's name for each workflow action that was carried out (U5). */
export const AUDIT_ACTION_OF: Readonly<Record<ActionType, AuditAction>> = {
  submit: 'submitted',
  approve: 'approved',
  return: 'returned',
  'retry-delivery': 'delivery-retried',
  'mark-sent': 'letter-marked-sent',
  discard: 'document-discarded',
  restore: 'document-restored',
};

export interface ActionRequest {
  docId: string;
  userId: string;
  teamId: string;
  roles: readonly Role[];
  type: ActionType;
  idempotencyKey: string;
  /** `return` only (W4): the remark for the field worker, 1–2000 characters, required. */
  remark?: string;
  /** `return` only: the template field or section key the remark is about. */
  section?: string;
  /** approve/return: the status and version the official decided on (V5). */
  expect?: ReviewExpectation;
  /** Who asked, on which device, from where: named on the audit entry (U5). */
  actor?: AuditActor;
}

export const REMARK_MAX = 2000;

/** Whether a return request carries a usable remark; the route answers 400 when not. */
export function validRemark(remark: string | undefined): remark is string {
  return remark !== undefined && remark.trim().length > 0 && remark.length <= REMARK_MAX;
}

/** Same answer for unknown documents and other teams' documents: existence is not revealed. */
export const notFound: HttpAnswer = jsonAnswer(404, { error: 'not-found' });

/** A return without a remark is malformed, not a decision: answered, not stored. */
export const remarkRequired: HttpAnswer = jsonAnswer(400, {
  error: 'bad-request',
  issues: [{ path: ['remark'], code: 'remark-required', message: 'Terugsturen vraagt een opmerking (1 tot 2000 tekens).' }],
});

/**
 * How often an action is decided again when the status moved between decision and commit (the
 * outbox worker archived the document meanwhile, say). Each round re-reads the row.
 */
const MAX_DECISIONS = 3;

export async function performAction(deps: ActionDeps, req: ActionRequest): Promise<HttpAnswer> {
  const { store } = deps;
  let row = await store.getDocument(req.docId);
  if (row === null || row.teamId !== req.teamId) return notFound;

  const known = await store.getAction(req.idempotencyKey);
  if (known !== null) return replay(known, req);
  if (req.type === 'return' && !validRemark(req.remark)) return remarkRequired;

  // V1: a submit keeps edits out from before it reads the committed content until the new
  // status reached the gate (documentChanged) or the submit failed.
  const release = req.type === 'submit' ? deps.holdEdits?.(req.docId) : undefined;
  // V5: a review is about the document as it was when the request came in. A client that does not
  // say what it decided on gets that status pinned, so a later round (the status moved between
  // read and commit) refuses it instead of deciding it again on the new status. Requests that
  // arrive one after the other are decided in turn by the status machine (return is allowed from
  // ingediend), which is why the app sends fromStatus and version.
  const pinned: ActionRequest =
    (req.type === 'approve' || req.type === 'return') && req.expect === undefined ? { ...req, expect: { fromStatus: row.status } } : req;
  let contentMoved = false;
  try {
    for (let round = 0; round < MAX_DECISIONS; round++) {
      const decided = await decideOnce(deps, pinned, row);
      if (decided.kind === 'answer') return decided.answer;
      // CL27: a submit whose content missed an edit stored meanwhile reads the content again.
      contentMoved = decided.contentMoved;
      row = await store.getDocument(req.docId);
      if (row === null) return notFound;
    }
  } finally {
    release?.();
  }
  // Devices kept editing through another process faster than the submit could read: try later.
  if (contentMoved) return jsonAnswer(503, { error: 'content-unavailable' });
  // Not stored: nothing happened, so a replay of the key may decide afresh.
  return jsonAnswer(409, { error: 'status-changed', status: row.status });
}

/** `contentMoved` (CL27): the status held, but an update was stored after the submit read the content. */
type Decided = { kind: 'answer'; answer: HttpAnswer } | { kind: 'status-moved'; contentMoved: boolean };

async function decideOnce(deps: ActionDeps, req: ActionRequest, row: DocumentRow): Promise<Decided> {
  const { store } = deps;
  const decision = decideAction(req.type, row.status, { roles: req.roles });
  const at = deps.now();
  const record = (httpStatus: number, body: unknown): ActionRecord => ({
    idempotencyKey: req.idempotencyKey,
    docId: req.docId,
    userId: req.userId,
    type: req.type,
    at,
    httpStatus,
    response: JSON.stringify(body),
  });
  // A refusal is stored too: a replay of the key must not turn into a success later.
  const refuse = async (refusal: ActionRecord): Promise<Decided> => {
    const result = await store.commitAction(refusal, null, { ifStatus: row.status });
    return settle(result, refusal, req);
  };

  // V5: a review decided on a status or version that is gone (another official was first) is
  // refused with who decided what, never decided again on the new status.
  if ((req.type === 'approve' || req.type === 'return') && req.expect !== undefined && (decision.ok || decision.reason !== 'role-required')) {
    const versions = await store.listSubmissions(row.id);
    if (reviewIsStale(req.expect, row.status, versions[versions.length - 1]?.version ?? null)) {
      return refuse(record(409, alreadyDecided(row.status, await store.listReviews(row.id))));
    }
  }
  if (!decision.ok) return refuse(record(409, { error: decision.reason, status: row.status }));
  // E1–E4, E6: discard and restore have their own conditions; nothing but a restore happens to a discarded concept.
  const draftDecision = await decideDraftAction(req, row, {
    at,
    retentionMs: deps.draftRetentionMs ?? DEFAULT_DRAFT_RETENTION_MS,
    hasSubmissions: async () => (await store.latestSubmissionVersion(row.id)) > 0,
  });
  if (draftDecision.kind === 'refuse') return refuse(record(409, { ...draftDecision.body, status: row.status }));

  let result: CommitActionResult;
  let accepted: ActionRecord;
  let held = false;
  if (req.type === 'submit') {
    const prepared = await deps.prepareSubmission({ row, userId: req.userId, at });
    if (!prepared.ok && prepared.reason === 'problems') {
      // W3: the reasons per section; the document stays concept and editable.
      return refuse(record(422, { problems: prepared.problems }));
    }
    if (!prepared.ok) {
      return { kind: 'answer', answer: jsonAnswer(503, { error: prepared.reason }) };
    }
    const { submission } = prepared;
    // W4: a document that needs approval waits for a second official; its delivery is held.
    const to = prepared.needsApproval ? WorkflowStatus.awaitingApproval : decision.to;
    held = prepared.needsApproval;
    accepted = record(202, {
      id: row.id,
      status: to,
      action: req.type,
      at,
      submission: { version: submission.version, identificatie: submission.identificatie, sha256: submission.contentSha256 },
    });
    result = await store.commitSubmission({
      record: accepted,
      submission,
      patch: { status: to, updatedAt: at },
      ifStatus: row.status,
      dueAt: held ? null : at,
      // J1: without approval the submit is the decision, dated and signed today.
      ...(prepared.decision === null ? {} : { decision: prepared.decision }),
    });
  } else if (req.type === 'approve' || req.type === 'return') {
    const submissions = await store.listSubmissions(row.id);
    const latest = submissions[submissions.length - 1];
    if (latest === undefined) return refuse(record(409, { error: 'not-allowed-in-status', status: row.status }));
    // Four eyes: whoever submitted this version cannot approve it.
    if (req.type === 'approve' && latest.submittedBy === req.userId) {
      return refuse(record(409, { error: 'same-person', status: row.status }));
    }
    const review: ReviewRecord = {
      docId: row.id,
      version: latest.version,
      kind: req.type === 'approve' ? 'approved' : 'returned',
      by: req.userId,
      byName: await deps.nameOf(req.userId),
      at,
      section: req.type === 'return' ? (req.section ?? null) : null,
      remark: req.type === 'return' ? (req.remark ?? null) : null,
      idempotencyKey: req.idempotencyKey,
    };
    // J1: the approver takes the decision today: its PDF is printed before the transaction (dated
    // today, signed by the approver) and stored by it; the compare-and-set on the status decides.
    let decided: DecisionRecord | undefined;
    if (req.type === 'approve') {
      try {
        decided = await deps.renderDecision({ docId: row.id, version: latest.version, deciderId: req.userId, at });
      } catch {
        return { kind: 'answer', answer: jsonAnswer(503, { error: 'pdf-failed' }) };
      }
    }
    accepted = record(202, { id: row.id, status: decision.to, action: req.type, at, version: latest.version });
    result = await store.commitReview({
      record: accepted,
      review,
      patch: { status: decision.to, updatedAt: at },
      ifStatus: row.status,
      // An approval queues the delivery of exactly the submission that was approved.
      dueAt: req.type === 'approve' ? at : null,
      ...(decided === undefined ? {} : { decision: decided }),
    });
  } else if (req.type === 'mark-sent') {
    // J2: the office posted the letter: the latest decided version gets its verzenddatum once.
    const decisions = await store.listDecisions(row.id);
    const last = decisions[decisions.length - 1];
    if (last === undefined || last.sentOn !== 'manual') return refuse(record(409, { error: 'sent-on-delivery', status: row.status }));
    if (last.dispatch !== null) return refuse(record(409, { error: 'already-sent', status: row.status, verzenddatum: last.dispatch.verzenddatum }));
    const verzenddatum = deps.dayOf(at);
    const sent = { verzenddatum, bezwaartermijnEinde: bezwaartermijnEinde(verzenddatum, deps.designatedDays) };
    accepted = record(202, { id: row.id, status: row.status, action: req.type, at, version: last.version, ...sent });
    result = await store.commitDispatch({
      record: accepted,
      dispatch: { docId: row.id, version: last.version, ...sent, how: 'manual', by: req.userId, at },
      ifStatus: row.status,
    });
  } else if (draftDecision.kind === 'patch') {
    accepted = record(202, { id: row.id, status: row.status, action: req.type, at, ...draftDecision.answer });
    result = await store.commitAction(accepted, draftDecision.patch, { ifStatus: row.status });
  } else {
    accepted = record(202, { id: row.id, status: decision.to, action: req.type, at });
    result = await store.commitAction(
      accepted,
      { status: decision.to, updatedAt: at },
      { ifStatus: row.status, ...(req.type === 'retry-delivery' ? { deliveriesDueAt: at } : {}) },
    );
  }

  if (result.stored) {
    if (deps.audit !== undefined && req.actor !== undefined) {
      await deps.audit.record(req.actor, { action: AUDIT_ACTION_OF[req.type], documentId: req.docId, details: auditDetails(accepted) });
    }
    const updated = (await store.getDocument(req.docId)) ?? { ...row, updatedAt: at };
    await deps.documentChanged(updated);
    if ((req.type === 'submit' && !held) || req.type === 'approve' || req.type === 'retry-delivery') deps.deliveryQueued();
  }
  return settle(result, accepted, req);
}

/** What an action's entry says beside its name: the version it was about and the status it led to. */
function auditDetails(accepted: ActionRecord): { version?: number; status?: string } {
  const body = JSON.parse(accepted.response) as { status?: unknown; version?: unknown; submission?: { version?: unknown } };
  const version = typeof body.version === 'number' ? body.version : body.submission?.version;
  return {
    ...(typeof version === 'number' ? { version } : {}),
    ...(typeof body.status === 'string' ? { status: body.status } : {}),
  };
}

/** The answer of a commit: ours when stored, the winner's when the key was taken, else decide again. */
function settle(result: CommitActionResult, ours: ActionRecord, req: ActionRequest): Decided {
  if (result.stored) return { kind: 'answer', answer: answerOf(ours) };
  if (result.existing !== null) return { kind: 'answer', answer: replay(result.existing, req) };
  return { kind: 'status-moved', contentMoved: result.contentMoved === true };
}

/**
 * A stored key answers with its stored answer, but only to the same user, document and
 * action type; anything else is a client reusing a key for different work.
 */
function replay(known: ActionRecord, req: ActionRequest): HttpAnswer {
  if (known.userId !== req.userId || known.docId !== req.docId || known.type !== req.type) {
    return jsonAnswer(409, { error: 'idempotency-key-reused' });
  }
  return answerOf(known);
}

function answerOf(record: ActionRecord): HttpAnswer {
  return { httpStatus: record.httpStatus, body: record.response };
}

/**
 * Runs tasks with the same key one after the other (per document), so two actions with
 * different keys can't both decide from the same old status in this process. Across processes
 * the store's unique key still keeps one key from doing the work twice.
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    // The tail never rejects: one failed task does not stop the next.
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
