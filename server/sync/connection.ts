// One client's socket inside one room: reads y-websocket messages, applies what is allowed,
// and closes with a precise code for anything else (S6, S7). It never touches the store; the
// room manager commits and acknowledges.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { DOCUMENT_ROOTS } from '../../shared/model/document';
import { CloseCode, CloseReason, MessageType } from '../../shared/protocol/messages';
import type { TrafficGuard } from '../limits/traffic-guard';
import { admitAwareness, decodeAwarenessUpdate, encodeAwarenessUpdate, type PresenceUser } from './awareness-guard';
import { createTokenBucket, type SyncLimits } from './limits';
import { updateAddsNothing } from './read-only';
import type { LoadedRoom, RoomPeer, UpdateOrigin } from './room';
import type { RoomManager } from './room-manager';
import { checkUpdate, type UpdateBounds } from './update-guard';

/** The part of a `ws` WebSocket this module uses, so tests can reason about it. */
export interface PeerSocket {
  readonly readyState: number;
  /** Bytes handed to the socket and not yet written to the network (L5). */
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
}

const OPEN = 1;

class ProtocolError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export class SyncConnection implements RoomPeer {
  /** Awareness changes this connection caused, for the awareness rate (L6). */
  private awarenessChanges = 0;
  private readonly bucket: { take(): boolean };
  private closed = false;

  constructor(
    private readonly socket: PeerSocket,
    private readonly room: LoadedRoom,
    private readonly manager: RoomManager,
    readonly origin: UpdateOrigin,
    /** Who the access token says this is; stamped on every awareness state (L4). */
    private readonly user: PresenceUser,
    limits: SyncLimits,
    private readonly bounds: UpdateBounds,
    now: () => number,
    private readonly onClosed: () => void,
    /** Traffic limits (L5, L6); none in a connection that is not limited. */
    private readonly guard: TrafficGuard | null = null,
  ) {
    this.bucket = createTokenBucket(limits.burstMessages, limits.messagesPerSecond, now);
    room.awareness.on('update', this.trackAwareness);
    manager.join(room, this);
  }

  send(message: Uint8Array): void {
    if (this.closed || this.socket.readyState !== OPEN) return;
    const verdict = this.guard?.outbound(message, this.socket.bufferedAmount) ?? 'send';
    if (verdict === 'drop') return;
    if (verdict !== 'send') return this.close(CloseCode.tooManyMessages, verdict.close);
    this.socket.send(message);
  }

  /** Handles one binary message; any protocol violation closes this connection only. */
  receive(data: Uint8Array): void {
    if (this.closed) return;
    const refused = this.guard?.inbound(data) ?? null;
    if (refused !== null) return this.close(refused.code, refused.reason);
    if (!this.bucket.take()) {
      this.close(CloseCode.tooManyMessages, CloseReason.tooMany);
      return;
    }
    try {
      const reply = this.dispatch(data);
      if (reply !== null) this.send(reply);
    } catch (error) {
      if (error instanceof ProtocolError) this.close(error.code, error.reason);
      else this.close(CloseCode.malformed, CloseReason.malformed);
    }
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close(code, reason);
    this.detach();
  }

  /** The socket went away on its own. */
  detach(): void {
    this.closed = true;
    if (!this.room.peers.has(this)) return;
    this.room.awareness.off('update', this.trackAwareness);
    const owned: number[] = [];
    for (const [id, owner] of this.room.awarenessOwners) if (owner === this) owned.push(id);
    for (const id of owned) this.room.awarenessOwners.delete(id);
    this.manager.leave(this.room, this, owned);
    this.onClosed();
  }

  private dispatch(data: Uint8Array): Uint8Array | null {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MessageType.sync:
        return this.readSync(decoder);
      case MessageType.awareness: {
        const update = decoding.readVarUint8Array(decoder);
        expectEnd(decoder);
        if (this.room.isIndex) {
          // Presence in a read-only list means nothing to others, so it is not relayed; it is
          // echoed to its sender only, which keeps y-websocket's 30-second watchdog quiet.
          return data;
        }
        const tooLarge = this.guard?.awarenessUpdate(update, this.room.awareness) ?? null;
        if (tooLarge !== null) throw new ProtocolError(tooLarge.code, tooLarge.reason);
        const changesBefore = this.awarenessChanges;
        this.applyAwareness(update);
        // Only a change is charged (L6): echoes of others' presence change nothing.
        const refused = this.awarenessChanges === changesBefore ? null : (this.guard?.awarenessChanged(data) ?? null);
        if (refused !== null) throw new ProtocolError(refused.code, refused.reason);
        return null;
      }
      case MessageType.queryAwareness: {
        expectEnd(decoder);
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MessageType.awareness);
        encoding.writeVarUint8Array(
          encoder,
          awarenessProtocol.encodeAwarenessUpdate(this.room.awareness, [
            ...this.room.awareness.getStates().keys(),
          ]),
        );
        return encoding.toUint8Array(encoder);
      }
      default:
        throw new ProtocolError(CloseCode.malformed, CloseReason.unknownType);
    }
  }

  private readSync(decoder: decoding.Decoder): Uint8Array | null {
    const step = decoding.readVarUint(decoder);
    if (step === syncProtocol.messageYjsSyncStep1) {
      const stateVector = decoding.readVarUint8Array(decoder);
      expectEnd(decoder);
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MessageType.sync);
      encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
      encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.room.doc, stateVector));
      return encoding.toUint8Array(encoder);
    }
    if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
      const update = decoding.readVarUint8Array(decoder);
      expectEnd(decoder);
      // Parse fully before touching the document: garbage must not half-apply.
      Y.decodeUpdate(update);
      if (this.room.isIndex) {
        if (!updateAddsNothing(this.room.doc, update)) {
          throw new ProtocolError(CloseCode.forbidden, CloseReason.readOnly);
        }
        return null;
      }
      this.refuseUnboundedUpdate(update);
      // V1: a frozen document takes nothing new. A reconnecting device's sync step 2 that only
      // repeats what the room has is harmless; anything else closes so the device parks it (V3).
      const refusal = this.manager.editRefusal(this.room);
      if (refusal !== null) {
        if (!updateAddsNothing(this.room.doc, update)) throw new ProtocolError(CloseCode.frozen, refusal);
        return null;
      }
      if (!this.manager.applyClientUpdate(this.room, update, this)) {
        throw new ProtocolError(CloseCode.malformed, CloseReason.malformed);
      }
      return null;
    }
    throw new ProtocolError(CloseCode.malformed, CloseReason.malformed);
  }

  /** L1: depth, size and shape are checked before the update touches the room's doc. */
  private refuseUnboundedUpdate(update: Uint8Array): void {
    const verdict = checkUpdate(this.room.doc, update, DOCUMENT_ROOTS, this.bounds);
    if (!verdict.ok) throw new ProtocolError(verdict.code, verdict.reason);
  }

  /** L4: the states this connection may publish, with `user` taken from its token. */
  private applyAwareness(update: Uint8Array): void {
    const owners = this.room.awarenessOwners;
    const admitted = admitAwareness(decodeAwarenessUpdate(update), this.user, (id) => owners.get(id)?.origin.userId ?? undefined);
    if (admitted.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(this.room.awareness, encodeAwarenessUpdate(admitted), this);
  }

  private readonly trackAwareness = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin !== this) return;
    if (change.added.length + change.updated.length > 0) this.awarenessChanges += 1;
    const owners = this.room.awarenessOwners;
    for (const id of change.added.concat(change.updated)) owners.set(id, this);
    for (const id of change.removed) if (owners.get(id) === this) owners.delete(id);
  };
}

function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) throw new ProtocolError(CloseCode.malformed, CloseReason.malformed);
}
