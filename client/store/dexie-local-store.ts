// IndexedDB `LocalStore` on Dexie, one database per user (`keukentafel-<userId>`, D1). We keep our
// own small Y.Doc persistence instead of y-dexie precisely so that this is the one place that
// writes: every stored byte payload passes through the `Codec`, and only keys stay in the clear.
import { Dexie, type EntityTable } from 'dexie';
import {
  decodeDocState,
  encodeDocState,
  identityCodec,
  type ActionPatch,
  type Codec,
  type DocState,
  type JsonValue,
  type LocalStore,
  type NewAction,
  type QueuedAction,
  type StoredUpdates,
} from './local-store';

interface UpdateRow {
  id: number;
  docId: string;
  data: Uint8Array;
}
interface DocRow {
  docId: string;
  data: Uint8Array;
}
/** Everything but the seq sits in `data`: payloads and error texts may quote a citizen's case. */
interface ActionRow {
  seq: number;
  data: Uint8Array;
}
interface SettingRow {
  key: string;
  data: Uint8Array;
}
type StoredActionFields = Omit<QueuedAction, 'seq'>;

type KeukentafelDb = Dexie & {
  updates: EntityTable<UpdateRow, 'id'>;
  docs: EntityTable<DocRow, 'docId'>;
  actions: EntityTable<ActionRow, 'seq'>;
  settings: EntityTable<SettingRow, 'key'>;
};

export interface DexieLocalStoreOptions {
  codec?: Codec;
  /** For Node tests (fake-indexeddb); the browser's globals otherwise. */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

export const localDatabaseName = (userId: string): string => `keukentafel-${userId}`;

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();
const jsonBytes = (value: unknown): Uint8Array => textEncoder.encode(JSON.stringify(value));
const parseJsonBytes = (bytes: Uint8Array): unknown => JSON.parse(textDecoder.decode(bytes));

export class DexieLocalStore implements LocalStore {
  constructor(
    private readonly db: KeukentafelDb,
    private readonly codec: Codec,
  ) {}

  async appendUpdate(docId: string, update: Uint8Array): Promise<void> {
    const data = await this.codec.encode(update);
    await this.db.updates.add({ docId, data });
  }

  async loadUpdates(docId: string): Promise<StoredUpdates> {
    // An index yields rows by key, then primary key: append order within one document.
    const rows = await this.db.updates.where('docId').equals(docId).toArray();
    const updates = await Promise.all(rows.map((row) => this.codec.decode(row.data)));
    return { updates, count: rows.length };
  }

  async compactUpdates(docId: string, merged: Uint8Array, replaceCount: number): Promise<void> {
    // Encode first: a codec may await Web Crypto, which would end an IndexedDB transaction.
    const data = await this.codec.encode(merged);
    await this.db.transaction('rw', this.db.updates, async () => {
      const keys = await this.db.updates.where('docId').equals(docId).limit(replaceCount).primaryKeys();
      const last = keys[keys.length - 1];
      if (last === undefined) {
        await this.db.updates.add({ docId, data });
        return;
      }
      // The merged row takes the newest replaced key, so rows appended meanwhile stay after it.
      await this.db.updates.bulkDelete(keys.slice(0, -1));
      await this.db.updates.put({ id: last, docId, data });
    });
  }

  async listDocIds(): Promise<string[]> {
    const [withUpdates, withState] = await Promise.all([
      this.db.updates.orderBy('docId').uniqueKeys(),
      this.db.docs.toCollection().primaryKeys(),
    ]);
    const ids = new Set<string>();
    for (const key of [...withUpdates, ...withState]) if (typeof key === 'string') ids.add(key);
    return [...ids].sort();
  }

  async getDocState(docId: string): Promise<DocState | null> {
    const row = await this.db.docs.get(docId);
    return row === undefined ? null : decodeDocState(await this.codec.decode(row.data));
  }

  async putDocState(docId: string, state: DocState): Promise<void> {
    const data = await this.codec.encode(encodeDocState(state));
    await this.db.docs.put({ docId, data });
  }

  async enqueueAction(action: NewAction): Promise<number> {
    const fields: StoredActionFields = action;
    const data = await this.codec.encode(jsonBytes(fields));
    return this.db.actions.add({ data });
  }

  async listActions(): Promise<QueuedAction[]> {
    const rows = await this.db.actions.orderBy('seq').toArray();
    return Promise.all(rows.map((row) => this.decodeAction(row)));
  }

  async updateAction(seq: number, patch: ActionPatch): Promise<void> {
    const row = await this.db.actions.get(seq);
    if (row === undefined) return;
    const { seq: _seq, ...fields } = await this.decodeAction(row);
    const data = await this.codec.encode(jsonBytes({ ...fields, ...patch }));
    // `update` (not `put`) so an action removed meanwhile is not brought back.
    await this.db.actions.update(seq, { data });
  }

  async removeAction(seq: number): Promise<void> {
    await this.db.actions.delete(seq);
  }

  async getSetting(key: string): Promise<JsonValue | undefined> {
    const row = await this.db.settings.get(key);
    return row === undefined ? undefined : (parseJsonBytes(await this.codec.decode(row.data)) as JsonValue);
  }

  async putSetting(key: string, value: JsonValue): Promise<void> {
    const data = await this.codec.encode(jsonBytes(value));
    await this.db.settings.put({ key, data });
  }

  async destroy(): Promise<void> {
    await this.db.delete({ disableAutoOpen: true });
  }

  private async decodeAction(row: ActionRow): Promise<QueuedAction> {
    const fields = parseJsonBytes(await this.codec.decode(row.data)) as StoredActionFields;
    return { ...fields, seq: row.seq };
  }
}

export async function openDexieLocalStore(userId: string, opts: DexieLocalStoreOptions = {}): Promise<DexieLocalStore> {
  const db = new Dexie(localDatabaseName(userId), {
    ...(opts.indexedDB !== undefined ? { indexedDB: opts.indexedDB } : {}),
    ...(opts.IDBKeyRange !== undefined ? { IDBKeyRange: opts.IDBKeyRange } : {}),
    // S1 must survive a flat battery, not only a killed tab; writes are batched, so it is cheap.
    chromeTransactionDurability: 'strict',
  }) as KeukentafelDb;
  db.version(1).stores({
    updates: '++id, docId',
    docs: 'docId',
    actions: '++seq',
    settings: 'key',
  });
  await db.open();
  return new DexieLocalStore(db, opts.codec ?? identityCodec);
}
