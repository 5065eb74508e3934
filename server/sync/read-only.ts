// Index rooms are written by the server alone (S7), and a frozen document takes no edits (V1).
// A stock y-websocket client still answers our sync step 1 with a step 2, which holds nothing
// new when its copy came from us; only an update that would add items or deletions the server
// lacks is a write and is refused.
import * as Y from 'yjs';
import { snapshotCovers } from '../../shared/protocol/persisted';

export function updateAddsNothing(doc: Y.Doc, update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  // Item by item: `encodeStateVectorFromUpdate` leaves out every client whose structs do not
  // start at clock 0, so an incremental update (one keystroke) would look empty.
  const sv = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > (sv.get(struct.id.client) ?? 0)) return false;
  }
  return snapshotCovers(Y.snapshot(doc), Y.createSnapshot(ds, new Map()));
}
