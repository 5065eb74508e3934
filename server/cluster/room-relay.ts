// Rooms held by several processes at once (CL1–CL9): what one process commits for a room reaches
// the others through the RoomBus, and awareness goes the same way. The store stays the truth:
// each process stores only what its own clients sent, and whenever the bus may have lost a
// message, the held rooms are merged with the store again (Yjs updates apply idempotently).
import * as awarenessProtocol from 'y-protocols/awareness';
import type { LoadedRoom, RoomPeer } from '../sync/room';
import type { RoomManager, RoomRelayPort } from '../sync/room-manager';
import { decodeAwarenessUpdate } from '../sync/awareness-guard';
import type { RelayMessage, RoomBus } from './room-bus';

/** Transaction origin of awareness from another process: applied and broadcast, never re-published. */
const FROM_ELSEWHERE: { readonly awarenessFromElsewhere: true } = Object.freeze({ awarenessFromElsewhere: true });
const EMPTY = new Uint8Array();

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

export class RoomRelay implements RoomRelayPort {
  private manager: RoomManager | null = null;
  /** Messages that arrived between subscribing and the end of the load (CL3). */
  private readonly early = new Map<string, RelayMessage[]>();

  constructor(
    private readonly bus: RoomBus,
    private readonly onError: (error: unknown, context: string) => void,
  ) {}

  attach(manager: RoomManager): void {
    this.manager = manager;
    this.bus.onRestored(() => this.restore());
  }

  async beforeLoad(key: string): Promise<void> {
    this.early.set(key, []);
    await this.bus.subscribe(key, (message) => this.receive(key, message));
  }

  loaded(room: LoadedRoom): void {
    const early = this.early.get(room.key) ?? [];
    this.early.delete(room.key);
    room.awareness.on('update', (change: AwarenessChange, origin: unknown) => this.publishAwareness(room, change, origin));
    for (const message of early) this.handle(room, message);
    // CL4: the others' present users are shown at once, not at their next 15-second renewal.
    if (!room.isIndex) this.bus.publish(room.key, 'awareness-query', EMPTY);
  }

  loadFailed(key: string): void {
    this.early.delete(key);
    this.unsubscribe(key);
  }

  committed(room: LoadedRoom, update: Uint8Array): void {
    this.bus.publish(room.key, 'update', update);
  }

  unloaded(room: LoadedRoom): void {
    // A reload may already be loading the room again under the same key: keep that subscription.
    if (this.early.has(room.key) || this.manager?.peek(room.key) !== undefined) return;
    this.unsubscribe(room.key);
  }

  private unsubscribe(key: string): void {
    this.bus.unsubscribe(key).catch((error: unknown) => this.onError(error, `unsubscribe ${key}`));
  }

  private receive(key: string, message: RelayMessage): void {
    // Pub/sub hands a publisher its own messages back; what this process committed it has.
    if (message.from === this.bus.processId) return;
    const early = this.early.get(key);
    if (early !== undefined) {
      early.push(message);
      return;
    }
    const room = this.manager?.peek(key);
    if (room !== undefined) this.handle(room, message);
  }

  private handle(room: LoadedRoom, message: RelayMessage): void {
    const manager = this.manager;
    if (manager === null) return;
    switch (message.kind) {
      case 'update':
        manager.applyCommittedElsewhere(room, message.payload);
        return;
      case 'stale':
        this.merge(manager, room);
        return;
      case 'awareness':
        if (!room.isIndex) this.applyAwareness(room, message.payload);
        return;
      case 'awareness-query':
        if (!room.isIndex) this.answerAwarenessQuery(room);
        return;
    }
  }

  /** CL3: the bus is back after losing its connection; whatever it lost is in the store. */
  private restore(): void {
    const manager = this.manager;
    if (manager === null) return;
    for (const room of manager.loadedRooms()) {
      this.merge(manager, room);
      if (!room.isIndex) this.bus.publish(room.key, 'awareness-query', EMPTY);
    }
  }

  private merge(manager: RoomManager, room: LoadedRoom): void {
    manager.mergeFromStore(room).catch((error: unknown) => this.onError(error, `merge from store ${room.key}`));
  }

  /** CL4: states are published as this process admitted them (user from the token, L4). */
  private publishAwareness(room: LoadedRoom, change: AwarenessChange, origin: unknown): void {
    // Every process times out the states it holds by itself.
    if (origin === FROM_ELSEWHERE || origin === 'timeout') return;
    const changed = change.added.concat(change.updated, change.removed);
    if (changed.length === 0) return;
    this.bus.publish(room.key, 'awareness', awarenessProtocol.encodeAwarenessUpdate(room.awareness, changed));
  }

  private answerAwarenessQuery(room: LoadedRoom): void {
    const ours: number[] = [];
    for (const [clientId, owner] of room.awarenessOwners) if (room.peers.has(owner)) ours.push(clientId);
    if (ours.length > 0) this.bus.publish(room.key, 'awareness', awarenessProtocol.encodeAwarenessUpdate(room.awareness, ours));
  }

  /**
   * CL4: another process's client states, with their user as that process stamped it. They are
   * owned here by that user (L4), so a client of this process cannot take another user's clientID.
   */
  private applyAwareness(room: LoadedRoom, update: Uint8Array): void {
    try {
      for (const entry of decodeAwarenessUpdate(update)) {
        const owner = room.awarenessOwners.get(entry.clientId);
        const local = owner !== undefined && room.peers.has(owner);
        const user = entry.state?.user;
        const userId = typeof user === 'object' && user !== null && 'id' in user && typeof user.id === 'string' ? user.id : null;
        if (entry.state === null || userId === null) {
          if (owner !== undefined && !local) room.awarenessOwners.delete(entry.clientId);
        } else if (!local) {
          room.awarenessOwners.set(entry.clientId, remotePeer(userId));
        }
      }
      awarenessProtocol.applyAwarenessUpdate(room.awareness, update, FROM_ELSEWHERE);
    } catch (error) {
      this.onError(error, `awareness from elsewhere ${room.key}`);
    }
  }
}

/** Stands for a client of another process in `awarenessOwners`; it has no socket here. */
function remotePeer(userId: string): RoomPeer {
  return {
    origin: { userId, deviceId: null, connId: null },
    send: () => undefined,
    close: () => undefined,
  };
}
