// SCIM 2.0 provisioning (C1–C9) against the real server, on the memory and the SQLite store. The
// requests are replayed in the exact form Microsoft Entra ID's provisioning service sends them
// (learn.microsoft.com "Develop and plan provisioning for a SCIM endpoint": capitalised ops,
// `$ref: null` members, "False" string booleans, path-less replace objects, application/scim+json).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashRefreshToken } from '../../server/auth/tokens';
import { NO_LOCAL_PASSWORD, UNASSIGNED_TEAM } from '../../server/identity/scim/scim-service';
import { defaultDeviceSettings } from '../../server/devices/settings';
import { login, openRaw, startTestServer, type TestServer } from '../support/server';

const TOKEN = randomBytes(36).toString('base64url');
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const PATCH_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

let srv: TestServer | null = null;
afterEach(async () => {
  await srv?.dispose();
  srv = null;
});

interface Answer {
  status: number;
  contentType: string;
  headers: Headers;
  body: Record<string, unknown>;
}

async function scim(method: string, path: string, body?: unknown, token: string | null = TOKEN): Promise<Answer> {
  if (srv === null) throw new Error('no server');
  const res = await fetch(`${srv.url}/scim/v2${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** Entra's create-user body (its SCIM validator's sample), for `userName`. */
const entraUser = (userName: string, externalId: string = randomUUID()) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
  externalId,
  userName,
  active: true,
  emails: [{ primary: true, type: 'work', value: `${userName}` }],
  meta: { resourceType: 'User' },
  name: { formatted: 'Jan de Vries', familyName: 'de Vries', givenName: 'Jan' },
  roles: [],
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Sociaal Domein' },
});

const entraGroup = (displayName: string) => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group', 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
  externalId: randomUUID(),
  displayName,
  meta: { resourceType: 'Group' },
});

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_SCHEMA], Operations });

async function createUser(userName: string): Promise<string> {
  const created = await scim('POST', '/Users', entraUser(userName));
  expect(created.status).toBe(201);
  return created.body.id as string;
}

/**
 * Signs a provisioned user in on a new device the way every sign-in ends (a device row and a
 * refresh token), then takes a real token pair from POST /api/auth/refresh. Provisioned users
 * have no local password (C5); the IdP sign-in (OIDC, another branch) binds devices like this.
 */
async function signInDevice(userId: string): Promise<{ deviceId: string; accessToken: string; refreshToken: string; teamId: string }> {
  if (srv === null) throw new Error('no server');
  const deviceId = randomUUID();
  const token = randomBytes(32).toString('base64url');
  const t = Date.now();
  await srv.store.createDevice({ id: deviceId, userId, name: 'test', createdAt: t, lastSeenAt: t, revokedAt: null });
  await srv.store.saveRefreshToken({ hash: hashRefreshToken(token), userId, deviceId, expiresAt: t + 3_600_000, usedAt: null });
  const pair = await refresh(token);
  expect(pair.status).toBe(200);
  const body = pair.body as { accessToken: string; refreshToken: string; user: { teamId: string } };
  return { deviceId, accessToken: body.accessToken, refreshToken: body.refreshToken, teamId: body.user.teamId };
}

/** A group's member ids as GET /Groups/:id lists them, sorted (members added together tie on time). */
async function memberIds(groupId: string): Promise<string[]> {
  const group = await scim('GET', `/Groups/${groupId}`);
  return (group.body.members as { value: string }[]).map((m) => m.value).sort();
}

async function refresh(refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${srv?.url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A socket the server has accepted (it speaks first once verified, authorised and loaded). */
async function openAccepted(userToken: string, room: string) {
  const raw = openRaw(srv!.url, room, userToken);
  await new Promise<void>((resolve) => raw.socket.once('message', () => resolve()));
  return raw;
}

describe('SCIM without SCIM_TOKEN', () => {
  it('[C1] /scim/v2 does not exist: 404, for every route and method', async () => {
    srv = await startTestServer();
    for (const [method, path] of [['GET', '/Users'], ['POST', '/Users'], ['GET', '/ServiceProviderConfig']] as const) {
      const answer = await scim(method, path, method === 'POST' ? entraUser('a@b.nl') : undefined);
      expect(answer.status).toBe(404);
    }
    expect(await srv.store.findUserByUsername('a@b.nl')).toBeNull();
  });

  it('[C1] with the built app served, /scim/v2 is still a 404, not the app shell', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'kt-dist-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
    try {
      srv = await startTestServer({ staticDir: dist });
      expect((await fetch(`${srv.url}/kantoor`)).status).toBe(200);
      const answer = await scim('GET', '/Users');
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ error: 'not-found' });
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });

  it('[C1] a SCIM_TOKEN shorter than 32 characters stops the start', async () => {
    await expect(startTestServer({ scimToken: 'short-token' })).rejects.toThrow(/SCIM_TOKEN/);
  });
});

describe.each([
  ['memory', false],
  ['sqlite', true],
] as const)('SCIM provisioning (%s store)', (_name, persistent) => {
  /** `wipe`: SCIM_DEPROVISION_WIPE (K27); default send-then-wipe lets a leaver's devices drain (K24). */
  const start = async (wipe?: 'wipe-now' | 'send-then-wipe') => {
    srv = await startTestServer({ scimToken: TOKEN, persistent, ...(wipe === undefined ? {} : { device: { ...defaultDeviceSettings, scimDeprovisionWipe: wipe } }) });
  };

  it('[C1] without the bearer token, or with a wrong one, every route answers 401 with an RFC 7644 error', async () => {
    await start();
    for (const token of [null, 'x'.repeat(48), `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      const answer = await scim('POST', '/Users', entraUser('indringer@gemeente.nl'), token);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(answer.body).toEqual({ schemas: [ERROR_SCHEMA], status: '401', detail: expect.any(String) as string });
      expect((await scim('GET', '/ServiceProviderConfig', undefined, token)).status).toBe(401);
    }
    expect(await srv!.store.findUserByUsername('indringer@gemeente.nl')).toBeNull();
    expect((await scim('GET', '/ServiceProviderConfig')).status).toBe(200);
  });

  it('[C2] Entra’s create flow: look up by userName, create, find again; a second create is 409 uniqueness', async () => {
    await start();
    const userName = `Test_User_${randomUUID()}@gemeente.nl`;
    const before = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`);
    expect(before.status).toBe(200);
    expect(before.contentType).toMatch(/^application\/scim\+json/);
    expect(before.body).toMatchObject({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] });

    const body = entraUser(userName);
    const created = await scim('POST', '/Users', body);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.headers.get('location')).toMatch(new RegExp(`/scim/v2/Users/${id}$`));
    expect(created.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName,
      externalId: body.externalId,
      active: true,
      displayName: 'Jan de Vries',
      emails: [{ value: userName, type: 'work', primary: true }],
      meta: { resourceType: 'User' },
    });

    // userName is not case-exact (RFC 7643 §4.1.1): Entra may send another casing.
    const found = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName.toUpperCase()}"`)}`);
    expect(found.body).toMatchObject({ totalResults: 1, Resources: [{ id, userName }] });
    expect((await scim('GET', `/Users/${id}`)).body).toMatchObject({ id, userName });
    const byExternal = await scim('GET', `/Users?filter=${encodeURIComponent(`externalId eq "${body.externalId}"`)}`);
    expect(byExternal.body).toMatchObject({ totalResults: 1 });

    await createUser(`tweede-${userName}`);
    const page = await scim('GET', '/Users?startIndex=2&count=1');
    expect(page.body).toMatchObject({ totalResults: 2, startIndex: 2, itemsPerPage: 1, Resources: [{ userName: `tweede-${userName}` }] });

    const again = await scim('POST', '/Users', entraUser(userName));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '409', scimType: 'uniqueness' });
    const stored = await srv!.store.getUser(id);
    expect(stored).toMatchObject({ username: userName, name: 'Jan de Vries', roles: ['field'], teamId: UNASSIGNED_TEAM.id, disabled: false });
  });

  it('[C2] local accounts are not the IdP’s: invisible to SCIM, and their username cannot be provisioned', async () => {
    await start();
    const found = await scim('GET', `/Users?filter=${encodeURIComponent('userName eq "kantoor"')}`);
    expect(found.body).toMatchObject({ totalResults: 0 });
    const all = await scim('GET', '/Users');
    expect(all.body).toMatchObject({ totalResults: 0 });
    const taken = await scim('POST', '/Users', entraUser('Kantoor'));
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ scimType: 'uniqueness' });
    const kantoor = await srv!.store.findUserByUsername('kantoor');
    expect((await scim('GET', `/Users/${kantoor!.id}`)).status).toBe(404);
    expect((await scim('PATCH', `/Users/${kantoor!.id}`, patch({ op: 'Replace', path: 'active', value: 'False' }))).status).toBe(404);
    expect((await srv!.store.getUser(kantoor!.id))!.disabled).toBe(false);
  });

  it('[C3] PATCH in Entra’s forms: attribute paths, "False"/"True" strings, path-less replace objects; unknown attributes ignored', async () => {
    await start();
    const id = await createUser('jan@gemeente.nl');
    const changed = await scim(
      'PATCH',
      `/Users/${id}`,
      patch(
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'j.devries@gemeente.nl' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
        { op: 'Add', path: 'title', value: 'Consulent Wmo' },
        { op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'Wijkteam' },
        { op: 'Replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:displayName', value: 'Jan de Vries-Bakker' },
      ),
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ displayName: 'Jan de Vries-Bakker', title: 'Consulent Wmo', emails: [{ value: 'j.devries@gemeente.nl' }], active: true });

    const off = await scim('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'False' }));
    expect(off.body).toMatchObject({ active: false });
    expect((await srv!.store.getUser(id))!.disabled).toBe(true);

    const on = await scim('PATCH', `/Users/${id}`, patch({ op: 'Replace', value: { active: 'True', 'name.givenName': 'Johannes', userName: 'johannes@gemeente.nl' } }));
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ active: true, userName: 'johannes@gemeente.nl' });

    const nested = await scim('PATCH', `/Users/${id}`, patch({ op: 'replace', value: { active: false, name: { formatted: 'J. de Vries' }, displayName: null } }));
    expect(nested.body).toMatchObject({ active: false, displayName: 'J. de Vries' });

    // PUT replaces; an absent `active` keeps the user as they are (no silent re-enable).
    const put = await scim('PUT', `/Users/${id}`, { ...entraUser('johannes@gemeente.nl'), active: undefined, displayName: 'Johannes de Vries' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ active: false, displayName: 'Johannes de Vries' });

    for (const bad of [
      patch({ op: 'Frobnicate', path: 'active', value: true }),
      patch({ op: 'Replace', path: 'active', value: 'nee' }),
      patch({ op: 'Remove', path: 'userName' }),
      { schemas: [PATCH_SCHEMA], Operations: [] },
    ]) {
      const refused = await scim('PATCH', `/Users/${id}`, bad);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400', scimType: expect.any(String) as string });
    }
    expect((await srv!.store.getUser(id))!).toMatchObject({ username: 'johannes@gemeente.nl', disabled: true });
  });

  it('[C4] deactivating a user revokes all their devices at once: sockets closed, refresh and access refused', async () => {
    // With wipe-now, as before K27; the default (send-then-wipe) lets the devices drain: K27's tests.
    await start('wipe-now');
    const id = await createUser('vera@gemeente.nl');
    const phone = await signInDevice(id);
    const tablet = await signInDevice(id);
    const onPhone = await openAccepted(phone.accessToken, `index:user:${id}`);
    const onTablet = await openAccepted(tablet.accessToken, `index:user:${id}`);

    const off = await scim('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'False' }));
    expect(off.status).toBe(200);
    expect(await onPhone.closed).toEqual({ code: 4401, reason: 'device-revoked' });
    expect(await onTablet.closed).toEqual({ code: 4401, reason: 'device-revoked' });
    for (const device of [phone, tablet]) {
      expect((await srv!.store.getDevice(device.deviceId))!.revokedAt).not.toBeNull();
      expect((await refresh(device.refreshToken)).status).toBe(401);
      const api = await fetch(`${srv!.url}/api/templates`, { headers: { authorization: `Bearer ${device.accessToken}` } });
      expect(api.status).toBe(401);
    }
    expect((await openRaw(srv!.url, `index:user:${id}`, phone.accessToken).closed).code).toBe(4401);

    // Re-enabling lets the user sign in again, but the revoked devices stay revoked.
    await scim('PATCH', `/Users/${id}`, patch({ op: 'Replace', value: { active: 'True' } }));
    expect((await refresh(phone.refreshToken)).status).toBe(401);
    const fresh = await signInDevice(id);
    expect(fresh.accessToken).toBeTruthy();
  });

  it('[C5] a provisioned user has no local password; DELETE revokes, hides and frees the userName, and keeps the row', async () => {
    // With wipe-now, as before K27; the default (send-then-wipe) lets the devices drain: K27's tests.
    await start('wipe-now');
    const id = await createUser('piet@gemeente.nl');
    for (const password of [NO_LOCAL_PASSWORD, '', 'scrypt$', 'wachtwoord']) {
      const res = await fetch(`${srv!.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'piet@gemeente.nl', password, deviceName: 'test' }),
      });
      expect([400, 401]).toContain(res.status);
    }
    // A password in the SCIM body changes nothing.
    await scim('PUT', `/Users/${id}`, { ...entraUser('piet@gemeente.nl'), password: 'Geheim-123456' });
    await expect(login(srv!.url, 'piet@gemeente.nl', 'Geheim-123456')).rejects.toThrow(/401/);

    const device = await signInDevice(id);
    const socket = await openAccepted(device.accessToken, `index:user:${id}`);
    const deleted = await scim('DELETE', `/Users/${id}`);
    expect(deleted.status).toBe(204);
    expect(await socket.closed).toEqual({ code: 4401, reason: 'device-revoked' });
    expect((await refresh(device.refreshToken)).status).toBe(401);
    const gone = await scim('GET', `/Users/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '404' });
    expect((await scim('DELETE', `/Users/${id}`)).status).toBe(404);
    // The row stays for the documents and reviews that name it; the userName is free again.
    expect(await srv!.store.getUser(id)).toMatchObject({ disabled: true, username: `deleted:${id}`, name: 'Jan de Vries' });
    const again = await createUser('piet@gemeente.nl');
    expect(again).not.toBe(id);
  });

  it('[C6] a user in several groups works in the first one joined; leaving it moves them on and closes their sockets', async () => {
    await start();
    const id = await createUser('anna@gemeente.nl');
    const a = (await scim('POST', '/Groups', entraGroup('Wijkteam Noord'))).body.id as string;
    const b = (await scim('POST', '/Groups', entraGroup('Wijkteam Zuid'))).body.id as string;
    const add = (group: string) => scim('PATCH', `/Groups/${group}`, patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: id }] }));
    expect((await add(a)).status).toBe(200);
    expect((await add(b)).status).toBe(200);
    expect((await srv!.store.getUser(id))!.teamId).toBe(a);
    const user = await scim('GET', `/Users/${id}`);
    expect((user.body.groups as { value: string }[]).map((g) => g.value).sort()).toEqual([a, b].sort());

    const device = await signInDevice(id);
    expect(device.teamId).toBe(a);
    const socket = await openAccepted(device.accessToken, `index:team:${a}`);
    const left = await scim('PATCH', `/Groups/${a}`, patch({ op: 'Remove', path: 'members', value: [{ $ref: null, value: id }] }));
    expect(left.status).toBe(200);
    expect(await socket.closed).toEqual({ code: 4401, reason: 'team-changed' });
    expect((await srv!.store.getUser(id))!.teamId).toBe(b);
    // The device is not revoked: it refreshes into the new team and the old team's room refuses it.
    const moved = await refresh(device.refreshToken);
    expect(moved.status).toBe(200);
    const pair = moved.body as { accessToken: string; user: { teamId: string } };
    expect(pair.user.teamId).toBe(b);
    expect((await openRaw(srv!.url, `index:team:${a}`, pair.accessToken).closed).code).toBe(4403);

    await scim('PATCH', `/Groups/${b}`, patch({ op: 'Remove', path: `members[value eq "${id}"]` }));
    expect((await srv!.store.getUser(id))!.teamId).toBe(UNASSIGNED_TEAM.id);
  });

  it('[C7] Entra’s group flow: look up, create, add and remove members, rename, delete', async () => {
    await start();
    const u1 = await createUser('u1@gemeente.nl');
    const u2 = await createUser('u2@gemeente.nl');
    const filter = encodeURIComponent('displayName eq "Wijkteam Oost"');
    expect((await scim('GET', `/Groups?excludedAttributes=members&filter=${filter}`)).body).toMatchObject({ totalResults: 0 });
    const created = await scim('POST', '/Groups', entraGroup('Wijkteam Oost'));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Wijkteam Oost', members: [] });
    expect(await srv!.store.getTeam(id)).toEqual({ id, name: 'Wijkteam Oost' });
    const listed = await scim('GET', `/Groups?excludedAttributes=members&filter=${filter}`);
    expect(listed.body).toMatchObject({ totalResults: 1, Resources: [{ id, displayName: 'Wijkteam Oost' }] });
    expect((listed.body.Resources as Record<string, unknown>[])[0]).not.toHaveProperty('members');

    const dup = await scim('POST', '/Groups', entraGroup('wijkteam oost'));
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({ scimType: 'uniqueness' });

    await scim('PATCH', `/Groups/${id}`, patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: u1 }, { $ref: null, value: u2 }] }));
    expect(await memberIds(id)).toEqual([u1, u2].sort());
    expect((await srv!.store.getUser(u2))!.teamId).toBe(id);

    // A member who is not a provisioned user refuses the whole operation.
    const kantoor = await srv!.store.findUserByUsername('kantoor');
    const refused = await scim('PATCH', `/Groups/${id}`, patch({ op: 'Remove', path: 'members', value: [{ value: u1 }] }, { op: 'Add', path: 'members', value: [{ value: kantoor!.id }] }));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidValue' });
    expect(await memberIds(id)).toEqual([u1, u2].sort());
    expect((await srv!.store.getUser(kantoor!.id))!.teamId).not.toBe(id);

    await scim('PATCH', `/Groups/${id}`, patch({ op: 'Remove', path: 'members', value: [{ $ref: null, value: u1 }] }));
    const renamed = await scim('PATCH', `/Groups/${id}`, patch({ op: 'Replace', path: 'displayName', value: 'Wijkteam Oost-Centrum' }));
    expect(renamed.body).toMatchObject({ displayName: 'Wijkteam Oost-Centrum', members: [{ value: u2 }] });
    expect((await srv!.store.getTeam(id))!.name).toBe('Wijkteam Oost-Centrum');

    expect((await scim('DELETE', `/Groups/${id}`)).status).toBe(204);
    expect((await scim('GET', `/Groups/${id}`)).status).toBe(404);
    expect((await srv!.store.getUser(u2))!.teamId).toBe(UNASSIGNED_TEAM.id);
    // The team row stays: documents belong to it.
    expect(await srv!.store.getTeam(id)).not.toBeNull();
  });

  it('[C8] refusals carry RFC 7644 error bodies: unknown id, bad JSON, bad filter, unknown route, missing userName', async () => {
    await start();
    const cases: [Answer, number, string | undefined][] = [
      [await scim('GET', `/Users/${randomUUID()}`), 404, undefined],
      [await scim('GET', `/Groups/${randomUUID()}`), 404, undefined],
      [await scim('POST', '/Users', '{"userName": '), 400, 'invalidSyntax'],
      [await scim('POST', '/Users', { schemas: [], active: true }), 400, 'invalidValue'],
      [await scim('GET', `/Users?filter=${encodeURIComponent('userName sw "j"')}`), 400, 'invalidFilter'],
      [await scim('GET', `/Users?filter=${encodeURIComponent('title eq "x"')}`), 400, 'invalidFilter'],
      [await scim('GET', '/Bulk'), 404, undefined],
      [await scim('POST', '/Users', '{"__proto__": {"x": 1}, "userName": "p@q.nl"}'), 400, 'invalidSyntax'],
    ];
    for (const [answer, status, scimType] of cases) {
      expect(answer.status).toBe(status);
      expect(answer.contentType).toMatch(/^application\/scim\+json/);
      expect(answer.body).toEqual({ schemas: [ERROR_SCHEMA], status: String(status), detail: expect.any(String) as string, ...(scimType ? { scimType } : {}) });
    }
  });

  it('[C9] every SCIM change leaves exactly one audit entry (the IdP as actor, with its address); a no-op leaves none', async () => {
    await start();
    const trail = async () => (await srv!.audit.log.query({})).map((e) => ({ action: e.action, userId: e.userId, deviceId: e.deviceId, address: e.address, details: e.details }));
    const since = async (n: number) => (await trail()).slice(n);
    const ip = '127.0.0.1';

    let seen = (await trail()).length;
    const id = await createUser('audit@gemeente.nl');
    expect(await since(seen)).toEqual([{ action: 'user-created', userId: null, deviceId: null, address: ip, details: { via: 'scim', userId: id, userName: 'audit@gemeente.nl', active: true } }]);

    seen = (await trail()).length;
    await scim('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'userName', value: 'audit@gemeente.nl' }));
    expect(await since(seen)).toEqual([]);

    await scim('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'title', value: 'Consulent' }));
    expect((await since(seen)).map((e) => [e.action, e.details.changed])).toEqual([['user-updated', ['title']]]);

    const phone = await signInDevice(id);
    const tablet = await signInDevice(id);
    seen = (await trail()).length;
    await scim('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'False' }));
    const off = await since(seen);
    expect(off.map((e) => e.action)).toEqual(['user-deactivated', 'device-revoked', 'device-revoked']);
    expect(off.slice(1).map((e) => e.details.deviceId).sort()).toEqual([phone.deviceId, tablet.deviceId].sort());

    seen = (await trail()).length;
    const group = (await scim('POST', '/Groups', entraGroup('Wijkteam West'))).body.id as string;
    await scim('PATCH', `/Groups/${group}`, patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: id }] }));
    await scim('PATCH', `/Groups/${group}`, patch({ op: 'Replace', path: 'displayName', value: 'Wijkteam West-Centrum' }));
    await scim('PATCH', `/Groups/${group}`, patch({ op: 'Add', path: 'members', value: [{ $ref: null, value: id }] }));
    await scim('DELETE', `/Groups/${group}`);
    await scim('PATCH', `/Users/${id}`, patch({ op: 'Replace', value: { active: 'True' } }));
    await scim('DELETE', `/Users/${id}`);
    const rest = await since(seen);
    expect(rest.map((e) => e.action)).toEqual(['team-created', 'team-members-changed', 'team-renamed', 'team-deleted', 'user-reactivated', 'user-deleted']);
    expect(rest[1]!.details).toEqual({ via: 'scim', teamId: group, added: [id], addedCount: 1, removed: [], removedCount: 0 });
    expect(rest.every((e) => e.userId === null && e.address === ip)).toBe(true);

    // Refusals change nothing and record nothing.
    seen = (await trail()).length;
    await scim('POST', '/Users', entraUser('kantoor'));
    await scim('PATCH', `/Users/${id}`, patch({ op: 'Replace', path: 'active', value: 'False' }));
    await scim('POST', '/Users', entraUser('x@y.nl'), 'wrong-token-wrong-token-wrong-token');
    expect(await since(seen)).toEqual([]);
  });

  it('[C8] discovery: ServiceProviderConfig, ResourceTypes and Schemas say what is supported', async () => {
    await start();
    const config = await scim('GET', '/ServiceProviderConfig');
    expect(config.body).toMatchObject({ patch: { supported: true }, filter: { supported: true }, bulk: { supported: false }, changePassword: { supported: false } });
    const types = await scim('GET', '/ResourceTypes');
    expect((types.body.Resources as { id: string }[]).map((r) => r.id)).toEqual(['User', 'Group']);
    const schemas = await scim('GET', '/Schemas');
    expect(schemas.body).toMatchObject({ totalResults: 2 });
    expect((await scim('GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User')).status).toBe(200);
  });
});
