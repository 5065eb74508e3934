// B9: the role matrix of docs/SPEC.md, cell by cell, with real tokens. One user per role (field,
// office, approver, admin), all in team Wijkteam Centrum, tries every HTTP action and every kind
// of room. "Allowed" means the server let the request past its role check: no 401, no 403 and no
// `role-required` (an approve of a concept is then 409 not-allowed-in-status: the status rule, not
// the role). "Refused" is `role-required`: 403 for routes, 409 for workflow actions (their answer
// is stored under the idempotency key, W1), and close code 4403 for rooms.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { act } from '../support/api';
import { seedSubmittedLetter } from '../support/submission-fixture';
import { login, startTestServer, wsUrl, type Session, type TestServer } from '../support/server';

type RoleName = 'field' | 'office' | 'approver' | 'admin';
const ROLES: readonly RoleName[] = ['field', 'office', 'approver', 'admin'];

let server: TestServer;
const sessions = new Map<RoleName, Session>();
const SUBMITTED = randomUUID();
const OTHER_TEAM = randomUUID();
// F7: an attachment id no role has declared: the routes answer past the role check (404, 409).
const ATTACHMENT = randomUUID();
const conceptOf = new Map<RoleName, string>();
/** A user the admin cells act on (password reset, device revocation), so no role's own token is spent. */
let victim: Session;

beforeAll(async () => {
  server = await startTestServer();
  const admin = await login(server.url, 'beheerder');
  for (const role of ROLES) {
    const username = `matrix-${role}`;
    const created = await fetch(`${server.url}/api/admin/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.accessToken}` },
      body: JSON.stringify({ username, name: `Matrix ${role}`, teamId: 'centrum', roles: [role], password: 'matrix-wachtwoord-123' }),
    });
    expect(created.status).toBe(201);
    const session = await login(server.url, username, 'matrix-wachtwoord-123');
    sessions.set(role, session);
    // Each role's own concept in its team, for actions that need one.
    const id = randomUUID();
    await server.store.createDocument({
      id,
      teamId: 'centrum',
      createdBy: session.user.id,
      createdAt: 1,
      updatedAt: 1,
      title: 'Concept',
      templateId: 'brief',
      kind: 'brief',
      zaak: 'ZAAK-1',
      status: WorkflowStatus.concept,
    });
    conceptOf.set(role, id);
  }
  const made = await fetch(`${server.url}/api/admin/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.accessToken}` },
    body: JSON.stringify({ username: 'matrix-victim', name: 'Matrix Victim', teamId: 'centrum', roles: ['field'], password: 'matrix-wachtwoord-123' }),
  });
  expect(made.status).toBe(201);
  victim = await login(server.url, 'matrix-victim', 'matrix-wachtwoord-123');
  await server.store.createTeam({ id: 'noord', name: 'Wijkteam Noord' });
  await seedSubmittedLetter(server.store, { identificatie: 'MATRIX-1', docId: SUBMITTED });
  await server.store.createDocument({
    id: OTHER_TEAM,
    teamId: 'noord',
    createdBy: 'someone',
    createdAt: 1,
    updatedAt: 1,
    title: 'Noord',
    templateId: 'brief',
    kind: 'brief',
    zaak: null,
    status: WorkflowStatus.concept,
  });
});

afterAll(async () => {
  await server?.dispose();
});

const token = (role: RoleName): string => sessions.get(role)?.accessToken ?? '';

interface Outcome {
  status: number | 'open';
  /** The answer's `error`, when it has one. */
  error?: string;
}

async function http(method: string, path: string, role: RoleName, body?: unknown): Promise<Outcome> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token(role)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let error: string | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (typeof parsed.error === 'string') error = parsed.error;
  } catch {
    // A PDF or an empty body: no error to read.
  }
  return { status: response.status, ...(error === undefined ? {} : { error }) };
}

async function action(role: RoleName, docId: string, type: string, payload: Record<string, string> = {}): Promise<Outcome> {
  const answer = await act(server.url, token(role), docId, type, undefined, payload);
  return { status: answer.status, ...(typeof answer.body.error === 'string' ? { error: answer.body.error } : {}) };
}

/** 'open' once the server answered the socket with a message (access granted), else its close code. */
function room(name: string, role: RoleName): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${wsUrl(server.url)}/${name}?token=${encodeURIComponent(token(role))}&intent=create`);
    socket.on('error', () => undefined);
    socket.once('message', () => {
      resolve({ status: 'open' });
      socket.close();
    });
    socket.once('close', (code) => resolve({ status: code }));
  });
}

type Allowed = readonly RoleName[] | 'all' | 'none';

interface Cell {
  action: string;
  allowed: Allowed;
  /** The answer for one role; for rooms 'open' or a close code. */
  attempt: (role: RoleName) => Promise<Outcome>;
}

const everyone = (allowed: Allowed, role: RoleName): boolean => (allowed === 'all' ? true : allowed === 'none' ? false : allowed.includes(role));

/** A fresh sign-in of the role's user, refreshed and signed out: the token calls every role makes. */
async function authRoundTrip(role: RoleName): Promise<Outcome> {
  const fresh = await login(server.url, `matrix-${role}`, 'matrix-wachtwoord-123');
  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const refreshed = await post('/api/auth/refresh', { refreshToken: fresh.refreshToken });
  if (refreshed.status !== 200) return { status: refreshed.status };
  const pair = (await refreshed.json()) as { refreshToken: string };
  return { status: (await post('/api/auth/logout', { refreshToken: pair.refreshToken })).status };
}

/** The routes anyone may call: all answer 200 whatever token comes along. */
async function publicRoutes(role: RoleName): Promise<Outcome> {
  for (const path of ['/api/health', '/api/ready', '/api/municipality']) {
    const answer = await http('GET', path, role);
    if (answer.status !== 200) return answer;
  }
  return { status: 200 };
}

async function victimDevice(): Promise<string> {
  return (await server.store.listDevices(victim.user.id))[0]?.id ?? '';
}

const CELLS: readonly Cell[] = [
  { action: 'POST /api/auth/login, /refresh, /logout', allowed: 'all', attempt: authRoundTrip },
  { action: 'GET /api/health, /api/ready, /api/municipality (no token needed)', allowed: 'all', attempt: publicRoutes },
  { action: 'GET /api/templates', allowed: 'all', attempt: (r) => http('GET', '/api/templates', r) },
  { action: 'GET /api/templates/:id/:version', allowed: 'all', attempt: (r) => http('GET', '/api/templates/brief/1', r) },
  { action: 'GET /api/documents/:id (own team)', allowed: ['field', 'office', 'approver'], attempt: (r) => http('GET', `/api/documents/${SUBMITTED}`, r) },
  { action: 'GET /api/documents/:id/submissions/:v/pdf (own team)', allowed: ['field', 'office', 'approver'], attempt: (r) => http('GET', `/api/documents/${SUBMITTED}/submissions/1/pdf`, r) },
  {
    action: "GET …/submissions/:v/text of a colleague's document",
    allowed: ['office'],
    attempt: (r) => http('GET', `/api/documents/${conceptOf.get(r === 'field' ? 'approver' : 'field') ?? ''}/submissions/1/text`, r),
  },
  { action: 'GET …/submissions/:v/text of their own document', allowed: ['field', 'office', 'approver'], attempt: (r) => http('GET', `/api/documents/${conceptOf.get(r) ?? ''}/submissions/1/text`, r) },
  { action: 'POST actions submit', allowed: ['field', 'office', 'approver'], attempt: (r) => action(r, conceptOf.get(r) ?? '', 'submit') },
  { action: 'POST actions approve', allowed: ['approver'], attempt: (r) => action(r, conceptOf.get('field') ?? '', 'approve') },
  { action: 'POST actions return', allowed: ['office'], attempt: (r) => action(r, conceptOf.get('field') ?? '', 'return', { remark: 'Graag aanvullen.' }) },
  { action: 'POST actions retry-delivery', allowed: ['office'], attempt: (r) => action(r, SUBMITTED, 'retry-delivery') },
  { action: 'POST actions mark-sent', allowed: ['office'], attempt: (r) => action(r, conceptOf.get('field') ?? '', 'mark-sent') },
  // F7, F19: attachments (server/attachments); the submitted document refuses new ones (409 document-frozen).
  { action: 'GET /api/attachment-policy', allowed: 'all', attempt: (r) => http('GET', '/api/attachment-policy', r) },
  {
    action: 'POST /api/documents/:id/attachments (own team)',
    allowed: ['field', 'office', 'approver'],
    attempt: (r) => http('POST', `/api/documents/${SUBMITTED}/attachments`, r, { attachmentId: ATTACHMENT, name: 'foto.jpg', mediaType: 'image/jpeg', size: 10, sha256: 'ab'.repeat(32) }),
  },
  { action: 'GET /api/documents/:id/attachments/:aid/status (own team)', allowed: ['field', 'office', 'approver'], attempt: (r) => http('GET', `/api/documents/${SUBMITTED}/attachments/${ATTACHMENT}/status`, r) },
  { action: 'GET /api/outbox', allowed: ['office'], attempt: (r) => http('GET', '/api/outbox', r) },
  { action: 'GET /api/audit (and ?format=csv)', allowed: ['admin'], attempt: (r) => http('GET', '/api/audit', r) },
  { action: 'GET /api/documents/:id/log (own team)', allowed: ['field', 'office', 'approver'], attempt: (r) => http('GET', `/api/documents/${SUBMITTED}/log`, r) },
  { action: 'POST /api/zaken/zoek (X1)', allowed: ['field', 'office', 'approver'], attempt: (r) => http('POST', '/api/zaken/zoek', r, { q: 'ZAAK-1' }) },
  { action: 'GET /api/admin/users', allowed: ['admin'], attempt: (r) => http('GET', '/api/admin/users', r) },
  { action: 'GET /api/admin/users/:id/devices', allowed: ['admin'], attempt: (r) => http('GET', `/api/admin/users/${sessions.get(r)?.user.id ?? ''}/devices`, r) },
  { action: 'GET /api/admin/users/:id', allowed: ['admin'], attempt: (r) => http('GET', `/api/admin/users/${victim.user.id}`, r) },
  {
    action: 'POST /api/admin/users',
    allowed: ['admin'],
    attempt: (r) => http('POST', '/api/admin/users', r, { username: `nieuw-${r}`, name: 'Nieuw', teamId: 'centrum', roles: ['admin'], password: 'een-lang-wachtwoord' }),
  },
  { action: 'PATCH /api/admin/users/:id', allowed: ['admin'], attempt: (r) => http('PATCH', `/api/admin/users/${victim.user.id}`, r, { roles: ['field', 'approver'] }) },
  { action: 'POST /api/admin/users/:id/password', allowed: ['admin'], attempt: (r) => http('POST', `/api/admin/users/${victim.user.id}/password`, r, { password: 'een-ander-wachtwoord' }) },
  { action: 'POST /api/admin/devices/:id/revoke', allowed: ['admin'], attempt: async (r) => http('POST', `/api/admin/devices/${await victimDevice()}/revoke`, r) },
  { action: 'GET /api/admin/teams', allowed: ['admin'], attempt: (r) => http('GET', '/api/admin/teams', r) },
  { action: 'POST /api/admin/teams', allowed: ['admin'], attempt: (r) => http('POST', '/api/admin/teams', r, { name: `Team van ${r}` }) },
  { action: 'PATCH /api/admin/teams/:id', allowed: ['admin'], attempt: (r) => http('PATCH', '/api/admin/teams/noord', r, { name: `Noord (${r})` }) },
  { action: 'room doc:<id> of their team', allowed: ['field', 'office', 'approver'], attempt: (r) => room(`doc:${SUBMITTED}`, r) },
  { action: 'room index:team:<their team>', allowed: ['field', 'office', 'approver'], attempt: (r) => room('index:team:centrum', r) },
  { action: 'room index:user:<themselves>', allowed: 'all', attempt: (r) => room(`index:user:${sessions.get(r)?.user.id ?? ''}`, r) },
];

/** No role reaches another team or another user: the same for all four. */
const NOBODY: readonly Cell[] = [
  { action: 'GET /api/documents/:id of another team', allowed: 'none', attempt: (r) => http('GET', `/api/documents/${OTHER_TEAM}`, r) },
  { action: 'GET /api/documents/:id/attachments/:aid of another team', allowed: 'none', attempt: (r) => http('GET', `/api/documents/${OTHER_TEAM}/attachments/${ATTACHMENT}`, r) },
  { action: 'room doc:<id> of another team', allowed: 'none', attempt: (r) => room(`doc:${OTHER_TEAM}`, r) },
  { action: 'room index:team:<another team>', allowed: 'none', attempt: (r) => room('index:team:noord', r) },
  { action: 'room index:user:<someone else>', allowed: 'none', attempt: (r) => room(`index:user:${sessions.get(r === 'field' ? 'office' : 'field')?.user.id ?? ''}`, r) },
];

describe('[B9] role matrix: every cell tried with a real token', () => {
  for (const cell of CELLS) {
    for (const role of ROLES) {
      const allowed = everyone(cell.allowed, role);
      it(`[B9] ${cell.action} — ${role}: ${allowed ? 'allowed' : 'refused'}`, async () => {
        const { status, error } = await cell.attempt(role);
        if (allowed) {
          const passed = status === 'open' || (status !== 401 && status !== 403 && status < 500 && error !== 'role-required');
          expect(passed, `answer ${String(status)} ${error ?? ''}`).toBe(true);
        } else if (cell.action.startsWith('room')) {
          expect(status).toBe(4403);
        } else {
          expect(error).toBe('role-required');
          // The status machine's refusal of a workflow action is stored under its key (409); a
          // route's role check, and an account without a document role, are 403.
          expect(status).toBe(cell.action.startsWith('POST actions') && role !== 'admin' ? 409 : 403);
        }
      });
    }
  }
  for (const cell of NOBODY) {
    for (const role of ROLES) {
      it(`[B9] ${cell.action} — ${role}: not reachable`, async () => {
        const { status } = await cell.attempt(role);
        // An administrator is stopped before the team is looked at (403), the others by the team (404).
        expect(status).toBe(cell.action.startsWith('room') ? 4403 : role === 'admin' ? 403 : 404);
      });
    }
  }
});
