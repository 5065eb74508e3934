// The port between rooms in several server processes (CL1–CL9): a process publishes what it
// committed to a room's channel, and hears what the others committed. Two implementations: Redis
// (redis-room-bus.ts) for real deployments, in memory (memory-room-bus.ts) for tests.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * `update`: a Yjs update another process has committed to the store (never stored again).
 * `awareness`: an awareness update from a client of another process (never stored).
 * `awareness-query`: a process just loaded the room; others answer with their clients' states.
 * `stale`: a process could not publish some commits; holders reload the room from the store.
 */
export type RelayKind = 'update' | 'awareness' | 'awareness-query' | 'stale';

export interface RelayMessage {
  kind: RelayKind;
  /** The publishing process; a process ignores its own messages. */
  from: string;
  payload: Uint8Array;
}

export interface RoomBus {
  /** This process's id, unique per start. */
  readonly processId: string;
  /** Resolves once messages published to `room` from now on reach `handler` (CL3: before the load). */
  subscribe(room: string, handler: (message: RelayMessage) => void): Promise<void>;
  unsubscribe(room: string): Promise<void>;
  /** Never throws: a publication that fails is made good by a `stale` message later (CL6). */
  publish(room: string, kind: RelayKind, payload: Uint8Array): void;
  /**
   * `handler` runs after the bus lost its connection and has it back, with every subscription
   * active again: messages in between may be lost, so held rooms are reloaded from the store.
   */
  onRestored(handler: () => void): void;
  close(): Promise<void>;
}

const KINDS: readonly RelayKind[] = ['update', 'awareness', 'awareness-query', 'stale'];

export const channelOf = (room: string): string => `kt:room:${room}`;

export function encodeRelayMessage(message: RelayMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, KINDS.indexOf(message.kind));
  encoding.writeVarString(encoder, message.from);
  encoding.writeVarUint8Array(encoder, message.payload);
  return encoding.toUint8Array(encoder);
}

/** Null for bytes no process of ours wrote (another application on the same Redis). */
export function decodeRelayMessage(bytes: Uint8Array): RelayMessage | null {
  try {
    const decoder = decoding.createDecoder(bytes);
    const kind = KINDS[decoding.readVarUint(decoder)];
    const from = decoding.readVarString(decoder);
    const payload = decoding.readVarUint8Array(decoder);
    if (kind === undefined || decoding.hasContent(decoder)) return null;
    return { kind, from, payload };
  } catch {
    return null;
  }
}
