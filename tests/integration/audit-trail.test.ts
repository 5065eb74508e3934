// The audit trail against the real server (U5–U8): each action leaves exactly one entry naming
// who, on which device, which document and from which address; an idempotent replay leaves none;
// GET /api/audit is for admins only, filters and exports CSV; a document's log shows its own
// entries to its team; and no route changes or removes an entry (U2).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import type { AuditAction, AuditQuery, AuditRecord } from '../../server/audit/types';
import { createMemoryDms, type MemoryDms } from '../../server/dms/memory';
import { WorkflowStatus } from '../../shared/model/index-entry';
import type { AuditListBody, DocumentLogBody } from '../../shared/protocol/audit';
import { act, eventually, fetchPdf, newKey } from '../support/api';
import { writeDecision } from '../support/decision';
import { writeLetter } from '../support/letter';
import { addSignature } from '../../shared/model/signatures';
import { AckingClient, login, openDocument, startTestServer, type Session, type TestServer } from '../support/server';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
const dmsList: MemoryDms[] = [];
const tempDirs: string[] = [];
afterEach(async () => {
  for (const d of dmsList.splice(0)) d.release();
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function server(persistent = false): Promise<TestServer & { dms: MemoryDms }> {
  const dms = createMemoryDms();
  dmsList.push(dms);
  const s = await startTestServer({ dms, persistent });
  servers.push(s);
  return { ...s, dms };
}

async function open(s: TestServer, session: Session, id: string = randomUUID()): Promise<{ id: string; client: AckingClient }> {
  const opened = await openDocument(s.url, session.accessToken, id);
  clients.push(opened.client);
  return opened;
}

/** An admin in the demo team (the demo admin account is the admin branch's decision). */
async function admin(s: TestServer): Promise<Session> {
  await s.store.createUser({
    id: 'u-beheer',
    username: 'beheer-test',
    name: 'Bea Beheer',
    teamId: 'centrum',
    roles: ['admin'],
    passwordHash: await hashPassword('beheer-wachtwoord'),
    disabled: false,
  });
  return login(s.url, 'beheer-test', 'beheer-wachtwoord');
}

const all = (s: TestServer, filter: AuditQuery = {}): Promise<AuditRecord[]> => s.audit.log.query(filter);
const only = async (s: TestServer, action: AuditAction, filter: AuditQuery = {}): Promise<AuditRecord[]> =>
  (await all(s, filter)).filter((e) => e.action === action);

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('audit trail: sign-in and devices (U5)', () => {
  it('[U5] a sign-in leaves one sign-in and one device-registered entry with user, device and address', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const signIns = await only(s, 'sign-in');
    const devices = await only(s, 'device-registered');
    expect(signIns).toHaveLength(1);
    expect(devices).toHaveLength(1);
    expect(signIns[0]).toMatchObject({ userId: vera.user.id, address: '127.0.0.1', documentId: null, details: { method: 'password' } });
    expect(devices[0]).toMatchObject({ userId: vera.user.id, deviceId: signIns[0]?.deviceId, details: { name: 'test' } });
    expect(await s.store.getDevice(signIns[0]?.deviceId ?? '')).toMatchObject({ userId: vera.user.id });
  });

  it('[U5] a failed sign-in leaves one entry: with the account when the name is known, without when not', async () => {
    const s = await server();
    expect((await post(`${s.url}/api/auth/login`, { username: 'veldwerker', password: 'fout' })).status).toBe(401);
    expect((await post(`${s.url}/api/auth/login`, { username: '=niemand', password: 'fout' })).status).toBe(401);
    const failed = await only(s, 'sign-in-failed');
    const vera = await s.store.findUserByUsername('veldwerker');
    expect(failed).toEqual([
      expect.objectContaining({ userId: vera?.id, deviceId: null, address: '127.0.0.1', details: { username: 'veldwerker', reason: 'invalid-credentials' } }),
      expect.objectContaining({ userId: null, details: { username: '=niemand', reason: 'invalid-credentials' } }),
    ]);
    expect(await only(s, 'sign-in')).toEqual([]);
    expect(await only(s, 'device-registered')).toEqual([]);
  });

  it('[U5] sign-out leaves one entry; a reused refresh token leaves one device-revoked entry', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const deviceId = (await only(s, 'sign-in'))[0]?.deviceId;
    expect((await post(`${s.url}/api/auth/logout`, { refreshToken: vera.refreshToken })).status).toBe(204);
    // A second sign-out of the same token changes nothing (idempotent) and records nothing.
    expect((await post(`${s.url}/api/auth/logout`, { refreshToken: vera.refreshToken })).status).toBe(204);
    expect(await only(s, 'sign-out')).toEqual([expect.objectContaining({ userId: vera.user.id, deviceId, details: { reason: 'sign-out' } })]);

    const kantoor = await login(s.url, 'kantoor');
    const kantoorDevice = (await only(s, 'sign-in', { userId: kantoor.user.id }))[0]?.deviceId;
    expect((await post(`${s.url}/api/auth/refresh`, { refreshToken: kantoor.refreshToken })).status).toBe(200);
    expect((await post(`${s.url}/api/auth/refresh`, { refreshToken: kantoor.refreshToken })).status).toBe(401);
    // Presented a third time: still refused, but the device was already revoked: no new entry.
    expect((await post(`${s.url}/api/auth/refresh`, { refreshToken: kantoor.refreshToken })).status).toBe(401);
    expect(await only(s, 'device-revoked')).toEqual([
      expect.objectContaining({ userId: kantoor.user.id, deviceId: kantoorDevice, details: { reason: 'refresh-token-reused' } }),
    ]);
  });
});

describe('audit trail: documents and workflow (U5)', () => {
  it('[U5] creation, submit, approve, PDF download and delivery each leave one entry; replays leave none', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const veraDevice = (await only(s, 'sign-in', { userId: vera.user.id }))[0]?.deviceId;
    const { id, client } = await open(s, vera);
    await eventually(async () => (await only(s, 'document-created')).length === 1, 'document-created');
    expect(await only(s, 'document-created')).toEqual([
      expect.objectContaining({ userId: vera.user.id, deviceId: veraDevice, documentId: id, address: '127.0.0.1' }),
    ]);
    // A second connection to the same document creates nothing.
    await open(s, kantoor, id);
    await writeDecision(client, id, vera, { maatwerk: true });

    const submitKey = newKey();
    expect((await act(s.url, vera.accessToken, id, 'submit', submitKey)).status).toBe(202);
    expect((await act(s.url, vera.accessToken, id, 'submit', submitKey)).status).toBe(202); // replay
    expect(await only(s, 'submitted')).toEqual([
      expect.objectContaining({ userId: vera.user.id, deviceId: veraDevice, documentId: id, details: { version: 1, status: WorkflowStatus.awaitingApproval } }),
    ]);
    // A refusal is not an action carried out: the field worker cannot approve.
    expect((await act(s.url, vera.accessToken, id, 'approve')).status).toBe(409);
    expect(await only(s, 'approved')).toEqual([]);

    const approveKey = newKey();
    expect((await act(s.url, kantoor.accessToken, id, 'approve', approveKey)).status).toBe(202);
    expect((await act(s.url, kantoor.accessToken, id, 'approve', approveKey)).status).toBe(202); // replay
    expect(await only(s, 'approved')).toEqual([expect.objectContaining({ userId: kantoor.user.id, documentId: id, details: { version: 1, status: WorkflowStatus.submitted } })]);

    await eventually(async () => (await only(s, 'delivered')).length === 1, 'delivered entry');
    expect(await only(s, 'delivered')).toEqual([
      expect.objectContaining({ userId: null, deviceId: null, address: null, documentId: id, details: expect.objectContaining({ version: 1 }) as unknown }),
    ]);

    expect((await fetchPdf(s.url, `/api/documents/${id}/submissions/1/pdf`, { bearer: kantoor.accessToken })).status).toBe(200);
    expect(await only(s, 'pdf-downloaded')).toEqual([
      expect.objectContaining({ userId: kantoor.user.id, documentId: id, details: expect.objectContaining({ version: 1, kind: 'decision' }) as unknown }),
    ]);
    // Every action on the document, each once, in the order they happened.
    expect((await all(s, { documentId: id })).map((e) => e.action)).toEqual(['document-created', 'submitted', 'approved', 'delivered', 'pdf-downloaded']);
  });

  it('[U5] return, a failed delivery and its retry each leave one entry', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const returned = await open(s, vera);
    await writeDecision(returned.client, returned.id, vera, { maatwerk: true });
    expect((await act(s.url, vera.accessToken, returned.id, 'submit')).status).toBe(202);
    const returnKey = newKey();
    const payload = { remark: 'Graag de termijn noemen.', section: 'besluit' };
    expect((await act(s.url, kantoor.accessToken, returned.id, 'return', returnKey, payload)).status).toBe(202);
    expect((await act(s.url, kantoor.accessToken, returned.id, 'return', returnKey, payload)).status).toBe(202);
    expect(await only(s, 'returned')).toEqual([expect.objectContaining({ userId: kantoor.user.id, documentId: returned.id, details: { version: 1, status: WorkflowStatus.concept } })]);

    s.dms.refuseAll = { retryable: false, reason: 'weigering van het DMS' };
    const failing = await open(s, vera);
    await writeLetter(failing.client, failing.id, vera);
    expect((await act(s.url, vera.accessToken, failing.id, 'submit')).status).toBe(202);
    await eventually(async () => (await only(s, 'delivery-failed')).length === 1, 'delivery-failed entry');
    expect(await only(s, 'delivery-failed')).toEqual([expect.objectContaining({ userId: null, documentId: failing.id, details: expect.objectContaining({ version: 1 }) as unknown })]);

    s.dms.refuseAll = null;
    const retryKey = newKey();
    expect((await act(s.url, kantoor.accessToken, failing.id, 'retry-delivery', retryKey)).status).toBe(202);
    expect((await act(s.url, kantoor.accessToken, failing.id, 'retry-delivery', retryKey)).status).toBe(202);
    await eventually(async () => (await only(s, 'delivered', { documentId: failing.id })).length === 1, 'delivered after retry');
    expect(await only(s, 'delivery-retried')).toEqual([expect.objectContaining({ userId: kantoor.user.id, documentId: failing.id })]);
    expect(await only(s, 'delivery-failed')).toHaveLength(1);
  });
});

describe('audit trail: read-along (U5)', () => {
  it('[U5] a signature in read-along leaves one entry once committed, and none again after the room reloads', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kt-audit-'));
    tempDirs.push(dataDir);
    const dms = createMemoryDms();
    const s = await startTestServer({ dataDir, dms });
    servers.push(s);
    const vera = await login(s.url, 'veldwerker');
    const veraDevice = (await only(s, 'sign-in', { userId: vera.user.id }))[0]?.deviceId;
    const { id, client } = await open(s, vera);
    await writeLetter(client, id, vera);
    expect(await only(s, 'read-along-confirmed')).toEqual([]);
    addSignature(client.doc, { name: 'Bert Burger', signedAt: Date.UTC(2026, 11, 3, 10), strokes: [[10, 10, 200, 150]] });
    await client.waitSaved();
    await eventually(async () => (await only(s, 'read-along-confirmed')).length === 1, 'read-along entry');
    // Another edit commits again: the same signature is not recorded twice.
    client.doc.getMap('meta').set('title', 'Na tekenen');
    await client.waitSaved();
    expect(await only(s, 'read-along-confirmed')).toEqual([
      expect.objectContaining({ userId: vera.user.id, deviceId: veraDevice, documentId: id, address: '127.0.0.1', details: { signedAt: Date.UTC(2026, 11, 3, 10), agreements: 0 } }),
    ]);
    expect(JSON.stringify(await all(s))).not.toContain('Bert Burger');

    // A server that loads the document afresh finds the signature there: recorded before, not again.
    client.destroy();
    await s.close();
    const again = await startTestServer({ dataDir, dms });
    servers.push(again);
    const kantoor = await login(again.url, 'kantoor');
    const reopened = await open(again, kantoor, id);
    addSignature(reopened.client.doc, { name: 'Bea Burger', signedAt: Date.UTC(2026, 11, 3, 11), strokes: [[20, 20, 300, 100]] });
    await reopened.client.waitSaved();
    await eventually(async () => (await only(again, 'read-along-confirmed')).length >= 2, 'second signature');
    expect((await only(again, 'read-along-confirmed')).map((e) => [e.userId, e.details.signedAt])).toEqual([
      [vera.user.id, Date.UTC(2026, 11, 3, 10)],
      [kantoor.user.id, Date.UTC(2026, 11, 3, 11)],
    ]);
  });
});

describe('audit trail over HTTP (U2, U6–U8)', () => {
  it('[U6] GET /api/audit answers admins only and filters by user, document and period, page by page', async () => {
    const s = await server(true);
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const beheer = await admin(s);
    const get = (token: string | null, query = ''): Promise<Response> =>
      fetch(`${s.url}/api/audit${query}`, token === null ? {} : { headers: { authorization: `Bearer ${token}` } });

    expect((await get(null)).status).toBe(401);
    expect((await get(vera.accessToken)).status).toBe(403);
    expect((await get(kantoor.accessToken)).status).toBe(403);
    expect((await get(beheer.accessToken, '?from=gisteren')).status).toBe(400);

    const { id } = await open(s, vera);
    await eventually(async () => (await only(s, 'document-created')).length === 1, 'document-created');

    const everything = (await (await get(beheer.accessToken)).json()) as AuditListBody;
    expect(everything.next).toBeNull();
    expect(everything.entries.map((e) => e.action)).toEqual(['device-registered', 'sign-in', 'device-registered', 'sign-in', 'device-registered', 'sign-in', 'document-created']);
    expect(everything.entries[0]).toMatchObject({ userId: vera.user.id, userName: 'Vera Veldwerker', address: '127.0.0.1' });
    expect(everything.entries[0]?.at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);

    const byUser = (await (await get(beheer.accessToken, `?user=${kantoor.user.id}`)).json()) as AuditListBody;
    expect(byUser.entries.map((e) => e.action)).toEqual(['device-registered', 'sign-in']);
    const byDocument = (await (await get(beheer.accessToken, `?document=${id}`)).json()) as AuditListBody;
    expect(byDocument.entries.map((e) => [e.action, e.userId])).toEqual([['document-created', vera.user.id]]);
    const created = Date.parse(byDocument.entries[0]?.at ?? '');
    const from = new Date(created).toISOString();
    const period = (await (await get(beheer.accessToken, `?from=${from}&to=${new Date(created + 1).toISOString()}`)).json()) as AuditListBody;
    expect(period.entries.every((e) => Date.parse(e.at) === created)).toBe(true);
    expect(period.entries.map((e) => e.action)).toContain('document-created');
    expect(((await (await get(beheer.accessToken, '?to=2000-01-01')).json()) as AuditListBody).entries).toEqual([]);

    const first = (await (await get(beheer.accessToken, '?limit=4')).json()) as AuditListBody;
    expect(first.entries).toHaveLength(4);
    const rest = (await (await get(beheer.accessToken, `?after=${first.next ?? ''}`)).json()) as AuditListBody;
    expect([...first.entries, ...rest.entries]).toEqual(everything.entries);
    expect(rest.next).toBeNull();
  });

  it('[U7] the CSV export carries the filtered entries, defuses formulas, and is itself recorded', async () => {
    const s = await server();
    await post(`${s.url}/api/auth/login`, { username: '=HYPERLINK("http://x")', password: 'fout' });
    const beheer = await admin(s);
    const res = await fetch(`${s.url}/api/audit?format=csv&user=u-beheer`, { headers: { authorization: `Bearer ${beheer.accessToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const lines = (await res.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('"volgnummer","tijdstip","actie","gebruiker_id","gebruiker","apparaat","document","adres","details"');
    expect(lines.slice(1).map((l) => l.split(',')[2])).toEqual(['"device-registered"', '"sign-in"']);
    expect(lines[2]).toContain('"Bea Beheer"');

    const failedCsv = await (await fetch(`${s.url}/api/audit?format=csv`, { headers: { authorization: `Bearer ${beheer.accessToken}` } })).text();
    const failedLine = failedCsv.split('\r\n').find((l) => l.includes('sign-in-failed')) ?? '';
    // The attempted name is in the details cell, which starts with '{'; no cell starts with '='.
    expect(failedLine).toContain('HYPERLINK');
    expect(failedLine.split('","').some((cell) => cell.replace(/^"/, '').startsWith('='))).toBe(false);
    expect(await only(s, 'audit-exported')).toEqual([
      expect.objectContaining({ userId: 'u-beheer', details: { format: 'csv', user: 'u-beheer', rows: 2 } }),
      expect.objectContaining({ userId: 'u-beheer', details: { format: 'csv', rows: 4 } }),
    ]);
  });

  it('[U8] a document\'s log shows its own entries to its team, by name, and nothing to others', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const { id, client } = await open(s, vera);
    await writeLetter(client, id, vera);
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    await eventually(async () => (await only(s, 'delivered', { documentId: id })).length === 1, 'delivered');
    const res = await fetch(`${s.url}/api/documents/${id}/log`, { headers: { authorization: `Bearer ${kantoor.accessToken}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as DocumentLogBody;
    expect(body.entries.map((e) => [e.action, e.byName, e.version])).toEqual([
      ['document-created', 'Vera Veldwerker', null],
      ['submitted', 'Vera Veldwerker', 1],
      ['delivered', null, 1],
    ]);
    expect(Object.keys(body.entries[0] ?? {}).sort()).toEqual(['action', 'at', 'byName', 'version']);

    await s.store.createTeam({ id: 'noord', name: 'Noord' });
    await s.store.createUser({
      id: 'u-noord',
      username: 'noord',
      name: 'Nina Noord',
      teamId: 'noord',
      roles: ['office'],
      passwordHash: await hashPassword('noord-wachtwoord'),
      disabled: false,
    });
    const noord = await login(s.url, 'noord', 'noord-wachtwoord');
    expect((await fetch(`${s.url}/api/documents/${id}/log`, { headers: { authorization: `Bearer ${noord.accessToken}` } })).status).toBe(404);
    expect((await fetch(`${s.url}/api/documents/${id}/log`)).status).toBe(401);
  });

  it('[U2] no route changes or deletes an entry', async () => {
    const s = await server(true);
    const vera = await login(s.url, 'veldwerker');
    const beheer = await admin(s);
    const { id } = await open(s, vera);
    await eventually(async () => (await only(s, 'document-created')).length === 1, 'document-created');
    const before = await all(s);
    const seq = before[0]?.seq ?? 1;
    const auth = { authorization: `Bearer ${beheer.accessToken}`, 'content-type': 'application/json' };
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const path of ['/api/audit', `/api/audit/${seq}`, `/api/documents/${id}/log`]) {
        const res = await fetch(`${s.url}${path}`, { method, headers: auth, body: method === 'DELETE' ? null : JSON.stringify({ action: 'sign-in', userId: 'iemand' }) });
        expect([400, 404, 405], `${method} ${path}`).toContain(res.status);
      }
    }
    expect(await all(s)).toEqual(before);
  });
});
