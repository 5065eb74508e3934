// The RoomBus on Redis pub/sub (REDIS_URL): one subscriber and one publisher connection per
// process, a channel per room (`kt:room:<room>`). Pub/sub forgets what it could not deliver, so a
// lost connection is made good from the store (CL3, CL6), never from Redis: the store is the truth.
import { randomUUID } from 'node:crypto';
import { connectRedis } from './redis';
import { channelOf, decodeRelayMessage, encodeRelayMessage, type RelayKind, type RelayMessage, type RoomBus } from './room-bus';

export interface RedisRoomBusOptions {
  url: string;
  processId?: string;
  onError: (error: unknown, context: string) => void;
}

const CLOSE_TIMEOUT_MS = 1_000;

export function createRedisRoomBus(options: RedisRoomBusOptions): RoomBus {
  const processId = options.processId ?? randomUUID();
  // No retry limit on the subscriber: its only command is (un)subscribe, re-sent after a reconnect.
  // connectRedis: the publisher fails fast instead of queueing while Redis is away (a failed
  // publication marks the room as missed, CL6); the subscriber keeps its queue.
  const subscriber = connectRedis(options.url, { subscriber: true });
  const publisher = connectRedis(options.url);
  const handlers = new Map<string, (message: RelayMessage) => void>();
  const restoredHandlers: (() => void)[] = [];
  /** Rooms whose publication failed: a `stale` goes out once the publisher is back (CL6). */
  const missed = new Set<string>();
  let closed = false;
  // Until the first `ready` every subscription is as good as lost: rooms loaded before it are
  // reloaded then.
  let subscriberLost = true;
  let lostSignal = deferred();
  let publisherLost = false;

  subscriber.on('error', (error: unknown) => options.onError(error, 'redis subscriber'));
  publisher.on('error', (error: unknown) => options.onError(error, 'redis publisher'));
  subscriber.on('messageBuffer', (channel: Buffer, bytes: Buffer) => {
    const room = channel.toString().slice(channelOf('').length);
    const handler = handlers.get(room);
    const message = decodeRelayMessage(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    if (handler !== undefined && message !== null && message.from !== processId) handler(message);
  });
  subscriber.on('close', () => {
    if (subscriberLost) return;
    subscriberLost = true;
    lostSignal.resolve();
  });
  subscriber.on('ready', () => {
    if (!subscriberLost || closed) return;
    subscriberLost = false;
    lostSignal = deferred();
    const channels = [...handlers.keys()].map(channelOf);
    // ioredis re-subscribes by itself, but only our own command's answer says it is active.
    const active = channels.length === 0 ? Promise.resolve() : subscriber.subscribe(...channels).then(() => undefined);
    active
      .then(() => {
        for (const handler of restoredHandlers) handler();
      })
      .catch((error: unknown) => options.onError(error, 'redis resubscribe'));
  });
  publisher.on('close', () => {
    publisherLost = true;
  });
  publisher.on('ready', () => {
    if (!publisherLost || closed) return;
    publisherLost = false;
    for (const room of [...missed]) {
      missed.delete(room);
      send(room, 'stale', new Uint8Array());
    }
  });

  function send(room: string, kind: RelayKind, payload: Uint8Array): void {
    const bytes = Buffer.from(encodeRelayMessage({ kind, from: processId, payload }));
    publisher.publish(channelOf(room), bytes).catch((error: unknown) => {
      if (closed) return;
      missed.add(room);
      options.onError(error, `redis publish ${room}`);
    });
  }

  return {
    processId,
    async subscribe(room, handler) {
      handlers.set(room, handler);
      // Without a connection the room loads anyway; the reload after `ready` covers the gap.
      if (subscriberLost || closed) return;
      // A subscription the connection loses on the way is made again, and the room merged, at `ready`.
      const subscribed = subscriber.subscribe(channelOf(room)).then(
        () => undefined,
        () => undefined,
      );
      await Promise.race([subscribed, lostSignal.promise]);
    },
    async unsubscribe(room) {
      handlers.delete(room);
      if (subscriberLost || closed) return;
      const unsubscribed = subscriber.unsubscribe(channelOf(room)).then(
        () => undefined,
        (error: unknown) => options.onError(error, `redis unsubscribe ${room}`),
      );
      await Promise.race([unsubscribed, lostSignal.promise]);
    },
    publish(room, kind, payload) {
      if (!closed) send(room, kind, payload);
    },
    onRestored(handler) {
      restoredHandlers.push(handler);
    },
    async close() {
      closed = true;
      handlers.clear();
      lostSignal.resolve();
      subscriber.disconnect();
      // The last publications go out if Redis is there; a Redis that is gone must not hold the stop.
      const quit = publisher.quit().then(
        () => undefined,
        () => undefined,
      );
      const timer = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref());
      await Promise.race([quit, timer]);
      publisher.disconnect();
    },
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
