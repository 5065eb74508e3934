// W1 on the device: actions queue with an idempotency key, replay in order, one replay at a
// time; the server's refusals reach the UI, network trouble keeps the queue intact.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLocalStore } from '../../../client/store/memory-local-store';
import { createActionQueue, type ActionEvent, type ActionQueueOptions } from '../../../client/sync/action-queue';
import { AuthClient, login, type FetchLike } from '../../../client/sync/auth-client';
import { manualWakeSource } from '../../../client/sync/wake-source';
import { DEMO_PASSWORD, newDocId, startFakeSyncServer, waitFor } from '../../support/client-env';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(opts: Partial<ActionQueueOptions> = {}) {
  const server = await startFakeSyncServer();
  cleanups.push(() => server.close());
  const store = new MemoryLocalStore();
  const result = await login(server.url, { username: 'veldwerker', password: DEMO_PASSWORD, deviceName: 't' });
  if (!result.ok) throw new Error(result.reason);
  const auth = await AuthClient.create(server.url, store, result.user, result.tokens);
  const net = { down: false, loseResponses: false, inFlight: 0, maxInFlight: 0 };
  const fetchImpl: FetchLike = async (url, init) => {
    if (net.down) throw new TypeError('fetch failed');
    net.inFlight++;
    net.maxInFlight = Math.max(net.maxInFlight, net.inFlight);
    try {
      const res = await fetch(url, init);
      if (net.loseResponses) throw new TypeError('connection reset');
      return res;
    } finally {
      net.inFlight--;
    }
  };
  const wake = manualWakeSource();
  const events: ActionEvent[] = [];
  const queue = createActionQueue({
    serverUrl: server.url,
    store,
    tokens: auth,
    fetchImpl,
    wake,
    backoff: { baseMs: 60_000, maxMs: 60_000 },
    ...opts,
  });
  queue.subscribe((e) => events.push(e));
  cleanups.push(() => queue.destroy());
  return { server, store, auth, queue, net, wake, events };
}

const bodies = (calls: Array<{ body: unknown }>) =>
  calls.map((c) => {
    const b = c.body as { type: string; idempotencyKey: string; n?: number };
    return { type: b.type, n: b.n };
  });

describe('action queue', () => {
  it('[W1] replays queued actions in order with idempotency key and bearer token', async () => {
    const { server, queue, net, events } = await setup();
    net.down = true;
    const doc = newDocId();
    const a1 = await queue.enqueue(doc, 'submit', { n: 1 });
    await queue.enqueue(doc, 'approve', { n: 2 });
    await queue.enqueue(newDocId(), 'submit', { n: 3 });
    expect(server.actionCalls).toEqual([]);
    await queue.replay();
    const queued = await queue.list();
    expect(queued.map((a) => a.lastError)).toEqual(['network', null, null]);
    expect(queued[0]!.attempts).toBeGreaterThanOrEqual(1);
    net.down = false;
    await queue.replay();
    expect(bodies(server.actionCalls)).toEqual([
      { type: 'submit', n: 1 },
      { type: 'approve', n: 2 },
      { type: 'submit', n: 3 },
    ]);
    expect(server.actionCalls[0]?.docId).toBe(doc);
    expect((server.actionCalls[0]?.body as { idempotencyKey: string }).idempotencyKey).toBe(a1.idempotencyKey);
    expect(server.actionCalls[0]?.authorization).toMatch(/^Bearer access-/);
    expect(await queue.list()).toEqual([]);
    expect(events.filter((e) => e.kind === 'done')).toHaveLength(3);
  });

  it('[W1] a lost response is retried with the same key, so the server does the work once', async () => {
    const { server, queue, net, events } = await setup();
    net.loseResponses = true;
    await queue.enqueue(newDocId(), 'submit');
    await waitFor(() => server.actionCalls.length === 1);
    await queue.replay();
    expect(await queue.list()).toHaveLength(1);
    net.loseResponses = false;
    await queue.replay();
    const keys = server.actionCalls.map((c) => (c.body as { idempotencyKey: string }).idempotencyKey);
    expect(new Set(keys).size).toBe(1);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(events.filter((e) => e.kind === 'done')).toHaveLength(1);
  });

  it('[W3] a 422 removes the action and hands its problems to the UI; the rest goes on', async () => {
    const { queue, events } = await setup();
    const doc = newDocId();
    await queue.enqueue(doc, 'submit', { reject: true });
    await queue.enqueue(doc, 'approve');
    await queue.replay();
    const rejected = events.find((e) => e.kind === 'rejected');
    expect(rejected).toMatchObject({
      kind: 'rejected',
      status: 422,
      problems: [{ section: 'motivering', rule: 'required', message: 'Motivering ontbreekt' }],
    });
    expect(events.filter((e) => e.kind === 'done')).toHaveLength(1);
    expect(await queue.list()).toEqual([]);
  });

  it('[W3] a refusal is kept on the device, across a restart, until an action on that document is accepted', async () => {
    const { server, store, auth, queue } = await setup();
    const doc = newDocId();
    await queue.enqueue(doc, 'submit', { reject: true });
    await queue.replay();
    expect(await queue.lastRejection(doc)).toMatchObject({
      type: 'submit',
      status: 422,
      problems: [{ section: 'motivering', rule: 'required', message: 'Motivering ontbreekt' }],
    });
    // The app closes and starts again: a new queue on the same device store still knows.
    queue.destroy();
    const again = createActionQueue({ serverUrl: server.url, store, tokens: auth, backoff: { baseMs: 60_000, maxMs: 60_000 } });
    cleanups.push(() => again.destroy());
    expect((await again.lastRejection(doc))?.problems).toHaveLength(1);
    expect(await again.lastRejection(newDocId())).toBeNull();
    await again.enqueue(doc, 'submit');
    await again.replay();
    expect(server.actionCalls.at(-1)?.body).toMatchObject({ type: 'submit' });
    expect(await again.lastRejection(doc)).toBeNull();
  });

  it('a network failure stops the replay and keeps the order; a wake event retries', async () => {
    const { server, queue, net, wake } = await setup();
    net.down = true;
    await queue.enqueue(newDocId(), 'submit', { n: 1 });
    await queue.enqueue(newDocId(), 'submit', { n: 2 });
    await queue.replay();
    expect((await queue.list()).map((a) => [a.payload.n, a.lastError])).toEqual([
      [1, 'network'],
      [2, null],
    ]);
    net.down = false;
    wake.wake();
    await waitFor(() => server.actionCalls.length === 2);
    expect(bodies(server.actionCalls).map((b) => b.n)).toEqual([1, 2]);
  });

  it('[W1] a wake-up during a failing attempt is not lost: the action goes within seconds, not after the backoff', async () => {
    // The network fails slowly (a connect that times out), so the wake-up lands mid-attempt.
    const link = { down: true };
    const slow: FetchLike = async (url, init) => {
      if (link.down) {
        await new Promise((r) => setTimeout(r, 150));
        throw new TypeError('fetch failed');
      }
      return fetch(url, init);
    };
    const { server, queue, wake } = await setup({ fetchImpl: slow });
    await queue.enqueue(newDocId(), 'submit', { n: 1 });
    // The replay started by enqueue is failing now; the network comes back and the app says so.
    link.down = false;
    wake.wake();
    await waitFor(() => server.actionCalls.length === 1, 5_000, 'sent after the wake-up');
  });

  it('a 5xx keeps the action for later', async () => {
    const { queue } = await setup({
      fetchImpl: () => Promise.resolve(new Response('{"error":"db"}', { status: 503 })),
    });
    await queue.enqueue(newDocId(), 'submit');
    await queue.replay();
    expect((await queue.list())[0]).toMatchObject({ attempts: 1, lastError: 'server-error' });
  });

  it('a 401 refreshes the token and retries once', async () => {
    const { server, queue, auth } = await setup();
    const before = auth.accessToken();
    server.validTokens.clear();
    await queue.enqueue(newDocId(), 'submit');
    await waitFor(() => server.actionCalls.length === 2);
    await queue.replay();
    expect(await queue.list()).toEqual([]);
    expect(auth.accessToken()).not.toBe(before);
    expect(server.refreshCalls).toBe(1);
  });

  it('never runs two replays at once', async () => {
    const { queue, net, server } = await setup();
    net.down = true;
    for (let i = 0; i < 5; i++) await queue.enqueue(newDocId(), 'submit', { n: i });
    net.down = false;
    await Promise.all([queue.replay(), queue.replay(), queue.replay()]);
    expect(net.maxInFlight).toBe(1);
    expect(bodies(server.actionCalls).map((b) => b.n)).toEqual([0, 1, 2, 3, 4]);
  });

  it('waits until the document content has reached the server', async () => {
    const saved = new Set<string>();
    const { server, queue, events } = await setup({ isDocSaved: (docId) => saved.has(docId) });
    const doc = newDocId();
    await queue.enqueue(doc, 'submit');
    await queue.replay();
    expect(server.actionCalls).toEqual([]);
    expect(events.at(-1)).toMatchObject({ kind: 'waiting', reason: 'doc-unsaved' });
    saved.add(doc);
    await queue.replay();
    expect(server.actionCalls).toHaveLength(1);
  });

  it('[W1] a document that is not saved holds back only its own later actions, not another document\'s', async () => {
    const saved = new Set<string>();
    const { server, queue, events } = await setup({ isDocSaved: (docId) => saved.has(docId) });
    const stuck = newDocId();
    const other = newDocId();
    saved.add(other);
    await queue.enqueue(stuck, 'submit', { n: 1 });
    await queue.enqueue(other, 'submit', { n: 2 });
    await queue.enqueue(stuck, 'approve', { n: 3 });
    await queue.replay();
    expect(bodies(server.actionCalls)).toEqual([{ type: 'submit', n: 2 }]);
    // Every replay (one per enqueue, one by hand) says which document waits: only the stuck one.
    expect(new Set(events.filter((e) => e.kind === 'waiting').map((e) => e.action?.docId))).toEqual(new Set([stuck]));
    saved.add(stuck);
    await queue.replay();
    // The stuck document's own order holds: its submit before its approve.
    expect(bodies(server.actionCalls)).toEqual([
      { type: 'submit', n: 2 },
      { type: 'submit', n: 1 },
      { type: 'approve', n: 3 },
    ]);
  });
});
