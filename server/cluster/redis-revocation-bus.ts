// The RevocationBus on Redis pub/sub (CL10): one channel for the whole deployment. Pub/sub keeps
// nothing for a process that is not listening; that is acceptable here because the store already
// says the device is revoked (its reconnects are refused everywhere) and a socket that missed the
// message is cut at its token's expiry (S5). A failed publish is logged, never thrown.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { whenReady } from './redis';
import { decodeRevocation, encodeRevocation, type Revocation, type RevocationBus } from './revocation-bus';

export const REVOCATION_CHANNEL = 'kt:revocations';
const READY_TIMEOUT_MS = 3_000;

export interface RedisRevocationBusOptions {
  /** A command connection (connectRedis). */
  publisher: Redis;
  /** A connection of its own in subscriber mode (connectRedis with `subscriber: true`). */
  subscriber: Redis;
  onError: (error: unknown, context: string) => void;
  processId?: string;
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
  // Subscribed before the server listens, so no revocation after the start is missed; a Redis
  // that is down at the start does not hold the start up: the subscription waits in the queue.
  const subscribed = options.subscriber.subscribe(REVOCATION_CHANNEL);
  if (await whenReady(options.subscriber, READY_TIMEOUT_MS)) await subscribed;
  else subscribed.catch((error: unknown) => options.onError(error, 'revocation subscribe'));
  return {
    publish(revocation) {
      options.publisher
        .publish(REVOCATION_CHANNEL, encodeRevocation({ from: processId, revocation }))
        .catch((error: unknown) => options.onError(error, `revocation publish (${revocation.kind})`));
    },
    subscribe(handler) {
      handlers.push(handler);
    },
    close() {
      // The subscriber connection is closed by its owner; an unsubscribe could wait forever on a
      // Redis that is gone.
      handlers.length = 0;
      return Promise.resolve();
    },
  };
}
