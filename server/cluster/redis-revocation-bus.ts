// The RevocationBus on Redis pub/sub (CL10): one channel for the whole deployment. Pub/sub keeps
// nothing for a process that is not listening; that is acceptable here because the store already
// says the device is revoked (its reconnects are refused everywhere) and a socket that missed the
// message is cut at its token's expiry (S5). A failed publish (a command slower than CL15's 1 s on
// a busy machine, a Redis blip) is logged and sent again a few times with growing pauses, so an
// open socket elsewhere is still closed within seconds; never thrown.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { whenReady } from './redis';
import { decodeRevocation, encodeRevocation, type Revocation, type RevocationBus } from './revocation-bus';

export const REVOCATION_CHANNEL = 'kt:revocations';
const READY_TIMEOUT_MS = 3_000;
/** Pauses before each new attempt of a failed publish: about 8 s in all, then it is logged as lost. */
export const REPUBLISH_DELAYS_MS: readonly number[] = [250, 500, 1_000, 2_000, 4_000];

export interface RedisRevocationBusOptions {
  /** A command connection (connectRedis). */
  publisher: Redis;
  /** A connection of its own in subscriber mode (connectRedis with `subscriber: true`). */
  subscriber: Redis;
  onError: (error: unknown, context: string) => void;
  processId?: string;
  /** Tests: pauses between attempts (REPUBLISH_DELAYS_MS). */
  republishDelaysMs?: readonly number[];
}

export async function createRedisRevocationBus(options: RedisRevocationBusOptions): Promise<RevocationBus> {
  const processId = options.processId ?? randomUUID();
  const handlers: ((revocation: Revocation) => void)[] = [];
  options.subscriber.on('message', (channel: string, text: string) => {
    if (channel !== REVOCATION_CHANNEL) return;
    const message = decodeRevocation(text);
    if (message === null || message.from === processId) return;
    for (const handler of handlers) handler(message.revocation);
  });
  const delays = options.republishDelaysMs ?? REPUBLISH_DELAYS_MS;
  const pending = new Set<NodeJS.Timeout>();
  let closed = false;
  // Subscribed on every `ready`: at the start, and again after each reconnect (the connection
  // does not re-subscribe by itself, see connectRedis). A subscription lost with its connection,
  // or a stop before Redis answered, is logged, never an unhandled rejection.
  const subscribe = (): Promise<unknown> => {
    const subscribed = options.subscriber.subscribe(REVOCATION_CHANNEL);
    subscribed.catch((error: unknown) => {
      if (!closed) options.onError(error, 'revocation subscribe');
    });
    return subscribed;
  };
  let subscribed: Promise<unknown> | null = options.subscriber.status === 'ready' ? subscribe() : null;
  options.subscriber.on('ready', () => {
    if (!closed) subscribed = subscribe();
  });
  // Subscribed before the server listens, so no revocation after the start is missed; a Redis
  // that is down at the start does not hold the start up: the subscription is made at `ready`.
  if (await whenReady(options.subscriber, READY_TIMEOUT_MS)) await subscribed;
  /** Sends once; on failure waits `delays[attempt]` and sends again (a close twice is harmless). */
  const send = (text: string, kind: Revocation['kind'], attempt: number): void => {
    options.publisher.publish(REVOCATION_CHANNEL, text).catch((error: unknown) => {
      const delay = delays[attempt];
      if (delay === undefined || closed) {
        options.onError(error, `revocation publish (${kind}), given up`);
        return;
      }
      options.onError(error, `revocation publish (${kind}), again in ${delay} ms`);
      if (closed) return;
      const timer = setTimeout(() => {
        pending.delete(timer);
        if (!closed) send(text, kind, attempt + 1);
      }, delay);
      timer.unref();
      pending.add(timer);
    });
  };
  return {
    publish(revocation) {
      send(encodeRevocation({ from: processId, revocation }), revocation.kind, 0);
    },
    subscribe(handler) {
      handlers.push(handler);
    },
    close() {
      // The subscriber connection is closed by its owner; an unsubscribe could wait forever on a
      // Redis that is gone.
      closed = true;
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
      handlers.length = 0;
      return Promise.resolve();
    },
  };
}
