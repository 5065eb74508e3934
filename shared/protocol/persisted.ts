// The persisted-ack (message type 100): the server's durable state of a room, sent only after
// a database commit. A state vector alone cannot prove a deletion was stored (deleting text
// creates no new items, so the vector does not move), so the ack carries a Yjs snapshot:
// state vector plus delete set. A client is "saved on the server" when the server's snapshot
// covers its own: every item it has and every deletion it made.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { MessageType } from './messages';

export function encodePersistedMessage(durable: Y.Snapshot): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.persisted);
  encoding.writeVarUint8Array(encoder, Y.encodeSnapshot(durable));
  return encoding.toUint8Array(encoder);
}

/** Reads the body of a persisted message whose type byte was already read. Throws on garbage. */
export function readPersistedBody(decoder: decoding.Decoder): Y.Snapshot {
  return Y.decodeSnapshot(decoding.readVarUint8Array(decoder));
}

type Range = { clock: number; len: number };

function mergedRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.clock - b.clock);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.clock <= last.clock + last.len) {
      last.len = Math.max(last.len, r.clock + r.len - last.clock);
    } else {
      out.push({ clock: r.clock, len: r.len });
    }
  }
  return out;
}

function rangesCover(outer: readonly Range[], inner: readonly Range[]): boolean {
  const merged = mergedRanges(outer);
  return inner.every((r) =>
    merged.some((m) => m.clock <= r.clock && r.clock + r.len <= m.clock + m.len),
  );
}

/** True when `durable` holds every item and every deletion of `local`. */
export function snapshotCovers(durable: Y.Snapshot, local: Y.Snapshot): boolean {
  for (const [client, clock] of local.sv) {
    if ((durable.sv.get(client) ?? 0) < clock) return false;
  }
  for (const [client, ranges] of local.ds.clients) {
    if (ranges.length === 0) continue;
    const outer = durable.ds.clients.get(client) ?? [];
    if (!rangesCover(outer, ranges)) return false;
  }
  return true;
}
