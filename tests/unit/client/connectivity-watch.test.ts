// Y1–Y3: connectivity is what the server answers, within 5 s of a change, on every screen. The
// beat is tested with fake timers (exact bounds); the sync manager with a real fake server whose
// health endpoint can hang while its sockets stay open (the silent cut).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryLocalStore } from '../../../client/store/memory-local-store';
import { AuthClient, login, type FetchLike } from '../../../client/sync/auth-client';
import { ConnectivityTracker, ConnectivityWatch, defaultWatchTiming } from '../../../client/sync/connectivity';
import { createSyncManager } from '../../../client/sync/sync-manager';
import { DEMO_PASSWORD, NodeWebSocket, newDocId, startFakeSyncServer, waitFor } from '../../support/client-env';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A probe the test answers by hand: `mode` decides how new probes end. */
function controllableProbe() {
  const state = { mode: 'answer' as 'answer' | 'hang', calls: 0 };
  const probe = (timeoutMs: number): Promise<'online' | 'offline'> => {
    state.calls++;
    if (state.mode === 'answer') return Promise.resolve('online');
    return new Promise((resolve) => setTimeout(() => resolve('offline'), timeoutMs));
  };
  return { state, probe };
}

describe('connectivity watch', () => {
  it('[Y1] the default beat notices a change within 5 seconds', () => {
    expect(defaultWatchTiming.intervalMs + defaultWatchTiming.timeoutMs).toBeLessThan(5_000);
  });

  it('[Y1] a silent cut (requests hang) turns offline within interval + timeout, and back online within one interval', async () => {
    vi.useFakeTimers();
    const { state, probe } = controllableProbe();
    const answers: Array<{ at: number; answer: string }> = [];
    const watch = new ConnectivityWatch({
      timing: defaultWatchTiming,
      probe,
      onAnswer: (answer) => answers.push({ at: Date.now(), answer }),
      active: () => true,
    });
    cleanups.push(() => watch.stop());
    watch.start();
    await vi.advanceTimersByTimeAsync(100);
    expect(answers.at(-1)?.answer).toBe('online');

    // Worst case: the cut comes just after a probe answered.
    const cutAt = Date.now();
    state.mode = 'hang';
    await vi.advanceTimersByTimeAsync(defaultWatchTiming.intervalMs + defaultWatchTiming.timeoutMs + 10);
    const offline = answers.find((a) => a.answer === 'offline');
    expect(offline).toBeDefined();
    expect(offline!.at - cutAt).toBeLessThanOrEqual(defaultWatchTiming.intervalMs + defaultWatchTiming.timeoutMs);

    const backAt = Date.now();
    state.mode = 'answer';
    await vi.advanceTimersByTimeAsync(defaultWatchTiming.intervalMs + 10);
    const online = answers.filter((a) => a.at >= backAt).find((a) => a.answer === 'online');
    expect(online).toBeDefined();
    expect(online!.at - backAt).toBeLessThanOrEqual(defaultWatchTiming.intervalMs);
    // A probe still hanging from the cut ends later as "offline": it is older than the answer
    // already applied and must not undo it.
    await vi.advanceTimersByTimeAsync(defaultWatchTiming.timeoutMs + 10);
    expect(answers.at(-1)?.answer).toBe('online');
  });

  it('[Y1] an inactive watch (hidden tab, simulated cut) asks nothing; start() asks at once', async () => {
    vi.useFakeTimers();
    const { state, probe } = controllableProbe();
    let active = false;
    const watch = new ConnectivityWatch({ timing: defaultWatchTiming, probe, onAnswer: () => undefined, active: () => active });
    cleanups.push(() => watch.stop());
    watch.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(state.calls).toBe(0);
    active = true;
    watch.start();
    expect(state.calls).toBe(1);
    watch.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(state.calls).toBe(1);
  });

  it('[Y3] an answer that is not our server (a captive portal\'s page) is not contact', async () => {
    const html: FetchLike = () => Promise.resolve(new Response('<html>Log in op het gastnetwerk</html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    const ours: FetchLike = () => Promise.resolve(new Response(JSON.stringify({ status: 'ok' }), { status: 200 }));
    const stopping: FetchLike = () => Promise.resolve(new Response(JSON.stringify({ status: 'unavailable', reason: 'stopping' }), { status: 503 }));
    const proxyError: FetchLike = () => Promise.resolve(new Response('Bad gateway', { status: 502 }));
    const tracker = (fetchImpl: FetchLike) => new ConnectivityTracker({ serverUrl: 'http://127.0.0.1:1', fetchImpl, now: Date.now, onChange: () => undefined });
    expect(await tracker(html).probe()).toBe('offline');
    expect(await tracker(proxyError).probe()).toBe('offline');
    expect(await tracker(ours).probe()).toBe('online');
    expect(await tracker(stopping).probe()).toBe('online');
  });
});

describe('connectivity in the sync manager', () => {
  async function setup(timing = { intervalMs: 200, timeoutMs: 250 }) {
    const server = await startFakeSyncServer();
    cleanups.push(() => server.close());
    const result = await login(server.url, { username: 'veldwerker', password: DEMO_PASSWORD, deviceName: 'test' });
    if (!result.ok) throw new Error(result.reason);
    const store = new MemoryLocalStore();
    const auth = await AuthClient.create(server.url, store, result.user, result.tokens);
    // The silent cut: health requests hang (no answer, no error) while open sockets stay open.
    const net = { hang: false };
    const fetchImpl: FetchLike = (input, init) =>
      net.hang && input.includes('/api/health')
        ? new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))))
        : globalThis.fetch(input, init);
    const sync = createSyncManager({
      serverUrl: server.url,
      store,
      tokens: auth,
      WebSocketImpl: NodeWebSocket,
      fetchImpl,
      backoff: { baseMs: 50, maxMs: 200 },
      connectivityWatch: timing,
    });
    cleanups.push(() => sync.destroy());
    await sync.ready();
    return { server, sync, net };
  }

  it('[Y1] requests that hang turn an open editor offline within the beat, and back online when answered', async () => {
    const { server, sync, net } = await setup();
    const id = newDocId();
    await sync.open(id);
    await waitFor(() => sync.connectivity === 'online' && server.openConnections() > 0, 3_000, 'online');
    const cutAt = Date.now();
    net.hang = true;
    await waitFor(() => sync.connectivity === 'offline', 2_000, 'offline after a silent cut');
    // 200 + 250 ms beat, plus scheduling slack on a shared machine.
    expect(Date.now() - cutAt).toBeLessThan(1_500);
    expect(server.openConnections()).toBeGreaterThan(0); // the socket never noticed
    const backAt = Date.now();
    net.hang = false;
    await waitFor(() => sync.connectivity === 'online', 2_000, 'online again');
    expect(Date.now() - backAt).toBeLessThan(1_500);
  });

  it('[Y2] with only a list open, a server that goes away turns the state offline (the list socket asks)', async () => {
    const { server, sync } = await setup();
    // No beat: only the index socket's close can tell.
    const quiet = createSyncManager({
      serverUrl: server.url,
      store: new MemoryLocalStore(),
      tokens: { accessToken: () => [...server.validTokens][0] ?? null, refresh: () => Promise.resolve('ok') },
      WebSocketImpl: NodeWebSocket,
      backoff: { baseMs: 50, maxMs: 200 },
      connectivityWatch: null,
    });
    cleanups.push(() => quiet.destroy());
    await quiet.ready();
    const feed = await quiet.openIndex('index:user:u-veldwerker');
    await waitFor(() => feed.live && quiet.connectivity === 'online', 3_000, 'list live');
    await sync.destroy();
    await server.close();
    await waitFor(() => quiet.connectivity === 'offline', 6_000, 'offline after the list socket closed');
  });
});
