// E9 and E4 on the device: the sync URL carries `intent=create` for a document this device made
// (kept through the LocalStore across a restart until the server's first ack) and for edits the
// server never acknowledged; never for a document merely opened; a discarded room stops for good
// with its own reason.
import { afterEach, describe, expect, it } from 'vitest';
import { AuthClient, login } from '../../../client/sync/auth-client';
import { createSyncManager } from '../../../client/sync/sync-manager';
import { MemoryLocalStore } from '../../../client/store/memory-local-store';
import type { LocalStore } from '../../../client/store/local-store';
import { DEMO_PASSWORD, NodeWebSocket, newDocId, startFakeSyncServer, waitFor, type FakeSyncServer } from '../../support/client-env';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function manager(server: FakeSyncServer, store: LocalStore) {
  const result = await login(server.url, { username: 'veldwerker', password: DEMO_PASSWORD, deviceName: 'test' });
  if (!result.ok) throw new Error(result.reason);
  const auth = await AuthClient.create(server.url, store, result.user, result.tokens);
  const sync = createSyncManager({ serverUrl: server.url, store, tokens: auth, WebSocketImpl: NodeWebSocket, backoff: { baseMs: 20, maxMs: 200 } });
  cleanups.push(() => sync.destroy());
  await sync.ready();
  return sync;
}

async function fakeServer(): Promise<FakeSyncServer> {
  const server = await startFakeSyncServer();
  cleanups.push(() => server.close());
  return server;
}

describe('create intent', () => {
  it('[E9] a document made here connects with intent=create; one only opened does not', async () => {
    const server = await fakeServer();
    const sync = await manager(server, new MemoryLocalStore());
    const made = newDocId();
    await sync.markCreatedHere(made);
    expect(sync.createdHere(made)).toBe(true);
    await sync.open(made);
    const opened = newDocId();
    await sync.open(opened);
    await waitFor(() => (server.intentsByRoom.get(`doc:${made}`)?.length ?? 0) > 0 && (server.intentsByRoom.get(`doc:${opened}`)?.length ?? 0) > 0, 5_000, 'both connected');
    expect(server.intentsByRoom.get(`doc:${made}`)?.[0]).toBe('create');
    expect(server.intentsByRoom.get(`doc:${opened}`)?.[0]).toBe('');
  });

  it('[E9] the intent survives a restart and is forgotten after the server acknowledged the document', async () => {
    const server = await fakeServer();
    const store = new MemoryLocalStore();
    const first = await manager(server, store);
    const id = newDocId();
    server.holdAcks = true;
    await first.markCreatedHere(id);
    const doc = await first.open(id);
    doc.getText('text').insert(0, 'offline begonnen');
    await first.whenSavedLocally(id);
    await first.destroy();

    const second = await manager(server, store);
    expect(second.createdHere(id)).toBe(true);
    server.holdAcks = false;
    await second.open(id);
    await waitFor(() => second.status(id).state === 'saved', 5_000, 'acknowledged');
    expect(second.createdHere(id)).toBe(false);
    await second.destroy();
    const third = await manager(server, store);
    expect(third.createdHere(id)).toBe(false);
  });

  it('[E4] a room closed as discarded stops with reason "discarded"', async () => {
    const server = await fakeServer();
    const sync = await manager(server, new MemoryLocalStore());
    const id = newDocId();
    server.discardedRooms.add(`doc:${id}`);
    await sync.open(id);
    await waitFor(() => sync.status(id).state === 'error', 5_000, 'stopped');
    expect(sync.status(id)).toEqual({ state: 'error', reason: 'discarded' });
    expect(server.attemptsByRoom.get(`doc:${id}`)).toBe(1);
  });
});
