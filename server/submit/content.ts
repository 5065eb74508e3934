// What a submission freezes: the document's committed content, read through the RoomManager so
// it is the same whether or not the room is in memory, and only once everything the room has
// applied is durable, so what is validated and archived is what the database holds. CL20: the
// store's rows are merged in first, since another process may have committed edits this one's
// room has not received over the relay yet.
import * as Y from 'yjs';
import type { RoomManager } from '../sync/room-manager';

/** Flush rounds before giving up on a document that devices keep changing during the submit. */
const MAX_ROUNDS = 10;

/** The committed state as one Yjs update, or null when it could not be made durable now. */
export async function readCommittedContent(
  rooms: Pick<RoomManager, 'acquire' | 'release' | 'flush' | 'mergeFromStore'>,
  docId: string,
): Promise<Uint8Array | null> {
  const room = await rooms.acquire({ kind: 'doc', docId });
  try {
    await rooms.mergeFromStore(room);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      await rooms.flush();
      // Nothing applied-but-uncommitted: the doc is exactly the durable state. Encoding is
      // synchronous, so no update can slip in between this check and the snapshot.
      if (room.pending.length === 0) return Y.encodeStateAsUpdate(room.doc);
    }
    return null;
  } finally {
    rooms.release(room);
  }
}
