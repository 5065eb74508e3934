// Login and refresh: rotated refresh tokens must be single-flighted (a reused one revokes the
// device on the real server), and a refused refresh ends the sign-in visibly.
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryLocalStore } from '../../../client/store/memory-local-store';
import { AUTH_SETTING, AuthClient, login } from '../../../client/sync/auth-client';
import { DEMO_PASSWORD, startFakeSyncServer, type FakeSyncServer } from '../../support/client-env';

let server: FakeSyncServer;
afterEach(async () => {
  await server.close();
});

async function signedIn() {
  server = await startFakeSyncServer();
  const store = new MemoryLocalStore();
  const result = await login(server.url, { username: 'veldwerker', password: DEMO_PASSWORD, deviceName: 'tablet' });
  if (!result.ok) throw new Error(result.reason);
  const auth = await AuthClient.create(server.url, store, result.user, result.tokens);
  return { store, auth };
}

describe('auth client', () => {
  it('logs in, and tells wrong credentials from an unreachable server', async () => {
    server = await startFakeSyncServer();
    const ok = await login(server.url, { username: 'veldwerker', password: DEMO_PASSWORD, deviceName: 'x' });
    expect(ok).toMatchObject({ ok: true, user: { id: 'u-veldwerker', teamId: 'centrum' } });
    expect(await login(server.url, { username: 'veldwerker', password: 'fout', deviceName: 'x' })).toEqual({
      ok: false,
      reason: 'invalid-credentials',
    });
    expect(await login('http://127.0.0.1:9', { username: 'a', password: 'b', deviceName: 'x' })).toEqual({
      ok: false,
      reason: 'network',
    });
  });

  it('single-flights concurrent refreshes and keeps the new tokens in the store', async () => {
    const { store, auth } = await signedIn();
    const before = auth.accessToken();
    const results = await Promise.all([auth.refresh(), auth.refresh(), auth.refresh()]);
    expect(results).toEqual(['ok', 'ok', 'ok']);
    expect(server.refreshCalls).toBe(1);
    expect(auth.accessToken()).not.toBe(before);
    const restored = await AuthClient.restore(server.url, store);
    expect(restored?.accessToken()).toBe(auth.accessToken());
    expect(restored?.user.id).toBe('u-veldwerker');
  });

  it('a refused refresh signs out: no tokens kept, listeners told', async () => {
    const { store, auth } = await signedIn();
    let told = 0;
    auth.onSignedOut(() => told++);
    server.revokeAll();
    expect(await auth.refresh()).toBe('revoked');
    expect(auth.signedOut).toBe(true);
    expect(auth.accessToken()).toBeNull();
    expect(told).toBe(1);
    expect(await store.getSetting(AUTH_SETTING)).toMatchObject({ accessToken: null, refreshToken: null });
    expect(await auth.refresh()).toBe('revoked');
  });

  it('a server error during refresh is "network": the tokens stay', async () => {
    server = await startFakeSyncServer();
    const store = new MemoryLocalStore();
    const auth = await AuthClient.create(
      server.url,
      store,
      { id: 'u', name: 'U', roles: [], teamId: 't' },
      { accessToken: 'a', refreshToken: 'r' },
      () => Promise.resolve(new Response('', { status: 503 })),
    );
    expect(await auth.refresh()).toBe('network');
    expect(auth.accessToken()).toBe('a');
  });

  it('restore() gives null when the device holds no sign-in', async () => {
    server = await startFakeSyncServer();
    expect(await AuthClient.restore(server.url, new MemoryLocalStore())).toBeNull();
  });
});
