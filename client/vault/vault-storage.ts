// Where a user's vault record and data live on the device: `DexieVaultStorage` (the user's own
// IndexedDB database, D1) and `MemoryVaultStorage` (tests). The vault is the only caller.
import {
  DexieLocalStore,
  openLocalDatabase,
  reencryptDatabase,
  type DexieLocalStoreOptions,
  type KeukentafelDb,
} from '../store/dexie-local-store';
import { identityCodec, type Codec, type LocalStore } from '../store/local-store';
import { MemoryLocalStore } from '../store/memory-local-store';
import { parseVaultRecord, type VaultRecord } from './vault-record';

export interface VaultStorage {
  /** null: no vault (never signed in here, or data from before encryption), or a record that does not parse. */
  readRecord(): Promise<VaultRecord | null>;
  /** Durable when it resolves. */
  writeRecord(record: VaultRecord): Promise<void>;
  /**
   * Read, change and write the record in one transaction, so two tabs of the app cannot both
   * count a wrong PIN from the same old value. null (nothing written) when there is no record.
   */
  updateRecord(change: (record: VaultRecord) => VaultRecord): Promise<VaultRecord | null>;
  /**
   * A vault row that does not parse (tampered, or a later format) leaves data no key here opens:
   * everything is cleared so a new sign-in starts clean instead of mixing keys. True when cleared.
   */
  clearIfUnreadable(): Promise<boolean>;
  /** Whether rows written before encryption (Dexie version 1) are here, waiting to be sealed. */
  hasPlainData(): Promise<boolean>;
  /** Seals every existing row with `codec` and writes `record`, in one transaction (K7). */
  sealExisting(codec: Codec, record: VaultRecord): Promise<void>;
  /** The user's store, reading and writing through `codec`. */
  openStore(codec: Codec): LocalStore;
  /** Deletes the database: record, wrapped keys and data at once. */
  destroy(): Promise<void>;
}

const VAULT_ROW = 'vault';

export class DexieVaultStorage implements VaultStorage {
  constructor(private readonly db: KeukentafelDb) {}

  async readRecord(): Promise<VaultRecord | null> {
    const row = await this.db.vault.get(VAULT_ROW);
    return row === undefined ? null : parseVaultRecord(row.data);
  }

  async writeRecord(record: VaultRecord): Promise<void> {
    await this.db.vault.put({ id: VAULT_ROW, data: record });
  }

  updateRecord(change: (record: VaultRecord) => VaultRecord): Promise<VaultRecord | null> {
    return this.db.transaction('rw', this.db.vault, async () => {
      const row = await this.db.vault.get(VAULT_ROW);
      const record = row === undefined ? null : parseVaultRecord(row.data);
      if (record === null) return null;
      const next = change(record);
      await this.db.vault.put({ id: VAULT_ROW, data: next });
      return next;
    });
  }

  clearIfUnreadable(): Promise<boolean> {
    const db = this.db;
    return db.transaction('rw', [db.vault, db.updates, db.docs, db.actions, db.settings, db.blobs], async () => {
      const row = await db.vault.get(VAULT_ROW);
      if (row === undefined || parseVaultRecord(row.data) !== null) return false;
      await Promise.all([db.vault.clear(), db.updates.clear(), db.docs.clear(), db.actions.clear(), db.settings.clear(), db.blobs.clear()]);
      return true;
    });
  }

  async hasPlainData(): Promise<boolean> {
    if ((await this.db.vault.count()) > 0) return false;
    const counts = await Promise.all([this.db.settings.count(), this.db.updates.count(), this.db.docs.count(), this.db.actions.count(), this.db.blobs.count()]);
    return counts.some((n) => n > 0);
  }

  sealExisting(codec: Codec, record: VaultRecord): Promise<void> {
    return reencryptDatabase(this.db, identityCodec, codec, record);
  }

  openStore(codec: Codec): LocalStore {
    return new DexieLocalStore(this.db, codec);
  }

  async destroy(): Promise<void> {
    await this.db.delete({ disableAutoOpen: true });
  }
}

export async function openDexieVaultStorage(
  userId: string,
  opts: Omit<DexieLocalStoreOptions, 'codec'> = {},
): Promise<DexieVaultStorage> {
  return new DexieVaultStorage(await openLocalDatabase(userId, opts));
}

/** For tests of the lock's flow; the data itself is not encrypted here (no bytes reach a disk). */
export class MemoryVaultStorage implements VaultStorage {
  private record: VaultRecord | null = null;
  private store = new MemoryLocalStore();
  destroyed = false;

  readRecord(): Promise<VaultRecord | null> {
    return Promise.resolve(this.record === null ? null : structuredClone(this.record));
  }

  writeRecord(record: VaultRecord): Promise<void> {
    this.record = structuredClone(record);
    return Promise.resolve();
  }

  updateRecord(change: (record: VaultRecord) => VaultRecord): Promise<VaultRecord | null> {
    if (this.record === null) return Promise.resolve(null);
    this.record = structuredClone(change(structuredClone(this.record)));
    return Promise.resolve(structuredClone(this.record));
  }

  clearIfUnreadable(): Promise<boolean> {
    return Promise.resolve(false);
  }

  hasPlainData(): Promise<boolean> {
    return Promise.resolve(false);
  }

  sealExisting(_codec: Codec, record: VaultRecord): Promise<void> {
    return this.writeRecord(record);
  }

  openStore(): LocalStore {
    return this.store;
  }

  async destroy(): Promise<void> {
    this.record = null;
    this.destroyed = true;
    await this.store.destroy();
    this.store = new MemoryLocalStore();
  }
}
