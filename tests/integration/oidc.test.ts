// Municipal sign-in (I1–I9) against a real OpenID provider in-process (oidc-provider 8.8.1 on
// 127.0.0.1): the code flow with PKCE driven over HTTP, refresh that asks the IdP, an IdP-side
// disable, RP-initiated and back-channel logout, and the refusals in between.
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { readIdentityConfig, type OidcConfig } from '../../server/identity/oidc/config';
import { TokenResponseSchema } from '../../shared/protocol/http';
import { OidcLogoutResponseSchema, SignInOptionsSchema } from '../../shared/protocol/sign-in-options';
import { login, openRaw, startTestServer, type TestServer } from '../support/server';
import { startTestIdp, TestBrowser, type TestIdp } from '../support/test-idp';

let srv: TestServer | null = null;
let idp: TestIdp | null = null;
/** The settings the last setUp started the server with (a restart reuses them). */
let oidcConfig: OidcConfig | null = null;

afterEach(async () => {
  await srv?.dispose();
  await idp?.close();
  srv = null;
  idp = null;
});

const ROLE_MAP = 'Keukentafel.Veld=field,Keukentafel.Kantoor=office,Keukentafel.Kantoor=approver,Keukentafel.Beheer=admin';

async function setUp(env: Record<string, string> = {}, persistent = false): Promise<{ srv: TestServer; idp: TestIdp }> {
  idp = await startTestIdp();
  const read = readIdentityConfig({
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_ROLE_MAP: ROLE_MAP,
    ...env,
  });
  if (!read.ok) throw new Error(read.error);
  oidcConfig = read.config.oidc;
  srv = await startTestServer({ oidc: oidcConfig, localLogin: read.config.localLogin, persistent });
  idp.registerApp(srv.url);
  idp.accounts.set('sub-anna', {
    name: 'Anna de Vries',
    preferred_username: 'a.devries@voorbeeld.nl',
    email: 'a.devries@voorbeeld.nl',
    roles: ['Keukentafel.Veld', 'Iets.Anders'],
    groups: ['00000000-onbekende-groep', 'centrum'],
  });
  return { srv, idp };
}

/** The whole code flow as a browser walks it; resolves the app's landing URL. */
async function signInAt(server: TestServer, browser: TestBrowser, sub: string, deviceName = 'Telefoon Anna'): Promise<URL> {
  return browser.signIn(`${server.url}/api/auth/oidc/start?deviceName=${encodeURIComponent(deviceName)}`, sub);
}

async function redeem(server: TestServer, landing: URL): Promise<{ status: number; body: unknown }> {
  const ticket = new URLSearchParams(landing.hash.slice(1)).get('oidc-ticket') ?? '';
  const res = await fetch(`${server.url}/api/auth/oidc/redeem`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ticket }) });
  return { status: res.status, body: await res.json() };
}

async function signedIn(server: TestServer, browser: TestBrowser, sub: string): Promise<{ accessToken: string; refreshToken: string; user: { id: string; roles: string[]; teamId: string; name: string }; device?: { deviceId: string; recoveryKey: string } }> {
  const landing = await signInAt(server, browser, sub);
  const redeemed = await redeem(server, landing);
  expect(redeemed.status).toBe(200);
  const parsed = TokenResponseSchema.safeParse(redeemed.body);
  if (!parsed.success) throw new Error('no token pair');
  return parsed.data;
}

const refresh = (server: TestServer, refreshToken: string): Promise<Response> =>
  fetch(`${server.url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) });

const authorised = (server: TestServer, accessToken: string): Promise<Response> =>
  fetch(`${server.url}/api/templates`, { headers: { authorization: `Bearer ${accessToken}` } });

describe('municipal sign-in (OIDC)', () => {
  it('[I1] the sign-in options name the municipal sign-in only when OIDC_ISSUER is set', async () => {
    const plain = await startTestServer();
    try {
      const none = SignInOptionsSchema.parse(await (await fetch(`${plain.url}/api/auth/options`)).json());
      expect(none).toEqual({ local: true, oidc: null });
      expect((await fetch(`${plain.url}/api/auth/oidc/start`, { redirect: 'manual' })).status).toBe(404);
    } finally {
      await plain.dispose();
    }
    const { srv: server } = await setUp();
    const options = SignInOptionsSchema.parse(await (await fetch(`${server.url}/api/auth/options`)).json());
    expect(options).toEqual({ local: true, oidc: { startUrl: '/api/auth/oidc/start' } });
  });

  it('[I2][I3][K20] the code flow with PKCE creates the user from the claims and hands the app its own token pair and device keys', async () => {
    const { srv: server } = await setUp();
    const start = await fetch(`${server.url}/api/auth/oidc/start?deviceName=x`, { redirect: 'manual' });
    const authorize = new URL(start.headers.get('location') ?? '');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('nonce')).not.toBeNull();

    const pair = await signedIn(server, new TestBrowser(), 'sub-anna');
    // Roles through OIDC_ROLE_MAP (the unmapped value is ignored), the first known group as team.
    expect(pair.user).toMatchObject({ name: 'Anna de Vries', roles: ['field'], teamId: 'centrum' });
    // K20: the ticket also carries the new device's vault keys, as a password sign-in does.
    expect(pair.device?.recoveryKey).toMatch(/^[\w-]{43}$/);
    expect((await server.store.getDevice(pair.device?.deviceId ?? ''))?.recoveryKey).toBe(pair.device?.recoveryKey);
    expect((await authorised(server, pair.accessToken)).status).toBe(200);
    const stored = await server.store.findUserByIdentity(idp?.issuer ?? '', 'sub-anna');
    expect(stored).toMatchObject({ id: pair.user.id, username: 'a.devries@voorbeeld.nl', email: 'a.devries@voorbeeld.nl' });
    // No local password: the IdP user cannot sign in with one.
    expect((await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'a.devries@voorbeeld.nl', password: '!idp' }) })).status).toBe(401);

    // A second sign-in is the same user (matched by subject), updated from the claims.
    const account = idp?.accounts.get('sub-anna');
    if (account) account.name = 'Anna de Vries-Bakker';
    const again = await signedIn(server, new TestBrowser(), 'sub-anna');
    expect(again.user).toMatchObject({ id: pair.user.id, name: 'Anna de Vries-Bakker' });
  });

  it('[I2] a ticket is redeemed once; a callback in another browser, an unknown state or an IdP error is refused with a reason', async () => {
    const { srv: server } = await setUp();
    const landing = await signInAt(server, new TestBrowser(), 'sub-anna');
    expect((await redeem(server, landing)).status).toBe(200);
    expect(await redeem(server, landing)).toEqual({ status: 401, body: { error: 'ticket-invalid' } });

    // Login CSRF: a callback URL carried to another browser (without the state cookie) signs nobody in.
    const callback = await new TestBrowser().signIn(`${server.url}/api/auth/oidc/start`, 'sub-anna', (url) => url.pathname === '/api/auth/oidc/callback');
    expect(callback.searchParams.get('code')).not.toBeNull();
    const elsewhere = await fetch(callback, { redirect: 'manual' });
    expect(elsewhere.headers.get('location')).toBe('/?aanmelden-fout=oidc-expired');

    const forged = await fetch(`${server.url}/api/auth/oidc/callback?code=abc&state=verzonnen`, { redirect: 'manual' });
    expect(forged.headers.get('location')).toBe('/?aanmelden-fout=oidc-expired');
    const cancelled = await fetch(`${server.url}/api/auth/oidc/callback?error=access_denied&state=`, { redirect: 'manual' });
    expect(cancelled.headers.get('location')).toBe('/?aanmelden-fout=oidc-expired');
  });

  it('[I4] no mapped role, no known team, or a name of a local account: refused, nothing created', async () => {
    const { srv: server, idp: provider } = await setUp();
    provider.accounts.set('sub-geen-rol', { name: 'Geen Rol', preferred_username: 'geen.rol', roles: ['Iets.Anders'], groups: ['centrum'] });
    provider.accounts.set('sub-geen-team', { name: 'Geen Team', preferred_username: 'geen.team', roles: ['Keukentafel.Veld'], groups: ['elders'] });
    provider.accounts.set('sub-kaper', { name: 'Kaper', preferred_username: 'kantoor', roles: ['Keukentafel.Beheer'], groups: ['centrum'] });
    expect((await signInAt(server, new TestBrowser(), 'sub-geen-rol')).search).toBe('?aanmelden-fout=no-role');
    expect((await signInAt(server, new TestBrowser(), 'sub-geen-team')).search).toBe('?aanmelden-fout=no-team');
    // `kantoor` has a local password: an IdP that says "kantoor" does not become that account.
    expect((await signInAt(server, new TestBrowser(), 'sub-kaper')).search).toBe('?aanmelden-fout=account-conflict');
    expect(await server.store.findUserByUsername('geen.rol')).toBeNull();
    expect(await server.store.findUserByIdentity(provider.issuer, 'sub-kaper')).toBeNull();
    expect((await server.store.findUserByUsername('kantoor'))?.roles).toEqual(['office', 'approver']);
  });

  it('[I5] a refresh asks the IdP: roles follow it, and an account disabled there ends the sign-in and its sockets', async () => {
    const { srv: server, idp: provider } = await setUp();
    const pair = await signedIn(server, new TestBrowser(), 'sub-anna');
    const account = provider.accounts.get('sub-anna');
    if (account) account.roles = ['Keukentafel.Kantoor'];
    const refreshed = await refresh(server, pair.refreshToken);
    expect(refreshed.status).toBe(200);
    const next = TokenResponseSchema.parse(await refreshed.json());
    expect(next.user.roles).toEqual(['office', 'approver']);

    const room = `doc:${crypto.randomUUID()}`;
    const socket = openRaw(server.url, room, next.accessToken);
    await new Promise<void>((resolve) => socket.socket.once('message', () => resolve()));
    provider.disabled.add('sub-anna');
    const refused = await refresh(server, next.refreshToken);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'idp-refused' });
    expect(await socket.closed).toEqual({ code: 4401, reason: 'device-revoked' });
    expect((await authorised(server, next.accessToken)).status).toBe(401);
  });

  it('[I5] an IdP that does not answer at all does not end the sign-in: offline work goes on', async () => {
    const { srv: server, idp: provider } = await setUp();
    const pair = await signedIn(server, new TestBrowser(), 'sub-anna');
    await provider.close();
    const refreshed = await refresh(server, pair.refreshToken);
    expect(refreshed.status).toBe(200);
    const next = TokenResponseSchema.parse(await refreshed.json());
    expect((await authorised(server, next.accessToken)).status).toBe(200);
  });

  it('[I5] a device signed in with a password is not asked about at the IdP', async () => {
    const { srv: server } = await setUp();
    const local = await login(server.url, 'veldwerker');
    expect((await refresh(server, local.refreshToken)).status).toBe(200);
  });

  it('[I6][I7] RP-initiated logout: this device signs out, the IdP ends its session and its back-channel logout ends the other device of that session', async () => {
    const { srv: server, idp: provider } = await setUp();
    const browser = new TestBrowser();
    const phone = await signedIn(server, browser, 'sub-anna');
    // Same browser, same IdP session (sid): a second device sign-in without a new password.
    const tablet = await signedIn(server, browser, 'sub-anna');
    const room = `doc:${crypto.randomUUID()}`;
    const onTablet = openRaw(server.url, room, tablet.accessToken);
    await new Promise<void>((resolve) => onTablet.socket.once('message', () => resolve()));

    const res = await fetch(`${server.url}/api/auth/oidc/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: phone.refreshToken, returnTo: 'https://elders.example/' }),
    });
    const { endSessionUrl } = OidcLogoutResponseSchema.parse(await res.json());
    expect(endSessionUrl).not.toBeNull();
    const end = new URL(endSessionUrl ?? '');
    expect(end.origin).toBe(provider.issuer);
    // Not back to another site: the app's own origin.
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${server.url}/`);
    expect((await refresh(server, phone.refreshToken)).status).toBe(401);
    // U5: the sign-out through the IdP route is one entry on the trail, like POST /api/auth/logout.
    const signOuts = (await server.audit.log.query({})).filter((e) => e.action === 'sign-out');
    expect(signOuts.map((e) => ({ userId: e.userId, deviceId: e.deviceId }))).toEqual([{ userId: phone.user.id, deviceId: expect.any(String) as string }]);

    const back = await browser.logoutAtIdp(end.href);
    expect(back.href).toBe(`${server.url}/`);
    expect(provider.backchannelErrors).toEqual([]);
    expect(await onTablet.closed).toEqual({ code: 4401, reason: 'device-revoked' });
    expect((await refresh(server, tablet.refreshToken)).status).toBe(401);
  });

  it('[I7] a back-channel logout token that is not the IdP’s signed one ends nothing', async () => {
    const { srv: server } = await setUp();
    const pair = await signedIn(server, new TestBrowser(), 'sub-anna');
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ iss: idp?.issuer, aud: idp?.clientId, sub: 'sub-anna', iat: Math.floor(Date.now() / 1000), events: { 'http://schemas.openid.net/event/backchannel-logout': {} } })).toString('base64url');
    const post = (form: string): Promise<Response> =>
      fetch(`${server.url}/api/auth/oidc/backchannel-logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    expect((await post(`logout_token=${header}.${body}.`)).status).toBe(400);
    expect((await post('iets=anders')).status).toBe(400);
    expect((await refresh(server, pair.refreshToken)).status).toBe(200);
  });

  it('[I8] LOCAL_LOGIN=off refuses passwords and says so in the sign-in options', async () => {
    const { srv: server } = await setUp({ LOCAL_LOGIN: 'off' });
    const options = SignInOptionsSchema.parse(await (await fetch(`${server.url}/api/auth/options`)).json());
    expect(options.local).toBe(false);
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'veldwerker', password: 'test-wachtwoord-123' }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'local-login-off' });
  });

  it('[I9] the audit trail holds each municipal sign-in, each refusal with its reason, and each device the IdP ended', async () => {
    const { srv: server, idp: provider } = await setUp();
    provider.accounts.set('sub-geen-rol', { name: 'Geen Rol', preferred_username: 'geen.rol', roles: [], groups: ['centrum'] });
    const entries = async () => (await server.audit.log.query({})).map((e) => ({ action: e.action, userId: e.userId, deviceId: e.deviceId, details: e.details, address: e.address }));

    const pair = await signedIn(server, new TestBrowser(), 'sub-anna');
    // Entries are written before the answer that ends the step: no waiting needed.
    let seen = await entries();
    const deviceId = seen.find((e) => e.action === 'sign-in')?.deviceId ?? null;
    expect(deviceId).not.toBeNull();
    expect(seen).toEqual([
      { action: 'user-created', userId: pair.user.id, deviceId: null, details: { source: 'oidc', detail: 'subject sub-anna' }, address: '127.0.0.1' },
      { action: 'sign-in', userId: pair.user.id, deviceId, details: { method: 'oidc' }, address: '127.0.0.1' },
      { action: 'device-registered', userId: pair.user.id, deviceId, details: { method: 'oidc' }, address: '127.0.0.1' },
    ]);

    expect((await signInAt(server, new TestBrowser(), 'sub-geen-rol')).search).toBe('?aanmelden-fout=no-role');
    seen = await entries();
    expect(seen[3]).toEqual({ action: 'sign-in-failed', userId: null, deviceId: null, details: { method: 'oidc', reason: 'no-role: subject sub-geen-rol' }, address: '127.0.0.1' });

    provider.disabled.add('sub-anna');
    expect((await refresh(server, pair.refreshToken)).status).toBe(401);
    seen = await entries();
    expect(seen.slice(4)).toEqual([{ action: 'device-revoked', userId: pair.user.id, deviceId, details: { reason: 'idp-refused', detail: 'invalid_grant' }, address: null }]);
  });

  it('[I3][I4][I5] with the SQLite store the subject link and the IdP session survive a restart, and the refresh still asks the IdP', async () => {
    const { srv: first, idp: provider } = await setUp({}, true);
    const pair = await signedIn(first, new TestBrowser(), 'sub-anna');
    // A second sign-in finds the same user by subject, not a new one.
    expect((await signedIn(first, new TestBrowser(), 'sub-anna')).user.id).toBe(pair.user.id);
    const dataDir = first.dataDir;
    if (dataDir === null) throw new Error('no data dir');
    await first.close();
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));
    srv = await startTestServer({ dataDir, oidc: oidcConfig });
    expect(await srv.store.findUserByIdentity(provider.issuer, 'sub-anna')).toMatchObject({ id: pair.user.id, roles: ['field'] });
    const refreshed = await refresh(srv, pair.refreshToken);
    expect(refreshed.status).toBe(200);
    provider.disabled.add('sub-anna');
    const next = TokenResponseSchema.parse(await refreshed.json());
    expect((await refresh(srv, next.refreshToken)).status).toBe(401);
  });
});
