// One loaded room: its Y.Doc, the sockets in it, awareness, and the updates received but not
// yet committed. A room never answers a connection before it is loaded (S4: the manager only
// hands out loaded rooms) and only ever acknowledges `durable`, the state of its last commit (S3).
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Room as RoomName } from '../../shared/protocol/rooms';
import type { UpdateRecord } from '../store/types';

/** Who caused a change; used as the Yjs transaction origin so updates carry their author. */
export interface UpdateOrigin {
  userId: string | null;
  deviceId: string | null;
  connId: string | null;
}

export const SERVER_ORIGIN: UpdateOrigin = { userId: null, deviceId: null, connId: null };

/**
 * CL2: the transaction origin of an update another process (or the store) already committed.
 * It is broadcast to this room's peers but never recorded, so it is not stored a second time.
 */
export const COMMITTED_ELSEWHERE: { readonly committedElsewhere: true } = Object.freeze({ committedElsewhere: true });

/** What a room needs from a connection: a way to send bytes, and to send it away. */
export interface RoomPeer {
  readonly origin: UpdateOrigin;
  send(message: Uint8Array): void;
  close(code: number, reason: string): void;
}

export class LoadedRoom {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Set<RoomPeer>();
  /** Which connection published each awareness clientID (L4): only it, or its user, may change it. */
  readonly awarenessOwners = new Map<number, RoomPeer>();
  /** Updates applied to `doc` and waiting for the next commit. */
  pending: UpdateRecord[] = [];
  /** The state covered by the last commit; what persisted-acks report. */
  durable: Y.Snapshot;
  /** CL1: an update committed elsewhere was applied while this room had uncommitted ones of its own. */
  durableBehind = false;
  /** Users and references held by in-flight acquisitions; unload only at zero. */
  holds = 0;
  idleTimer: ReturnType<typeof setTimeout> | null = null;
  lastActivity = 0;

  constructor(
    readonly key: string,
    readonly name: RoomName,
    doc: Y.Doc,
    private readonly now: () => number,
    private readonly onDirty: (room: LoadedRoom) => void,
    private readonly onPeerUpdate: (room: LoadedRoom, update: Uint8Array, origin: unknown) => void,
  ) {
    this.doc = doc;
    this.durable = Y.snapshot(doc);
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server itself has no presence in a room.
    this.awareness.setLocalState(null);
    doc.on('update', this.handleUpdate);
  }

  private readonly handleUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === COMMITTED_ELSEWHERE) {
      this.lastActivity = this.now();
      this.onPeerUpdate(this, update, origin);
      return;
    }
    const who = originOf(origin);
    this.pending.push({ docId: this.key, update, ...who, at: this.now() });
    this.lastActivity = this.now();
    this.onDirty(this);
    this.onPeerUpdate(this, update, origin);
  };

  /** After a failed apply the doc is not trusted: nothing more it emits is recorded or relayed. */
  stopRecording(): void {
    this.doc.off('update', this.handleUpdate);
  }

  get isIndex(): boolean {
    return this.name.kind !== 'doc';
  }

  destroy(): void {
    this.doc.off('update', this.handleUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }
}

export function isUpdateOrigin(value: unknown): value is UpdateOrigin {
  return (
    typeof value === 'object' &&
    value !== null &&
    'userId' in value &&
    'deviceId' in value &&
    'connId' in value
  );
}

/** Transactions carry either an UpdateOrigin or the RoomPeer (connection) that sent them. */
function originOf(origin: unknown): UpdateOrigin {
  if (isUpdateOrigin(origin)) return origin;
  if (typeof origin === 'object' && origin !== null && 'origin' in origin && isUpdateOrigin(origin.origin)) {
    return origin.origin;
  }
  return SERVER_ORIGIN;
}
