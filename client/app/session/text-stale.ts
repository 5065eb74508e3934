// Q7: which documents' words the text index must read again although their list row did not
// change: those opened in the editor on this device (typed offline, the server's list has not
// moved). Ids only, in memory, per session store. Small on purpose: the editor imports it, the
// text index (a lazy chunk) takes from it.
const stale = new WeakMap<object, Set<string>>();

export function markTextStale(store: object, docId: string): void {
  let ids = stale.get(store);
  if (ids === undefined) {
    ids = new Set();
    stale.set(store, ids);
  }
  ids.add(docId);
}

/** The ids marked since the last call; the set is emptied. */
export function takeTextStale(store: object): Set<string> {
  const ids = stale.get(store) ?? new Set<string>();
  stale.delete(store);
  return ids;
}
