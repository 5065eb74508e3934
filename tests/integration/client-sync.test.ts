// The client sync core against the real server in-process: real y-websocket clients (over `ws`),
// the real Dexie store (on fake-indexeddb), the real auth and action routes. Each test names the
// rule it proves (docs/ARCHITECTURE.md: S1, S2, S5, D1, W1).
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app';
import { createMemoryDms } from '../../server/dms/memory';
import { createMemoryStore } from '../../server/store/memory/store';
import type { Store } from '../../server/store/types';
import { DocPersistence } from '../../client/store/doc-persistence';
import { openDexieLocalStore } from '../../client/store/dexie-local-store';
import type { ActionEvent } from '../../client/sync/action-queue';
import type { FetchLike } from '../../client/sync/auth-client';
import { resumeSession, signIn, type Session, type SessionOptions } from '../../client/sync/session';
import { bodyOf, bodyText } from '../support/body-text';
import { gateStore } from '../support/gated-store';
import { fillLetter } from '../support/letter';
import { DEMO_PASSWORD, NodeWebSocket, freshIndexedDB, newDocId, sleep, waitFor } from '../support/client-env';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function server(opts: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const running = await startServer({
    port: 0,
    dataDir: null,
    demoPassword: DEMO_PASSWORD,
    logLevel: 'silent',
    staticDir: null,
    ...opts,
  });
  cleanups.push(() => running.close());
  return running;
}

/** A device: its own IndexedDB and session options; `fetchImpl` may be swapped to cut the net. */
function device(srv: RunningServer, extra: Partial<SessionOptions> = {}) {
  const idb = freshIndexedDB();
  const options: SessionOptions = {
    serverUrl: srv.url,
    WebSocketImpl: NodeWebSocket,
    openStore: (userId) => openDexieLocalStore(userId, idb),
    storageManager: {},
    backoff: { baseMs: 50, maxMs: 500 },
    ...extra,
  };
  const signInAs = async (username: 'veldwerker' | 'kantoor'): Promise<Session> => {
    const result = await signIn({ ...options, username, password: DEMO_PASSWORD, deviceName: `test-${username}` });
    if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
    cleanups.push(() => result.session.close());
    return result.session;
  };
  const databases = async (): Promise<Array<string | undefined>> => (await idb.indexedDB.databases()).map((d) => d.name);
  return { idb, options, signInAs, databases };
}

/** What the server's database (not its memory) holds for a document; the log is keyed by room. */
async function durableText(store: Store, docId: string): Promise<string> {
  const doc = new Y.Doc();
  for (const update of (await store.loadUpdates(`doc:${docId}`)).updates) Y.applyUpdate(doc, update);
  return bodyOf(doc);
}

const isSaved = (session: Session, id: string) => () => session.sync.status(id).state === 'saved';

describe('client sync against the real server', () => {
  it('[S1] an edit is in IndexedDB before "saved on this device"; a killed tab loses nothing', async () => {
    const srv = await server();
    const dev = device(srv);
    const session = await dev.signInAs('veldwerker');
    session.sync.setOffline(true);
    const id = newDocId();
    await session.sync.markCreatedHere(id); // E9: made on this device
    const doc = await session.sync.open(id);
    bodyText(doc).insert(0, 'Afspraak: dinsdag langskomen');
    await session.sync.whenSavedLocally(id);
    // The tab dies here: nothing is closed or flushed. A new tab reads the same IndexedDB.
    const otherTab = await openDexieLocalStore(session.user.id, dev.idb);
    const reloaded = new Y.Doc();
    await (await DocPersistence.bind(otherTab, id, reloaded)).destroy();
    expect(bodyOf(reloaded)).toBe('Afspraak: dinsdag langskomen');
    // ...and that new tab uploads it in the background.
    await session.close();
    const resumed = await resumeSession({ ...dev.options, userId: session.user.id });
    cleanups.push(() => resumed!.close());
    await waitFor(isSaved(resumed!, id), 10_000, 'uploaded after restart');
    expect(await durableText(srv.store, id)).toBe('Afspraak: dinsdag langskomen');
  });

  it('[S2] saved only when the persisted-ack covers the local state', async () => {
    const store = gateStore(createMemoryStore());
    const srv = await server({ store });
    const session = await device(srv).signInAs('veldwerker');
    const id = newDocId();
    await session.sync.markCreatedHere(id); // E9: made on this device
    const doc = await session.sync.open(id);
    bodyText(doc).insert(0, 'eerste zin');
    await waitFor(isSaved(session, id), 10_000, 'first save');

    store.commitGate.closed = true;
    bodyText(doc).insert(10, ', tweede zin');
    // The socket is open and the update reached the server's memory, but not its database: the
    // commit waits at the gate. The status is computed from acks only (S2), never from the socket.
    await waitFor(() => bodyOf(srv.rooms.peek(`doc:${id}`)?.doc) === 'eerste zin, tweede zin');
    await store.commitGate.whenHeld();
    expect(session.sync.status(id)).toEqual({ state: 'sending' });
    expect(await durableText(srv.store, id)).toBe('eerste zin');

    store.commitGate.open();
    await waitFor(isSaved(session, id), 10_000, 'saved after commit');
    expect(await durableText(srv.store, id)).toBe('eerste zin, tweede zin');
  });

  it('[S2] background upload: only unsent documents connect, at most maxSockets, all end saved', async () => {
    const srv = await server();
    const dev = device(srv, { maxSockets: 2 });
    const first = await dev.signInAs('veldwerker');
    first.sync.setOffline(true);
    const ids = Array.from({ length: 6 }, () => newDocId());
    for (const [i, id] of ids.entries()) {
      await first.sync.markCreatedHere(id); // E9: made on this device
      const doc = await first.sync.open(id);
      bodyText(doc).insert(0, `brief ${i}`);
      await first.sync.whenSavedLocally(id);
      first.sync.close(id);
    }
    expect(first.sync.progress()).toEqual({ pending: 6, sent: 0, total: 6 });
    await first.close();

    let maxOpen = 0;
    const resumed = await resumeSession({ ...dev.options, userId: first.user.id });
    cleanups.push(() => resumed!.close());
    await waitFor(
      () => {
        maxOpen = Math.max(maxOpen, srv.sync.openSockets);
        return ids.every((id) => resumed!.sync.status(id).state === 'saved');
      },
      15_000,
      'all uploaded',
    );
    expect(maxOpen).toBeLessThanOrEqual(2);
    expect(resumed!.sync.progress()).toEqual({ pending: 0, sent: 6, total: 6 });
    for (const [i, id] of ids.entries()) expect(await durableText(srv.store, id)).toBe(`brief ${i}`);
    await waitFor(() => srv.sync.openSockets === 0, 5_000, 'sockets released');
  });

  it('[S5] an expired token gives 4401; the client refreshes and reconnects without losing queued edits', async () => {
    const srv = await server({ accessTtlSeconds: 2 });
    const session = await device(srv).signInAs('veldwerker');
    const firstToken = session.auth.accessToken();
    const id = newDocId();
    await session.sync.markCreatedHere(id); // E9: made on this device
    const doc = await session.sync.open(id);
    const text = bodyText(doc);
    // Type through at least one expiry: every edit must arrive.
    for (let i = 0; i < 30; i++) {
      text.insert(text.length, `${i} `);
      await sleep(100);
    }
    await waitFor(isSaved(session, id), 10_000, 'saved after refresh');
    expect(session.auth.accessToken()).not.toBe(firstToken);
    expect(await durableText(srv.store, id)).toBe(text.toString());
    expect(text.toString().split(' ').filter(Boolean)).toHaveLength(30);
  });

  it('[S5] 4403 stops retries for that room and shows no-access', async () => {
    const srv = await server();
    const id = newDocId();
    const at = Date.now();
    await srv.store.createDocument({
      id,
      teamId: 'another-team',
      createdBy: 'someone',
      createdAt: at,
      updatedAt: at,
      title: 'Niet van jou',
      templateId: null,
      kind: null,
      zaak: null,
      status: 'concept',
    });
    const session = await device(srv).signInAs('veldwerker');
    await session.sync.markCreatedHere(id); // E9: made on this device
    const doc = await session.sync.open(id);
    bodyText(doc).insert(0, 'mag niet');
    await waitFor(() => session.sync.status(id).state === 'error', 5_000, 'no-access');
    expect(session.sync.status(id)).toEqual({ state: 'error', reason: 'no-access' });
    await sleep(1_000);
    expect(session.sync.status(id)).toEqual({ state: 'error', reason: 'no-access' });
    expect(srv.sync.openSockets).toBe(0);
    expect(await durableText(srv.store, id)).toBe('');
    // The edit stays on the device: it is the user's to copy, not ours to drop.
    expect(session.sync.unsavedDocIds()).toEqual([id]);
  });

  it('[D1] sign-out refuses while work is unsent, wipes the local database once saved and revokes the device', async () => {
    const srv = await server();
    // Records the refresh token the client hands in on sign-out, to try it again afterwards.
    const handedIn: string[] = [];
    const fetchImpl: FetchLike = async (url, init) => {
      if (url.endsWith('/api/auth/logout') && typeof init?.body === 'string') {
        handedIn.push((JSON.parse(init.body) as { refreshToken: string }).refreshToken);
      }
      return fetch(url, init);
    };
    const dev = device(srv, { fetchImpl });
    const session = await dev.signInAs('veldwerker');
    const id = newDocId();
    session.sync.setOffline(true);
    await session.sync.markCreatedHere(id); // E9: made on this device
    const doc = await session.sync.open(id);
    bodyText(doc).insert(0, 'nog op het apparaat');
    await session.sync.whenSavedLocally(id);
    expect(await session.signOut()).toEqual({ ok: false, unsavedDocIds: [id], pendingActions: 0 });
    session.sync.setOffline(false);
    await waitFor(isSaved(session, id), 10_000, 'saved');
    expect(await dev.databases()).toContain(`keukentafel-${session.user.id}`);
    expect(await session.signOut()).toEqual({ ok: true, endSessionUrl: null });
    expect(handedIn).toHaveLength(1);
    const refreshToken = handedIn[0];
    expect(await dev.databases()).not.toContain(`keukentafel-${session.user.id}`);
    expect(await durableText(srv.store, id)).toBe('nog op het apparaat');
    // The server revoked the device: a copy of its refresh token is worthless.
    const refresh = await fetch(`${srv.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    expect(refresh.status).toBe(401);
  });

  it('[W1] actions queued offline replay in order, after the content, once per idempotency key', async () => {
    // The DMS holds deliveries so the document stays `ingediend` for the `return` (O1 is tested elsewhere).
    const dms = createMemoryDms();
    dms.hold();
    const srv = await server({ dms });
    cleanups.push(() => Promise.resolve(dms.release()));
    const net = { down: true, loseNextResponse: false };
    const fetchImpl: FetchLike = async (url, init) => {
      if (net.down && url.includes('/actions')) throw new TypeError('fetch failed');
      const res = await fetch(url, init);
      if (net.loseNextResponse && url.includes('/actions')) {
        net.loseNextResponse = false;
        throw new TypeError('connection reset');
      }
      return res;
    };
    const session = await device(srv, { fetchImpl }).signInAs('kantoor');
    const events: ActionEvent[] = [];
    session.actions.subscribe((e) => events.push(e));
    const id = newDocId();
    await session.sync.markCreatedHere(id); // E9: made on this device
    const doc = await session.sync.open(id);
    // A submit validates the content against its template (W3): write a complete letter.
    fillLetter(doc, { id, teamId: 'centrum', createdBy: 'kantoor' });
    await waitFor(isSaved(session, id), 10_000, 'document exists on the server');
    // Out of order, `return` on a concept would be refused (409).
    await session.actions.enqueue(id, 'submit');
    await session.actions.enqueue(id, 'return', { remark: 'Graag aanvullen.' });
    await session.actions.enqueue(id, 'submit');
    expect(await session.actions.list()).toHaveLength(3);

    net.down = false;
    net.loseNextResponse = true; // the first submit is done on the server, its answer lost
    await session.actions.replay();
    await session.actions.replay();
    await waitFor(async () => (await session.actions.list()).length === 0, 10_000, 'queue empty');
    const done = events.filter((e) => e.kind === 'done');
    expect(done.map((e) => [e.action.type, e.status, (e.body as { status: string }).status])).toEqual([
      ['submit', 202, 'ingediend'],
      ['return', 202, 'concept'],
      ['submit', 202, 'ingediend'],
    ]);
    expect(events.filter((e) => e.kind === 'rejected')).toEqual([]);
    expect((await srv.store.getDocument(id))?.status).toBe('ingediend');
  });
});
