// The subscriber connections (room relay, CL3; revocations, CL10/CL16) against a real Redis: a
// subscription made while the connection is still in its handshake must not break it. ioredis's
// ready check sends INFO, which Redis refuses on a connection in subscriber mode; the connection
// then counted as failed and reconnected, and a revocation published in that gap was never heard.
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../server/cluster/redis';
import { startRedis, type RedisServer } from '../support/redis';

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
});
