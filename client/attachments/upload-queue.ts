// F24–F29: the durable upload of attachments. Each attachment's bytes sit in the LocalStore
// (encrypted, F20) and its upload state in one encrypted setting, so a reload, a crash or a week
// offline loses nothing. When the network is there the queue declares the attachment (or asks its
// status after a reload), sends chunks from the server's `received` (never from zero after a
// cut), backs off on failures, and calls an attachment acknowledged only on `complete: true`.
// A refusal (too large, wrong type, frozen…) becomes a Dutch message on that attachment; the
// bytes stay on the device until the official removes it.
import * as z from 'zod/mini';
import type { AttachmentMediaType } from '../../shared/model/attachments';
import {
  ATTACHMENT_CHUNK_CONTENT_TYPE,
  AttachmentErrorSchema,
  AttachmentPolicySchema,
  AttachmentRefusal,
  AttachmentStatusSchema,
  UPLOAD_OFFSET_HEADER,
  type AttachmentPolicy,
  type AttachmentStatus,
} from '../../shared/protocol/attachments';
import type { JsonValue, LocalStore } from '../store/local-store';
import { apiUrl, type FetchLike, type TokenSource } from '../sync/auth-client';
import { defaultBackoff, type BackoffOptions } from '../sync/backoff';
import { createRetryRunner } from '../sync/retry-runner';
import type { WakeSource } from '../sync/wake-source';
import { refusalMessage } from './messages';

export const UPLOADS_SETTING = 'attachment-uploads';
export const POLICY_SETTING = 'attachment-policy';
export const blobKey = (docId: string, attachmentId: string): string => `${docId}/${attachmentId}`;

export const defaultPolicy: AttachmentPolicy = {
  maxBytes: 20 * 1024 * 1024,
  maxPerDocument: 20,
  maxChunkBytes: 1024 * 1024,
  mediaTypes: ['image/jpeg', 'image/png', 'application/pdf'],
  imageLongSide: 2000,
};

const recordSchema = z.object({
  docId: z.string(),
  id: z.string(),
  name: z.string(),
  mediaType: z.enum(['image/jpeg', 'image/png', 'application/pdf']),
  size: z.number(),
  sha256: z.string(),
  /** The server's `received` as last heard; a hint only, the server's answer wins. */
  received: z.number(),
  declared: z.boolean(),
  state: z.enum(['pending', 'acknowledged', 'refused']),
  refusal: z.nullable(z.string()),
  message: z.nullable(z.string()),
  attempts: z.number(),
});
type UploadRecord = z.infer<typeof recordSchema>;

export type UploadStatus =
  /** On the device; waiting for a network (or for the document to reach the server). */
  | { state: 'local'; size: number; received: number }
  | { state: 'sending'; size: number; received: number }
  | { state: 'acknowledged'; size: number }
  | { state: 'refused'; reason: string; message: string };

export interface NewUpload {
  docId: string;
  id: string;
  name: string;
  mediaType: AttachmentMediaType;
  size: number;
  sha256: string;
}

export interface UploadQueueOptions {
  serverUrl: string;
  store: LocalStore;
  tokens: TokenSource;
  fetchImpl?: FetchLike;
  wake?: WakeSource;
  random?: () => number;
  backoff?: BackoffOptions;
  /** Bound per request; a hanging network must not stall the queue for good. */
  requestTimeoutMs?: number;
}

export interface UploadQueue {
  /** Resolves once the stored upload states are read. */
  ready(): Promise<void>;
  /** Keeps the bytes and the state on the device (both before resolving), then starts sending. */
  add(upload: NewUpload, bytes: Uint8Array): Promise<void>;
  /** Forgets the upload and deletes its bytes from the device. */
  remove(docId: string, id: string): Promise<void>;
  /** Null when this device holds no upload of it (a co-editor's attachment). */
  status(docId: string, id: string): UploadStatus | null;
  /** Uploads of this document not yet acknowledged and not refused. */
  pendingFor(docId: string): number;
  /** All uploads not yet acknowledged nor refused. */
  pendingCount(): number;
  /** Documents with such uploads (sign-out must not lose them). */
  pendingDocIds(): string[];
  /** The bytes kept on the device, or null. */
  bytes(docId: string, id: string): Promise<Uint8Array | null>;
  policy(): AttachmentPolicy;
  /** Fetches the server's limits (kept on the device for offline use). */
  refreshPolicy(): Promise<AttachmentPolicy>;
  /** Sends what waits; never rejects, never runs twice at once. */
  kick(): Promise<void>;
  subscribe(listener: () => void): () => void;
  destroy(): void;
  idle(): Promise<void>;
}

type Outcome = { kind: 'acknowledged' } | { kind: 'refused'; reason: string } | { kind: 'wait'; why: 'network' | 'server' | 'doc-unknown' | 'signed-out' } | { kind: 'gone' };

class Wait extends Error {
  constructor(readonly why: 'network' | 'server' | 'doc-unknown' | 'signed-out') {
    super(why);
  }
}

export function createUploadQueue(opts: UploadQueueOptions): UploadQueue {
  const { store, tokens } = opts;
  const fetchImpl: FetchLike = opts.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  const random = opts.random ?? Math.random;
  const backoff = opts.backoff ?? defaultBackoff;
  const timeoutMs = opts.requestTimeoutMs ?? 30_000;
  const records = new Map<string, UploadRecord>();
  const active = new Map<string, number>();
  const listeners = new Set<() => void>();
  let policy: AttachmentPolicy = defaultPolicy;
  let writes: Promise<void> = Promise.resolve();

  const emit = (): void => {
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch {
        // One broken listener must not stop the queue.
      }
    }
  };

  /** Writes the whole state, serialised: the last write holds the latest state. */
  function persist(): Promise<void> {
    const snapshot: { [key: string]: JsonValue } = {};
    for (const [key, rec] of records) snapshot[key] = { ...rec };
    writes = writes.catch(() => undefined).then(() => store.putSetting(UPLOADS_SETTING, snapshot));
    return writes;
  }

  const loaded = (async () => {
    const [stored, storedPolicy] = await Promise.all([
      store.getSetting(UPLOADS_SETTING).catch(() => undefined),
      store.getSetting(POLICY_SETTING).catch(() => undefined),
    ]);
    if (stored !== null && typeof stored === 'object' && !Array.isArray(stored)) {
      for (const [key, value] of Object.entries(stored)) {
        const parsed = recordSchema.safeParse(value);
        if (parsed.success) records.set(key, parsed.data);
      }
    }
    const parsedPolicy = AttachmentPolicySchema.safeParse(storedPolicy);
    if (parsedPolicy.success) policy = parsedPolicy.data;
  })();

  async function request(path: string, init: RequestInit): Promise<Response> {
    const send = (): Promise<Response> =>
      fetchImpl(apiUrl(opts.serverUrl, path), {
        ...init,
        headers: { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${tokens.accessToken() ?? ''}` },
        signal: AbortSignal.timeout(timeoutMs),
      });
    let res: Response;
    try {
      res = await send();
      if (res.status === 401) {
        const refreshed = await tokens.refresh();
        if (refreshed === 'revoked') throw new Wait('signed-out');
        if (refreshed === 'network') throw new Wait('network');
        res = await send();
        if (res.status === 401) throw new Wait('signed-out');
      }
    } catch (error) {
      if (error instanceof Wait) throw error;
      throw new Wait('network');
    }
    if (res.status >= 500 || res.status === 408 || res.status === 429) throw new Wait('server');
    return res;
  }

  const readJson = (res: Response): Promise<unknown> => res.json().catch(() => null);

  /** A status answer, or the refusal it carries; anything else is the server's fault. */
  async function statusOrRefusal(res: Response, body?: unknown): Promise<AttachmentStatus | { refusal: string }> {
    const json = body === undefined ? await readJson(res) : body;
    const status = AttachmentStatusSchema.safeParse(json);
    if (status.success) return status.data;
    const refusal = AttachmentErrorSchema.safeParse(json);
    if (refusal.success) return { refusal: refusal.data.error };
    if (res.status === 413) return { refusal: AttachmentRefusal.tooLarge };
    if (res.status === 415) return { refusal: AttachmentRefusal.wrongType };
    if (res.status >= 400 && res.status < 500) return { refusal: `http-${res.status}` };
    throw new Wait('server');
  }

  const docPath = (rec: UploadRecord): string => `/api/documents/${encodeURIComponent(rec.docId)}/attachments`;

  async function declare(rec: UploadRecord): Promise<AttachmentStatus | { refusal: string }> {
    const res = await request(docPath(rec), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ attachmentId: rec.id, name: rec.name, mediaType: rec.mediaType, size: rec.size, sha256: rec.sha256 }),
    });
    const body = await readJson(res);
    // The document itself is not on the server yet (made offline, not synced): wait for it.
    if (res.status === 404 && !AttachmentErrorSchema.safeParse(body).success) throw new Wait('doc-unknown');
    return statusOrRefusal(res, body);
  }

  /** After a reload: the server's offset (F25); a server that forgot the declaration hears it again. */
  async function askStatus(rec: UploadRecord): Promise<AttachmentStatus | { refusal: string }> {
    const res = await request(`${docPath(rec)}/${encodeURIComponent(rec.id)}/status`, { method: 'GET' });
    if (res.status === 404) return declare(rec);
    return statusOrRefusal(res);
  }

  async function sendChunk(rec: UploadRecord, bytes: Uint8Array, offset: number): Promise<AttachmentStatus | { refusal: string } | 'undeclared'> {
    const end = Math.min(bytes.length, offset + Math.max(1, policy.maxChunkBytes));
    const res = await request(`${docPath(rec)}/${encodeURIComponent(rec.id)}`, {
      method: 'PATCH',
      headers: { 'content-type': ATTACHMENT_CHUNK_CONTENT_TYPE, [UPLOAD_OFFSET_HEADER]: String(offset) },
      body: bytes.slice(offset, end),
    });
    const body = await readJson(res);
    if (res.status === 404) return 'undeclared';
    // 409 with a status: the server holds another offset; the loop resumes there.
    return statusOrRefusal(res, body);
  }

  async function upload(key: string, rec: UploadRecord): Promise<Outcome> {
    const bytes = await store.getBlob(key);
    if (bytes === null) return { kind: 'refused', reason: 'missing-on-device' };
    let answer = rec.declared ? await askStatus(rec) : await declare(rec);
    let stuck = 0;
    for (;;) {
      if (runner.stopped) throw new Wait('signed-out');
      if (records.get(key) !== rec) return { kind: 'gone' };
      if ('refusal' in answer) return { kind: 'refused', reason: answer.refusal };
      if (!rec.declared || rec.received !== answer.received) {
        rec.declared = true;
        rec.received = answer.received;
        await persist();
      }
      active.set(key, answer.received);
      emit();
      if (answer.complete) return { kind: 'acknowledged' };
      if (answer.received >= rec.size) {
        // All bytes there but not complete: the server is checking them. Ask again, a few times.
        if (++stuck > 3) throw new Wait('server');
        answer = await askStatus(rec);
        continue;
      }
      const next = await sendChunk(rec, bytes, answer.received);
      answer = next === 'undeclared' ? await declare(rec) : next;
    }
  }

  async function settle(key: string, rec: UploadRecord, outcome: Outcome): Promise<void> {
    if (outcome.kind === 'acknowledged') {
      rec.state = 'acknowledged';
      rec.received = rec.size;
    } else if (outcome.kind === 'refused') {
      rec.state = 'refused';
      rec.refusal = outcome.reason;
      rec.message = refusalMessage(outcome.reason, rec.name, policy);
    }
    if (records.get(key) === rec) await persist();
  }

  async function runOnce(): Promise<'finished' | 'stalled'> {
    await loaded;
    let waiting = false;
    const skipDocs = new Set<string>();
    for (const [key, rec] of [...records]) {
      if (runner.stopped) return 'stalled';
      if (rec.state !== 'pending' || skipDocs.has(rec.docId)) continue;
      let outcome: Outcome;
      try {
        outcome = await upload(key, rec);
      } catch (error) {
        active.delete(key);
        rec.attempts++;
        emit();
        const why = error instanceof Wait ? error.why : 'server';
        if (why === 'signed-out') return 'stalled';
        if (why === 'doc-unknown') {
          // Another document may well be on the server already.
          skipDocs.add(rec.docId);
          waiting = true;
          continue;
        }
        runner.retryLater();
        return 'stalled';
      }
      active.delete(key);
      runner.succeeded();
      await settle(key, rec, outcome);
      emit();
    }
    if (waiting) {
      runner.retryLater();
      return 'stalled';
    }
    return 'finished';
  }

  // The device's store failing in a pass is retried later like a network failure.
  const runner = createRetryRunner({ pass: runOnce, backoff, random });
  const kick = (): Promise<void> => runner.run();

  const unsubscribeWake = opts.wake?.subscribe(() => void kick());

  return {
    ready: () => loaded,
    async add(upload, bytes) {
      await loaded;
      const key = blobKey(upload.docId, upload.id);
      // Bytes first: a state without bytes would be a promise the device cannot keep.
      await store.putBlob(key, bytes);
      records.set(key, { ...upload, received: 0, declared: false, state: 'pending', refusal: null, message: null, attempts: 0 });
      await persist();
      emit();
      void kick();
    },
    async remove(docId, id) {
      await loaded;
      const key = blobKey(docId, id);
      records.delete(key);
      active.delete(key);
      await persist();
      await store.deleteBlob(key);
      emit();
    },
    status(docId, id) {
      const key = blobKey(docId, id);
      const rec = records.get(key);
      if (rec === undefined) return null;
      if (rec.state === 'acknowledged') return { state: 'acknowledged', size: rec.size };
      if (rec.state === 'refused') return { state: 'refused', reason: rec.refusal ?? 'unknown', message: rec.message ?? refusalMessage(rec.refusal ?? '', rec.name, policy) };
      const sending = active.get(key);
      return sending === undefined ? { state: 'local', size: rec.size, received: rec.received } : { state: 'sending', size: rec.size, received: sending };
    },
    pendingFor: (docId) => [...records.values()].filter((r) => r.docId === docId && r.state === 'pending').length,
    pendingCount: () => [...records.values()].filter((r) => r.state === 'pending').length,
    pendingDocIds: () => [...new Set([...records.values()].filter((r) => r.state === 'pending').map((r) => r.docId))].sort(),
    bytes: (docId, id) => store.getBlob(blobKey(docId, id)),
    policy: () => policy,
    async refreshPolicy() {
      try {
        const res = await request('/api/attachment-policy', { method: 'GET' });
        const parsed = AttachmentPolicySchema.safeParse(await readJson(res));
        if (res.ok && parsed.success) {
          policy = parsed.data;
          await store.putSetting(POLICY_SETTING, { ...parsed.data, mediaTypes: [...parsed.data.mediaTypes] }).catch(() => undefined);
        }
      } catch {
        // Offline: the last known limits (or the defaults) stay.
      }
      return policy;
    },
    kick,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      runner.stop();
      unsubscribeWake?.();
      listeners.clear();
    },
    idle: async () => {
      await runner.idle();
      await writes.catch(() => undefined);
    },
  };
}
