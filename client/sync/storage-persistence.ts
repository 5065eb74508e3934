// Asks the browser not to evict our IndexedDB under storage pressure (Safari and Chrome may drop
// "best-effort" data of a site not visited for a while). The answer is shown at sign-in: on a
// best-effort device unsent letters are at risk, and the official should know.

export type StoragePersistence = 'persisted' | 'best-effort' | 'unsupported';

/** The part of `navigator.storage` we use; injectable for tests. */
export interface StorageManagerLike {
  persisted?: () => Promise<boolean>;
  persist?: () => Promise<boolean>;
}

export async function requestPersistentStorage(
  storage: StorageManagerLike | undefined = (globalThis as { navigator?: { storage?: StorageManagerLike } }).navigator
    ?.storage,
): Promise<StoragePersistence> {
  if (storage?.persist === undefined) return 'unsupported';
  try {
    if ((await storage.persisted?.()) === true) return 'persisted';
    return (await storage.persist()) ? 'persisted' : 'best-effort';
  } catch {
    return 'best-effort';
  }
}
