// Many Yjs updates as one. `Y.mergeUpdates` is quadratic-like in the number of parts: 20,000
// small updates of one letter took ~13–30 s on this machine (scale bench, PostgreSQL compaction),
// blocking the event loop. Applying them to a scratch document and encoding its state takes under
// a second and gives the same content: `gc: false` keeps deleted content as mergeUpdates would,
// and pending structs or deletions (an update whose dependency is missing) are part of the encoded
// state, so nothing given is dropped.
import * as Y from 'yjs';

export function mergeManyUpdates(updates: readonly Uint8Array[]): Uint8Array {
  if (updates.length === 1) return updates[0]!;
  const doc = new Y.Doc({ gc: false });
  try {
    for (const update of updates) Y.applyUpdate(doc, update);
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

/**
 * `base` with `more` merged in, as mergeManyUpdates; but `base` itself, byte for byte, when `more`
 * adds nothing to it (every struct and deletion already there: the usual compaction, whose rows the
 * caller had loaded). Yjs emits an update only for a change, so a silent apply means "nothing new".
 */
export function mergeInto(base: Uint8Array, more: readonly Uint8Array[]): Uint8Array {
  if (more.length === 0) return base;
  const doc = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(doc, base);
    let changed = false;
    doc.on('update', () => {
      changed = true;
    });
    for (const update of more) Y.applyUpdate(doc, update);
    const waiting = doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
    return changed || waiting ? Y.encodeStateAsUpdate(doc) : base;
  } finally {
    doc.destroy();
  }
}
