// CL10: a revocation whose publish fails (a command past CL15's time limit on a busy machine, a
// Redis blip) is sent again with growing pauses, so sockets on other processes still close; after
// the last attempt it is logged as given up. The Redis connections here are stand-ins with only
// the calls the bus makes: what is proven is the bus's retry, not Redis.
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedisRevocationBus, REVOCATION_CHANNEL } from '../../../server/cluster/redis-revocation-bus';
import { decodeRevocation } from '../../../server/cluster/revocation-bus';

function fakes(failures: number): { publisher: Redis; subscriber: Redis; sent: string[]; attempts: () => number } {
  let attempts = 0;
  const sent: string[] = [];
  const publisher = {
    publish: (channel: string, text: string): Promise<number> => {
      attempts += 1;
      if (attempts <= failures) return Promise.reject(new Error('Command timed out'));
      expect(channel).toBe(REVOCATION_CHANNEL);
      sent.push(text);
      return Promise.resolve(1);
    },
  };
  const subscriber = { status: 'ready', on: () => subscriber, subscribe: () => Promise.resolve(1) };
  return { publisher: publisher as unknown as Redis, subscriber: subscriber as unknown as Redis, sent, attempts: () => attempts };
}

/** Resolves when `check` holds; polls on the event loop (the bus's pauses are 1 ms here). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 1));
  expect(check()).toBe(true);
}

describe('revocation publish', () => {
  it('[CL10] a publish that fails is sent again until it goes through, and logged each time', async () => {
    const redis = fakes(3);
    const errors: string[] = [];
    const bus = await createRedisRevocationBus({ ...redis, onError: (_e, context) => errors.push(context), republishDelaysMs: [1, 1, 1, 1, 1] });
    bus.publish({ kind: 'user', userId: 'u1', reason: 'team-changed' });
    await until(() => redis.sent.length === 1);
    expect(redis.attempts()).toBe(4);
    expect(decodeRevocation(redis.sent[0]!)?.revocation).toEqual({ kind: 'user', userId: 'u1', reason: 'team-changed' });
    expect(errors).toEqual(['revocation publish (user), again in 1 ms', 'revocation publish (user), again in 1 ms', 'revocation publish (user), again in 1 ms']);
    await bus.close();
  });

  it('[CL10] after the last pause it gives up and says so; a closed bus sends nothing more', async () => {
    const redis = fakes(100);
    const errors: string[] = [];
    const bus = await createRedisRevocationBus({ ...redis, onError: (_e, context) => errors.push(context), republishDelaysMs: [1, 1] });
    bus.publish({ kind: 'device', deviceId: 'd1' });
    await until(() => errors.length === 3);
    expect(errors.at(-1)).toBe('revocation publish (device), given up');
    expect(redis.attempts()).toBe(3);

    // A bus closed while a publish is failing sends nothing more: its twin, with the same pauses
    // and not closed, shows the pause has passed.
    const closedOne = fakes(100);
    const twin = fakes(100);
    let closeNow = (): void => undefined;
    const closing = await createRedisRevocationBus({ ...closedOne, onError: () => closeNow(), republishDelaysMs: [1, 1] });
    closeNow = () => void closing.close();
    const open = await createRedisRevocationBus({ ...twin, onError: () => undefined, republishDelaysMs: [1, 1] });
    closing.publish({ kind: 'device', deviceId: 'd2' });
    open.publish({ kind: 'device', deviceId: 'd2' });
    await until(() => twin.attempts() === 3);
    expect(closedOne.attempts()).toBe(1);
    await open.close();
    await bus.close();
  });
});
