// One connection's limits on what flows through it: bytes per second across its user's sockets
// and awareness updates per second on the way in (L6), and the socket's queue of unsent bytes on
// the way out (L5: past the soft limit awareness to it is dropped, past the hard limit it goes).
// The stock y-websocket client sends back every awareness change it hears, also other people's;
// those echoes change nothing and are not charged, or one flooder would get everyone closed.
import * as decoding from 'lib0/decoding';
import type { Awareness } from 'y-protocols/awareness';
import { CloseCode, MessageType } from '../../shared/protocol/messages';
import { LimitReason } from '../../shared/protocol/limit-reasons';
import { createRateBucket, type RateBucket } from './rate-bucket';
import type { TrafficLimits } from './settings';
import type { UsageLedger } from './usage-ledger';

/** What the limits observed, for metrics and tests. */
export type LimitEvent = LimitReason | 'awareness-dropped';

export type Outbound = 'send' | 'drop' | { close: LimitReason };

export interface Refusal {
  code: number;
  reason: LimitReason;
}

export interface TrafficGuard {
  /** A refusal for a message just received, or null to handle it. */
  inbound(message: Uint8Array): Refusal | null;
  /** An awareness update about to be applied: one client's new state above the size limit is refused. */
  awarenessUpdate(update: Uint8Array, awareness: Awareness): Refusal | null;
  /** An awareness message changed this connection's presence: charge it (rate and bytes). */
  awarenessChanged(message: Uint8Array): Refusal | null;
  /** What to do with a message about to be sent on a socket that holds `queuedBytes` unsent. */
  outbound(message: Uint8Array, queuedBytes: number): Outbound;
}

export function createTrafficGuard(
  limits: TrafficLimits,
  ledger: UsageLedger,
  userId: string,
  now: () => number,
  onEvent: (event: LimitEvent) => void,
): TrafficGuard {
  const awareness: RateBucket = createRateBucket(limits.awarenessBurst, limits.awarenessPerSecond, now);
  return {
    inbound(message) {
      if (isAwareness(message)) return null; // charged only when it changes something
      return ledger.takeBytes(userId, message.byteLength) ? null : refuse(LimitReason.userBytesTooFast);
    },
    awarenessUpdate(update, current) {
      // Presence is a name and a cursor; a bigger state is not presence. Only states that would
      // change count: an honest client's echo of everyone's presence may be long.
      return largestNewState(update, current) > limits.awarenessMaxBytes ? refuse(LimitReason.awarenessTooLarge, CloseCode.tooLarge) : null;
    },
    awarenessChanged(message) {
      if (!awareness.take()) return refuse(LimitReason.awarenessTooFast);
      if (!ledger.takeAwarenessBytes(userId, message.byteLength)) return refuse(LimitReason.userAwarenessTooFast);
      return ledger.takeBytes(userId, message.byteLength) ? null : refuse(LimitReason.userBytesTooFast);
    },
    outbound(message, queuedBytes) {
      // What is already queued decides, so a single large message (a whole document) always goes.
      if (queuedBytes > limits.sendQueueHardBytes) return { close: refuse(LimitReason.sendQueueFull).reason };
      if (queuedBytes > limits.sendQueueSoftBytes && isAwareness(message)) {
        onEvent('awareness-dropped');
        return 'drop';
      }
      return 'send';
    },
  };

  function refuse(reason: LimitReason, code: number = CloseCode.tooManyMessages): Refusal {
    onEvent(reason);
    return { code, reason };
  }
}

/** Longest state (JSON characters) in `update` newer than what `current` holds for its client. */
function largestNewState(update: Uint8Array, current: Awareness): number {
  const decoder = decoding.createDecoder(update);
  let largest = 0;
  for (let n = decoding.readVarUint(decoder); n > 0; n -= 1) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state = decoding.readVarString(decoder);
    if (clock > (current.meta.get(clientId)?.clock ?? -1)) largest = Math.max(largest, state.length);
  }
  return largest;
}

/** y-websocket message types below 128 are one varuint byte. */
function isAwareness(message: Uint8Array): boolean {
  return message[0] === MessageType.awareness;
}
