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

  async hasPlainData(): Promise<boolean> {
    if ((await this.db.vault.count()) > 0) return false;
    const counts = await Promise.all([this.db.settings.count(), this.db.updates.count(), this.db.docs.count(), this.db.actions.count()]);
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
