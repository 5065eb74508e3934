// Hostile Yjs input for the sync tests and the soak bench: the nested-maps-then-delete update that
// overflowed the stack inside Yjs (issue 10), sync and awareness message framing, and a seeded
// random source so a failing fuzz run can be repeated.
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { MessageType } from '../../shared/protocol/messages';

/**
 * `depth` Y.Maps nested in `meta`, then the deletion of the outermost one, as one update. The
 * attacker's own doc never applies the deletion (it would overflow there too): the delete set
 * is written by hand.
 */
export function nestedMapsThenDeletion(depth: number, root = 'meta'): Uint8Array {
  const doc = new Y.Doc({ gc: false });
  doc.transact(() => {
    let map = doc.getMap<unknown>(root);
    for (let i = 0; i < depth; i++) {
      const next = new Y.Map<unknown>();
      map.set('x', next);
      map = next;
    }
  });
  const deletion = encoding.createEncoder();
  encoding.writeVarUint(deletion, 0); // no structs
  encoding.writeVarUint(deletion, 1); // delete set: one client
  encoding.writeVarUint(deletion, doc.clientID);
  encoding.writeVarUint(deletion, 1); // one range
  encoding.writeVarUint(deletion, 0); // clock of the outermost map
  encoding.writeVarUint(deletion, 1); // length
  return Y.mergeUpdates([Y.encodeStateAsUpdate(doc), encoding.toUint8Array(deletion)]);
}

export function updateMessage(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.sync);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

export interface RawAwarenessEntry {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

/** An awareness message for any clientIDs, as a hostile device would write it. */
export function awarenessMessage(entries: readonly RawAwarenessEntry[]): Uint8Array {
  const body = encoding.createEncoder();
  encoding.writeVarUint(body, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(body, entry.clientId);
    encoding.writeVarUint(body, entry.clock);
    encoding.writeVarString(body, JSON.stringify(entry.state));
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MessageType.awareness);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(body));
  return encoding.toUint8Array(e);
}

