// The device vault end to end on the client: fake-indexeddb, Node's WebCrypto and the fake sync
// server. PINs, wrong-PIN destruction, the grace period on a controlled clock, rewrap on a new
// sign-in, recovery with the server's key, sealing a version-1 database, and what lies on disk.
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { DexieLocalStore, localDatabaseName, openLocalDatabase } from '../../../client/store/dexie-local-store';
import { identityCodec, LocalStoreError } from '../../../client/store/local-store';
import { authenticate, type AcceptedLogin, type Session, type SessionOptions } from '../../../client/sync/session';
import { fromBase64Url, importRecoveryKey, randomBytes, toBase64Url, unwrapDataKey } from '../../../client/vault/crypto';
import {
  deviceLockForSignIn,
  openDeviceLock,
  type RecoveryKeyAnswer,
  type VaultDeps,
} from '../../../client/vault/device-lock';
import { DEFAULT_LOCK_POLICY, type DeviceKeys, type DeviceLock, type DeviceStatus, type WipeMode } from '../../../client/vault/types';
import { MemoryVaultStorage, openDexieVaultStorage, type VaultStorage } from '../../../client/vault/vault-storage';
import { vaultSignIn } from '../../../client/vault/wiring';
import type { VaultRecord } from '../../../client/vault/vault-record';
import * as Y from 'yjs';
import {
  DEMO_PASSWORD,
  NodeWebSocket,
  freshIndexedDB,
  newDocId,
  startFakeSyncServer,
  waitFor,
} from '../../support/client-env';

const USER = 'u-veldwerker';
const PIN = '482915';
const DAY = 24 * 60 * 60 * 1000;
const FAST = 1_000;
const BSN = '123456782';
const SENTENCE = 'Mevrouw Jansen heeft schulden bij de woningcorporatie';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

const newDevice = (maxAttempts = 3): DeviceKeys => ({
  deviceId: `dev-${crypto.randomUUID()}`,
  statusToken: toBase64Url(randomBytes(16)),
  recoveryKey: toBase64Url(randomBytes(32)),
  lockPolicy: { ...DEFAULT_LOCK_POLICY, maxAttempts },
});

async function env() {
  const server = await startFakeSyncServer();
  cleanups.push(() => server.close());
  const idb = freshIndexedDB();
  const clock = { t: Date.UTC(2026, 11, 1, 9) };
  const status: { answer: DeviceStatus } = { answer: { state: 'active' } };
  const recovery: { answer: RecoveryKeyAnswer; asked: string[] } = { answer: { ok: false, reason: 'refused' }, asked: [] };
  const wipes: WipeMode[] = [];
  const recordWrites: VaultRecord[] = [];
  const session: SessionOptions = {
    serverUrl: server.url,
    WebSocketImpl: NodeWebSocket,
    storageManager: { persisted: () => Promise.resolve(true), persist: () => Promise.resolve(true) },
    backoff: { baseMs: 20, maxMs: 200 },
  };
  const openStorage = async (userId: string): Promise<VaultStorage> => {
    const real = await openDexieVaultStorage(userId, idb);
    return {
      readRecord: () => real.readRecord(),
      writeRecord: (record) => {
        recordWrites.push(record);
        return real.writeRecord(record);
      },
      hasPlainData: () => real.hasPlainData(),
      sealExisting: (codec, record) => real.sealExisting(codec, record),
      openStore: (codec) => real.openStore(codec),
      destroy: () => real.destroy(),
    };
  };
  const deps: VaultDeps = {
    session,
    openStorage,
    now: () => clock.t,
    iterations: FAST,
    checkDeviceStatus: () => Promise.resolve(status.answer),
    fetchRecoveryKey: (_tokens, previousDeviceId) => {
      recovery.asked.push(previousDeviceId);
      return Promise.resolve(recovery.answer);
    },
    remoteWipe: async (s: Session, mode: WipeMode) => {
      wipes.push(mode);
      if (mode === 'send-then-wipe') {
        await waitFor(async () => s.sync.unsavedDocIds().length === 0 && (await s.actions.list()).length === 0);
      }
      return { wiped: true };
    },
  };
  const login = async (): Promise<AcceptedLogin> => {
    const result = await authenticate({ ...session, username: 'veldwerker', password: DEMO_PASSWORD, deviceName: 'telefoon' });
    if (!result.ok) throw new Error(result.reason);
    return result;
  };
  const track = (lock: DeviceLock): DeviceLock => {
    cleanups.push(async () => {
      await lock.session()?.close();
    });
    return lock;
  };
  /** Sign-in and PIN on a fresh device; returns the unlocked lock and the device keys. */
  const firstSignIn = async (device = newDevice()) => {
    const lock = await deviceLockForSignIn(await login(), device, deps);
    track(lock);
    expect(lock.state()).toEqual({ kind: 'needs-pin', minPinDigits: 6 });
    expect(await lock.choosePin(PIN)).toEqual({ ok: true });
    return { lock, device };
  };
  const databases = async (): Promise<Array<string | undefined>> => (await idb.indexedDB.databases()).map((d) => d.name);
  /** Every stored value of the user's database, as raw bytes and strings (what a profile copy holds). */
  const rawRows = async (): Promise<unknown[]> => {
    const db = new Dexie(localDatabaseName(USER), { indexedDB: idb.indexedDB, IDBKeyRange: idb.IDBKeyRange });
    await db.open();
    const rows: unknown[] = [];
    for (const table of db.tables) rows.push(...((await table.toArray()) as unknown[]));
    db.close();
    return rows;
  };
  const reopen = async (): Promise<DeviceLock | null> => {
    const lock = await openDeviceLock(USER, deps);
    if (lock !== null) track(lock);
    return lock;
  };
  return { server, idb, clock, status, recovery, wipes, recordWrites, deps, login, firstSignIn, databases, rawRows, reopen, track };
}

async function writeDocument(session: Session, text: string): Promise<string> {
  const id = newDocId();
  const doc = await session.sync.open(id);
  doc.getText('text').insert(0, text);
  await session.sync.whenSavedLocally(id);
  return id;
}

async function readDocument(session: Session, id: string): Promise<string> {
  const doc = await session.sync.open(id);
  return doc.getText('text').toString();
}

/** Every byte string and string in `value`, recursively. */
function flatten(value: unknown, out: Array<Uint8Array | string> = []): Array<Uint8Array | string> {
  if (value instanceof Uint8Array) out.push(value);
  else if (value instanceof ArrayBuffer) out.push(new Uint8Array(value));
  else if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) flatten(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) flatten(v, out);
  return out;
}

function findSecret(rows: unknown[], secrets: string[]): string | null {
  const haystack = flatten(rows).map((v) => (typeof v === 'string' ? Buffer.from(v, 'utf8') : Buffer.from(v)));
  for (const secret of secrets) {
    const forms = [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le'), Buffer.from(Buffer.from(secret).toString('base64'))];
    for (const hay of haystack) for (const form of forms) if (hay.includes(form)) return secret;
  }
  return null;
}

describe('device vault', () => {
  it('[K1] nothing of a document, an action or the tokens lies in IndexedDB in the clear', async () => {
    const { firstSignIn, rawRows } = await env();
    const { lock, device } = await firstSignIn();
    const session = lock.session()!;
    session.sync.setOffline(true);
    const id = await writeDocument(session, `${SENTENCE} BSN ${BSN}`);
    await session.actions.enqueue(id, 'submit', { motivering: SENTENCE, bsn: BSN });
    const tokens = session.auth.accessToken()!;
    await lock.lock();
    const rows = await rawRows();
    expect(rows.length).toBeGreaterThan(3);
    expect(findSecret(rows, [BSN, SENTENCE, 'Jansen', tokens, device.recoveryKey])).toBeNull();
    // The finder does find what is there: the vault record's device id is in the clear on purpose.
    expect(findSecret(rows, [device.deviceId])).toBe(device.deviceId);
  });

  it('[K1] a flipped byte in a stored row is a LocalStoreError, not garbage', async () => {
    const { firstSignIn, idb, reopen } = await env();
    const { lock } = await firstSignIn();
    const id = await writeDocument(lock.session()!, SENTENCE);
    await lock.lock();
    const db = await openLocalDatabase(USER, idb);
    const row = (await db.updates.where('docId').equals(id).first())!;
    row.data[20] = row.data[20]! ^ 0x01;
    await db.updates.put(row);
    db.close();
    const again = (await reopen())!;
    expect(await again.unlock(PIN)).toEqual({ ok: true });
    await expect(again.session()!.store.loadUpdates(id)).rejects.toBeInstanceOf(LocalStoreError);
  });

  it('[K2] a row copied to another document does not decode', async () => {
    const { firstSignIn, idb } = await env();
    const { lock } = await firstSignIn();
    const a = await writeDocument(lock.session()!, 'A');
    const b = newDocId();
    const store = lock.session()!.store;
    await lock.lock();
    const db = await openLocalDatabase(USER, idb);
    const row = (await db.updates.where('docId').equals(a).first())!;
    await db.updates.add({ docId: b, data: row.data });
    db.close();
    await expect(store.loadUpdates(b)).rejects.toBeInstanceOf(LocalStoreError);
  });

  it('[K3] a sign-in without device keys (a server older than the vault) stores nothing', async () => {
    const { databases, deps } = await env();
    const result = await vaultSignIn({ ...deps.session, username: 'veldwerker', password: DEMO_PASSWORD, deviceName: 't' }, deps);
    expect(result).toEqual({ ok: false, reason: 'no-device-keys' });
    expect(await databases()).toEqual([]);
  });

  it('[K4] a PIN must be digits, long enough and not trivial', async () => {
    const { login, deps, track } = await env();
    const lock = track(await deviceLockForSignIn(await login(), newDevice(), deps));
    expect(await lock.choosePin('12345')).toEqual({ ok: false, reason: 'pin-too-short' });
    expect(await lock.choosePin('12345a')).toEqual({ ok: false, reason: 'pin-not-digits' });
    expect(await lock.choosePin('000000')).toEqual({ ok: false, reason: 'pin-too-simple' });
    expect(await lock.choosePin('123456')).toEqual({ ok: false, reason: 'pin-too-simple' });
    expect(await lock.choosePin('987654')).toEqual({ ok: false, reason: 'pin-too-simple' });
    expect(lock.state().kind).toBe('needs-pin');
    expect(await lock.choosePin(PIN)).toEqual({ ok: true });
    expect(lock.state()).toEqual({ kind: 'unlocked', warning: null });
  });

  it('[K5] a cold start is locked, the right PIN unlocks offline and the data is intact', async () => {
    const { firstSignIn, reopen, server } = await env();
    const { lock } = await firstSignIn();
    lock.session()!.sync.setOffline(true);
    const id = await writeDocument(lock.session()!, SENTENCE);
    await lock.lock();
    expect(lock.state()).toEqual({ kind: 'locked', attemptsLeft: 3, warning: null });
    expect(lock.session()).toBeNull();
    await server.close();
    const cold = (await reopen())!;
    expect(cold.state()).toEqual({ kind: 'locked', attemptsLeft: 3, warning: null });
    expect(await cold.unlock(PIN)).toEqual({ ok: true });
    expect(await readDocument(cold.session()!, id)).toBe(SENTENCE);
    expect(cold.session()!.sync.unsavedDocIds()).toEqual([id]);
  });

  it('[K5] wrong PINs are counted on disk before the answer; at maxAttempts key and database are gone', async () => {
    const { firstSignIn, reopen, databases, recordWrites } = await env();
    const { lock } = await firstSignIn();
    await lock.lock();
    expect(await lock.unlock('111112')).toEqual({ ok: false, reason: 'wrong-pin', attemptsLeft: 2 });
    // A restart (a killed tab) does not give the attempt back.
    const cold = (await reopen())!;
    expect(cold.state()).toMatchObject({ kind: 'locked', attemptsLeft: 2 });
    // Even a right PIN is counted first, then reset.
    recordWrites.length = 0;
    expect(await cold.unlock(PIN)).toEqual({ ok: true });
    expect(recordWrites.map((r) => r.failedAttempts)).toEqual([2, 0]);
    await cold.lock();
    expect(await cold.unlock('111112')).toEqual({ ok: false, reason: 'wrong-pin', attemptsLeft: 2 });
    expect(await cold.unlock('111113')).toEqual({ ok: false, reason: 'wrong-pin', attemptsLeft: 1 });
    expect(await databases()).toContain(localDatabaseName(USER));
    expect(await cold.unlock('111114')).toEqual({ ok: false, reason: 'destroyed' });
    expect(cold.state()).toEqual({ kind: 'destroyed' });
    expect(await databases()).not.toContain(localDatabaseName(USER));
    expect(await reopen()).toBeNull();
  });

  it('[K6] the grace period warns, then stops unlocking until the server confirmed the device', async () => {
    const { firstSignIn, reopen, clock, status, recordWrites } = await env();
    const { lock } = await firstSignIn();
    await lock.lock();
    clock.t += 10 * DAY;
    expect((await reopen())!.state()).toEqual({ kind: 'locked', attemptsLeft: 3, warning: null });
    clock.t += 1 * DAY + 1;
    const contactAt = clock.t - 11 * DAY - 1;
    expect((await reopen())!.state()).toEqual({ kind: 'locked', attemptsLeft: 3, warning: { daysLeft: 2, lastContactAt: contactAt } });
    clock.t += 3 * DAY;
    const expired = (await reopen())!;
    expect(expired.state()).toEqual({ kind: 'grace-expired', lastContactAt: contactAt });
    recordWrites.length = 0;
    expect(await expired.unlock(PIN)).toEqual({ ok: false, reason: 'grace-expired' });
    expect(recordWrites).toEqual([]);
    // Offline: no contact, still expired.
    status.answer = { state: 'unknown' };
    expect(await expired.checkServer()).toEqual({ state: 'unknown' });
    expect(expired.state().kind).toBe('grace-expired');
    status.answer = { state: 'active' };
    expect(await expired.checkServer()).toEqual({ state: 'active' });
    expect(expired.state()).toEqual({ kind: 'locked', attemptsLeft: 3, warning: null });
    expect(await expired.unlock(PIN)).toEqual({ ok: true });
  });

  it('[K3] a new sign-in on a device with a vault: the old PIN opens it and the new device keys take over', async () => {
    const { firstSignIn, login, deps, track, idb } = await env();
    const { lock, device: first } = await firstSignIn();
    const id = await writeDocument(lock.session()!, SENTENCE);
    await lock.lock();
    const second = newDevice();
    const again = track(await deviceLockForSignIn(await login(), second, deps));
    expect(again.state()).toMatchObject({ kind: 'locked', attemptsLeft: 3 });
    expect(await again.unlock(PIN)).toEqual({ ok: true });
    expect(await readDocument(again.session()!, id)).toBe(SENTENCE);
    const record = (await (await openDexieVaultStorage(USER, idb)).readRecord())!;
    expect(record.device.deviceId).toBe(second.deviceId);
    const wrapped = fromBase64Url(record.recoveryWrapped);
    const ctx = { slot: 'recovery', userId: USER } as const;
    await expect(unwrapDataKey(wrapped, await importRecoveryKey(second.recoveryKey), ctx)).resolves.toBeDefined();
    await expect(unwrapDataKey(wrapped, await importRecoveryKey(first.recoveryKey), ctx)).rejects.toThrow();
  });

  it('[K8] PIN vergeten: after a new sign-in the server\'s recovery key opens the data; a new PIN replaces the old', async () => {
    const { firstSignIn, login, deps, track, recovery, reopen } = await env();
    const { lock, device: first } = await firstSignIn();
    lock.session()!.sync.setOffline(true);
    const id = await writeDocument(lock.session()!, SENTENCE);
    await lock.lock();
    const signedIn = await deviceLockForSignIn(await login(), newDevice(), deps);
    track(signedIn);
    recovery.answer = { ok: false, reason: 'network' };
    expect(await signedIn.forgotPin()).toEqual({ ok: false, reason: 'network' });
    expect(signedIn.state().kind).toBe('locked');
    // A key that does not open the vault never leads to the PIN screen.
    recovery.answer = { ok: true, recoveryKey: toBase64Url(randomBytes(32)) };
    expect(await signedIn.forgotPin()).toEqual({ ok: false, reason: 'key-mismatch' });
    recovery.answer = { ok: true, recoveryKey: first.recoveryKey };
    expect(await signedIn.forgotPin()).toEqual({ ok: true });
    expect(recovery.asked).toEqual([first.deviceId, first.deviceId, first.deviceId]);
    expect(signedIn.state()).toEqual({ kind: 'needs-pin', minPinDigits: 6 });
    expect(await signedIn.choosePin('730194')).toEqual({ ok: true });
    expect(await readDocument(signedIn.session()!, id)).toBe(SENTENCE);
    await signedIn.lock();
    const cold = (await reopen())!;
    expect(await cold.unlock(PIN)).toMatchObject({ ok: false, reason: 'wrong-pin' });
    expect(await cold.unlock('730194')).toEqual({ ok: true });
  });

  it('[K7] a version-1 database (plaintext, before this change) is sealed when the PIN is chosen; nothing lost', async () => {
    const { idb, login, deps, track, rawRows } = await env();
    // The app before this change: Dexie version 1, identity codec.
    const v1 = new Dexie(localDatabaseName(USER), { indexedDB: idb.indexedDB, IDBKeyRange: idb.IDBKeyRange });
    v1.version(1).stores({ updates: '++id, docId', docs: 'docId', actions: '++seq', settings: 'key' });
    await v1.open();
    const old = new DexieLocalStore(v1 as never, identityCodec);
    const id = newDocId();
    const ydoc = new Y.Doc();
    ydoc.getText('text').insert(0, SENTENCE);
    await old.appendUpdate(id, Y.encodeStateAsUpdate(ydoc));
    await old.putDocState(id, { ackedSnapshot: null, hasLocalChanges: true });
    await old.enqueueAction({ docId: id, type: 'submit', idempotencyKey: 'k1', payload: { bsn: BSN }, createdAt: 1, attempts: 0, lastError: null });
    await old.putSetting('rejection:x', { note: 'Jansen' });
    v1.close();
    expect(findSecret(await rawRows(), [SENTENCE, BSN, 'Jansen'])).not.toBeNull();
    // A cold start finds no vault: the app asks for a sign-in, and the data waits for it.
    expect(await openDeviceLock(USER, deps)).toBeNull();

    const lock = track(await deviceLockForSignIn(await login(), newDevice(), deps));
    expect(lock.state().kind).toBe('needs-pin');
    expect(await lock.choosePin(PIN)).toEqual({ ok: true });
    const session = lock.session()!;
    session.sync.setOffline(true);
    expect(await readDocument(session, id)).toBe(SENTENCE);
    expect(session.sync.unsavedDocIds()).toContain(id);
    expect((await session.actions.list()).map((a) => a.payload)).toEqual([{ bsn: BSN }]);
    expect(await session.store.getSetting('rejection:x')).toEqual({ note: 'Jansen' });
    await lock.lock();
    expect(findSecret(await rawRows(), [SENTENCE, BSN, 'Jansen'])).toBeNull();
  });

  it('[K9] remote wipe: wipe-now deletes at once; send-then-wipe heard while locked waits for the unlock, sends, then wipes', async () => {
    const { firstSignIn, reopen, status, wipes, databases, server } = await env();
    const { lock } = await firstSignIn();
    lock.session()!.sync.setOffline(true);
    const id = await writeDocument(lock.session()!, SENTENCE);
    await lock.lock();
    status.answer = { state: 'revoked', wipe: 'send-then-wipe' };
    expect(await lock.checkServer()).toEqual(status.answer);
    expect(lock.state().kind).toBe('locked');
    expect(await databases()).toContain(localDatabaseName(USER));
    // The duty survives a restart: the next unlock sends, then wipes.
    const cold = (await reopen())!;
    expect(await cold.unlock(PIN)).toEqual({ ok: true });
    expect(cold.state()).toEqual({ kind: 'wiped', mode: 'send-then-wipe' });
    expect(wipes).toEqual(['send-then-wipe']);
    expect(server.text(`doc:${id}`)).toBe(SENTENCE);
    expect(await databases()).not.toContain(localDatabaseName(USER));

    const { lock: second } = await firstSignIn();
    status.answer = { state: 'revoked', wipe: 'wipe-now' };
    await second.checkServer();
    expect(second.state()).toEqual({ kind: 'wiped', mode: 'wipe-now' });
    expect(second.session()).toBeNull();
    expect(await databases()).not.toContain(localDatabaseName(USER));
  });

  it('[K5] lock() flushes an edit made just before it; unlock restarts the session with it', async () => {
    const { firstSignIn } = await env();
    const { lock } = await firstSignIn();
    const session = lock.session()!;
    session.sync.setOffline(true);
    const id = newDocId();
    const doc = await session.sync.open(id);
    doc.getText('text').insert(0, SENTENCE);
    await lock.lock();
    // Flushed and stopped by the time lock() resolves: the update is stored, sync is closed.
    expect((await session.store.loadUpdates(id)).count).toBeGreaterThan(0);
    await expect(session.sync.open(newDocId())).rejects.toThrow();
    expect(lock.session()).toBeNull();
    expect(await lock.unlock(PIN)).toEqual({ ok: true });
    expect(await readDocument(lock.session()!, id)).toBe(SENTENCE);
  });

  it('[K5] the same lock flow on the in-memory vault storage', async () => {
    const { login, deps, track } = await env();
    const storage = new MemoryVaultStorage();
    const memDeps: VaultDeps = { ...deps, openStorage: () => Promise.resolve(storage) };
    const lock = track(await deviceLockForSignIn(await login(), newDevice(2), memDeps));
    expect(await lock.choosePin(PIN)).toEqual({ ok: true });
    await lock.lock();
    const cold = track((await openDeviceLock(USER, memDeps))!);
    expect(await cold.unlock('111112')).toEqual({ ok: false, reason: 'wrong-pin', attemptsLeft: 1 });
    expect(await cold.unlock(PIN)).toEqual({ ok: true });
    await cold.lock();
    expect(await cold.unlock('111112')).toEqual({ ok: false, reason: 'wrong-pin', attemptsLeft: 1 });
    expect(await cold.unlock('111113')).toEqual({ ok: false, reason: 'destroyed' });
    expect(storage.destroyed).toBe(true);
    expect(await openDeviceLock(USER, memDeps)).toBeNull();
  });
});
