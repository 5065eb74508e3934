// Which documents the screens hold open, so that "vernieuwen" (a new app version) can first wait
// until every edit so far is in IndexedDB. Edits are written there before any badge says they
// are stored (S1); this wait only covers the last few milliseconds of typing.
import type { SyncManager } from '../../sync/sync-manager';

const open = new Map<string, number>();

export function markOpen(docId: string): () => void {
  open.set(docId, (open.get(docId) ?? 0) + 1);
  return () => {
    const count = (open.get(docId) ?? 1) - 1;
    if (count <= 0) open.delete(docId);
    else open.set(docId, count);
  };
}

export async function flushOpenDocs(sync: SyncManager | null): Promise<void> {
  if (sync === null) return;
  await Promise.all([...open.keys()].map((id) => sync.whenSavedLocally(id).catch(() => undefined)));
}
