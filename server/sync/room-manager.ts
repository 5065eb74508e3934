// Keeps the rooms that are in use in memory, loads them from the store before anyone sees them
// (S4), commits every received update in batches and only then sends the persisted-ack (S3),
// and lets idle rooms leave memory. One commit covers every room that changed since the last
// one, so a burst of keystrokes from many clients costs one transaction, not hundreds.
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { CloseCode, CloseReason, MessageType } from '../../shared/protocol/messages';
import { encodePersistedMessage } from '../../shared/protocol/persisted';
import type { Room as RoomName } from '../../shared/protocol/rooms';
import { roomName } from '../../shared/protocol/rooms';
import { FrozenRoomsError } from '../store/frozen-content';
import type { DocumentStore, UpdateRecord } from '../store/types';
import { mergeManyUpdates } from '../../shared/model/merge-updates';
import { COMMITTED_ELSEWHERE, LoadedRoom, type RoomPeer } from './room';

/**
 * CL1–CL9: what the room manager tells the relay to other processes (server/cluster/room-relay.ts).
 * The hooks run in this order for a room: beforeLoad, then loaded or loadFailed, committed for
 * each commit, unloaded when it leaves memory.
 */
export interface RoomRelayPort {
  /** Before the store is read: subscribe, so nothing committed elsewhere falls between (CL3). */
  beforeLoad(key: string): Promise<void>;
  loaded(room: LoadedRoom): void;
  loadFailed(key: string): void;
  /** After the commit and its acks: `update` is what this process stored for the room. */
  committed(room: LoadedRoom, update: Uint8Array): void;
  unloaded(room: LoadedRoom): void;
}

export interface RoomManagerOptions {
  store: DocumentStore;
  now: () => number;
  /** How long a room without connections stays in memory. */
  idleMs?: number;
  /** Log rows after which a room is compacted into one snapshot when it is loaded. */
  compactAfter?: number;
  /** Called after each successful commit with the rooms it covered (index upkeep). */
  afterCommit?: (rooms: readonly LoadedRoom[]) => void;
  /** Called when a room was loaded; may change the doc (index reconciliation). */
  afterLoad?: (room: LoadedRoom) => Promise<void>;
  /** Called when an idle room left memory. */
  afterUnload?: (room: LoadedRoom) => void;
  onError?: (error: unknown, context: string) => void;
  /** Applying a client's update threw (L2): the room was reloaded from the store. */
  onApplyFailed?: (error: unknown, room: LoadedRoom) => void;
  /** V1: why a document room takes no content edits now (a kebab-case close reason), or null. */
  editRefusal?: (room: LoadedRoom) => string | null;
  /** CL1–CL9: rooms shared with other processes (REDIS_URL); none in a single process. */
  relay?: RoomRelayPort;
}

export class RoomManager {
  private readonly rooms = new Map<string, LoadedRoom>();
  private readonly loading = new Map<string, Promise<LoadedRoom>>();
  private readonly dirty = new Set<LoadedRoom>();
  /** Rooms whose records the running commit is writing (not yet durable). */
  private readonly inFlight = new Set<LoadedRoom>();
  private flushScheduled = false;
  private flushing: Promise<void> | null = null;
  private retryDelayMs = 0;
  private closed = false;
  private readonly idleMs: number;
  private readonly compactAfter: number;

  constructor(private readonly opts: RoomManagerOptions) {
    this.idleMs = opts.idleMs ?? 30_000;
    this.compactAfter = opts.compactAfter ?? 500;
  }

  get loadedCount(): number {
    return this.rooms.size;
  }

  /** Every loaded room (CL3: reloaded from the store when the relay lost messages). */
  loadedRooms(): LoadedRoom[] {
    return [...this.rooms.values()];
  }

  /** Loaded room or undefined; never loads. */
  peek(key: string): LoadedRoom | undefined {
    return this.rooms.get(key);
  }

  /**
   * Returns the loaded room and holds it in memory until `release`. Concurrent callers share
   * one load. The returned room's doc holds everything the store had (S4).
   */
  async acquire(name: RoomName): Promise<LoadedRoom> {
    if (this.closed) throw new Error('room manager is closed');
    const key = roomName(name);
    let room = this.rooms.get(key);
    if (room === undefined) {
      let load = this.loading.get(key);
      if (load === undefined) {
        load = this.load(key, name).finally(() => this.loading.delete(key));
        this.loading.set(key, load);
      }
      room = await load;
    }
    room.holds += 1;
    if (room.idleTimer !== null) {
      clearTimeout(room.idleTimer);
      room.idleTimer = null;
    }
    return room;
  }

  release(room: LoadedRoom): void {
    room.holds -= 1;
    if (room.holds > 0 || this.closed) return;
    room.idleTimer = setTimeout(() => this.unloadIfIdle(room), this.idleMs);
    room.idleTimer.unref?.();
  }

  /** V1: null when the room's document takes content edits now. */
  editRefusal(room: LoadedRoom): string | null {
    return room.isIndex ? null : (this.opts.editRefusal?.(room) ?? null);
  }

  /** Adds a peer and starts the y-websocket handshake: our sync step 1, awareness, durable state. */
  join(room: LoadedRoom, peer: RoomPeer): void {
    room.peers.add(peer);
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, MessageType.sync);
    syncProtocol.writeSyncStep1(step1, room.doc);
    peer.send(encoding.toUint8Array(step1));
    const states = room.awareness.getStates();
    if (states.size > 0) {
      const aw = encoding.createEncoder();
      encoding.writeVarUint(aw, MessageType.awareness);
      encoding.writeVarUint8Array(
        aw,
        awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...states.keys()]),
      );
      peer.send(encoding.toUint8Array(aw));
    }
    peer.send(encodePersistedMessage(room.durable));
  }

  leave(room: LoadedRoom, peer: RoomPeer, awarenessClients: readonly number[]): void {
    room.peers.delete(peer);
    if (awarenessClients.length > 0) {
      awarenessProtocol.removeAwarenessStates(room.awareness, [...awarenessClients], peer);
    }
  }

  /**
   * Applies a client's update to the room's doc (L2). Yjs may throw half-way through a
   * transaction and leave the doc unable to emit updates, which would stop the room committing
   * for everyone; so on a throw the records of that update are dropped, the room is reloaded
   * from the store (after committing what it had received before) and its peers reconnect.
   * False: the update was not applied; the caller closes its sender.
   */
  applyClientUpdate(room: LoadedRoom, update: Uint8Array, origin: RoomPeer): boolean {
    const before = room.pending.length;
    try {
      Y.applyUpdate(room.doc, update, origin);
      return true;
    } catch (error) {
      room.pending.length = Math.min(before, room.pending.length);
      this.opts.onApplyFailed?.(error, room);
      this.reload(room, origin);
      return false;
    }
  }

  /**
   * CL1, CL2: applies an update another process committed. It reaches this room's peers but is
   * not stored again; the persisted-ack covers it as soon as nothing of our own is uncommitted.
   */
  applyCommittedElsewhere(room: LoadedRoom, update: Uint8Array, fromStore = false): void {
    if (this.rooms.get(room.key) !== room) return;
    try {
      Y.applyUpdate(room.doc, update, COMMITTED_ELSEWHERE);
    } catch (error) {
      this.opts.onApplyFailed?.(error, room);
      this.reload(room, null);
      return;
    }
    this.ackCommittedElsewhere(room);
    // CL6: a relayed update that waits for one never heard means the relay lost a message (its
    // publisher died between commit and publish, say); the store has it.
    if (!fromStore && (room.doc.store.pendingStructs !== null || room.doc.store.pendingDs !== null)) {
      this.mergeFromStore(room).catch((error: unknown) => this.opts.onError?.(error, `merge from store ${room.key}`));
    }
  }

  /** CL3, CL6: merges the store's state into a loaded room (after the relay may have lost messages). */
  async mergeFromStore(room: LoadedRoom): Promise<void> {
    const stored = await this.opts.store.loadUpdates(room.key);
    if (this.rooms.get(room.key) !== room || stored.updates.length === 0) return;
    this.applyCommittedElsewhere(room, mergeManyUpdates(stored.updates), true);
  }

  /** Sends the ack for updates committed elsewhere, unless our own uncommitted ones would ride along (S3). */
  private ackCommittedElsewhere(room: LoadedRoom): void {
    if (room.pending.length > 0 || this.inFlight.has(room)) {
      room.durableBehind = true;
      return;
    }
    room.durableBehind = false;
    room.durable = Y.snapshot(room.doc);
    const ack = encodePersistedMessage(room.durable);
    for (const peer of room.peers) peer.send(ack);
  }

  /**
   * CL26: the store refused the batch because some of its documents froze (a submit in another
   * process committed after these edits were applied here, before this process heard of it).
   * Those rooms' edits are dropped unacknowledged and unpublished, and the rooms leave memory
   * with every peer closed as V1 closes a frozen document's editor (4409 `document-frozen`):
   * each device keeps what it has and parks it (V3), and the room is read again from the store.
   * The other rooms' records go back in front and are committed again at once.
   */
  private refuseFrozen(taken: readonly { room: LoadedRoom; records: UpdateRecord[] }[], frozen: ReadonlySet<string>): void {
    for (const { room, records } of taken) {
      if (frozen.has(room.key)) {
        room.pending = [];
        this.dirty.delete(room);
        this.reload(room, null, CloseCode.frozen, CloseReason.documentFrozen);
        continue;
      }
      room.pending = records.concat(room.pending);
      if (room.pending.length > 0) this.dirty.add(room);
    }
    const next = this.dirty.values().next();
    if (!this.closed && next.done !== true) this.markDirty(next.value);
  }

  /** Evicts a room whose doc is not trusted; its peers but `culprit` are told to reconnect. */
  private reload(room: LoadedRoom, culprit: RoomPeer | null, code: number = CloseCode.shuttingDown, reason: string = CloseReason.roomReloaded): void {
    if (this.rooms.get(room.key) !== room) return;
    this.rooms.delete(room.key);
    room.stopRecording();
    const reloaded = this.flush()
      .catch((error: unknown) => this.opts.onError?.(error, `flush before reload ${room.key}`))
      .then(() => {
        this.opts.relay?.unloaded(room);
        this.opts.afterUnload?.(room);
        return this.load(room.key, room.name);
      })
      .then((fresh) => {
        // Nobody holds it yet: leave memory when nobody reconnects.
        fresh.idleTimer = setTimeout(() => this.unloadIfIdle(fresh), this.idleMs);
        fresh.idleTimer.unref?.();
        return fresh;
      })
      .finally(() => {
        this.loading.delete(room.key);
        try {
          room.destroy();
        } catch (error) {
          // A doc left mid-transaction may not even destroy cleanly; the fresh room is loaded.
          this.opts.onError?.(error, `destroy after reload ${room.key}`);
        }
      });
    this.loading.set(room.key, reloaded);
    reloaded.catch((error: unknown) => this.opts.onError?.(error, `reload ${room.key}`));
    for (const peer of [...room.peers]) {
      if (peer !== culprit) peer.close(code, reason);
    }
  }

  /** Commits everything pending now; resolves when it is durable (or the store failed). */
  async flush(): Promise<void> {
    while (this.flushing !== null) await this.flushing;
    if (this.dirty.size === 0) return;
    this.flushing = this.commitDirty().finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  /** Flushes, says goodbye to every room and refuses new acquisitions. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.loading.values()].map((p) => p.catch(() => undefined)));
    await this.flush();
    for (const room of this.rooms.values()) {
      if (room.idleTimer !== null) clearTimeout(room.idleTimer);
      room.destroy();
    }
    this.rooms.clear();
  }

  private async load(key: string, name: RoomName): Promise<LoadedRoom> {
    const relay = this.opts.relay;
    if (relay === undefined) return this.loadFromStore(key, name);
    await relay.beforeLoad(key);
    let room: LoadedRoom;
    try {
      room = await this.loadFromStore(key, name);
    } catch (error) {
      relay.loadFailed(key);
      throw error;
    }
    return room;
  }

  private async loadFromStore(key: string, name: RoomName): Promise<LoadedRoom> {
    const stored = await this.opts.store.loadUpdates(key);
    const doc = new Y.Doc({ gc: true });
    Y.transact(doc, () => {
      for (const update of stored.updates) Y.applyUpdate(doc, update);
    });
    if (stored.logLength >= this.compactAfter) {
      // Nothing else has touched this doc yet, so its state is exactly the stored rows.
      await this.opts.store
        .compact(key, Y.encodeStateAsUpdate(doc), stored.lastSeq)
        .catch((error: unknown) => this.opts.onError?.(error, `compact ${key}`));
    }
    const room = new LoadedRoom(
      key,
      name,
      doc,
      this.opts.now,
      (r) => this.markDirty(r),
      (r, update, origin) => this.broadcastUpdate(r, update, origin),
    );
    room.awareness.on('update', (change: AwarenessChange) => this.broadcastAwareness(room, change));
    this.rooms.set(key, room);
    this.opts.relay?.loaded(room);
    if (this.opts.afterLoad !== undefined) {
      try {
        await this.opts.afterLoad(room);
      } catch (error) {
        this.opts.onError?.(error, `afterLoad ${key}`);
      }
    }
    return room;
  }

  private markDirty(room: LoadedRoom): void {
    this.dirty.add(room);
    if (this.flushScheduled || this.closed) return;
    this.flushScheduled = true;
    const run = (): void => {
      this.flushScheduled = false;
      this.flush().catch((error: unknown) => this.opts.onError?.(error, 'flush'));
    };
    if (this.retryDelayMs > 0) setTimeout(run, this.retryDelayMs).unref?.();
    else setImmediate(run);
  }

  private async commitDirty(): Promise<void> {
    const rooms = [...this.dirty];
    this.dirty.clear();
    // Snapshots are taken with the batch, synchronously: each covers exactly the updates that
    // were applied to its doc, all of which are in this batch or an earlier, committed one.
    const taken = rooms.map((room) => {
      const records = room.pending;
      room.pending = [];
      this.inFlight.add(room);
      return { room, records, snapshot: Y.snapshot(room.doc) };
    });
    try {
      await this.opts.store.appendUpdates(taken.flatMap((t) => t.records));
    } catch (error) {
      this.inFlight.clear();
      if (error instanceof FrozenRoomsError) {
        this.refuseFrozen(taken, new Set(error.rooms));
        return;
      }
      // Nothing was committed: put the records back in front and try again later; no ack.
      for (const { room, records } of taken) {
        room.pending = records.concat(room.pending);
        this.dirty.add(room);
      }
      this.retryDelayMs = Math.min(5_000, Math.max(50, this.retryDelayMs * 2));
      this.opts.onError?.(error, 'commit');
      const first = rooms[0];
      if (!this.closed && first !== undefined) this.markDirty(first);
      return;
    }
    this.retryDelayMs = 0;
    this.inFlight.clear();
    for (const { room, records, snapshot } of taken) {
      room.durable = snapshot;
      const ack = encodePersistedMessage(snapshot);
      for (const peer of room.peers) peer.send(ack);
      // CL1: published only now that it is committed; others apply it without storing it.
      if (records.length > 0) this.opts.relay?.committed(room, Y.mergeUpdates(records.map((r) => r.update)));
      // An update committed elsewhere arrived during this commit: ack it now that ours are durable.
      if (room.durableBehind) this.ackCommittedElsewhere(room);
    }
    this.opts.afterCommit?.(rooms);
  }

  private unloadIfIdle(room: LoadedRoom): void {
    room.idleTimer = null;
    if (room.holds > 0 || room.peers.size > 0 || this.rooms.get(room.key) !== room) return;
    if (room.pending.length > 0 || this.dirty.has(room)) {
      // Not yet committed: try again after the commit.
      room.idleTimer = setTimeout(() => this.unloadIfIdle(room), 100);
      room.idleTimer.unref?.();
      return;
    }
    this.rooms.delete(room.key);
    room.destroy();
    this.opts.relay?.unloaded(room);
    this.opts.afterUnload?.(room);
  }

  private broadcastUpdate(room: LoadedRoom, update: Uint8Array, origin: unknown): void {
    if (room.peers.size === 0) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.sync);
    syncProtocol.writeUpdate(encoder, update);
    const message = encoding.toUint8Array(encoder);
    for (const peer of room.peers) if (peer !== origin) peer.send(message);
  }

  private broadcastAwareness(room: LoadedRoom, change: AwarenessChange): void {
    const changed = change.added.concat(change.updated, change.removed);
    if (changed.length === 0 || room.peers.size === 0) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.awareness);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(room.awareness, changed));
    const message = encoding.toUint8Array(encoder);
    // Sent back to its sender too, as the stock server does: y-websocket drops a connection
    // that hears nothing for 30 s, and a client alone in a room hears only this echo of its
    // own 15-second awareness renewal.
    for (const peer of room.peers) peer.send(message);
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
