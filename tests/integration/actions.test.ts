// W1 against the real server: POST /api/documents/:id/actions changes the workflow status only
// through idempotent actions (one key, one piece of work, one answer, also under concurrency
// and across a lost race for the key), the change reaches the team index room live, and the
// route refuses what it must (401, 400, 404 for other teams, 409 for refused transitions).
// GET /api/documents/:id shows the row in the contract's shape.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { createMemoryDms, type MemoryDms } from '../../server/dms/memory';
import { createMemoryStore } from '../../server/store/memory/store';
import { openSqliteStore } from '../../server/store/sqlite/store';
import type { ActionRecord, Store } from '../../server/store/types';
import { INDEX_MAP, WorkflowStatus, type IndexEntry } from '../../shared/model/index-entry';
import { writeLetter } from '../support/letter';
import { AckingClient, login, startTestServer, waitFor, type Session, type TestServer } from '../support/server';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
const tempDirs: string[] = [];
const heldDms: MemoryDms[] = [];
afterEach(async () => {
  for (const d of heldDms.splice(0)) d.release();
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
  for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface ObservedStore {
  store: Store;
  /** Every action record the store actually stored. */
  stored: ActionRecord[];
}

/**
 * Wraps a real store to record which actions were stored. With `forgetActions` getAction
 * never finds a key, as when another server process commits it between lookup and commit.
 */
function observe(inner: Store, opts: { forgetActions?: boolean } = {}): ObservedStore {
  const stored: ActionRecord[] = [];
  const store = new Proxy(inner, {
    get(target, prop) {
      if (prop === 'commitAction') {
        return async (...args: Parameters<Store['commitAction']>) => {
          const result = await target.commitAction(...args);
          if (result.stored) stored.push(args[0]);
          return result;
        };
      }
      // A successful submit stores its action record with the submission.
      if (prop === 'commitSubmission') {
        return async (...args: Parameters<Store['commitSubmission']>) => {
          const result = await target.commitSubmission(...args);
          if (result.stored) stored.push(args[0].record);
          return result;
        };
      }
      if (prop === 'getAction' && opts.forgetActions) return () => Promise.resolve(null);
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store, stored };
}

type StoreKind = 'memory' | 'sqlite';

async function server(kind: StoreKind = 'memory', opts: { forgetActions?: boolean } = {}): Promise<TestServer & ObservedStore> {
  let inner: Store;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'kt-actions-'));
    tempDirs.push(dir);
    inner = openSqliteStore(join(dir, 'keukentafel.sqlite'));
  } else {
    inner = createMemoryStore();
  }
  const observed = observe(inner, opts);
  // These tests are about the status machine: the DMS holds every delivery, so a submitted
  // document stays `ingediend` (delivery is tested in submit/outbox tests).
  const dms = createMemoryDms();
  dms.hold();
  heldDms.push(dms);
  const s = await startTestServer({ store: observed.store, dms });
  servers.push(s);
  return { ...s, ...observed };
}

function client(url: string, room: string, token: string): AckingClient {
  const c = new AckingClient(url, room, token);
  clients.push(c);
  return c;
}

/**
 * The first authenticated connection to doc:<uuid> creates the document in the user's team;
 * it gets a complete letter unless `empty`, since a submit validates the content (W3).
 */
async function newDocument(s: TestServer, session: Session, opts: { empty?: boolean } = {}): Promise<string> {
  const id = randomUUID();
  const c = client(s.url, `doc:${id}`, session.accessToken);
  await waitFor(() => c.durable !== null, 10_000, 'document created');
  if (!opts.empty) await writeLetter(c, id, session);
  return id;
}

interface Answer {
  status: number;
  text: string;
  body: Record<string, unknown>;
}

async function call(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

function act(s: TestServer, token: string | null, id: string, body: unknown): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  return call(`${s.url}/api/documents/${id}/actions`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function getDocument(s: TestServer, token: string | null, id: string): Promise<Answer> {
  return call(`${s.url}/api/documents/${id}`, { headers: token === null ? {} : { authorization: `Bearer ${token}` } });
}

const key = (): string => `k_${randomUUID()}`;

describe('document actions', () => {
  describe.each<StoreKind>(['memory', 'sqlite'])('on the %s store', (kind) => {
    it('[W1] the same idempotency key twice gives the same answer and does the work once', async () => {
      const s = await server(kind);
      const vera = await login(s.url, 'veldwerker');
      const id = await newDocument(s, vera);
      const k = key();

      const first = await act(s, vera.accessToken, id, { type: 'submit', idempotencyKey: k });
      expect(first.status).toBe(202);
      expect(first.body).toEqual({
        id,
        status: WorkflowStatus.submitted,
        action: 'submit',
        at: expect.any(Number) as number,
        submission: { version: 1, identificatie: expect.stringMatching(/^KT-20\d{2}-\d{7}$/) as string, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as string },
      });
      const second = await act(s, vera.accessToken, id, { type: 'submit', idempotencyKey: k });
      expect(second.status).toBe(202);
      expect(second.text).toBe(first.text);

      expect(s.stored.map((r) => r.idempotencyKey)).toEqual([k]);
      expect((await getDocument(s, vera.accessToken, id)).body.status).toBe(WorkflowStatus.submitted);
      // The work was done: a new key for the same action now finds the document submitted.
      const fresh = await act(s, vera.accessToken, id, { type: 'submit', idempotencyKey: key() });
      expect(fresh).toMatchObject({ status: 409, body: { error: 'not-allowed-in-status', status: WorkflowStatus.submitted } });
    });

    it('[W1] the same idempotency key twice gives the same answer and does the work once, also when both arrive at once', async () => {
      const s = await server(kind);
      const vera = await login(s.url, 'veldwerker');
      const id = await newDocument(s, vera);
      const k = key();

      const answers = await Promise.all(
        Array.from({ length: 5 }, () => act(s, vera.accessToken, id, { type: 'submit', idempotencyKey: k })),
      );
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
      expect(new Set(answers.map((a) => a.text)).size).toBe(1);
      expect(s.stored).toHaveLength(1);
      expect((await getDocument(s, vera.accessToken, id)).body.status).toBe(WorkflowStatus.submitted);
    });
  });

  it('[W1] when the key is committed elsewhere between lookup and commit, the loser answers with the stored answer', async () => {
    // getAction never finds the key, so the second request decides again and loses at commit.
    const s = await server('memory', { forgetActions: true });
    const vera = await login(s.url, 'veldwerker');
    const id = await newDocument(s, vera);
    const k = key();

    const first = await act(s, vera.accessToken, id, { type: 'submit', idempotencyKey: k });
    const second = await act(s, vera.accessToken, id, { type: 'submit', idempotencyKey: k });
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.text).toBe(first.text);
    expect(s.stored).toHaveLength(1);

    const kantoor = await login(s.url, 'kantoor');
    const other = await act(s, kantoor.accessToken, id, { type: 'submit', idempotencyKey: k });
    expect(other).toMatchObject({ status: 409, body: { error: 'idempotency-key-reused' } });
  });

  it('[W1] a status change reaches the team index room live', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const id = await newDocument(s, vera);
    const index = client(s.url, 'index:team:centrum', kantoor.accessToken);
    const entry = (): IndexEntry | undefined => index.doc.getMap<IndexEntry>(INDEX_MAP).get(id);
    await waitFor(() => entry()?.status === WorkflowStatus.concept, 10_000, 'document in the team index');

    const submitted = await act(s, vera.accessToken, id, { type: 'submit', idempotencyKey: key() });
    expect(submitted.status).toBe(202);
    await waitFor(() => entry()?.status === WorkflowStatus.submitted, 10_000, 'submitted in the team index');
    expect(entry()?.updatedAt).toBe(submitted.body.at);

    const returned = await act(s, kantoor.accessToken, id, { type: 'return', idempotencyKey: key(), remark: 'Graag aanvullen.' });
    expect(returned).toMatchObject({ status: 202, body: { id, status: WorkflowStatus.concept, action: 'return' } });
    await waitFor(() => entry()?.status === WorkflowStatus.concept, 10_000, 'returned in the team index');
  });

  it('[W1] refused transitions answer 409 with the reason, change nothing and replay the refusal', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const id = await newDocument(s, vera);

    const k = key();
    const byField = await act(s, vera.accessToken, id, { type: 'approve', idempotencyKey: k });
    expect(byField).toMatchObject({ status: 409, body: { error: 'role-required', status: WorkflowStatus.concept } });
    expect((await act(s, vera.accessToken, id, { type: 'approve', idempotencyKey: k })).text).toBe(byField.text);

    const wrongStatus = await act(s, kantoor.accessToken, id, { type: 'approve', idempotencyKey: key() });
    expect(wrongStatus).toMatchObject({ status: 409, body: { error: 'not-allowed-in-status', status: WorkflowStatus.concept } });
    const retry = await act(s, kantoor.accessToken, id, { type: 'retry-delivery', idempotencyKey: key() });
    expect(retry).toMatchObject({ status: 409, body: { error: 'not-allowed-in-status' } });

    const doc = await getDocument(s, vera.accessToken, id);
    expect(doc.body.status).toBe(WorkflowStatus.concept);
    expect(s.stored.map((r) => r.httpStatus)).toEqual([409, 409, 409]);
  });

  it('[W1] a key reused for another document or by another user is refused with 409', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const a = await newDocument(s, vera);
    const b = await newDocument(s, vera);
    const k = key();
    expect((await act(s, vera.accessToken, a, { type: 'submit', idempotencyKey: k })).status).toBe(202);

    const otherDoc = await act(s, vera.accessToken, b, { type: 'submit', idempotencyKey: k });
    expect(otherDoc).toMatchObject({ status: 409, body: { error: 'idempotency-key-reused' } });
    const otherUser = await act(s, kantoor.accessToken, a, { type: 'submit', idempotencyKey: k });
    expect(otherUser).toMatchObject({ status: 409, body: { error: 'idempotency-key-reused' } });
    const otherType = await act(s, vera.accessToken, a, { type: 'return', idempotencyKey: k });
    expect(otherType).toMatchObject({ status: 409, body: { error: 'idempotency-key-reused' } });
    expect((await getDocument(s, vera.accessToken, b)).body.status).toBe(WorkflowStatus.concept);
    expect(s.stored).toHaveLength(1);
  });

  it("another team's document and an unknown id both answer 404, without revealing which", async () => {
    const s = await server();
    await s.store.createTeam({ id: 'noord', name: 'Wijkteam Noord' });
    await s.store.createUser({
      id: randomUUID(),
      username: 'noorderling',
      name: 'Nora Noord',
      teamId: 'noord',
      roles: ['field', 'office', 'approver'],
      passwordHash: await hashPassword('noord-wachtwoord'),
      disabled: false,
    });
    const vera = await login(s.url, 'veldwerker');
    const nora = await login(s.url, 'noorderling', 'noord-wachtwoord');
    const id = await newDocument(s, vera);

    const foreign = await act(s, nora.accessToken, id, { type: 'submit', idempotencyKey: key() });
    const unknown = await act(s, nora.accessToken, randomUUID(), { type: 'submit', idempotencyKey: key() });
    expect(foreign).toEqual({ status: 404, text: unknown.text, body: { error: 'not-found' } });
    const foreignGet = await getDocument(s, nora.accessToken, id);
    const unknownGet = await getDocument(s, nora.accessToken, randomUUID());
    expect(foreignGet).toEqual({ status: 404, text: unknownGet.text, body: { error: 'not-found' } });

    expect((await getDocument(s, vera.accessToken, id)).body.status).toBe(WorkflowStatus.concept);
    expect(s.stored).toHaveLength(0);
  });

  it('a missing or invalid token answers 401', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const id = await newDocument(s, vera);
    const body = { type: 'submit', idempotencyKey: key() };

    expect(await act(s, null, id, body)).toMatchObject({ status: 401, body: { error: 'token-missing' } });
    expect(await act(s, 'not-a-token', id, body)).toMatchObject({ status: 401, body: { error: 'token-invalid' } });
    expect(await getDocument(s, null, id)).toMatchObject({ status: 401, body: { error: 'token-missing' } });
    expect((await getDocument(s, vera.accessToken, id)).body.status).toBe(WorkflowStatus.concept);
    expect(s.stored).toHaveLength(0);
  });

  it('a malformed body answers 400 with the issues', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const id = await newDocument(s, vera);
    const bodies: unknown[] = [
      { type: 'submit' },
      { idempotencyKey: key() },
      { type: 'delete', idempotencyKey: key() },
      { type: 'submit', idempotencyKey: 'short' },
      { type: 'submit', idempotencyKey: 'met spaties erin' },
      { type: 'submit', idempotencyKey: 'x'.repeat(129) },
      { type: 'submit', idempotencyKey: 12345678 },
      [{ type: 'submit', idempotencyKey: key() }],
      '{"type": "submit", ',
    ];
    for (const body of bodies) {
      const answer = await act(s, vera.accessToken, id, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toBe('bad-request');
      expect(Array.isArray(answer.body.issues) && answer.body.issues.length > 0).toBe(true);
    }
    // Extra fields are allowed, and a key of exactly 8 or 128 allowed characters is fine.
    const extra = await act(s, vera.accessToken, id, { type: 'submit', idempotencyKey: 'Ab3_-xyz', comment: 'ok' });
    expect(extra.status).toBe(202);
    const long = await act(s, vera.accessToken, id, { type: 'submit', idempotencyKey: 'k'.repeat(128) });
    expect(long).toMatchObject({ status: 409, body: { error: 'not-allowed-in-status' } });
  });

  it('GET /api/documents/:id shows metadata, status and submissions', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const id = await newDocument(s, vera, { empty: true });

    const answer = await getDocument(s, vera.accessToken, id);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      id,
      teamId: 'centrum',
      title: '',
      templateId: null,
      kind: null,
      zaak: null,
      status: WorkflowStatus.concept,
      createdBy: vera.user.id,
      createdAt: expect.any(Number) as number,
      updatedAt: expect.any(Number) as number,
      submissions: [],
      remarks: [],
      history: [],
    });

    const c = client(s.url, `doc:${id}`, vera.accessToken);
    await writeLetter(c, id, vera);
    // The row takes the letter's metadata right after the commit (index service, H4).
    for (let i = 0; i < 100 && (await s.store.getDocument(id))?.templateId !== 'brief'; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const submitted = await act(s, vera.accessToken, id, { type: 'submit', idempotencyKey: key() });
    expect(submitted.status).toBe(202);
    const after = await getDocument(s, vera.accessToken, id);
    expect(after.body).toMatchObject({
      templateId: 'brief',
      kind: 'brief',
      zaak: 'ZAAK-2026-0042',
      submissions: [
        {
          version: 1,
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as string,
          identificatie: expect.stringMatching(/^KT-/) as string,
          submittedBy: vera.user.id,
          submittedAt: submitted.body.at,
        },
      ],
    });
    expect(after.body.status).toBe(WorkflowStatus.submitted);
    expect(after.body.submissions).toMatchObject([{ status: 'wacht-op-dms', dmsReference: null, lastError: null }]);
  });
});
