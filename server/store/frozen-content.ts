// CL21, CL26–CL28: the store decides whether an edit reached a frozen document, for every engine
// alike. An append to a document room whose row no longer takes edits (V1) stores nothing and
// throws `FrozenRoomsError`; a submit whose content lacks something stored for the document's
// room stores nothing either (the submit reads again). Between them, an edit that a process
// acknowledged is always in the submitted version, whichever process took it and however late
// it heard of the submit.
import * as Y from 'yjs';
import { snapshotCovers } from '../../shared/protocol/persisted';

/**
 * CL26: thrown by `appendUpdates` when the batch holds records of document rooms whose documents
 * take no edits now; nothing of the batch is stored. `rooms` names those rooms (record `docId`s).
 */
export class FrozenRoomsError extends Error {
  constructor(readonly rooms: readonly string[]) {
    super(`document frozen: ${rooms.join(', ')}`);
    this.name = 'FrozenRoomsError';
  }
}

/** The document id of a content room (`doc:<id>`), or null for index rooms and other names. */
export function documentOfRoom(room: string): string | null {
  return room.startsWith('doc:') ? room.slice(4) : null;
}

/** The distinct document ids of a batch's content rooms, sorted (the order locks are taken in). */
export function documentsOfBatch(batch: readonly { docId: string }[]): string[] {
  const ids = new Set<string>();
  for (const r of batch) {
    const id = documentOfRoom(r.docId);
    if (id !== null) ids.add(id);
  }
  return [...ids].sort();
}

/**
 * CL27: true when `content` (a submission's Yjs update) holds every item and every deletion of
 * `stored` (the document room's snapshot and log rows). Nothing stored: nothing to cover.
 */
export function contentCoversStored(content: Uint8Array, stored: readonly Uint8Array[]): boolean {
  if (stored.length === 0) return true;
  const doc = new Y.Doc({ gc: false });
  try {
    Y.applyUpdate(doc, content);
    const submitted = Y.snapshot(doc);
    Y.transact(doc, () => {
      for (const update of stored) Y.applyUpdate(doc, update);
    });
    return snapshotCovers(submitted, Y.snapshot(doc));
  } finally {
    doc.destroy();
  }
}
