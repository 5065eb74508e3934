// The device vault's server side (K20–K27) against the real server, with real clients: the keys a
// device gets at sign-in, the status a locked device asks for, the recovery of a previous device's
// key, and remote wipe both ways end to end (a real Session on fake-indexeddb, real sockets).
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app';
import { hashRefreshToken } from '../../server/auth/tokens';
import { hashStatusToken } from '../../server/devices/keys';
import { createLoginRateLimiter } from '../../server/auth/rate-limit';
import { defaultDeviceSettings } from '../../server/devices/settings';
import type { Store } from '../../server/store/types';
import { openDexieLocalStore } from '../../client/store/dexie-local-store';
import { login as clientLogin, type FetchLike, type TokenSource } from '../../client/sync/auth-client';
import { checkDeviceStatus, fetchRecoveryKey } from '../../client/sync/device-client';
import { remoteWipe, type WipeProgress } from '../../client/sync/remote-wipe';
import { signIn, type Session, type SessionOptions } from '../../client/sync/session';
import type { DeviceKeys } from '../../client/vault/types';
import { bodyOf, bodyText } from '../support/body-text';
import { DEMO_PASSWORD, NodeWebSocket, freshIndexedDB, newDocId, waitFor } from '../support/client-env';
import { AckingClient, openRaw } from '../support/server';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function server(opts: Partial<ServerOptions> = {}): Promise<RunningServer> {
  const running = await startServer({ port: 0, host: '127.0.0.1', dataDir: null, demoPassword: DEMO_PASSWORD, logLevel: 'silent', staticDir: null, ...opts });
  cleanups.push(() => running.close());
  return running;
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

async function call(srv: RunningServer, method: string, path: string, token: string | null, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${srv.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** A password sign-in as the app does it (client/sync/auth-client.ts `login`). */
async function signInRaw(srv: RunningServer, username: string) {
  const result = await clientLogin(srv.url, { username, password: DEMO_PASSWORD, deviceName: `test-${username}` });
  if (!result.ok) throw new Error(`sign-in ${username}: ${result.reason}`);
  if (result.device === null) throw new Error('no device keys');
  return { ...result, device: result.device };
}

/** A token source that only holds an access token (a fresh sign-in's). */
const tokensOf = (accessToken: string): TokenSource => ({ accessToken: () => accessToken, refresh: () => Promise.resolve('revoked') });

/**
 * A device running the real client Session on its own fake IndexedDB. The sign-in's device keys
 * are read off the login answer on the way in, as the vault gets them.
 */
async function deviceSession(srv: RunningServer, username = 'veldwerker') {
  const idb = freshIndexedDB();
  let keys: DeviceKeys | null = null;
  const fetchImpl: FetchLike = async (input, init) => {
    const res = await globalThis.fetch(input, init);
    if (input.endsWith('/api/auth/login') && res.ok) keys = ((await res.clone().json()) as { device: DeviceKeys }).device;
    return res;
  };
  const options: SessionOptions = {
    serverUrl: srv.url,
    fetchImpl,
    WebSocketImpl: NodeWebSocket,
    openStore: (userId) => openDexieLocalStore(userId, idb),
    storageManager: {},
    backoff: { baseMs: 50, maxMs: 300 },
  };
  const result = await signIn({ ...options, username, password: DEMO_PASSWORD, deviceName: `test-${username}` });
  if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
  cleanups.push(() => result.session.close());
  if (keys === null) throw new Error('no device keys in the login answer');
  const databases = async (): Promise<string[]> => (await idb.indexedDB.databases()).map((d) => d.name ?? '');
  return { session: result.session, keys: keys as DeviceKeys, databases };
}

async function durableText(store: Store, docId: string): Promise<string> {
  const doc = new Y.Doc();
  for (const update of (await store.loadUpdates(`doc:${docId}`)).updates) Y.applyUpdate(doc, update);
  return bodyOf(doc);
}

/** An offline edit that reaches IndexedDB but not the server. */
async function unsentEdit(session: Session, text: string): Promise<string> {
  session.sync.setOffline(true);
  const id = newDocId();
  await session.sync.markCreatedHere(id); // E9: made on this device
  const doc = await session.sync.open(id);
  bodyText(doc).insert(0, text);
  await session.sync.whenSavedLocally(id);
  expect(session.sync.unsavedDocIds()).toContain(id);
  return id;
}

async function adminToken(srv: RunningServer): Promise<string> {
  return (await signInRaw(srv, 'beheerder')).tokens.accessToken;
}

describe('device keys at sign-in', () => {
  it('[K20] a password sign-in gets a status token, a 32-byte recovery key and the lock policy; the server keeps only the token’s hash', async () => {
    const lockPolicy = { minPinDigits: 8, maxAttempts: 5, idleLockMs: 60_000, graceDays: 10, graceWarnDays: 2 };
    const srv = await server({ device: { ...defaultDeviceSettings, lockPolicy } });
    const first = await signInRaw(srv, 'veldwerker');
    const second = await signInRaw(srv, 'veldwerker');
    expect(first.device.lockPolicy).toEqual(lockPolicy);
    expect(Buffer.from(first.device.recoveryKey, 'base64url')).toHaveLength(32);
    expect(first.device.deviceId).not.toBe(second.device.deviceId);
    expect(first.device.recoveryKey).not.toBe(second.device.recoveryKey);
    expect(first.device.statusToken).not.toBe(second.device.statusToken);
    const row = (await srv.store.getDevice(first.device.deviceId))!;
    expect(row.statusTokenHash).toBe(hashStatusToken(first.device.statusToken));
    expect(JSON.stringify(row)).not.toContain(first.device.statusToken);
  });
});

describe('POST /api/auth/device-status', () => {
  it('[K22] answers active to the device itself, without a bearer token, and counts as contact', async () => {
    let t = Date.now();
    const srv = await server({ now: () => t });
    const { device } = await signInRaw(srv, 'veldwerker');
    t += 60_000;
    expect(await checkDeviceStatus(srv.url, device)).toEqual({ state: 'active' });
    expect((await srv.store.getDevice(device.deviceId))!.lastSeenAt).toBe(t);
  });

  it('[K22] [K26] an unknown device and a wrong token get one and the same answer, which is not "revoked"; the client reads it as no contact', async () => {
    const srv = await server();
    const { device } = await signInRaw(srv, 'veldwerker');
    const wrongToken = await call(srv, 'POST', '/api/auth/device-status', null, { deviceId: device.deviceId, statusToken: randomBytes(32).toString('base64url') });
    const unknownDevice = await call(srv, 'POST', '/api/auth/device-status', null, { deviceId: randomUUID(), statusToken: device.statusToken });
    expect(wrongToken).toEqual({ status: 401, body: { error: 'device-unknown' } });
    expect(unknownDevice).toEqual(wrongToken);
    expect(await checkDeviceStatus(srv.url, { deviceId: device.deviceId, statusToken: 'x'.repeat(43) })).toEqual({ state: 'unknown' });
    // Revoked, a wrong token still tells nothing: only the device itself hears "revoked".
    const admin = await adminToken(srv);
    expect((await call(srv, 'POST', `/api/admin/devices/${device.deviceId}/revoke`, admin)).status).toBe(200);
    expect(await call(srv, 'POST', '/api/auth/device-status', null, { deviceId: device.deviceId, statusToken: 'y'.repeat(43) })).toEqual(wrongToken);
    expect(await checkDeviceStatus(srv.url, device)).toEqual({ state: 'revoked', wipe: 'wipe-now' });
  });

  it('[K22] wrong status tokens are rate-limited per device and address; the device itself is not locked out from elsewhere', async () => {
    const srv = await server();
    // The limiter the route uses, at the server's defaults, is exercised through the route.
    const { device } = await signInRaw(srv, 'veldwerker');
    const wrong = { deviceId: device.deviceId, statusToken: 'z'.repeat(43) };
    const answers: number[] = [];
    for (let i = 0; i < 11; i++) answers.push((await call(srv, 'POST', '/api/auth/device-status', null, wrong)).status);
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(answers[10]).toBe(429);
    // Same address: the right token is refused for now too (the pair is over its limit) ...
    expect(await checkDeviceStatus(srv.url, device)).toEqual({ state: 'unknown' });
    // ... and the limiter is per (device, address): the same limits hold for any other device id.
    const limiter = createLoginRateLimiter({ now: Date.now, limits: { pairMaxFailures: 10, accountMaxFailures: 1_000_000, addressMaxFailures: 100 } });
    for (let i = 0; i < 10; i++) expect(limiter.begin({ username: 'device:a', address: '10.0.0.1', proofId: null }).ok).toBe(true);
    expect(limiter.begin({ username: 'device:a', address: '10.0.0.1', proofId: null }).ok).toBe(false);
    expect(limiter.begin({ username: 'device:a', address: '10.0.0.2', proofId: null }).ok).toBe(true);
  });
});

describe('POST /api/auth/device-recovery', () => {
  it('[K25] a new sign-in of the same user gets the previous device’s recovery key once; the previous device is revoked and the trail says so', async () => {
    const srv = await server();
    const old = await signInRaw(srv, 'veldwerker');
    const fresh = await signInRaw(srv, 'veldwerker');
    const got = await fetchRecoveryKey(srv.url, tokensOf(fresh.tokens.accessToken), old.device.deviceId);
    expect(got).toEqual({ ok: true, recoveryKey: old.device.recoveryKey });
    const row = (await srv.store.getDevice(old.device.deviceId))!;
    expect(row.revokedAt).not.toBeNull();
    expect(row.recoveredBy).toBe(fresh.device.deviceId);
    // A lost answer may be asked again by the same new device ...
    expect(await fetchRecoveryKey(srv.url, tokensOf(fresh.tokens.accessToken), old.device.deviceId)).toEqual(got);
    // ... by no other, and the old device is now wiped as lost.
    const third = await signInRaw(srv, 'veldwerker');
    expect(await fetchRecoveryKey(srv.url, tokensOf(third.tokens.accessToken), old.device.deviceId)).toEqual({ ok: false, reason: 'refused' });
    expect(await checkDeviceStatus(srv.url, old.device)).toEqual({ state: 'revoked', wipe: 'wipe-now' });
    const trail = await srv.audit.log.query({});
    expect(trail.filter((e) => e.action === 'device-revoked' && (e.details as { reason?: string }).reason === 'recovered')).toHaveLength(1);
  });

  it('[K26] fetchRecoveryKey refreshes once when the server refuses its access token, and says signed-out when the refresh is refused too', async () => {
    const srv = await server();
    const old = await signInRaw(srv, 'veldwerker');
    const fresh = await signInRaw(srv, 'veldwerker');
    let current = 'not-a-token';
    let refreshes = 0;
    const stale: TokenSource = {
      accessToken: () => current,
      refresh: () => {
        refreshes++;
        current = fresh.tokens.accessToken;
        return Promise.resolve('ok');
      },
    };
    expect(await fetchRecoveryKey(srv.url, stale, old.device.deviceId)).toEqual({ ok: true, recoveryKey: old.device.recoveryKey });
    expect(refreshes).toBe(1);
    const dead: TokenSource = { accessToken: () => 'not-a-token', refresh: () => Promise.resolve('revoked') };
    expect(await fetchRecoveryKey(srv.url, dead, old.device.deviceId)).toEqual({ ok: false, reason: 'signed-out' });
    expect(await checkDeviceStatus('http://127.0.0.1:9', old.device)).toEqual({ state: 'unknown' });
  });

  it('[K25] refused alike for another user’s device, an unknown id, one revoked as lost, and without a bearer token', async () => {
    const srv = await server();
    const mine = await signInRaw(srv, 'veldwerker');
    const theirs = await signInRaw(srv, 'kantoor');
    const lost = await signInRaw(srv, 'veldwerker');
    const admin = await adminToken(srv);
    await call(srv, 'POST', `/api/admin/devices/${lost.device.deviceId}/revoke`, admin, { wipe: 'wipe-now' });
    const asker = tokensOf(mine.tokens.accessToken);
    for (const id of [theirs.device.deviceId, randomUUID(), lost.device.deviceId, mine.device.deviceId]) {
      expect(await call(srv, 'POST', '/api/auth/device-recovery', mine.tokens.accessToken, { previousDeviceId: id })).toEqual({ status: 404, body: { error: 'device-not-recoverable' } });
      expect(await fetchRecoveryKey(srv.url, asker, id)).toEqual({ ok: false, reason: 'refused' });
    }
    expect((await srv.store.getDevice(theirs.device.deviceId))!.revokedAt).toBeNull();
    expect((await call(srv, 'POST', '/api/auth/device-recovery', null, { previousDeviceId: mine.device.deviceId })).status).toBe(401);
  });
});

describe('POST /api/auth/device-replaced', () => {
  it('[K28] retires only the same user’s previous device: revoked, its recovery key forgotten; another user’s, an unknown and one’s own are 404', async () => {
    const srv = await server();
    const previous = await signInRaw(srv, 'veldwerker');
    const current = await signInRaw(srv, 'veldwerker');
    const theirs = await signInRaw(srv, 'kantoor');
    for (const id of [theirs.device.deviceId, randomUUID(), current.device.deviceId]) {
      expect(await call(srv, 'POST', '/api/auth/device-replaced', current.tokens.accessToken, { previousDeviceId: id })).toEqual({ status: 404, body: { error: 'device-not-found' } });
    }
    expect((await srv.store.getDevice(theirs.device.deviceId))!.revokedAt).toBeNull();
    expect((await call(srv, 'POST', '/api/auth/device-replaced', null, { previousDeviceId: previous.device.deviceId })).status).toBe(401);

    expect((await call(srv, 'POST', '/api/auth/device-replaced', current.tokens.accessToken, { previousDeviceId: previous.device.deviceId })).status).toBe(204);
    // Idempotent: a repeat (a lost answer) changes nothing more.
    expect((await call(srv, 'POST', '/api/auth/device-replaced', current.tokens.accessToken, { previousDeviceId: previous.device.deviceId })).status).toBe(204);
    const retired = (await srv.store.getDevice(previous.device.deviceId))!;
    expect(retired.revokedAt).not.toBeNull();
    expect(retired.recoveryKey ?? null).toBeNull();
    expect(await call(srv, 'POST', '/api/auth/device-recovery', current.tokens.accessToken, { previousDeviceId: previous.device.deviceId })).toEqual({ status: 404, body: { error: 'device-not-recoverable' } });
    expect((await srv.store.getDevice(current.device.deviceId))!.revokedAt).toBeNull();
  });
});

describe('remote wipe, end to end', () => {
  it('[K23] wipe-now (a lost phone): the unsent edit is gone from the device and never reaches the server', async () => {
    const srv = await server();
    const phone = await deviceSession(srv);
    const id = await unsentEdit(phone.session, 'Burgerservicenummer 123456782, schuld bij de bank');
    const admin = await adminToken(srv);
    const revoked = await call(srv, 'POST', `/api/admin/devices/${phone.keys.deviceId}/revoke`, admin, { wipe: 'wipe-now' });
    expect(revoked).toMatchObject({ status: 200, body: { wipe: 'wipe-now' } });

    // Back online: the socket is refused, the refresh answers 401 with the wipe mode, the device wipes.
    const signedOut = new Promise<{ wiped: boolean }>((resolve) => phone.session.onSignedOut(resolve));
    phone.session.sync.setOffline(false);
    expect(await signedOut).toMatchObject({ wiped: true });
    await waitFor(async () => !(await phone.databases()).includes(`keukentafel-${phone.session.user.id}`), 5_000, 'database deleted');
    expect(await srv.store.getDocument(id)).toBeNull();
    expect(await durableText(srv.store, id)).toBe('');
  });

  it('[K23] the refusal of a refresh names the admin’s wipe mode; a revocation nobody chose one for does not (D1 keeps the data)', async () => {
    const srv = await server();
    const lost = await signInRaw(srv, 'veldwerker');
    const signedOut = await signInRaw(srv, 'veldwerker');
    const admin = await adminToken(srv);
    await call(srv, 'POST', `/api/admin/devices/${lost.device.deviceId}/revoke`, admin);
    expect(await call(srv, 'POST', '/api/auth/refresh', null, { refreshToken: lost.tokens.refreshToken })).toEqual({ status: 401, body: { error: 'device-revoked', wipe: 'wipe-now' } });
    // A device revoked by its own sign-out, then asked again (a copy of the token): no wipe mode.
    const copy = signedOut.tokens.refreshToken;
    await call(srv, 'POST', '/api/auth/logout', null, { refreshToken: copy });
    const again = await call(srv, 'POST', '/api/auth/refresh', null, { refreshToken: copy });
    expect(again.status).toBe(401);
    expect(again.body.wipe).toBeUndefined();
  });

  it('[K24] send-then-wipe (a leaver): the unsent edit reaches the server first, then the device is empty and signed out', async () => {
    const srv = await server();
    const phone = await deviceSession(srv);
    const id = await unsentEdit(phone.session, 'Gesprek met mevrouw Jansen, BSN 123456782');
    const admin = await adminToken(srv);
    expect((await call(srv, 'POST', `/api/admin/devices/${phone.keys.deviceId}/revoke`, admin, { wipe: 'send-then-wipe' })).status).toBe(200);

    const status = await checkDeviceStatus(srv.url, phone.keys);
    expect(status).toEqual({ state: 'revoked', wipe: 'send-then-wipe' });
    phone.session.sync.setOffline(false);
    const progress: WipeProgress[] = [];
    const result = await remoteWipe(phone.session, 'send-then-wipe', { drainTimeoutMs: 15_000, onProgress: (p) => progress.push(p) });
    expect(result).toEqual({ wiped: true, lost: { unsavedDocIds: [], pendingActions: 0 } });
    expect(progress[0]?.unsavedDocIds).toContain(id);
    expect(await durableText(srv.store, id)).toBe('Gesprek met mevrouw Jansen, BSN 123456782');
    expect(await phone.databases()).not.toContain(`keukentafel-${phone.session.user.id}`);
    // Its sign-out ended the drain: from now on the device is wiped as lost, and refresh says so.
    expect(await checkDeviceStatus(srv.url, phone.keys)).toEqual({ state: 'revoked', wipe: 'wipe-now' });
  });

  it('[K24] send-then-wipe with the server out of reach: nothing is destroyed, the unsent edit stays on the device', async () => {
    const srv = await server();
    const phone = await deviceSession(srv);
    const id = await unsentEdit(phone.session, 'Nog niet verstuurd');
    const result = await remoteWipe(phone.session, 'send-then-wipe', { drainTimeoutMs: 300 });
    expect(result).toMatchObject({ wiped: false, reason: 'drain-timeout', unsent: { unsavedDocIds: [id] } });
    expect(await phone.databases()).toContain(`keukentafel-${phone.session.user.id}`);
    expect((await phone.session.store.loadUpdates(id)).count).toBeGreaterThan(0);
  });

  it('[K24] a draining device may write only its own work: no lists, no one else’s documents, no other route; after DEVICE_DRAIN_DAYS it is wiped as lost', async () => {
    let t = Date.now();
    const srv = await server({ now: () => t });
    const colleague = await signInRaw(srv, 'veldwerker');
    const leaver = await signInRaw(srv, 'kantoor');
    // A team document the leaver never touched, and one of the colleague's it wrote to before.
    const othersDoc = newDocId();
    const others = openRaw(srv.url, `doc:${othersDoc}`, colleague.tokens.accessToken);
    await new Promise<void>((resolve) => others.socket.once('message', () => resolve()));
    others.socket.close();
    const sharedDoc = newDocId();
    const byColleague = openRaw(srv.url, `doc:${sharedDoc}`, colleague.tokens.accessToken);
    await new Promise<void>((resolve) => byColleague.socket.once('message', () => resolve()));
    byColleague.socket.close();
    const writer = new AckingClient(srv.url, `doc:${sharedDoc}`, leaver.tokens.accessToken);
    bodyText(writer.doc).insert(0, 'aanvulling van de vertrekker');
    await writer.waitSaved();
    writer.provider.destroy();
    const admin = await adminToken(srv);
    await call(srv, 'POST', `/api/admin/devices/${leaver.device.deviceId}/revoke`, admin, { wipe: 'send-then-wipe' });

    const pair = await call(srv, 'POST', '/api/auth/refresh', null, { refreshToken: leaver.tokens.refreshToken });
    expect(pair.status).toBe(200);
    const token = pair.body.accessToken as string;
    expect((await openRaw(srv.url, `index:team:${leaver.user.teamId}`, token).closed).code).toBe(4403);
    expect((await openRaw(srv.url, `index:user:${leaver.user.id}`, token).closed).code).toBe(4403);
    expect((await openRaw(srv.url, `doc:${othersDoc}`, token).closed).code).toBe(4403);
    expect((await call(srv, 'GET', '/api/templates', token)).status).toBe(401);
    expect((await call(srv, 'GET', `/api/documents/${sharedDoc}`, token)).status).toBe(401);
    // Its own new document (made offline) and the document it wrote to before are accepted.
    const ownDoc = newDocId();
    for (const id of [ownDoc, sharedDoc]) {
      const own = openRaw(srv.url, `doc:${id}`, token);
      await new Promise<void>((resolve) => own.socket.once('message', () => resolve()));
      own.socket.close();
    }
    // Its queued actions reach the action route for its own documents only.
    const action = (id: string) => call(srv, 'POST', `/api/documents/${id}/actions`, token, { type: 'submit', idempotencyKey: `k-${randomUUID()}` });
    expect(await action(othersDoc)).toEqual({ status: 403, body: { error: 'device-draining' } });
    expect([401, 403]).not.toContain((await action(ownDoc)).status);

    t += defaultDeviceSettings.drainDays * 24 * 60 * 60 * 1000;
    expect(await checkDeviceStatus(srv.url, leaver.device)).toEqual({ state: 'revoked', wipe: 'wipe-now' });
    const late = await call(srv, 'POST', '/api/auth/refresh', null, { refreshToken: pair.body.refreshToken });
    expect(late).toEqual({ status: 401, body: { error: 'device-revoked', wipe: 'wipe-now' } });
  });

  it('[K23] an admin may make a leaver’s phone a lost one, never the other way round; no body means wipe-now', async () => {
    const srv = await server();
    const a = await signInRaw(srv, 'veldwerker');
    const b = await signInRaw(srv, 'veldwerker');
    const admin = await adminToken(srv);
    const path = (d: typeof a) => `/api/admin/devices/${d.device.deviceId}/revoke`;
    expect((await call(srv, 'POST', path(a), admin, { wipe: 'send-then-wipe' })).body.wipe).toBe('send-then-wipe');
    expect((await call(srv, 'POST', path(a), admin, { wipe: 'wipe-now' })).body.wipe).toBe('wipe-now');
    expect((await call(srv, 'POST', path(a), admin, { wipe: 'send-then-wipe' })).body.wipe).toBe('wipe-now');
    expect((await call(srv, 'POST', path(b), admin)).body.wipe).toBe('wipe-now');
    expect((await call(srv, 'POST', path(b), admin, { wipe: 'later' })).status).toBe(400);
  });
});

describe('SCIM deprovisioning', () => {
  const SCIM_TOKEN = randomBytes(36).toString('base64url');
  const scim = (srv: RunningServer, method: string, path: string, body?: unknown) =>
    fetch(`${srv.url}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${SCIM_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  /** A provisioned user's device as the IdP sign-in leaves it (SCIM users have no password, C5). */
  async function provisionedDevice(srv: RunningServer) {
    const created = await scim(srv, 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `vertrekker-${randomUUID()}@gemeente.nl`, active: true, name: { formatted: 'Vera Vertrek' } });
    const userId = ((await created.json()) as { id: string }).id;
    const deviceId = randomUUID();
    const refreshToken = randomBytes(32).toString('base64url');
    const t = Date.now();
    await srv.store.createDevice({ id: deviceId, userId, name: 'test', createdAt: t, lastSeenAt: t, revokedAt: null, statusTokenHash: hashStatusToken('s'.repeat(43)) });
    await srv.store.saveRefreshToken({ hash: hashRefreshToken(refreshToken), userId, deviceId, expiresAt: t + 3_600_000, usedAt: null });
    return { userId, deviceId, refreshToken, statusToken: 's'.repeat(43) };
  }
  const deactivate = { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] };

  it('[K27] a deactivated leaver’s device drains by default (SCIM_DEPROVISION_WIPE=send-then-wipe): refresh still works, the status says send-then-wipe', async () => {
    const srv = await server({ scimToken: SCIM_TOKEN });
    const d = await provisionedDevice(srv);
    expect((await scim(srv, 'PATCH', `/Users/${d.userId}`, deactivate)).status).toBe(200);
    expect(await checkDeviceStatus(srv.url, d)).toEqual({ state: 'revoked', wipe: 'send-then-wipe' });
    const pair = await call(srv, 'POST', '/api/auth/refresh', null, { refreshToken: d.refreshToken });
    expect(pair.status).toBe(200);
    // Its own new work is accepted although the user is deactivated; nothing else.
    const own = openRaw(srv.url, `doc:${newDocId()}`, pair.body.accessToken as string);
    await new Promise<void>((resolve) => own.socket.once('message', () => resolve()));
    own.socket.close();
    expect((await call(srv, 'GET', '/api/templates', pair.body.accessToken as string)).status).toBe(401);
    const trail = await srv.audit.log.query({});
    expect(trail.find((e) => e.action === 'device-revoked' && (e.details as { deviceId?: string }).deviceId === d.deviceId)?.details).toMatchObject({ via: 'scim', wipe: 'send-then-wipe' });
  });

  it('[K27] with SCIM_DEPROVISION_WIPE=wipe-now, deactivation and deletion wipe at once', async () => {
    const srv = await server({ scimToken: SCIM_TOKEN, device: { ...defaultDeviceSettings, scimDeprovisionWipe: 'wipe-now' } });
    const deactivated = await provisionedDevice(srv);
    const deleted = await provisionedDevice(srv);
    await scim(srv, 'PATCH', `/Users/${deactivated.userId}`, deactivate);
    expect((await scim(srv, 'DELETE', `/Users/${deleted.userId}`)).status).toBe(204);
    for (const d of [deactivated, deleted]) {
      expect(await checkDeviceStatus(srv.url, d)).toEqual({ state: 'revoked', wipe: 'wipe-now' });
      expect(await call(srv, 'POST', '/api/auth/refresh', null, { refreshToken: d.refreshToken })).toEqual({ status: 401, body: { error: 'device-revoked', wipe: 'wipe-now' } });
    }
  });
});
