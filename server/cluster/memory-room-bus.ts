// An in-process RoomBus: several servers started in one test share one hub, as processes share
// one Redis. Delivery is asynchronous (a microtask later), as it is over a network.
import { randomUUID } from 'node:crypto';
import type { RelayKind, RelayMessage, RoomBus } from './room-bus';

export interface MemoryRoomHub {
  /** A bus for one server; each gets its own process id. */
  connect(processId?: string): RoomBus;
  /** Messages published so far, per room (tests count them). */
  readonly published: { room: string; message: RelayMessage }[];
}

export function createMemoryRoomHub(): MemoryRoomHub {
  const subscribers = new Map<string, Set<(message: RelayMessage) => void>>();
  const published: { room: string; message: RelayMessage }[] = [];
  return {
    published,
    connect(processId = randomUUID()) {
      const mine = new Map<string, (message: RelayMessage) => void>();
      let closed = false;
      return {
        processId,
        subscribe(room, handler) {
          const previous = mine.get(room);
          if (previous !== undefined) subscribers.get(room)?.delete(previous);
          mine.set(room, handler);
          let set = subscribers.get(room);
          if (set === undefined) subscribers.set(room, (set = new Set()));
          set.add(handler);
          return Promise.resolve();
        },
        unsubscribe(room) {
          const handler = mine.get(room);
          mine.delete(room);
          if (handler !== undefined) subscribers.get(room)?.delete(handler);
          return Promise.resolve();
        },
        publish(room: string, kind: RelayKind, payload: Uint8Array) {
          if (closed) return;
          const message: RelayMessage = { kind, from: processId, payload };
          published.push({ room, message });
          for (const handler of subscribers.get(room) ?? []) queueMicrotask(() => handler(message));
        },
        onRestored() {
          // An in-process hub never loses a message.
        },
        close() {
          closed = true;
          for (const room of [...mine.keys()]) {
            const handler = mine.get(room);
            if (handler !== undefined) subscribers.get(room)?.delete(handler);
          }
          mine.clear();
          return Promise.resolve();
        },
      };
    },
  };
}
