// The subscriber connections (room relay, CL3; revocations, CL10/CL16) against a real Redis: a
// subscription made while the connection is still in its handshake must not break it. ioredis's
// ready check sends INFO, which Redis refuses on a connection in subscriber mode; the connection
// then counted as failed and reconnected, and a revocation published in that gap was never heard.
// After a reconnect the owner subscribes again itself (ioredis's own re-subscription was a promise
// nobody caught: a stop just after a Redis blip ended the process's run in an unhandled rejection).
import { once } from 'node:events';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../server/cluster/redis';
import { createRedisRevocationBus } from '../../server/cluster/redis-revocation-bus';
import type { Revocation } from '../../server/cluster/revocation-bus';
import { startRedis, type RedisServer } from '../support/redis';
import { startTcpProxy } from '../support/tcp-proxy';

let redis: RedisServer;
const connections: Redis[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterEach(() => {
  for (const c of connections.splice(0)) c.disconnect();
});
afterAll(async () => {
  await redis.stop();
});

describe('Redis subscriber connections', () => {
  it('[CL3] [CL16] a channel subscribed during the handshake stays subscribed: no failed ready check, no reconnect', async () => {
    const errors: string[] = [];
    const subscriber = connectRedis(redis.url, { subscriber: true, onError: (error) => errors.push(String(error)) });
    connections.push(subscriber);
    let connects = 0;
    subscriber.on('connect', () => connects++);
    // The moment the TCP connection is up and ioredis's handshake has begun: a room opened then.
    const subscribed = new Promise<number>((resolve, reject) => {
      subscriber.once('connect', () => void subscriber.subscribe('kt:revocations').then((n) => resolve(n as number), reject));
    });
    expect(await subscribed).toBe(1);
    // With the ready check, 'ready' came only after the failed check's reconnect.
    await new Promise<void>((resolve) => (subscriber.status === 'ready' ? resolve() : subscriber.once('ready', () => resolve())));
    const heard = new Promise<string>((resolve) => subscriber.once('message', (_channel: string, text: string) => resolve(text)));
    const publisher = connectRedis(redis.url);
    connections.push(publisher);
    await new Promise<void>((resolve) => publisher.once('ready', () => resolve()));
    expect(await publisher.publish('kt:revocations', 'device dev-1')).toBe(1);
    expect(await heard).toBe('device dev-1');
    expect({ connects, errors }).toEqual({ connects: 1, errors: [] });
  });

  it('[CL16] after its subscriber connection is cut and comes back, the revocation bus hears revocations again', async () => {
    const errors: string[] = [];
    const onError = (error: unknown, context: string): void => void errors.push(`${context}: ${String(error)}`);
    const { subscriber, publisher } = await connections2();
    const heard: Revocation[] = [];
    const bus = await createRedisRevocationBus({ publisher, subscriber, onError, processId: 'a' });
    bus.subscribe((revocation) => heard.push(revocation));
    const other = await createRedisRevocationBus({ publisher, subscriber: await readySubscriber(), onError, processId: 'b' });
    expect(await numsub(publisher)).toBe(2);
    const back = once(subscriber, 'ready');
    await publisher.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await back;
    // The bus's own SUBSCRIBE was sent at `ready`; wait until Redis counts it (the other bus's
    // connection was cut as well and comes back on its own).
    await until(async () => (await numsub(publisher)) === 2);
    const arrived = new Promise<void>((resolve) => bus.subscribe(() => resolve()));
    other.publish({ kind: 'device', deviceId: 'dev-1' });
    await arrived;
    expect(heard).toEqual([{ kind: 'device', deviceId: 'dev-1' }]);
    await bus.close();
    await other.close();
  });

  it('[CL16] a stop just after a reconnect, before Redis answered the new subscription, leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const link = await startTcpProxy(redis.port);
    try {
      const errors: string[] = [];
      const publisher = connectRedis(redis.url);
      connections.push(publisher);
      const subscriber = connectRedis(`redis://127.0.0.1:${link.port}`, { subscriber: true });
      connections.push(subscriber);
      if (subscriber.status !== 'ready') await once(subscriber, 'ready');
      const bus = await createRedisRevocationBus({ publisher, subscriber, onError: (e, c) => void errors.push(`${c}: ${String(e)}`) });
      expect(await numsub(publisher)).toBe(1);
      // The connection comes back, but Redis's answers do not: every SUBSCRIBE sent at `ready`
      // (the bus's, and ioredis's own if it were on) waits for ever; then the process stops.
      link.mute();
      const back = once(subscriber, 'ready');
      await publisher.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
      await back;
      await bus.close();
      subscriber.disconnect();
      if (subscriber.status !== 'end') await once(subscriber, 'end');
      // Node reports an unhandled rejection after the microtasks of the turn that rejected it.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect({ unhandled: unhandled.map(String), errors }).toEqual({ unhandled: [], errors: [] });
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await link.close();
    }
  });
});

async function readySubscriber(): Promise<Redis> {
  const subscriber = connectRedis(redis.url, { subscriber: true });
  connections.push(subscriber);
  if (subscriber.status !== 'ready') await once(subscriber, 'ready');
  return subscriber;
}

async function connections2(): Promise<{ subscriber: Redis; publisher: Redis }> {
  const publisher = connectRedis(redis.url);
  connections.push(publisher);
  if (publisher.status !== 'ready') await once(publisher, 'ready');
  return { subscriber: await readySubscriber(), publisher };
}

async function numsub(redisConnection: Redis): Promise<number> {
  const answer = (await redisConnection.call('PUBSUB', 'NUMSUB', 'kt:revocations')) as [string, number];
  return Number(answer[1]);
}

/** Polls a Redis-side condition (no event says "Redis counted the subscription"). */
async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for Redis');
    await new Promise<void>((resolve) => setTimeout(resolve, 20));
  }
}
