// W1: status changes only through idempotent actions. `performAction` decides one action
// request against the stored document and the idempotency log and returns the HTTP answer;
// the route only parses and writes it. The answer is stored with the key in the same
// transaction as the status change, so a replay of the key gets the same answer and the work
// is done once, also when two identical requests race (the store's unique key decides).
import { decideAction, type ActionType } from '../../shared/model/status';
import type { ActionRecord, DocumentRow, DocumentStore, Role } from '../store/types';

export interface ActionDeps {
  store: DocumentStore;
  /** Mirrors a changed row into the live index rooms. */
  documentChanged: (row: DocumentRow) => Promise<void>;
  now: () => number;
}

export interface ActionRequest {
  docId: string;
  userId: string;
  teamId: string;
  roles: readonly Role[];
  type: ActionType;
  idempotencyKey: string;
}

/** Status and JSON body, as text so a replay is byte-for-byte the first answer. */
export interface HttpAnswer {
  httpStatus: number;
  body: string;
}

export function jsonAnswer(httpStatus: number, body: unknown): HttpAnswer {
  return { httpStatus, body: JSON.stringify(body) };
}

/** Same answer for unknown documents and other teams' documents: existence is not revealed. */
export const notFound: HttpAnswer = jsonAnswer(404, { error: 'not-found' });

/** The document as `GET /api/documents/:id` shows it; null when the user may not see it. */
export function documentView(row: DocumentRow | null, teamId: string): HttpAnswer {
  if (row === null || row.teamId !== teamId) return notFound;
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
    // Filled by the submission issue (W2); the field is part of the contract already.
    submissions: [],
  });
}

export async function performAction(deps: ActionDeps, req: ActionRequest): Promise<HttpAnswer> {
  const { store } = deps;
  const row = await store.getDocument(req.docId);
  if (row === null || row.teamId !== req.teamId) return notFound;

  const known = await store.getAction(req.idempotencyKey);
  if (known !== null) return replay(known, req);

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

  if (!decision.ok) {
    // Refusals are stored too: a replay of the key must not turn into a success later.
    const refusal = record(409, { error: decision.reason, status: row.status });
    const result = await store.commitAction(refusal, null);
    return result.stored ? answerOf(refusal) : replay(result.existing, req);
  }

  const accepted = record(202, { id: row.id, status: decision.to, action: req.type, at });
  const result = await store.commitAction(accepted, { status: decision.to, updatedAt: at });
  // Lost the race for the key (another request or process committed it first): its answer.
  if (!result.stored) return replay(result.existing, req);
  const updated = (await store.getDocument(req.docId)) ?? { ...row, status: decision.to, updatedAt: at };
  await deps.documentChanged(updated);
  return answerOf(accepted);
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
