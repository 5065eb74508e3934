// Sign-in that strangers cannot block (G1) and refresh-token reuse that ends the device's open
// sockets at once (G2), against the real server over real HTTP and WebSockets. Addresses come
// from X-Forwarded-For with TRUST_PROXY set to the loopback proxy, as behind an HTTPS proxy.
import { afterEach, describe, expect, it } from 'vitest';
import { openDexieLocalStore } from '../../client/store/dexie-local-store';
import { login as clientLogin } from '../../client/sync/auth-client';
import { signIn } from '../../client/sync/session';
import { freshIndexedDB, NodeWebSocket } from '../support/client-env';
import { DEMO_PASSWORD, login, openRaw, startTestServer, waitFor, type TestServer } from '../support/server';

let srv: TestServer | null = null;
afterEach(async () => {
  await srv?.close();
  srv = null;
});

interface Attempt {
  status: number;
  retryAfter: string | null;
  body: Record<string, unknown>;
}

async function attempt(url: string, username: string, password: string, from: string, deviceProof?: string): Promise<Attempt> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': from },
    body: JSON.stringify({ username, password, deviceName: 'test', ...(deviceProof === undefined ? {} : { deviceProof }) }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, unknown> };
}

describe('sign-in throttling', () => {
  it('[G1] a stranger\'s failures lock only their own address; the owner elsewhere and colleagues behind the same address sign in', async () => {
    srv = await startTestServer({ trustProxy: '127.0.0.1' });
    for (let i = 0; i < 5; i++) expect((await attempt(srv.url, 'kantoor', `fout-${i}`, '203.0.113.9')).status).toBe(401);
    const refused = await attempt(srv.url, 'kantoor', DEMO_PASSWORD, '203.0.113.9');
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(800);
    expect(refused.body).toEqual({ error: 'rate-limited', retryAfterSeconds: Number(refused.retryAfter) });

    expect((await attempt(srv.url, 'kantoor', DEMO_PASSWORD, '198.51.100.20')).status).toBe(200);
    // The office NAT: one person's five failures do not lock a colleague out.
    for (let i = 0; i < 5; i++) await attempt(srv.url, 'kantoor', 'fout', '192.0.2.1');
    expect((await attempt(srv.url, 'veldwerker', DEMO_PASSWORD, '192.0.2.1')).status).toBe(200);
  });

  it('[G1] twenty failures from many addresses hold back new devices, never the owner\'s device that signed in before', async () => {
    srv = await startTestServer({ trustProxy: '127.0.0.1' });
    const owner = await attempt(srv.url, 'kantoor', DEMO_PASSWORD, '198.51.100.20');
    const proof = owner.body.deviceProof;
    if (typeof proof !== 'string') throw new Error('no device proof');
    for (let i = 0; i < 20; i++) expect((await attempt(srv.url, 'kantoor', 'fout', `203.0.113.${i % 4}`)).status).toBe(401);

    expect((await attempt(srv.url, 'kantoor', DEMO_PASSWORD, '198.51.100.77')).status).toBe(429);
    const withProof = await attempt(srv.url, 'kantoor', DEMO_PASSWORD, '198.51.100.77', proof);
    expect(withProof.status).toBe(200);
    // Guessing with a stolen proof is held to five tries of its own.
    for (let i = 0; i < 5; i++) expect((await attempt(srv.url, 'kantoor', 'fout', '203.0.113.50', proof)).status).toBe(401);
    expect((await attempt(srv.url, 'kantoor', DEMO_PASSWORD, '203.0.113.50', proof)).status).toBe(429);
    // The newest proof (each success gives one) is a proof of its own.
    expect((await attempt(srv.url, 'kantoor', DEMO_PASSWORD, '203.0.113.50', withProof.body.deviceProof as string)).status).toBe(200);
  });

  it('[G1] the app\'s login reads the 429 as rate-limited with the seconds to wait', async () => {
    srv = await startTestServer();
    for (let i = 0; i < 5; i++) await clientLogin(srv.url, { username: 'veldwerker', password: 'fout', deviceName: 'test' });
    const result = await clientLogin(srv.url, { username: 'veldwerker', password: DEMO_PASSWORD, deviceName: 'test' });
    expect(result).toMatchObject({ ok: false, reason: 'rate-limited' });
    if (result.ok || result.reason !== 'rate-limited') return;
    expect(result.retryAfterSeconds).toBeGreaterThan(800);
  });
});

describe('refresh-token reuse', () => {
  it('[G2] a reused refresh token revokes the device and closes its sockets at once with 4401; its reconnect gets 4401; other devices stay', async () => {
    srv = await startTestServer();
    const phone = await login(srv.url, 'veldwerker');
    const tablet = await login(srv.url, 'veldwerker');
    const room = `doc:${crypto.randomUUID()}`;
    const onPhone = openRaw(srv.url, room, phone.accessToken);
    const onTablet = openRaw(srv.url, room, tablet.accessToken);
    const accepted = (s: typeof onPhone) => new Promise<void>((resolve) => s.socket.once('message', () => resolve()));
    await Promise.all([accepted(onPhone), accepted(onTablet)]);

    const refresh = (refreshToken: string) =>
      fetch(`${srv!.url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
    expect((await refresh(phone.refreshToken)).status).toBe(200);
    const reuse = await refresh(phone.refreshToken);
    expect(reuse.status).toBe(401);
    expect(await reuse.json()).toEqual({ error: 'refresh-token-reused' });
    expect(await onPhone.closed).toEqual({ code: 4401, reason: 'device-revoked' });

    const again = openRaw(srv.url, room, phone.accessToken);
    expect((await again.closed).code).toBe(4401);
    expect(onTablet.socket.readyState).toBe(onTablet.socket.OPEN);
    onTablet.socket.close();
  });

  it('[G2] the app whose copied refresh token is reused elsewhere is signed out ("afgemeld") at once and its sockets are gone', async () => {
    srv = await startTestServer();
    const idb = freshIndexedDB();
    const result = await signIn({
      serverUrl: srv.url,
      WebSocketImpl: NodeWebSocket,
      openStore: (userId) => openDexieLocalStore(userId, idb),
      storageManager: {},
      backoff: { baseMs: 50, maxMs: 500 },
      username: 'veldwerker',
      password: DEMO_PASSWORD,
      deviceName: 'telefoon',
    });
    if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
    const session = result.session;
    const signedOut = new Promise<{ wiped: boolean }>((resolve) => session.onSignedOut(resolve));
    try {
      const copied = ((await session.store.getSetting('auth')) as { refreshToken: string }).refreshToken;
      const docId = crypto.randomUUID();
      await session.sync.markCreatedHere(docId); // E9: made on this device
      const doc = await session.sync.open(docId);
      doc.getMap('meta').set('title', 'Huisbezoek');
      await waitFor(() => session.sync.status(docId).state === 'saved', 10_000, 'saved');
      expect(srv.sync.openSockets).toBeGreaterThan(0);
      // The device rotates its token; then the thief presents the copy.
      expect(await session.auth.refresh()).toBe('ok');
      const reuse = await fetch(`${srv.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: copied }),
      });
      expect(reuse.status).toBe(401);
      // The device hears 4401 device-revoked, its refresh is refused, and the session ends.
      expect(await signedOut).toEqual(expect.objectContaining({ wiped: true }));
      await waitFor(() => srv!.sync.openSockets === 0, 5_000, 'sockets closed');
    } finally {
      await session.close();
    }
  });
});
