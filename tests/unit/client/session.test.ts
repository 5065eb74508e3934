// A session on the device: sign-in wiring, D1 (sign-out wipes the user's database, but not while
// unsent work would be lost unless forced), resume after a restart, and actions that wait for
// their document's content to reach the server.
import { afterEach, describe, expect, it } from 'vitest';
import { openDexieLocalStore } from '../../../client/store/dexie-local-store';
import { requestPersistentStorage } from '../../../client/sync/storage-persistence';
import { resumeSession, signIn, type Session, type SessionOptions } from '../../../client/sync/session';
import {
  DEMO_PASSWORD,
  NodeWebSocket,
  freshIndexedDB,
  newDocId,
  startFakeSyncServer,
  waitFor,
  type FakeSyncServer,
} from '../../support/client-env';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function env() {
  const server = await startFakeSyncServer();
  cleanups.push(() => server.close());
  const idb = freshIndexedDB();
  const options: SessionOptions = {
    serverUrl: server.url,
    WebSocketImpl: NodeWebSocket,
    openStore: (userId) => openDexieLocalStore(userId, idb),
    storageManager: { persisted: () => Promise.resolve(false), persist: () => Promise.resolve(true) },
    backoff: { baseMs: 20, maxMs: 200 },
  };
  const start = async (): Promise<Session> => {
    const result = await signIn({ ...options, username: 'veldwerker', password: DEMO_PASSWORD, deviceName: 'tablet' });
    if (!result.ok) throw new Error(result.reason);
    cleanups.push(() => result.session.close());
    return result.session;
  };
  const databases = async (): Promise<Array<string | undefined>> =>
    (await idb.indexedDB.databases()).map((d) => d.name);
  return { server, idb, options, start, databases };
}

const text = (server: FakeSyncServer, id: string): string => server.text(`doc:${id}`);

describe('session', () => {
  it('signs in, opens the user own database and reports storage persistence', async () => {
    const { start, databases } = await env();
    const session = await start();
    expect(session.user).toMatchObject({ id: 'u-veldwerker', teamId: 'centrum' });
    expect(session.storage).toBe('persisted');
    expect(await databases()).toContain('keukentafel-u-veldwerker');
  });

  it('[B6] reports the app version and the storage answer at sign-in and with every refresh', async () => {
    const { options } = await env();
    const bodies: { path: string; body: Record<string, unknown> }[] = [];
    const fetchImpl = (input: string, init?: RequestInit): Promise<Response> => {
      if (typeof init?.body === 'string') bodies.push({ path: new URL(input).pathname, body: JSON.parse(init.body) as Record<string, unknown> });
      return globalThis.fetch(input, init);
    };
    const result = await signIn({ ...options, fetchImpl, appVersion: '1.2.3', username: 'veldwerker', password: DEMO_PASSWORD, deviceName: 'tablet' });
    if (!result.ok) throw new Error(result.reason);
    cleanups.push(() => result.session.close());
    expect(await result.session.auth.refresh()).toBe('ok');
    const login = bodies.find((b) => b.path === '/api/auth/login');
    const refresh = bodies.find((b) => b.path === '/api/auth/refresh');
    expect(login?.body).toMatchObject({ appVersion: '1.2.3', storagePersisted: true });
    expect(refresh?.body).toMatchObject({ appVersion: '1.2.3', storagePersisted: true });
  });

  it('wrong password gives invalid-credentials and opens no database', async () => {
    const { options, databases } = await env();
    const result = await signIn({ ...options, username: 'veldwerker', password: 'nee', deviceName: 't' });
    expect(result).toEqual({ ok: false, reason: 'invalid-credentials' });
    expect(await databases()).toEqual([]);
  });

  it('[D1] sign-out refuses while a document is unsent, then force wipes the database', async () => {
    const { start, databases } = await env();
    const session = await start();
    session.sync.setOffline(true);
    const id = newDocId();
    const doc = await session.sync.open(id);
    doc.getText('text').insert(0, 'nog niet verzonden');
    await session.sync.whenSavedLocally(id);
    expect(await session.signOut()).toEqual({ ok: false, unsavedDocIds: [id], pendingActions: 0 });
    expect(await databases()).toContain('keukentafel-u-veldwerker');
    expect(await session.signOut({ force: true })).toEqual({ ok: true, endSessionUrl: null });
    expect(await databases()).not.toContain('keukentafel-u-veldwerker');
  });

  it('[D1] sign-out with everything saved wipes the local database', async () => {
    const { server, start, databases } = await env();
    const session = await start();
    const id = newDocId();
    const doc = await session.sync.open(id);
    doc.getText('text').insert(0, 'verzonden');
    await waitFor(() => session.sync.status(id).state === 'saved');
    expect(text(server, id)).toBe('verzonden');
    expect(await session.signOut()).toEqual({ ok: true, endSessionUrl: null });
    expect(await databases()).not.toContain('keukentafel-u-veldwerker');
  });

  it('[D1] a queued action also holds sign-out back', async () => {
    const { start } = await env();
    const session = await start();
    session.sync.setOffline(true);
    const id = newDocId();
    const doc = await session.sync.open(id);
    doc.getText('text').insert(0, 'x');
    await session.actions.enqueue(id, 'submit');
    expect(await session.signOut()).toMatchObject({ ok: false, pendingActions: 1 });
  });

  it('[D1] revocation wipes the device when nothing unsent would be lost', async () => {
    const { server, start, databases } = await env();
    const session = await start();
    const infos: Array<{ wiped: boolean }> = [];
    session.onSignedOut((info) => infos.push(info));
    server.revokeAll();
    expect(await session.auth.refresh()).toBe('revoked');
    await waitFor(() => infos.length === 1);
    expect(infos[0]).toEqual({ wiped: true, unsavedDocIds: [] });
    expect(await databases()).not.toContain('keukentafel-u-veldwerker');
  });

  it('resumes after a restart with the stored tokens and unsent edits', async () => {
    const { server, options, start } = await env();
    const first = await start();
    first.sync.setOffline(true);
    const id = newDocId();
    const doc = await first.sync.open(id);
    doc.getText('text').insert(0, 'na herstart verzonden');
    await first.sync.whenSavedLocally(id);
    await first.close();

    const resumed = await resumeSession({ ...options, userId: 'u-veldwerker' });
    expect(resumed).not.toBeNull();
    cleanups.push(() => resumed!.close());
    await waitFor(() => text(server, id) === 'na herstart verzonden', 5_000, 'background upload after resume');
    await waitFor(() => resumed!.sync.status(id).state === 'saved');
    expect(await resumeSession({ ...options, userId: 'someone-else' })).toBeNull();
  });

  it('[W1] an action queued offline is sent only after its document content reached the server', async () => {
    const { server, start } = await env();
    const session = await start();
    session.sync.setOffline(true);
    const id = newDocId();
    const doc = await session.sync.open(id);
    doc.getText('text').insert(0, 'de motivering');
    await session.actions.enqueue(id, 'submit');
    let textWhenSubmitted: string | null = null;
    const seen = server.actionCalls;
    server.holdAcks = true;
    session.sync.setOffline(false);
    await waitFor(() => text(server, id) === 'de motivering');
    expect(seen).toEqual([]);
    server.releaseAcks();
    await waitFor(() => seen.length === 1, 5_000, 'action sent');
    textWhenSubmitted = text(server, id);
    expect(textWhenSubmitted).toBe('de motivering');
    await waitFor(async () => (await session.actions.list()).length === 0);
  });
});

describe('storage persistence', () => {
  it('reports persisted, best-effort or unsupported', async () => {
    expect(await requestPersistentStorage(undefined)).toBe('unsupported');
    expect(await requestPersistentStorage({})).toBe('unsupported');
    expect(await requestPersistentStorage({ persisted: () => Promise.resolve(true), persist: () => Promise.resolve(false) })).toBe(
      'persisted',
    );
    expect(await requestPersistentStorage({ persist: () => Promise.resolve(false) })).toBe('best-effort');
    expect(await requestPersistentStorage({ persist: () => Promise.reject(new Error('x')) })).toBe('best-effort');
  });
});
