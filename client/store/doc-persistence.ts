// Binds one Y.Doc to the LocalStore: loads its stored updates, then writes every later update
// (local edits and the server's alike) and the document's sync state, one write at a time and in
// order. `whenSaved()` is the S1 gate: only after it may the UI say "opgeslagen op dit apparaat".
import * as Y from 'yjs';
import {
  emptyDocState,
  toLocalStoreError,
  type DocState,
  type LocalStore,
  type LocalStoreError,
} from './local-store';

/** Origin of updates applied from the store, so they are not written back. */
export const PERSISTENCE_ORIGIN = Symbol('keukentafel-persistence');

export type StorageErrorReason = LocalStoreError['reason'];

export interface DocPersistenceOptions {
  /** Compact once this many rows are stored for the document. */
  compactAfter?: number;
  /** Called when the error state changes (a failure, or recovery after one). */
  onErrorChange?: (reason: StorageErrorReason | null) => void;
}

interface Waiter {
  target: number;
  resolve: () => void;
  reject: (error: LocalStoreError) => void;
}

export class DocPersistence {
  private cached: DocState;
  private rows: number;
  private compactAt: number;
  private seen = 0;
  private saved = 0;
  private pending: Uint8Array[] = [];
  private stateDirty = false;
  /** After a failed write the lost batch is unknown, so the next write stores the whole doc. */
  private needsFullWrite = false;
  private failure: LocalStoreError | null = null;
  private waiters: Waiter[] = [];
  private running: Promise<void> | null = null;
  private detached = false;
  private readonly compactAfter: number;

  private constructor(
    readonly docId: string,
    readonly doc: Y.Doc,
    private readonly store: LocalStore,
    state: DocState,
    rows: number,
    private readonly opts: DocPersistenceOptions,
  ) {
    this.cached = state;
    this.rows = rows;
    this.compactAfter = opts.compactAfter ?? 200;
    this.compactAt = this.compactAfter;
    doc.on('update', this.onUpdate);
  }

  /**
   * Loads the stored document into `doc` and starts saving it. Rejects with a LocalStoreError
   * when the store cannot be read: showing an empty letter instead would look like data loss.
   */
  static async bind(
    store: LocalStore,
    docId: string,
    doc: Y.Doc,
    opts: DocPersistenceOptions = {},
  ): Promise<DocPersistence> {
    let stored: Awaited<ReturnType<LocalStore['loadUpdates']>>;
    let state: DocState | null;
    try {
      [stored, state] = await Promise.all([store.loadUpdates(docId), store.getDocState(docId)]);
    } catch (error) {
      throw toLocalStoreError(error);
    }
    const hadContent = doc.store.clients.size > 0;
    Y.transact(
      doc,
      () => {
        for (const update of stored.updates) Y.applyUpdate(doc, update);
      },
      PERSISTENCE_ORIGIN,
    );
    const persistence = new DocPersistence(docId, doc, store, state ?? emptyDocState(), stored.count, opts);
    // Content made before binding (a new document built in memory) was never stored.
    if (hadContent) persistence.enqueue(Y.encodeStateAsUpdate(doc));
    return persistence;
  }

  get state(): DocState {
    return this.cached;
  }

  get error(): StorageErrorReason | null {
    return this.failure?.reason ?? null;
  }

  /** Resolves when every update seen so far is stored; rejects if storing it failed. */
  whenSaved(): Promise<void> {
    const target = this.seen;
    if (this.saved >= target) return Promise.resolve();
    if (this.failure !== null && this.running === null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ target, resolve, reject }));
  }

  /** Records a persisted-ack and whether it covers the current doc; stored before later updates. */
  recordAck(ackedSnapshot: Uint8Array, covered: boolean): void {
    this.cached = { ackedSnapshot, hasLocalChanges: !covered };
    this.stateDirty = true;
    this.kick();
  }

  /** Tries again after a failure (on wake, or when the user freed space). */
  retry(): void {
    if (this.failure !== null) {
      this.needsFullWrite = true;
      this.kick();
    }
  }

  /** Stops listening and waits for queued writes; never rejects. */
  async destroy(): Promise<void> {
    this.doc.off('update', this.onUpdate);
    this.detached = true;
    while (this.running !== null) await this.running;
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === PERSISTENCE_ORIGIN) return;
    this.enqueue(update);
  };

  private enqueue(update: Uint8Array): void {
    this.seen++;
    this.pending.push(update);
    if (!this.cached.hasLocalChanges) {
      this.cached = { ...this.cached, hasLocalChanges: true };
      this.stateDirty = true;
    }
    this.kick();
  }

  private hasWork(): boolean {
    return this.pending.length > 0 || this.stateDirty || this.needsFullWrite;
  }

  private kick(): void {
    if (this.running !== null || !this.hasWork()) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      // Work queued while the loop was winding down; after a failure only a new trigger retries.
      if (this.failure === null) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 || this.stateDirty || this.needsFullWrite) {
      const batch = this.pending;
      this.pending = [];
      const target = this.seen;
      const writeState = this.stateDirty;
      const state = this.cached;
      this.stateDirty = false;
      try {
        // The flag goes first: a crash between the two writes then errs towards "needs sending".
        if (writeState) await this.store.putDocState(this.docId, state);
        if (this.needsFullWrite) {
          await this.store.appendUpdate(this.docId, Y.encodeStateAsUpdate(this.doc));
          this.rows++;
        } else if (batch.length > 0) {
          // Updates that queued up behind a slow write land as one row.
          await this.store.appendUpdate(this.docId, batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch));
          this.rows++;
        }
      } catch (error) {
        this.fail(toLocalStoreError(error), writeState);
        return;
      }
      this.needsFullWrite = false;
      this.saved = target;
      this.settle();
      if (this.rows > this.compactAt) await this.compact();
    }
  }

  private fail(error: LocalStoreError, stateWasDirty: boolean): void {
    const changed = this.failure?.reason !== error.reason;
    this.failure = error;
    this.needsFullWrite = true;
    if (stateWasDirty) this.stateDirty = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.reject(error);
    if (changed) this.opts.onErrorChange?.(error.reason);
  }

  private settle(): void {
    const recovered = this.failure !== null;
    this.failure = null;
    this.waiters = this.waiters.filter((w) => {
      if (w.target > this.saved) return true;
      w.resolve();
      return false;
    });
    if (recovered) this.opts.onErrorChange?.(null);
  }

  private async compact(): Promise<void> {
    if (this.detached) return;
    try {
      // Rows another tab appended are folded in too: read them into the doc before merging.
      const stored = await this.store.loadUpdates(this.docId);
      Y.transact(
        this.doc,
        () => {
          for (const update of stored.updates) Y.applyUpdate(this.doc, update);
        },
        PERSISTENCE_ORIGIN,
      );
      await this.store.compactUpdates(this.docId, Y.encodeStateAsUpdate(this.doc), stored.count);
      this.rows = 1;
      this.compactAt = this.compactAfter;
    } catch {
      // The rows are intact (the swap is one transaction); try again after as many rows more.
      this.compactAt = this.rows + this.compactAfter;
    }
  }
}
