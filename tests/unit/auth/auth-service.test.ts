// Sign-in policy on the memory store: login, refresh rotation with reuse detection, access
// tokens that expire and that stop working at once when the device or user is revoked.
import { hashStatusToken } from '../../../server/devices/keys';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthService } from '../../../server/auth/auth-service';
import type { AuthService, TokenPair } from '../../../server/auth/auth-service';
import { hashRefreshToken } from '../../../server/auth/tokens';
import type { MemoryStore } from '../../../server/store/memory/store';
import type { AccountStore, UserRow } from '../../../server/store/types';
import { PASSWORD, createClock, sequentialIds, storeWithUsers } from './accounts-fixture';
import type { Clock } from './accounts-fixture';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

interface Setup {
  store: MemoryStore;
  clock: Clock;
  auth: AuthService;
  /** AccountStore has no user update yet: the service sees the store through a view that can disable. */
  disable: (userId: string) => void;
}

async function setup(options: { accessTtlSeconds?: number; refreshTtlSeconds?: number } = {}): Promise<Setup> {
  const store = await storeWithUsers();
  const disabled = new Set<string>();
  const mark = (user: UserRow | null): UserRow | null => (user && disabled.has(user.id) ? { ...user, disabled: true } : user);
  const view: AccountStore = {
    ...store,
    getUser: async (id) => mark(await store.getUser(id)),
    findUserByUsername: async (username) => mark(await store.findUserByUsername(username)),
  };
  const clock = createClock();
  const auth = createAuthService({ store: view, now: clock.now, newId: sequentialIds('dev'), ...options });
  return { store, clock, auth, disable: (userId) => disabled.add(userId) };
}

async function signIn(auth: AuthService, username = 'veldwerker'): Promise<TokenPair> {
  const result = await auth.login({ username: username, password: PASSWORD, deviceName: 'Telefoon van Vera', address: 'ip-1' });
  if (!result.ok) throw new Error(`login failed: ${result.reason}`);
  return result;
}

describe('login', () => {
  it('the right password gives a token pair, the user and a new device', async () => {
    const { auth, store, clock } = await setup();
    const result = await auth.login({ username: 'Veldwerker', password: PASSWORD, deviceName: 'Telefoon van Vera', address: 'ip-1' });
    expect(result).toMatchObject({
      ok: true,
      user: { id: 'u-vera', name: 'Vera Veldwerker', roles: ['field'], teamId: 'centrum' },
    });
    if (!result.ok) return;
    expect(result.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await store.getDevice('dev-1')).toEqual({
      id: 'dev-1',
      userId: 'u-vera',
      name: 'Telefoon van Vera',
      createdAt: clock.now(),
      lastSeenAt: clock.now(),
      revokedAt: null,
      appVersion: null,
      storagePersisted: null,
      // K20: the vault's keys; the status token only as its hash.
      statusTokenHash: hashStatusToken(result.device.statusToken),
      recoveryKey: result.device.recoveryKey,
      wipe: null,
      recoveredBy: null,
    });
    const claims = decodeJwt(result.accessToken);
    expect(claims).toMatchObject({ sub: 'u-vera', team: 'centrum', roles: ['field'], dev: 'dev-1', iss: 'keukentafel' });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(15 * 60);
  });

  it('only the hash of the refresh token is stored', async () => {
    const { auth, store } = await setup();
    const pair = await signIn(auth);
    expect(await store.useRefreshToken(pair.refreshToken, 0)).toBeNull();
    expect(await store.useRefreshToken(hashRefreshToken(pair.refreshToken), 0)).toMatchObject({ deviceId: 'dev-1' });
  });

  it('a wrong password, an unknown user and a disabled user all get invalid-credentials', async () => {
    const { auth, store, disable } = await setup();
    expect(await auth.login({ username: 'veldwerker', password: 'fout', deviceName: undefined, address: 'ip-1' })).toMatchObject({ ok: false, reason: 'invalid-credentials' });
    expect(await auth.login({ username: 'niemand', password: PASSWORD, deviceName: undefined, address: 'ip-1' })).toMatchObject({ ok: false, reason: 'invalid-credentials' });
    disable('u-karim');
    expect(await auth.login({ username: 'kantoor', password: PASSWORD, deviceName: undefined, address: 'ip-1' })).toMatchObject({ ok: false, reason: 'invalid-credentials' });
    expect(await store.getDevice('dev-1')).toBeNull();
  });

  it('[G1] 5 failures from one address lock that account from that address only; the owner elsewhere still signs in', async () => {
    const { auth, clock } = await setup();
    for (let i = 0; i < 5; i++) {
      expect(await auth.login({ username: 'veldwerker', password: `fout-${i}`, address: 'ip-stranger' })).toMatchObject({ reason: 'invalid-credentials' });
    }
    expect(await auth.login({ username: 'veldwerker', password: PASSWORD, address: 'ip-stranger' })).toEqual({
      ok: false,
      reason: 'rate-limited',
      retryAfterSeconds: 15 * 60,
    });
    expect((await auth.login({ username: 'veldwerker', password: PASSWORD, address: 'ip-owner' })).ok).toBe(true);
    clock.advance(15 * MINUTE);
    expect((await auth.login({ username: 'veldwerker', password: PASSWORD, address: 'ip-stranger' })).ok).toBe(true);
  });

  it('[G1] failures from many addresses hit the account\'s slower back-off, which a device proof of that account passes', async () => {
    const { auth } = await setup();
    const first = await auth.login({ username: 'veldwerker', password: PASSWORD, address: 'ip-home' });
    if (!first.ok) throw new Error('login failed');
    for (let i = 0; i < 20; i++) {
      expect(await auth.login({ username: 'veldwerker', password: 'fout', address: `ip-${i % 5}-${Math.floor(i / 5)}` })).toMatchObject({ reason: 'invalid-credentials' });
    }
    // A new device of the owner (no proof) waits like any stranger…
    expect(await auth.login({ username: 'veldwerker', password: PASSWORD, address: 'ip-new' })).toMatchObject({ ok: false, reason: 'rate-limited' });
    // …the device that signed in before does not.
    const again = await auth.login({ username: 'Veldwerker', password: PASSWORD, address: 'ip-new', deviceProof: first.deviceProof });
    expect(again.ok).toBe(true);
    // A proof of another account, a forged or a garbage proof counts for nothing.
    const other = await auth.login({ username: 'kantoor', password: PASSWORD, address: 'ip-x' });
    if (!other.ok) throw new Error('login failed');
    for (const proof of [other.deviceProof, `${first.deviceProof}x`, 'garbage', first.accessToken]) {
      expect(await auth.login({ username: 'veldwerker', password: PASSWORD, address: 'ip-new', deviceProof: proof })).toMatchObject({ reason: 'rate-limited' });
    }
  });

  it('[G1] failures with a device proof count against that proof only', async () => {
    const { auth } = await setup();
    const first = await auth.login({ username: 'kantoor', password: PASSWORD, address: 'ip-office' });
    if (!first.ok) throw new Error('login failed');
    for (let i = 0; i < 5; i++) {
      expect(await auth.login({ username: 'kantoor', password: 'fout', address: 'ip-office', deviceProof: first.deviceProof })).toMatchObject({ reason: 'invalid-credentials' });
    }
    expect(await auth.login({ username: 'kantoor', password: PASSWORD, address: 'ip-office', deviceProof: first.deviceProof })).toMatchObject({ reason: 'rate-limited' });
    // The office address and the account are not burdened by the proof's failures.
    expect((await auth.login({ username: 'kantoor', password: PASSWORD, address: 'ip-office' })).ok).toBe(true);
  });

  it('a device without a name gets a placeholder name', async () => {
    const { auth, store } = await setup();
    await auth.login({ username: 'kantoor', password: PASSWORD, deviceName: '  ', address: 'ip-1' });
    expect((await store.getDevice('dev-1'))?.name).toBe('unnamed device');
  });
});

describe('refresh', () => {
  it('rotates: a new pair for the same device, and the old refresh token is refused', async () => {
    const { auth } = await setup();
    const first = await signIn(auth);
    const second = await auth.refresh(first.refreshToken);
    expect(second).toMatchObject({ ok: true, user: first.user });
    if (!second.ok) return;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(decodeJwt(second.accessToken).dev).toBe('dev-1');
    expect(await auth.verifyAccessToken(second.accessToken)).toMatchObject({ ok: true });

    expect(await auth.refresh(first.refreshToken)).toEqual({ ok: false, reason: 'refresh-token-reused', revokedDeviceId: 'dev-1' });
  });

  it('presenting a used refresh token revokes the device: its newer tokens stop working too', async () => {
    const { auth, store, clock } = await setup();
    const first = await signIn(auth);
    const second = await auth.refresh(first.refreshToken);
    if (!second.ok) throw new Error('refresh failed');
    clock.advance(MINUTE);

    expect(await auth.refresh(first.refreshToken)).toEqual({ ok: false, reason: 'refresh-token-reused', revokedDeviceId: 'dev-1' });
    expect((await store.getDevice('dev-1'))?.revokedAt).toBe(clock.now());
    expect(await auth.refresh(second.refreshToken)).toEqual({ ok: false, reason: 'device-revoked' });
    expect(await auth.verifyAccessToken(second.accessToken)).toEqual({ ok: false, reason: 'token-invalid' });
  });

  it('other devices of the same user keep working after one is revoked', async () => {
    const { auth, store } = await setup();
    const phone = await signIn(auth);
    const tablet = await signIn(auth);
    await store.revokeDevice('dev-1', 1);
    expect(await auth.refresh(phone.refreshToken)).toEqual({ ok: false, reason: 'device-revoked' });
    expect((await auth.refresh(tablet.refreshToken)).ok).toBe(true);
  });

  it('an unknown refresh token is refused', async () => {
    const { auth } = await setup();
    expect(await auth.refresh('bestaat-niet')).toEqual({ ok: false, reason: 'refresh-token-invalid' });
  });

  it('a refresh token expires after its lifetime (30 days by default)', async () => {
    const { auth, clock } = await setup();
    const pair = await signIn(auth);
    clock.advance(30 * DAY);
    expect(await auth.refresh(pair.refreshToken)).toEqual({ ok: false, reason: 'refresh-token-expired' });
  });

  it('a refresh for a disabled user is refused', async () => {
    const { auth, disable } = await setup();
    const pair = await signIn(auth);
    disable('u-vera');
    expect(await auth.refresh(pair.refreshToken)).toEqual({ ok: false, reason: 'user-disabled' });
  });
});

describe('access tokens', () => {
  it('a fresh access token verifies to the user, team, roles and device', async () => {
    const { auth } = await setup();
    const pair = await signIn(auth, 'kantoor');
    expect(await auth.verifyAccessToken(pair.accessToken)).toEqual({
      ok: true,
      claims: { userId: 'u-karim', teamId: 'centrum', roles: ['office', 'approver'], deviceId: 'dev-1' },
    });
  });

  it('[S5] expired access token is reported as token-expired', async () => {
    const { auth, clock } = await setup({ accessTtlSeconds: 60 });
    const pair = await signIn(auth);
    clock.advance(59_000);
    expect((await auth.verifyAccessToken(pair.accessToken)).ok).toBe(true);
    clock.advance(1_000);
    expect(await auth.verifyAccessToken(pair.accessToken)).toEqual({ ok: false, reason: 'token-expired' });
  });

  it('an access token of a revoked device is refused at once', async () => {
    const { auth, store } = await setup();
    const pair = await signIn(auth);
    await store.revokeDevice('dev-1', 1);
    expect(await auth.verifyAccessToken(pair.accessToken)).toEqual({ ok: false, reason: 'token-invalid' });
  });

  it('an access token of a disabled user is refused at once', async () => {
    const { auth, disable } = await setup();
    const pair = await signIn(auth);
    disable('u-vera');
    expect(await auth.verifyAccessToken(pair.accessToken)).toEqual({ ok: false, reason: 'token-invalid' });
  });

  it('garbage, a tampered token and a token signed with another secret are token-invalid', async () => {
    const { auth } = await setup();
    const pair = await signIn(auth);
    const [header, payload, signature] = pair.accessToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(pair.accessToken), roles: ['approver'] })).toString('base64url');
    const other = await signIn((await setup()).auth);
    for (const token of ['', 'abc', `${header}.${forged}.${signature}`, `${header}.${payload}.`, other.accessToken]) {
      expect(await auth.verifyAccessToken(token)).toEqual({ ok: false, reason: 'token-invalid' });
    }
  });

  it('the signing secret is created once and kept in the settings', async () => {
    const { auth, store } = await setup();
    const pair = await signIn(auth);
    const secret = await store.getSetting('auth.secret');
    expect(Buffer.from(secret ?? '', 'base64url')).toHaveLength(32);
    // A restarted server (new service, same store) accepts tokens issued before.
    const restarted = createAuthService({ store, now: createClock().now });
    expect((await restarted.verifyAccessToken(pair.accessToken)).ok).toBe(true);
    expect(await store.getSetting('auth.secret')).toBe(secret);
  });
});

