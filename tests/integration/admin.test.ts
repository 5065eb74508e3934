// Administration (B1–B8) against the real server in-process: the /api/admin routes with real
// tokens, real sign-ins of the accounts they make, and real sockets that must close when a device
// loses its rights.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_LOCAL_PASSWORD } from '../../server/identity/scim/scim-service';
import { login, openRaw, startTestServer, type Session, type TestServer } from '../support/server';

let server: TestServer;
let admin: Session;

beforeAll(async () => {
  server = await startTestServer();
  admin = await login(server.url, 'beheerder');
});

afterAll(async () => {
  await server?.dispose();
});

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

async function call(method: string, path: string, token: string | null, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function signIn(username: string, password: string, extra: Record<string, unknown> = {}): Promise<Reply> {
  const response = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, deviceName: 'Telefoon van test', ...extra }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const refresh = (refreshToken: string, extra: Record<string, unknown> = {}): Promise<Reply> => call('POST', '/api/auth/refresh', null, { refreshToken, ...extra });

let counter = 0;
async function createUser(overrides: Record<string, unknown> = {}): Promise<{ id: string; username: string; password: string }> {
  counter += 1;
  const username = `collega${counter}`;
  const password = `een-lang-wachtwoord-${counter}`;
  const created = await call('POST', '/api/admin/users', admin.accessToken, {
    username,
    name: `Collega ${counter}`,
    teamId: 'centrum',
    roles: ['field'],
    password,
    ...overrides,
  });
  expect(created.status).toBe(201);
  return { id: String(created.body.id), username, password };
}

describe('administration (B)', () => {
  it('[B1] only the admin role reaches /api/admin; the demo administrator is beheerder', async () => {
    expect(admin.user.roles).toEqual(['admin']);
    expect((await call('GET', '/api/admin/users', null)).status).toBe(401);
    for (const username of ['veldwerker', 'kantoor']) {
      const session = await login(server.url, username);
      for (const [method, path, body] of [
        ['GET', '/api/admin/users', undefined],
        ['POST', '/api/admin/users', { username: 'x1', name: 'X', teamId: 'centrum', roles: ['admin'], password: 'een-lang-wachtwoord' }],
        ['GET', '/api/admin/teams', undefined],
        ['POST', '/api/admin/teams', { name: 'Stiekem' }],
      ] as const) {
        const answer = await call(method, path, session.accessToken, body);
        expect(answer, `${username} ${method} ${path}`).toEqual({ status: 403, body: { error: 'role-required', role: 'admin' } });
      }
    }
    expect((await call('GET', '/api/admin/users', admin.accessToken)).status).toBe(200);
    expect((await server.store.findUserByUsername('x1'))).toBeNull();
  });

  it('[B2] an admin creates, finds and changes a user; the account signs in and new rights apply at once', async () => {
    const team = await call('POST', '/api/admin/teams', admin.accessToken, { name: 'Wijkteam Noord' });
    expect(team.status).toBe(201);
    const user = await createUser({ name: 'Fatima El Amrani', functionTitle: 'Consulent Jeugd' });
    const found = await call('GET', '/api/admin/users?q=amrani', admin.accessToken);
    expect((found.body.users as { id: string }[]).map((u) => u.id)).toEqual([user.id]);
    expect((await call('GET', '/api/admin/users?q=jeugd', admin.accessToken)).body.users).toHaveLength(1);

    const session = await signIn(user.username, user.password);
    expect(session.status).toBe(200);
    const token = String(session.body.accessToken);
    expect((await call('GET', '/api/outbox', token)).status).toBe(403);

    const changed = await call('PATCH', `/api/admin/users/${user.id}`, admin.accessToken, {
      roles: ['field', 'office'],
      teamId: String(team.body.id),
      functionTitle: 'Senior consulent',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ roles: ['field', 'office'], teamId: team.body.id, teamName: 'Wijkteam Noord', functionTitle: 'Senior consulent', active: true });
    // The same access token: rights come from the row on every request.
    expect((await call('GET', '/api/outbox', token)).status).toBe(200);

    expect((await call('POST', '/api/admin/users', admin.accessToken, { username: user.username.toUpperCase(), name: 'Dubbel', teamId: 'centrum', roles: [], password: 'een-lang-wachtwoord' })).body).toEqual({ error: 'username-taken' });
    expect((await call('POST', '/api/admin/users', admin.accessToken, { username: 'nieuw', name: 'N', teamId: 'bestaat-niet', roles: [], password: 'een-lang-wachtwoord' })).status).toBe(422);
    expect((await call('POST', '/api/admin/users', admin.accessToken, { username: 'kort', name: 'K', teamId: 'centrum', roles: [], password: 'kort' })).status).toBe(400);
    // P9: the name and function title print under a signature; what the fonts cannot print is refused here.
    expect(await call('POST', '/api/admin/users', admin.accessToken, { username: 'pua', name: 'Anna \uE000', teamId: 'centrum', roles: [], password: 'een-lang-wachtwoord' })).toEqual({
      status: 422,
      body: { error: 'unprintable' },
    });
    expect((await call('PATCH', `/api/admin/users/${user.id}`, admin.accessToken, { functionTitle: 'Jurist \u0007' })).body).toEqual({ error: 'unprintable' });
    const renamed = await call('PATCH', `/api/admin/teams/${String(team.body.id)}`, admin.accessToken, { name: 'Wijkteam Noord-Oost' });
    expect(renamed.body).toEqual({ id: team.body.id, name: 'Wijkteam Noord-Oost', members: 1 });
  });

  it('[B3] a password reset works for local accounts only and ends every sign-in made with the old password', async () => {
    const user = await createUser();
    const before = await signIn(user.username, user.password);
    const socket = openRaw(server.url, `index:user:${user.id}`, String(before.body.accessToken));
    await socket.accepted;
    const reset = await call('POST', `/api/admin/users/${user.id}/password`, admin.accessToken, { password: 'het-nieuwe-wachtwoord' });
    expect(reset.status).toBe(204);
    expect(await socket.closed).toEqual({ code: 4401, reason: 'device-revoked' });
    expect((await refresh(String(before.body.refreshToken))).status).toBe(401);
    expect((await signIn(user.username, user.password)).status).toBe(401);
    expect((await signIn(user.username, 'het-nieuwe-wachtwoord')).status).toBe(200);

    // An account provisioned without a local password (IdP sign-in) has nothing to reset.
    const provisioned = await createUser();
    await server.store.setPasswordHash(provisioned.id, NO_LOCAL_PASSWORD);
    expect(await call('POST', `/api/admin/users/${provisioned.id}/password`, admin.accessToken, { password: 'het-nieuwe-wachtwoord' })).toEqual({
      status: 409,
      body: { error: 'no-local-password' },
    });
    expect((await call('GET', `/api/admin/users/${provisioned.id}`, admin.accessToken)).body.localPassword).toBe(false);
  });

  it('[B4] deactivating a user revokes all their devices at once: sockets closed, tokens and refresh refused', async () => {
    const user = await createUser();
    const phone = await signIn(user.username, user.password);
    const tablet = await signIn(user.username, user.password);
    const sockets = [phone, tablet].map((s) => openRaw(server.url, `index:user:${user.id}`, String(s.body.accessToken)));
    await Promise.all(sockets.map((s) => s.accepted));

    const off = await call('PATCH', `/api/admin/users/${user.id}`, admin.accessToken, { active: false });
    expect(off.body).toMatchObject({ active: false });
    for (const s of sockets) expect(await s.closed).toEqual({ code: 4401, reason: 'device-revoked' });
    for (const s of [phone, tablet]) {
      expect((await call('GET', '/api/templates', String(s.body.accessToken))).status).toBe(401);
      expect((await refresh(String(s.body.refreshToken))).status).toBe(401);
    }
    expect((await signIn(user.username, user.password)).status).toBe(401);
    const devices = await call('GET', `/api/admin/users/${user.id}/devices`, admin.accessToken);
    expect((devices.body.devices as { revokedAt: number | null }[]).every((d) => d.revokedAt !== null)).toBe(true);

    // Reactivated: a new sign-in is needed; the revoked devices stay revoked.
    await call('PATCH', `/api/admin/users/${user.id}`, admin.accessToken, { active: true });
    expect((await refresh(String(phone.body.refreshToken))).status).toBe(401);
    expect((await signIn(user.username, user.password)).status).toBe(200);
  });

  it('[B5] an admin cannot deactivate or demote themselves, nor remove the last active admin', async () => {
    const me = admin.user.id;
    expect(await call('PATCH', `/api/admin/users/${me}`, admin.accessToken, { active: false })).toEqual({ status: 409, body: { error: 'own-account' } });
    expect(await call('PATCH', `/api/admin/users/${me}`, admin.accessToken, { roles: ['office'] })).toEqual({ status: 409, body: { error: 'own-account' } });
    const second = await createUser({ roles: ['admin'] });
    const other = await signIn(second.username, second.password);
    const otherToken = String(other.body.accessToken);
    // Two admins: one may demote the other, but not the one that is then left.
    expect((await call('PATCH', `/api/admin/users/${me}`, otherToken, { roles: ['field'] })).status).toBe(200);
    expect((await call('PATCH', `/api/admin/users/${me}`, otherToken, { roles: ['admin'] })).status).toBe(200);
    // Only admins act and none can remove themselves, so one active admin always remains.
    expect((await call('PATCH', `/api/admin/users/${second.id}`, admin.accessToken, { active: false })).status).toBe(200);
    const users = (await call('GET', '/api/admin/users', admin.accessToken)).body.users as { username: string; roles: string[]; active: boolean }[];
    expect(users.filter((u) => u.active && u.roles.includes('admin')).map((u) => u.username)).toEqual(['beheerder']);
  });

  it('[B6] the device list shows name, first and last seen, app version and storage persistence as reported', async () => {
    const user = await createUser();
    const first = await signIn(user.username, user.password, { appVersion: '0.1.0', storagePersisted: false });
    let devices = (await call('GET', `/api/admin/users/${user.id}/devices`, admin.accessToken)).body.devices as Record<string, unknown>[];
    expect(devices).toHaveLength(1);
    expect(devices[0]).toMatchObject({ name: 'Telefoon van test', appVersion: '0.1.0', storagePersisted: false, revokedAt: null });
    expect(devices[0]?.firstSeenAt).toBe(devices[0]?.lastSeenAt);

    const refreshed = await refresh(String(first.body.refreshToken), { appVersion: '0.2.0', storagePersisted: true });
    expect(refreshed.status).toBe(200);
    devices = (await call('GET', `/api/admin/users/${user.id}/devices`, admin.accessToken)).body.devices as Record<string, unknown>[];
    expect(devices[0]).toMatchObject({ appVersion: '0.2.0', storagePersisted: true });
    // An app that says nothing keeps what was known.
    await refresh(String(refreshed.body.refreshToken));
    devices = (await call('GET', `/api/admin/users/${user.id}/devices`, admin.accessToken)).body.devices as Record<string, unknown>[];
    expect(devices[0]).toMatchObject({ appVersion: '0.2.0', storagePersisted: true });
    expect((await signIn(user.username, user.password, { appVersion: 'x'.repeat(65) })).status).toBe(400);
  });

  it('[B7] "Apparaat intrekken" ends that device only; a changed team closes sockets so rooms are checked again', async () => {
    const user = await createUser();
    const phone = await signIn(user.username, user.password);
    const tablet = await signIn(user.username, user.password);
    const phoneSocket = openRaw(server.url, 'index:team:centrum', String(phone.body.accessToken));
    await phoneSocket.accepted;
    const deviceId = ((await call('GET', `/api/admin/users/${user.id}/devices`, admin.accessToken)).body.devices as { id: string; name: string }[])[1]?.id;
    const revoked = await call('POST', `/api/admin/devices/${String(deviceId)}/revoke`, admin.accessToken);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(Number));
    expect(await phoneSocket.closed).toEqual({ code: 4401, reason: 'device-revoked' });
    // K23: a revocation without a body is wipe-now (a lost phone), and the refusal says so.
    expect(await refresh(String(phone.body.refreshToken))).toEqual({ status: 401, body: { error: 'device-revoked', wipe: 'wipe-now' } });
    expect((await call('GET', '/api/templates', String(tablet.body.accessToken))).status).toBe(200);
    expect((await call('POST', '/api/admin/devices/onbekend/revoke', admin.accessToken)).status).toBe(404);

    const team = await call('POST', '/api/admin/teams', admin.accessToken, { name: 'Wijkteam Zuid' });
    const tabletSocket = openRaw(server.url, 'index:team:centrum', String(tablet.body.accessToken));
    await tabletSocket.accepted;
    await call('PATCH', `/api/admin/users/${user.id}`, admin.accessToken, { teamId: String(team.body.id) });
    expect((await tabletSocket.closed).code).toBe(4401);
    const again = openRaw(server.url, 'index:team:centrum', String(tablet.body.accessToken));
    expect((await again.closed).code).toBe(4403);
  });

  it('[B8] each admin action leaves exactly one audit entry naming the admin, their device and address', async () => {
    const start = Date.now();
    const team = await call('POST', '/api/admin/teams', admin.accessToken, { name: 'Wijkteam West' });
    await call('PATCH', `/api/admin/teams/${String(team.body.id)}`, admin.accessToken, { name: 'Wijkteam West-Oost' });
    const user = await createUser();
    const signedIn = await signIn(user.username, user.password);
    expect(signedIn.status).toBe(200);
    await call('PATCH', `/api/admin/users/${user.id}`, admin.accessToken, { roles: ['field', 'approver'] });
    await call('PATCH', `/api/admin/users/${user.id}`, admin.accessToken, { teamId: String(team.body.id) });
    await call('PATCH', `/api/admin/users/${user.id}`, admin.accessToken, { name: 'Nieuwe Naam', functionTitle: 'Jurist' });
    const devices = (await call('GET', `/api/admin/users/${user.id}/devices`, admin.accessToken)).body.devices as { id: string }[];
    await call('POST', `/api/admin/devices/${String(devices[0]?.id)}/revoke`, admin.accessToken);
    // Revoking again changes nothing and records nothing.
    await call('POST', `/api/admin/devices/${String(devices[0]?.id)}/revoke`, admin.accessToken);
    await call('POST', `/api/admin/users/${user.id}/password`, admin.accessToken, { password: 'weer-een-nieuw-wachtwoord' });
    await call('PATCH', `/api/admin/users/${user.id}`, admin.accessToken, { active: false });
    await call('PATCH', `/api/admin/users/${user.id}`, admin.accessToken, { active: true });
    // A refused change (own account) records nothing.
    await call('PATCH', `/api/admin/users/${admin.user.id}`, admin.accessToken, { active: false });

    const entries = (await server.audit.log.query({ userId: admin.user.id, from: start })).filter((e) => e.action !== 'sign-in' && e.action !== 'device-registered');
    expect(entries.map((e) => e.action)).toEqual([
      'team-created',
      'team-renamed',
      'user-created',
      'role-changed',
      'team-changed',
      'user-updated',
      'device-revoked',
      'password-reset',
      'user-deactivated',
      'user-reactivated',
    ]);
    for (const entry of entries) {
      expect(entry.deviceId).not.toBeNull();
      expect(entry.address).toBe('127.0.0.1');
    }
    expect(entries[3]?.details).toMatchObject({ userId: user.id, from: ['field'], to: ['field', 'approver'] });
    expect(entries[5]?.details).toMatchObject({ fields: ['name', 'functionTitle'] });
  });
});
