// W1: status changes (submit, approve, …) are queued on the device with an idempotency key and
// replayed in order, one replay at a time. A network or server failure stops the replay and keeps
// the order; the server's "no" (4xx) removes the action and is handed to the UI to show. The
// order that matters is per document: an action waiting for its document to reach the server
// holds back that document's later actions, never another document's.
// zod/mini: the same checks in a fraction of the bytes; this module is on the first screen.
import * as z from 'zod/mini';
import type { ActionType } from '../../shared/model/status';
import type { JsonValue, LocalStore, QueuedAction } from '../store/local-store';
import { apiUrl, postJson, type FetchLike, type TokenSource } from './auth-client';
import { defaultBackoff, type BackoffOptions } from './backoff';
import { createRetryRunner } from './retry-runner';
import type { WakeSource } from './wake-source';

const problemSchema = z.object({ section: z.optional(z.nullable(z.string())), rule: z.string(), message: z.string() });
export type ActionProblem = z.infer<typeof problemSchema>;
const problemsBody = z.object({ problems: z.array(problemSchema) });

export type ActionWaitReason = 'network' | 'server-error' | 'unauthorized' | 'signed-out' | 'doc-unsaved' | 'storage-failed';

export type ActionEvent =
  | { kind: 'done'; action: QueuedAction; status: number; body: unknown }
  /** The server refused; `problems` is set for a 422 with per-section reasons (W3). */
  | { kind: 'rejected'; action: QueuedAction; status: number; body: unknown; problems: ActionProblem[] | null }
  | { kind: 'waiting'; action: QueuedAction | null; reason: ActionWaitReason };

export interface ActionQueueOptions {
  serverUrl: string;
  store: LocalStore;
  tokens: TokenSource;
  fetchImpl?: FetchLike;
  wake?: WakeSource;
  now?: () => number;
  random?: () => number;
  newId?: () => string;
  backoff?: BackoffOptions;
  /**
   * An action waits until its document's content has reached the server: a submit made offline
   * must be judged on the letter as written, not on what the server had before.
   */
  isDocSaved?: (docId: string) => boolean;
}

/** The server's last "no" to an action on a document, kept until an action on it is accepted. */
export interface StoredRejection {
  type: string;
  status: number;
  body: JsonValue;
  problems: ActionProblem[] | null;
  at: number;
}

const rejectionSchema = z.object({
  type: z.string(),
  status: z.number(),
  body: z.unknown(),
  problems: z.nullable(z.array(problemSchema)),
  at: z.number(),
});

const rejectionKey = (docId: string): string => `action-rejection:${docId}`;

/** The body as JSON the store can keep; anything else (it came from res.json) is dropped. */
function asJson(value: unknown): JsonValue {
  try {
    return JSON.parse(JSON.stringify(value ?? null)) as JsonValue;
  } catch {
    return null;
  }
}

export interface ActionQueue {
  enqueue(docId: string, type: ActionType, payload?: { [key: string]: JsonValue }): Promise<QueuedAction>;
  /**
   * The server's last refusal of an action on this document, kept on the device until an action
   * on it is accepted: a refusal that arrives while the app is closed or on another screen must
   * still reach the official.
   */
  lastRejection(docId: string): Promise<StoredRejection | null>;
  /** Sends what is queued; never rejects, never runs twice at once. */
  replay(): Promise<void>;
  list(): Promise<QueuedAction[]>;
  subscribe(listener: (event: ActionEvent) => void): () => void;
  destroy(): void;
  /** Resolves when a replay under way has finished its writes (after `destroy`, before a lock). */
  idle(): Promise<void>;
}

type Outcome =
  | { kind: 'done'; status: number; body: unknown }
  | { kind: 'rejected'; status: number; body: unknown }
  | { kind: 'wait'; reason: ActionWaitReason };


export function createActionQueue(opts: ActionQueueOptions): ActionQueue {
  const { store, tokens } = opts;
  const fetchImpl: FetchLike = opts.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const newId = opts.newId ?? (() => crypto.randomUUID());
  const backoff = opts.backoff ?? defaultBackoff;
  const listeners = new Set<(event: ActionEvent) => void>();

  const emit = (event: ActionEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // One broken listener must not stop the queue.
      }
    }
  };

  async function post(action: QueuedAction): Promise<Response> {
    const body = { ...action.payload, type: action.type, idempotencyKey: action.idempotencyKey };
    const url = apiUrl(opts.serverUrl, `/api/documents/${encodeURIComponent(action.docId)}/actions`);
    return postJson(fetchImpl, url, body, { authorization: `Bearer ${tokens.accessToken() ?? ''}` });
  }

  async function send(action: QueuedAction): Promise<Outcome> {
    let res: Response;
    try {
      res = await post(action);
      if (res.status === 401) {
        const refreshed = await tokens.refresh();
        if (refreshed === 'revoked') return { kind: 'wait', reason: 'signed-out' };
        if (refreshed === 'network') return { kind: 'wait', reason: 'network' };
        res = await post(action);
        if (res.status === 401) return { kind: 'wait', reason: 'unauthorized' };
      }
    } catch {
      return { kind: 'wait', reason: 'network' };
    }
    const body: unknown = await res.json().catch(() => null);
    if (res.ok) return { kind: 'done', status: res.status, body };
    if (res.status >= 500 || res.status === 408 || res.status === 429) return { kind: 'wait', reason: 'server-error' };
    return { kind: 'rejected', status: res.status, body };
  }

  /** 'stalled' means a backoff timer (or a new sign-in) will bring the next attempt. */
  async function replayOnce(): Promise<'finished' | 'gated' | 'stalled'> {
    const actions = await store.listActions();
    const gated = new Set<string>();
    for (const action of actions) {
      if (runner.stopped) return 'stalled';
      if (gated.has(action.docId)) continue;
      if (opts.isDocSaved !== undefined && !opts.isDocSaved(action.docId)) {
        // No timer: the session replays when the document's status turns saved. A document that
        // never saves (too large, no access) must not hold back the others' actions.
        gated.add(action.docId);
        emit({ kind: 'waiting', action, reason: 'doc-unsaved' });
        continue;
      }
      const outcome = await send(action);
      if (outcome.kind === 'wait') {
        const failed = { ...action, attempts: action.attempts + 1, lastError: outcome.reason };
        await store.updateAction(action.seq, { attempts: failed.attempts, lastError: failed.lastError });
        emit({ kind: 'waiting', action: failed, reason: outcome.reason });
        if (outcome.reason !== 'signed-out') runner.retryLater();
        return 'stalled';
      }
      runner.succeeded();
      if (outcome.kind === 'done') {
        await store.removeAction(action.seq);
        // An accepted action makes the last refusal history; a failed write only shows it longer.
        await store.putSetting(rejectionKey(action.docId), null).catch(() => undefined);
        emit({ kind: 'done', action, status: outcome.status, body: outcome.body });
      } else {
        const parsed = problemsBody.safeParse(outcome.body);
        const problems = parsed.success ? parsed.data.problems : null;
        // Kept before the action goes: a crash in between replays it, and the server answers
        // the same idempotency key the same way.
        const rejection: StoredRejection = { type: action.type, status: outcome.status, body: asJson(outcome.body), problems, at: now() };
        await store.putSetting(rejectionKey(action.docId), asJson(rejection));
        await store.removeAction(action.seq);
        emit({ ...outcome, action, problems });
      }
    }
    return gated.size > 0 ? 'gated' : 'finished';
  }

  const runner = createRetryRunner({
    pass: replayOnce,
    onPassError: () => emit({ kind: 'waiting', action: null, reason: 'storage-failed' }),
    backoff,
    random,
  });
  const replay = (): Promise<void> => runner.run();

  const unsubscribeWake = opts.wake?.subscribe(() => void replay());

  return {
    async enqueue(docId, type, payload = {}) {
      const fields = { docId, type, idempotencyKey: newId(), payload, createdAt: now(), attempts: 0, lastError: null };
      const seq = await store.enqueueAction(fields);
      void replay();
      return { ...fields, seq };
    },
    replay,
    async lastRejection(docId) {
      const parsed = rejectionSchema.safeParse(await store.getSetting(rejectionKey(docId)));
      return parsed.success ? { ...parsed.data, body: asJson(parsed.data.body) } : null;
    },
    list: () => store.listActions(),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    idle: () => runner.idle(),
    destroy() {
      runner.stop();
      unsubscribeWake?.();
      listeners.clear();
    },
  };
}
