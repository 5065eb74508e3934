// The device vault (K3, K5, K8, K9) against the real server: sign-in through the vault with the
// server's real device keys, an encrypted session on fake-indexeddb with real sockets, the real
// device-status and device-recovery routes, and an administrator's revocation wiping the device.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer, type RunningServer } from '../../server/app';
import type { Store } from '../../server/store/types';
import { login as clientLogin } from '../../client/sync/auth-client';
import type { SessionOptions } from '../../client/sync/session';
import type { DeviceLock } from '../../client/vault/types';
import { openDexieVaultStorage } from '../../client/vault/vault-storage';
import { browserVaultDeps, openVault, vaultSignIn } from '../../client/vault/wiring';
import type { VaultDeps } from '../../client/vault/device-lock';
import { bodyOf, bodyText } from '../support/body-text';
import { DEMO_PASSWORD, NodeWebSocket, freshIndexedDB, newDocId, waitFor } from '../support/client-env';

const PIN = '482915';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function server(): Promise<RunningServer> {
  const running = await startServer({ port: 0, host: '127.0.0.1', dataDir: null, demoPassword: DEMO_PASSWORD, logLevel: 'silent', staticDir: null });
  cleanups.push(() => running.close());
  return running;
}

/** One phone: its own IndexedDB, the vault wired to the real server as the app wires it. */
function phone(srv: RunningServer) {
  const idb = freshIndexedDB();
  const session: SessionOptions = {
    serverUrl: srv.url,
    WebSocketImpl: NodeWebSocket,
    storageManager: {},
    backoff: { baseMs: 50, maxMs: 300 },
  };
  const deps: VaultDeps = browserVaultDeps(session, { openStorage: (userId) => openDexieVaultStorage(userId, idb), iterations: 1_000 });
  const track = <T extends DeviceLock>(lock: T): T => {
    cleanups.push(async () => {
      await lock.session()?.close();
    });
    return lock;
  };
  const signIn = async () => {
    const result = await vaultSignIn({ ...session, username: 'veldwerker', password: DEMO_PASSWORD, deviceName: 'telefoon' }, deps);
    if (!result.ok) throw new Error(result.reason);
    return track(result.lock);
  };
  const coldStart = async (userId: string) => {
    const lock = await openVault(userId, session, deps);
    if (lock === null) throw new Error('no vault');
    return track(lock);
  };
  const databases = async (): Promise<string[]> => (await idb.indexedDB.databases()).map((d) => d.name ?? '');
  return { signIn, coldStart, databases, deps };
}

async function durableText(store: Store, docId: string): Promise<string> {
  const doc = new Y.Doc();
  for (const update of (await store.loadUpdates(`doc:${docId}`)).updates) Y.applyUpdate(doc, update);
  return bodyOf(doc);
}

async function offlineEdit(lock: DeviceLock, text: string): Promise<string> {
  const session = lock.session()!;
  session.sync.setOffline(true);
  const id = newDocId();
  await session.sync.markCreatedHere(id); // E9: made on this device
  bodyText(await session.sync.open(id)).insert(0, text);
  await session.sync.whenSavedLocally(id);
  return id;
}

async function adminToken(srv: RunningServer): Promise<string> {
  const result = await clientLogin(srv.url, { username: 'beheerder', password: DEMO_PASSWORD, deviceName: 'beheer' });
  if (!result.ok) throw new Error(result.reason);
  return result.tokens.accessToken;
}

async function revoke(srv: RunningServer, deviceId: string, wipe: 'wipe-now' | 'send-then-wipe'): Promise<void> {
  const res = await fetch(`${srv.url}/api/admin/devices/${deviceId}/revoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await adminToken(srv)}`, 'content-type': 'application/json' },
    body: JSON.stringify({ wipe }),
  });
  expect(res.status).toBe(200);
}

const deviceIdOf = async (srv: RunningServer, userId: string): Promise<string[]> =>
  (await srv.store.listDevices(userId)).filter((d) => d.revokedAt === null).map((d) => d.id);

describe('device vault against the real server', () => {
  it('[K5] sign-in, PIN, an offline edit, a cold start unlocked with the PIN; the edit reaches the server; the status counts as contact', async () => {
    const srv = await server();
    const device = phone(srv);
    const lock = await device.signIn();
    expect(lock.state().kind).toBe('needs-pin');
    expect(await lock.choosePin(PIN)).toEqual({ ok: true });
    const id = await offlineEdit(lock, 'Gesprek met mevrouw Jansen');
    await lock.lock();

    const cold = await device.coldStart(lock.userId);
    expect(cold.state()).toMatchObject({ kind: 'locked' });
    expect(await cold.unlock(PIN)).toEqual({ ok: true });
    await waitFor(async () => (await durableText(srv.store, id)) === 'Gesprek met mevrouw Jansen', 10_000, 'edit on the server');
    expect(await cold.checkServer()).toEqual({ state: 'active' });
  });

  it('[K8] PIN vergeten: a new sign-in fetches the previous device’s recovery key, the unsent edit survives under a new PIN, the old device is revoked', async () => {
    const srv = await server();
    const device = phone(srv);
    const first = await device.signIn();
    expect(await first.choosePin(PIN)).toEqual({ ok: true });
    const id = await offlineEdit(first, 'Nog niet verzonden');
    await first.lock();
    const [oldDeviceId] = await deviceIdOf(srv, first.userId);

    const again = await device.signIn();
    expect(again.state()).toMatchObject({ kind: 'locked' });
    expect(await again.forgotPin()).toEqual({ ok: true });
    expect(await again.choosePin('730194')).toEqual({ ok: true });
    await waitFor(async () => (await durableText(srv.store, id)) === 'Nog niet verzonden', 10_000, 'edit on the server');
    expect((await srv.store.getDevice(oldDeviceId!))!.revokedAt).not.toBeNull();
  });

  it('[K3] [K28] a second sign-in on the same phone: the old PIN opens the vault, the new device takes over, the previous device is revoked and its recovery key forgotten', async () => {
    const srv = await server();
    const device = phone(srv);
    const first = await device.signIn();
    expect(await first.choosePin(PIN)).toEqual({ ok: true });
    const userId = first.userId;
    const [previousId] = await deviceIdOf(srv, userId);
    const id = await offlineEdit(first, 'Afspraak volgende week');
    await first.lock();
    const again = await device.signIn();
    expect(await again.unlock(PIN)).toEqual({ ok: true });
    await waitFor(async () => (await durableText(srv.store, id)) === 'Afspraak volgende week', 10_000, 'edit on the server');
    expect(await again.checkServer()).toEqual({ state: 'active' });
    // K28: one active device for this phone; the previous one can open nothing any more.
    const active = await deviceIdOf(srv, userId);
    expect(active).toHaveLength(1);
    expect(active).not.toContain(previousId);
    const previous = await srv.store.getDevice(previousId!);
    expect(previous?.revokedAt).not.toBeNull();
    expect(previous?.recoveryKey ?? null).toBeNull();
  });

  it('[K9] an administrator revokes a lost phone (wipe-now): its next status check deletes the vault, unsent work included', async () => {
    const srv = await server();
    const device = phone(srv);
    const lock = await device.signIn();
    expect(await lock.choosePin(PIN)).toEqual({ ok: true });
    const id = await offlineEdit(lock, 'BSN 123456782');
    await lock.lock();
    const [deviceId] = await deviceIdOf(srv, lock.userId);
    await revoke(srv, deviceId!, 'wipe-now');
    expect(await lock.checkServer()).toEqual({ state: 'revoked', wipe: 'wipe-now' });
    expect(lock.state()).toEqual({ kind: 'wiped', mode: 'wipe-now' });
    expect(await device.databases()).not.toContain(`keukentafel-${lock.userId}`);
    expect(await durableText(srv.store, id)).toBe('');
  });

  it('[K9] a leaver (send-then-wipe) heard while locked: the next unlock sends the unsent edit, then the device is empty', async () => {
    const srv = await server();
    const device = phone(srv);
    const lock = await device.signIn();
    expect(await lock.choosePin(PIN)).toEqual({ ok: true });
    const id = await offlineEdit(lock, 'Gesprek met de heer De Vries');
    await lock.lock();
    const [deviceId] = await deviceIdOf(srv, lock.userId);
    await revoke(srv, deviceId!, 'send-then-wipe');
    expect(await lock.checkServer()).toEqual({ state: 'revoked', wipe: 'send-then-wipe' });
    expect(lock.state().kind).toBe('locked');
    expect(await lock.unlock(PIN)).toEqual({ ok: true });
    expect(lock.state()).toEqual({ kind: 'wiped', mode: 'send-then-wipe' });
    expect(await durableText(srv.store, id)).toBe('Gesprek met de heer De Vries');
    expect(await device.databases()).not.toContain(`keukentafel-${lock.userId}`);
  });
});
