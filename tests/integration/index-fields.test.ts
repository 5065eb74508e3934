// Q1–Q2 against the real server: the index rooms carry what the office's work list and the
// search need beside the row: the author's name, when the status last changed ("wacht sinds")
// and who submitted last; live after each action, and again after a restart (reconcile).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryDms, type MemoryDms } from '../../server/dms/memory';
import { openSqliteStore } from '../../server/store/sqlite/store';
import type { Store } from '../../server/store/types';
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

async function server(store: Store): Promise<TestServer> {
  // The DMS holds every delivery: a submitted document stays where the actions put it.
  const dms = createMemoryDms();
  dms.hold();
  heldDms.push(dms);
  const s = await startTestServer({ store, dms });
  servers.push(s);
  return s;
}

function sqliteFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-index-fields-'));
  tempDirs.push(dir);
  return join(dir, 'keukentafel.sqlite');
}

function client(url: string, room: string, token: string): AckingClient {
  const c = new AckingClient(url, room, token);
  clients.push(c);
  return c;
}

async function newDocument(s: TestServer, session: Session): Promise<string> {
  const id = randomUUID();
  const c = client(s.url, `doc:${id}`, session.accessToken);
  await waitFor(() => c.durable !== null, 10_000, 'document created');
  await writeLetter(c, id, session);
  return id;
}

async function act(s: TestServer, token: string, id: string, body: Record<string, unknown>): Promise<{ status: number; body: { at?: number } }> {
  const response = await fetch(`${s.url}/api/documents/${id}/actions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ idempotencyKey: randomUUID(), ...body }),
  });
  return { status: response.status, body: (await response.json()) as { at?: number } };
}

describe('index entries for the work list (Q1, Q2)', () => {
  it('[Q1] [Q2] entries name the author, say since when the status holds and who submitted last, live', async () => {
    const s = await server(openSqliteStore(sqliteFile()));
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const id = await newDocument(s, vera);
    const team = client(s.url, `index:team:${vera.user.teamId}`, kantoor.accessToken);
    const own = client(s.url, `index:user:${vera.user.id}`, vera.accessToken);
    const entry = (c: AckingClient): IndexEntry | undefined => c.doc.getMap<IndexEntry>(INDEX_MAP).get(id);

    await waitFor(() => entry(team)?.authorName !== undefined, 10_000, 'entry in the team index');
    const first = entry(team);
    expect(first?.authorName).toBe(vera.user.name);
    expect(first?.statusSince).toBe(first?.createdAt);
    expect(first?.submittedBy).toBeUndefined();

    const submitted = await act(s, vera.accessToken, id, { type: 'submit' });
    expect(submitted.status).toBe(202);
    await waitFor(() => entry(team)?.status === WorkflowStatus.submitted, 10_000, 'submitted in the team index');
    expect(entry(team)).toMatchObject({ statusSince: submitted.body.at, submittedBy: vera.user.id, authorName: vera.user.name });
    await waitFor(() => entry(own)?.submittedBy === vera.user.id, 10_000, 'submitted in the author index');

    const returned = await act(s, kantoor.accessToken, id, { type: 'return', remark: 'Graag aanvullen.' });
    expect(returned.status).toBe(202);
    await waitFor(() => entry(team)?.status === WorkflowStatus.concept, 10_000, 'returned in the team index');
    expect(entry(team)).toMatchObject({ statusSince: returned.body.at, submittedBy: vera.user.id });
    expect(entry(team)?.statusSince).toBeGreaterThanOrEqual(submitted.body.at ?? Infinity);
  });

  it('[Q1] [Q2] after a restart the reconciled index carries the same fields', async () => {
    const file = sqliteFile();
    const s1 = await server(openSqliteStore(file));
    const vera = await login(s1.url, 'veldwerker');
    const id = await newDocument(s1, vera);
    const kantoor1 = await login(s1.url, 'kantoor');
    const team1 = client(s1.url, `index:team:${vera.user.teamId}`, kantoor1.accessToken);
    expect((await act(s1, vera.accessToken, id, { type: 'submit' })).status).toBe(202);
    // Let the delivery through: the status moves once more, by the outbox, not by an action.
    for (const d of heldDms.splice(0)) d.release();
    await waitFor(() => team1.doc.getMap<IndexEntry>(INDEX_MAP).get(id)?.status === WorkflowStatus.archived, 10_000, 'in the DMS');
    const before = team1.doc.getMap<IndexEntry>(INDEX_MAP).get(id);
    for (const c of clients.splice(0)) c.destroy();
    await servers.splice(0)[0]?.dispose();

    const s2 = await server(openSqliteStore(file));
    const kantoor = await login(s2.url, 'kantoor');
    const team = client(s2.url, `index:team:${vera.user.teamId}`, kantoor.accessToken);
    const entry = (): IndexEntry | undefined => team.doc.getMap<IndexEntry>(INDEX_MAP).get(id);
    await waitFor(() => entry()?.status === WorkflowStatus.archived, 10_000, 'entry after restart');
    expect(before?.statusSince).toBeGreaterThan(before?.createdAt ?? Infinity);
    expect(entry()).toMatchObject({ authorName: vera.user.name, statusSince: before?.statusSince, submittedBy: vera.user.id });
  });
});
