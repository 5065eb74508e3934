// The device storage seam: every IndexedDB write of the client goes through `LocalStore`, so a
// later change can encrypt citizens' data at rest (a `Codec`) without touching sync logic.
// Implementations: `DexieLocalStore` (browser, one database per user, D1) and `MemoryLocalStore`.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Turns stored bytes into what lands on disk and back; identity until encryption arrives. */
export interface Codec {
  encode(bytes: Uint8Array): Promise<Uint8Array>;
  decode(bytes: Uint8Array): Promise<Uint8Array>;
  /**
   * A codec for one purpose (`updates/<docId>`, `settings/<key>` …) whose output only decodes for
   * that same purpose, so stored rows cannot be swapped between tables or documents. Optional:
   * stores use `codecFor` and fall back to the codec itself.
   */
  bind?(purpose: string): Codec;
}

export const codecFor = (codec: Codec, purpose: string): Codec => codec.bind?.(purpose) ?? codec;

export const identityCodec: Codec = {
  encode: (bytes) => Promise.resolve(bytes),
  decode: (bytes) => Promise.resolve(bytes),
};

/** What the device remembers about a document besides its updates. */
export interface DocState {
  /** The last persisted-ack of the server, `Y.encodeSnapshot`; null before the first ack. */
  ackedSnapshot: Uint8Array | null;
  /**
   * True when the local state may not be covered by `ackedSnapshot`. Written before the update
   * it describes, so after a crash it errs towards "needs sending", never towards "saved".
   */
  hasLocalChanges: boolean;
}

export const emptyDocState = (): DocState => ({ ackedSnapshot: null, hasLocalChanges: false });

export interface StoredUpdates {
  updates: Uint8Array[];
  /** Number of stored rows; pass it to `compactUpdates` to replace exactly these rows. */
  count: number;
}

/** A status change waiting on the device to be sent (W1). */
export interface QueuedAction {
  seq: number;
  docId: string;
  type: string;
  idempotencyKey: string;
  payload: { [key: string]: JsonValue };
  createdAt: number;
  attempts: number;
  lastError: string | null;
}

export type NewAction = Omit<QueuedAction, 'seq'>;
export type ActionPatch = Partial<Pick<QueuedAction, 'attempts' | 'lastError'>>;

export interface LocalStore {
  appendUpdate(docId: string, update: Uint8Array): Promise<void>;
  /** Updates in the order they were appended. */
  loadUpdates(docId: string): Promise<StoredUpdates>;
  /** Atomically replaces the first `replaceCount` rows of `docId` by `merged`, keeping its place. */
  compactUpdates(docId: string, merged: Uint8Array, replaceCount: number): Promise<void>;
  listDocIds(): Promise<string[]>;
  getDocState(docId: string): Promise<DocState | null>;
  putDocState(docId: string, state: DocState): Promise<void>;
  /** Returns the new action's `seq`; seqs grow, so they give the replay order. */
  enqueueAction(action: NewAction): Promise<number>;
  listActions(): Promise<QueuedAction[]>;
  /** No-op when the action is gone (a replay removed it meanwhile). */
  updateAction(seq: number, patch: ActionPatch): Promise<void>;
  removeAction(seq: number): Promise<void>;
  getSetting(key: string): Promise<JsonValue | undefined>;
  putSetting(key: string, value: JsonValue): Promise<void>;
  /**
   * F20: binary blobs (an attachment's bytes) under a key of the caller's choosing
   * (`<docId>/<attachmentId>`), through the codec bound to that key: a row copied to another
   * key does not decode. `putBlob` replaces, `getBlob` answers null for an unknown key.
   */
  putBlob(key: string, bytes: Uint8Array): Promise<void>;
  getBlob(key: string): Promise<Uint8Array | null>;
  deleteBlob(key: string): Promise<void>;
  /** Keys of the stored blobs, sorted. */
  listBlobKeys(): Promise<string[]>;
  /** Deletes everything this store holds on the device (D1). The store is unusable afterwards. */
  destroy(): Promise<void>;
}

/** A failed device write or read, with a reason the UI can show. */
export class LocalStoreError extends Error {
  constructor(
    readonly reason: 'storage-full' | 'storage-failed',
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'LocalStoreError';
  }
}

/** Maps whatever IndexedDB or Dexie threw to a reason; quota needs a different message. */
export function toLocalStoreError(error: unknown): LocalStoreError {
  if (error instanceof LocalStoreError) return error;
  const names: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    names.push(e.name);
    e = 'inner' in e ? e.inner : e.cause;
  }
  const full = names.some((n) => n === 'QuotaExceededError');
  return new LocalStoreError(full ? 'storage-full' : 'storage-failed', { cause: error });
}

const DOC_STATE_VERSION = 1;

export function encodeDocState(state: DocState): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, DOC_STATE_VERSION);
  encoding.writeVarUint(encoder, state.hasLocalChanges ? 1 : 0);
  encoding.writeVarUint(encoder, state.ackedSnapshot === null ? 0 : 1);
  if (state.ackedSnapshot !== null) encoding.writeVarUint8Array(encoder, state.ackedSnapshot);
  return encoding.toUint8Array(encoder);
}

export function decodeDocState(bytes: Uint8Array): DocState {
  const decoder = decoding.createDecoder(bytes);
  const version = decoding.readVarUint(decoder);
  if (version !== DOC_STATE_VERSION) throw new Error(`unknown doc state version ${version}`);
  const hasLocalChanges = decoding.readVarUint(decoder) === 1;
  const ackedSnapshot = decoding.readVarUint(decoder) === 1 ? decoding.readVarUint8Array(decoder) : null;
  return { hasLocalChanges, ackedSnapshot };
}
