// Index rooms are written by the server alone (S7). A stock y-websocket client still answers
// our sync step 1 with a step 2, which holds nothing new when its copy came from us; only an
// update that would add items or deletions the server lacks is a write and is refused.
import * as Y from 'yjs';
import { snapshotCovers } from '../../shared/protocol/persisted';

export function updateAddsNothing(doc: Y.Doc, update: Uint8Array): boolean {
  const sv = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update));
  const { ds } = Y.decodeUpdate(update);
  return snapshotCovers(Y.snapshot(doc), Y.createSnapshot(ds, sv));
}
