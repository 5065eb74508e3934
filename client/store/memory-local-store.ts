// In-memory `LocalStore` for tests and for a device without IndexedDB (private mode in old
// browsers). It copies every byte array in and out, so callers cannot alias stored state, and
// round-trips JSON like the Dexie store does, so both behave alike in the contract suite.
import type {
  ActionPatch,
  DocState,
  JsonValue,
  LocalStore,
  NewAction,
  QueuedAction,
  StoredUpdates,
} from './local-store';

const cloneJson = <T extends JsonValue>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export class MemoryLocalStore implements LocalStore {
  private updates = new Map<string, Uint8Array[]>();
  private docStates = new Map<string, DocState>();
  private actions = new Map<number, QueuedAction>();
  private settings = new Map<string, string>();
  private blobs = new Map<string, Uint8Array>();
  private nextSeq = 1;
  private destroyed = false;

  /** Runs `fn` as if it were I/O: failures become rejections, never synchronous throws. */
  private run<T>(fn: () => T): Promise<T> {
    if (this.destroyed) return Promise.reject(new Error('local store destroyed'));
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  appendUpdate(docId: string, update: Uint8Array): Promise<void> {
    return this.run(() => {
      const rows = this.updates.get(docId) ?? [];
      rows.push(update.slice());
      this.updates.set(docId, rows);
    });
  }

  loadUpdates(docId: string): Promise<StoredUpdates> {
    return this.run(() => {
      const rows = this.updates.get(docId) ?? [];
      return { updates: rows.map((u) => u.slice()), count: rows.length };
    });
  }

  compactUpdates(docId: string, merged: Uint8Array, replaceCount: number): Promise<void> {
    return this.run(() => {
      const rows = this.updates.get(docId) ?? [];
      this.updates.set(docId, [merged.slice(), ...rows.slice(Math.min(replaceCount, rows.length))]);
    });
  }

  listDocIds(): Promise<string[]> {
    return this.run(() => [...new Set([...this.updates.keys(), ...this.docStates.keys()])].sort());
  }

  getDocState(docId: string): Promise<DocState | null> {
    return this.run(() => {
      const state = this.docStates.get(docId);
      if (state === undefined) return null;
      return { hasLocalChanges: state.hasLocalChanges, ackedSnapshot: state.ackedSnapshot?.slice() ?? null };
    });
  }

  putDocState(docId: string, state: DocState): Promise<void> {
    return this.run(() => {
      this.docStates.set(docId, {
        hasLocalChanges: state.hasLocalChanges,
        ackedSnapshot: state.ackedSnapshot?.slice() ?? null,
      });
    });
  }

  enqueueAction(action: NewAction): Promise<number> {
    return this.run(() => {
      const seq = this.nextSeq++;
      this.actions.set(seq, { ...action, payload: cloneJson(action.payload), seq });
      return seq;
    });
  }

  listActions(): Promise<QueuedAction[]> {
    return this.run(() =>
      [...this.actions.values()]
        .sort((a, b) => a.seq - b.seq)
        .map((a) => ({ ...a, payload: cloneJson(a.payload) })),
    );
  }

  updateAction(seq: number, patch: ActionPatch): Promise<void> {
    return this.run(() => {
      const action = this.actions.get(seq);
      if (action !== undefined) this.actions.set(seq, { ...action, ...patch });
    });
  }

  removeAction(seq: number): Promise<void> {
    return this.run(() => {
      this.actions.delete(seq);
    });
  }

  getSetting(key: string): Promise<JsonValue | undefined> {
    return this.run(() => {
      const raw = this.settings.get(key);
      return raw === undefined ? undefined : (JSON.parse(raw) as JsonValue);
    });
  }

  putSetting(key: string, value: JsonValue): Promise<void> {
    return this.run(() => {
      this.settings.set(key, JSON.stringify(value));
    });
  }

  putBlob(key: string, bytes: Uint8Array): Promise<void> {
    return this.run(() => {
      this.blobs.set(key, bytes.slice());
    });
  }

  getBlob(key: string): Promise<Uint8Array | null> {
    return this.run(() => this.blobs.get(key)?.slice() ?? null);
  }

  deleteBlob(key: string): Promise<void> {
    return this.run(() => {
      this.blobs.delete(key);
    });
  }

  listBlobKeys(): Promise<string[]> {
    return this.run(() => [...this.blobs.keys()].sort());
  }

  destroy(): Promise<void> {
    this.destroyed = true;
    this.blobs.clear();
    this.updates.clear();
    this.docStates.clear();
    this.actions.clear();
    this.settings.clear();
    return Promise.resolve();
  }
}
