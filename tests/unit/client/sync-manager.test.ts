// The sync manager's state machine against a real WebSocket server that speaks the protocol but
// lets the test hold back persisted-acks (S2) and choose close codes (S5). The same rules run
// against the real server in tests/integration/client-sync.test.ts.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocPersistence } from '../../../client/store/doc-persistence';
import type { LocalStore } from '../../../client/store/local-store';
import { MemoryLocalStore } from '../../../client/store/memory-local-store';
import { AuthClient, login } from '../../../client/sync/auth-client';
import { createSyncManager, toSyncUrl, type SyncManager, type SyncManagerOptions } from '../../../client/sync/sync-manager';
import { manualWakeSource } from '../../../client/sync/wake-source';
import {
  DEMO_PASSWORD,
  NodeWebSocket,
  newDocId,
  sleep,
  startFakeSyncServer,
  waitFor,
} from '../../support/client-env';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(opts: Partial<SyncManagerOptions> & { prepare?: (store: LocalStore) => Promise<void> } = {}) {
  const server = await startFakeSyncServer();
  cleanups.push(() => server.close());
  const store = opts.store ?? new MemoryLocalStore();
  await opts.prepare?.(store);
  const result = await login(server.url, { username: 'veldwerker', password: DEMO_PASSWORD, deviceName: 'test' });
  if (!result.ok) throw new Error(result.reason);
  const auth = await AuthClient.create(server.url, store, result.user, result.tokens);
  const wake = manualWakeSource();
  const sync = createSyncManager({
    serverUrl: server.url,
    store,
    tokens: auth,
    WebSocketImpl: NodeWebSocket,
    wake,
    backoff: { baseMs: 20, maxMs: 200 },
    ...opts,
  });
  cleanups.push(() => sync.destroy());
  await sync.ready();
  return { server, store, auth, wake, sync };
}

const saved = (sync: SyncManager, docId: string) => () => sync.status(docId).state === 'saved';

/** Writes a document into the store as if edited offline in an earlier session. */
async function storeOfflineEdit(store: LocalStore, docId: string, text: string): Promise<void> {
  const doc = new Y.Doc();
  const p = await DocPersistence.bind(store, docId, doc);
  doc.getText('text').insert(0, text);
  await p.destroy();
  doc.destroy();
}

describe('sync manager', () => {
  it('maps http(s) server URLs to the sync endpoint', () => {
    expect(toSyncUrl('http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/sync');
    expect(toSyncUrl('https://kt.example.nl/')).toBe('wss://kt.example.nl/sync');
  });

  it('[S2] saved only when the persisted-ack covers the local state', async () => {
    const { server, sync } = await setup();
    const id = newDocId();
    const doc = await sync.open(id);
    await waitFor(saved(sync, id), 5_000, 'empty doc saved');
    server.holdAcks = true;
    doc.getText('text').insert(0, 'Geachte heer');
    await waitFor(() => server.text(`doc:${id}`) === 'Geachte heer', 5_000, 'server received edit');
    await sleep(100);
    // The socket is open and the server has the update in memory, but nothing is durable yet.
    expect(sync.status(id)).toEqual({ state: 'sending' });
    server.releaseAcks();
    await waitFor(saved(sync, id), 5_000, 'saved after ack');
  });

  it('[S2] a deletion alone is not saved until an ack carries it', async () => {
    const { server, sync } = await setup();
    const id = newDocId();
    const doc = await sync.open(id);
    doc.getText('text').insert(0, 'abc');
    await waitFor(saved(sync, id));
    server.holdAcks = true;
    doc.getText('text').delete(0, 1);
    await waitFor(() => server.text(`doc:${id}`) === 'bc');
    await sleep(50);
    expect(sync.status(id).state).toBe('sending');
    server.releaseAcks();
    await waitFor(saved(sync, id));
  });

  it('[S1] whenSavedLocally resolves once the edit is in the store, online or not', async () => {
    const { store, sync } = await setup();
    sync.setOffline(true);
    const id = newDocId();
    const doc = await sync.open(id);
    doc.getText('text').insert(0, 'offline getypt');
    await sync.whenSavedLocally(id);
    const check = new Y.Doc();
    for (const u of (await store.loadUpdates(id)).updates) Y.applyUpdate(check, u);
    expect(check.getText('text').toString()).toBe('offline getypt');
    expect(sync.status(id)).toEqual({ state: 'local' });
  });

  it('a network cut keeps edits local; reconnecting sends them', async () => {
    const { server, sync } = await setup();
    const id = newDocId();
    const doc = await sync.open(id);
    await waitFor(saved(sync, id));
    sync.setOffline(true);
    expect(sync.connectivity).toBe('offline');
    doc.getText('text').insert(0, 'aan de keukentafel');
    await sleep(50);
    expect(sync.status(id)).toEqual({ state: 'local' });
    expect(server.openConnections()).toBe(0);
    sync.setOffline(false);
    await waitFor(saved(sync, id));
    expect(server.text(`doc:${id}`)).toBe('aan de keukentafel');
    expect(sync.connectivity).toBe('online');
  });

  it('connects in the background only documents with unsent changes, at most maxSockets at once', async () => {
    const dirty = Array.from({ length: 7 }, () => newDocId());
    const clean = newDocId();
    const { server, sync } = await setup({
      maxSockets: 2,
      prepare: async (store) => {
        for (const [i, id] of dirty.entries()) await storeOfflineEdit(store, id, `brief ${i}`);
        await storeOfflineEdit(store, clean, 'al verzonden');
        const state = await store.getDocState(clean);
        await store.putDocState(clean, { ackedSnapshot: state?.ackedSnapshot ?? null, hasLocalChanges: false });
      },
    });
    expect(sync.progress().total).toBe(7);
    await waitFor(() => dirty.every((id) => sync.status(id).state === 'saved'), 10_000, 'all saved');
    expect(server.maxConcurrent).toBeLessThanOrEqual(2);
    for (const [i, id] of dirty.entries()) expect(server.text(`doc:${id}`)).toBe(`brief ${i}`);
    expect(server.attemptsByRoom.has(`doc:${clean}`)).toBe(false);
    expect(sync.progress()).toEqual({ pending: 0, sent: 7, total: 7 });
    // Saved background documents let go of their sockets.
    await waitFor(() => server.openConnections() === 0, 5_000, 'sockets closed');
    expect(sync.unsavedDocIds()).toEqual([]);
  });

  it('counts progress as "sent of total" while acks are pending', async () => {
    const ids = [newDocId(), newDocId(), newDocId()];
    const { server, sync } = await setup({
      prepare: async (store) => {
        for (const id of ids) await storeOfflineEdit(store, id, id);
      },
    });
    server.holdAcks = true;
    await waitFor(() => ids.every((id) => server.text(`doc:${id}`) === id));
    expect(sync.progress()).toEqual({ pending: 3, sent: 0, total: 3 });
    server.releaseAcks();
    await waitFor(() => sync.progress().sent === 3);
    expect(sync.progress()).toEqual({ pending: 0, sent: 3, total: 3 });
  });

  it('a closed document with unsent changes keeps uploading in the background', async () => {
    const { server, sync } = await setup();
    const id = newDocId();
    const doc = await sync.open(id);
    await waitFor(saved(sync, id));
    server.holdAcks = true;
    doc.getText('text').insert(0, 'nog niet opgeslagen');
    await waitFor(() => server.text(`doc:${id}`) !== '');
    sync.close(id);
    expect(server.openConnections()).toBe(1);
    server.releaseAcks();
    await waitFor(saved(sync, id));
    await waitFor(() => server.openConnections() === 0, 5_000, 'background socket released');
  });

  it('[S5] 4401: refreshes the token once for all sockets and reconnects without losing edits', async () => {
    const { server, sync } = await setup();
    const ids = [newDocId(), newDocId(), newDocId()];
    const docs = await Promise.all(ids.map((id) => sync.open(id)));
    await waitFor(() => server.openConnections() === 3, 5_000, 'three sockets');
    // The access token expires: the server forgets it and closes every socket with 4401.
    server.validTokens.clear();
    server.closeAll(4401, 'token-invalid');
    docs.forEach((doc, i) => doc.getText('text').insert(0, `na verloop ${i}`));
    await waitFor(() => ids.every((id) => sync.status(id).state === 'saved'), 5_000, 'saved after refresh');
    ids.forEach((id, i) => expect(server.text(`doc:${id}`)).toBe(`na verloop ${i}`));
    expect(server.refreshCalls).toBe(1);
  });

  it('[S5] 4403 stops retrying that room and shows no-access; other rooms carry on', async () => {
    const { server, sync } = await setup();
    const forbidden = newDocId();
    const fine = newDocId();
    server.forbiddenRooms.add(`doc:${forbidden}`);
    await sync.open(forbidden);
    await sync.open(fine);
    await waitFor(() => sync.status(forbidden).state === 'error');
    expect(sync.status(forbidden)).toEqual({ state: 'error', reason: 'no-access' });
    await sleep(300);
    expect(server.attemptsByRoom.get(`doc:${forbidden}`)).toBe(1);
    await waitFor(saved(sync, fine));
  });

  it.each([
    [4400, 'rejected-by-server'],
    [4413, 'too-large'],
  ] as const)('close %i stops that room with error %s', async (code, reason) => {
    const { server, sync } = await setup();
    const id = newDocId();
    const doc = await sync.open(id);
    doc.getText('text').insert(0, 'x');
    await waitFor(saved(sync, id));
    server.closeAll(code);
    await waitFor(() => sync.status(id).state === 'error');
    expect(sync.status(id)).toEqual({ state: 'error', reason });
    await sleep(200);
    expect(server.attemptsByRoom.get(`doc:${id}`)).toBe(1);
  });

  it('[S5] a revoked refresh token gives error signed-out, and keeps the edits', async () => {
    const { server, store, sync } = await setup();
    const id = newDocId();
    const doc = await sync.open(id);
    await waitFor(() => server.openConnections() === 1, 5_000, 'socket open');
    server.revokeAll();
    server.closeAll(4401);
    doc.getText('text').insert(0, 'niet kwijt');
    await waitFor(() => sync.status(id).state === 'error');
    expect(sync.status(id)).toEqual({ state: 'error', reason: 'signed-out' });
    expect(sync.unsavedDocIds()).toEqual([id]);
    await sync.whenSavedLocally(id);
    expect((await store.loadUpdates(id)).count).toBeGreaterThan(0);
  });

  it('4503 and network errors back off; a wake event retries at once', async () => {
    const { server, sync, wake } = await setup({ backoff: { baseMs: 60_000, maxMs: 60_000 } });
    const id = newDocId();
    const doc = await sync.open(id);
    doc.getText('text').insert(0, 'voor herstart, ');
    await waitFor(saved(sync, id));
    server.closeAll(4503, 'server-shutting-down');
    await waitFor(() => server.openConnections() === 0);
    doc.getText('text').insert(0, 'na herstart');
    await sleep(100);
    expect(sync.status(id)).toEqual({ state: 'local' });
    wake.wake();
    await waitFor(saved(sync, id), 3_000, 'saved after wake');
    expect(server.text(`doc:${id}`)).toBe('na herstart' + 'voor herstart, ');
  });

  it('decides offline by failing to reach the server, not by navigator.onLine', async () => {
    const gone = await startFakeSyncServer();
    const url = gone.url;
    await gone.close();
    const store = new MemoryLocalStore();
    const sync = createSyncManager({
      serverUrl: url,
      store,
      tokens: { accessToken: () => 't', refresh: () => Promise.resolve('ok') },
      WebSocketImpl: NodeWebSocket,
      backoff: { baseMs: 50, maxMs: 100 },
    });
    cleanups.push(() => sync.destroy());
    const id = newDocId();
    const doc = await sync.open(id);
    doc.getText('text').insert(0, 'x');
    await waitFor(() => sync.connectivity === 'offline', 5_000, 'offline');
    expect(sync.status(id)).toEqual({ state: 'local' });
  });

  it('a storage failure shows as an error status, and clears once writing works again', async () => {
    class FailingStore extends MemoryLocalStore {
      failing = false;
      override appendUpdate(docId: string, update: Uint8Array): Promise<void> {
        if (this.failing) return Promise.reject(Object.assign(new Error('vol'), { name: 'QuotaExceededError' }));
        return super.appendUpdate(docId, update);
      }
    }
    const store = new FailingStore();
    const { server, sync } = await setup({ store });
    const id = newDocId();
    const doc = await sync.open(id);
    store.failing = true;
    doc.getText('text').insert(0, 'moet bewaard');
    await waitFor(() => sync.status(id).state === 'error', 5_000, 'storage error shown');
    expect(sync.status(id)).toEqual({ state: 'error', reason: 'storage-full' });
    await expect(sync.whenSavedLocally(id)).rejects.toMatchObject({ reason: 'storage-full' });
    // Sync goes on: the server may be the only safe copy now.
    await waitFor(() => server.text(`doc:${id}`) === 'moet bewaard');
    store.failing = false;
    sync.reconnect();
    await waitFor(saved(sync, id), 5_000, 'recovered');
    await sync.whenSavedLocally(id);
    const check = new Y.Doc();
    for (const u of (await store.loadUpdates(id)).updates) Y.applyUpdate(check, u);
    expect(check.getText('text').toString()).toBe('moet bewaard');
  });

  it('emits status changes to subscribers', async () => {
    const { sync } = await setup();
    const id = newDocId();
    const seen: string[] = [];
    sync.subscribe((event) => {
      if (event.type === 'status' && event.docId === id) seen.push(event.status.state);
    });
    const doc = await sync.open(id);
    await waitFor(saved(sync, id));
    doc.getText('text').insert(0, 'x');
    await waitFor(() => seen.length >= 3 && seen[seen.length - 1] === 'saved');
    expect(seen).toContain('sending');
  });
});
