// IndexedDB `LocalStore` on Dexie, one database per user (`keukentafel-<userId>`, D1). We keep our
// own small Y.Doc persistence instead of y-dexie precisely so that this is the one place that
// writes: every stored byte payload passes through the `Codec`, and only keys stay in the clear.
import { Dexie, type EntityTable } from 'dexie';
import {
  codecFor,
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
/** F20: an attachment's bytes (or any blob), sealed by the codec bound to its key. */
interface BlobRow {
  key: string;
  data: Uint8Array;
}
/** The device vault's record (client/vault/), in the clear: wrapped keys, never a plain one. */
export interface VaultRow {
  id: 'vault';
  data: JsonValue;
}
type StoredActionFields = Omit<QueuedAction, 'seq'>;

export type KeukentafelDb = Dexie & {
  updates: EntityTable<UpdateRow, 'id'>;
  docs: EntityTable<DocRow, 'docId'>;
  actions: EntityTable<ActionRow, 'seq'>;
  settings: EntityTable<SettingRow, 'key'>;
  vault: EntityTable<VaultRow, 'id'>;
  blobs: EntityTable<BlobRow, 'key'>;
};

/**
 * What each stored payload's codec is bound to (`Codec.bind`): a row copied into another table,
 * another document's updates or another setting does not decode. Actions get their seq only
 * from IndexedDB, after encoding, so they are bound to their table alone.
 */
export const rowPurpose = {
  update: (docId: string) => `updates/${docId}`,
  docState: (docId: string) => `docs/${docId}`,
  action: () => 'actions',
  setting: (key: string) => `settings/${key}`,
  blob: (key: string) => `blobs/${key}`,
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
    const data = await codecFor(this.codec, rowPurpose.update(docId)).encode(update);
    await this.db.updates.add({ docId, data });
  }

  async loadUpdates(docId: string): Promise<StoredUpdates> {
    // An index yields rows by key, then primary key: append order within one document.
    const rows = await this.db.updates.where('docId').equals(docId).toArray();
    const codec = codecFor(this.codec, rowPurpose.update(docId));
    const updates = await Promise.all(rows.map((row) => codec.decode(row.data)));
    return { updates, count: rows.length };
  }

  async compactUpdates(docId: string, merged: Uint8Array, replaceCount: number): Promise<void> {
    // Encode first: a codec may await Web Crypto, which would end an IndexedDB transaction.
    const data = await codecFor(this.codec, rowPurpose.update(docId)).encode(merged);
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
    return row === undefined ? null : decodeDocState(await codecFor(this.codec, rowPurpose.docState(docId)).decode(row.data));
  }

  async putDocState(docId: string, state: DocState): Promise<void> {
    const data = await codecFor(this.codec, rowPurpose.docState(docId)).encode(encodeDocState(state));
    await this.db.docs.put({ docId, data });
  }

  async enqueueAction(action: NewAction): Promise<number> {
    const fields: StoredActionFields = action;
    const data = await codecFor(this.codec, rowPurpose.action()).encode(jsonBytes(fields));
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
    const data = await codecFor(this.codec, rowPurpose.action()).encode(jsonBytes({ ...fields, ...patch }));
    // `update` (not `put`) so an action removed meanwhile is not brought back.
    await this.db.actions.update(seq, { data });
  }

  async removeAction(seq: number): Promise<void> {
    await this.db.actions.delete(seq);
  }

  async getSetting(key: string): Promise<JsonValue | undefined> {
    const row = await this.db.settings.get(key);
    return row === undefined
      ? undefined
      : (parseJsonBytes(await codecFor(this.codec, rowPurpose.setting(key)).decode(row.data)) as JsonValue);
  }

  async putSetting(key: string, value: JsonValue): Promise<void> {
    const data = await codecFor(this.codec, rowPurpose.setting(key)).encode(jsonBytes(value));
    await this.db.settings.put({ key, data });
  }

  async putBlob(key: string, bytes: Uint8Array): Promise<void> {
    const data = await codecFor(this.codec, rowPurpose.blob(key)).encode(bytes);
    await this.db.blobs.put({ key, data });
  }

  async getBlob(key: string): Promise<Uint8Array | null> {
    const row = await this.db.blobs.get(key);
    return row === undefined ? null : codecFor(this.codec, rowPurpose.blob(key)).decode(row.data);
  }

  async deleteBlob(key: string): Promise<void> {
    await this.db.blobs.delete(key);
  }

  async listBlobKeys(): Promise<string[]> {
    const keys = await this.db.blobs.toCollection().primaryKeys();
    return keys.filter((k): k is string => typeof k === 'string').sort();
  }

  async destroy(): Promise<void> {
    await this.db.delete({ disableAutoOpen: true });
  }

  private async decodeAction(row: ActionRow): Promise<QueuedAction> {
    const fields = parseJsonBytes(await codecFor(this.codec, rowPurpose.action()).decode(row.data)) as StoredActionFields;
    return { ...fields, seq: row.seq };
  }
}

/** Opens (and upgrades) the user's database; the vault and the store share this one connection. */
export async function openLocalDatabase(
  userId: string,
  opts: Omit<DexieLocalStoreOptions, 'codec'> = {},
): Promise<KeukentafelDb> {
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
  // Version 2 (issue 13): the vault's record. Rows written by version 1 stay plaintext until the
  // PIN is chosen; then `reencryptDatabase` seals them all in one transaction.
  db.version(2).stores({ vault: 'id' });
  // Version 3 (issue 14, F20): attachments' bytes, each row through the codec bound to its key.
  db.version(3).stores({ blobs: 'key' });
  await db.open();
  return db;
}

export async function openDexieLocalStore(userId: string, opts: DexieLocalStoreOptions = {}): Promise<DexieLocalStore> {
  const db = await openLocalDatabase(userId, opts);
  return new DexieLocalStore(db, opts.codec ?? identityCodec);
}

/**
 * Re-encodes every stored payload from `from` to `to` (a version-1 plaintext database sealed with
 * the new data key) and writes `vault` with it, all in one transaction: either every row is
 * sealed and the vault exists, or nothing changed. Encoding happens before the transaction, as
 * Web Crypto's awaits would end an IndexedDB transaction; nothing else writes meanwhile (no
 * session runs before the PIN is chosen). A row that does not decode stops it with nothing
 * written.
 */
export async function reencryptDatabase(db: KeukentafelDb, from: Codec, to: Codec, vault: JsonValue): Promise<void> {
  const [updates, docs, actions, settings, blobs] = await db.transaction('r', [db.updates, db.docs, db.actions, db.settings, db.blobs], () =>
    Promise.all([db.updates.toArray(), db.docs.toArray(), db.actions.toArray(), db.settings.toArray(), db.blobs.toArray()]),
  );
  const recode = async (purpose: string, data: Uint8Array): Promise<Uint8Array> =>
    codecFor(to, purpose).encode(await codecFor(from, purpose).decode(data));
  const newUpdates = await Promise.all(updates.map(async (r) => ({ ...r, data: await recode(rowPurpose.update(r.docId), r.data) })));
  const newDocs = await Promise.all(docs.map(async (r) => ({ ...r, data: await recode(rowPurpose.docState(r.docId), r.data) })));
  const newActions = await Promise.all(actions.map(async (r) => ({ ...r, data: await recode(rowPurpose.action(), r.data) })));
  const newSettings = await Promise.all(settings.map(async (r) => ({ ...r, data: await recode(rowPurpose.setting(r.key), r.data) })));
  const newBlobs = await Promise.all(blobs.map(async (r) => ({ ...r, data: await recode(rowPurpose.blob(r.key), r.data) })));
  await db.transaction('rw', [db.updates, db.docs, db.actions, db.settings, db.blobs, db.vault], async () => {
    await db.blobs.bulkPut(newBlobs);
    await db.updates.bulkPut(newUpdates);
    await db.docs.bulkPut(newDocs);
    await db.actions.bulkPut(newActions);
    await db.settings.bulkPut(newSettings);
    await db.vault.put({ id: 'vault', data: vault });
  });
}
