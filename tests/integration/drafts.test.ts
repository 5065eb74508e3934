// Drafts (E1–E9) against the real server: discard and restore through the actions route (idempotent,
// who may, what they leave behind), the lists and the room of a discarded concept, the office's list,
// the housekeeping's purge after DRAFT_RETENTION_DAYS, and a link to an unknown document that
// creates nothing unless the device says it created the document (`?intent=create`).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { hashPassword } from '../../server/auth/passwords';
import type { AttachmentPurger } from '../../server/drafts/purge';
import type { Store } from '../../server/store/types';
import { INDEX_MAP, WorkflowStatus, type IndexEntry } from '../../shared/model/index-entry';
import { CloseCode, CloseReason } from '../../shared/protocol/messages';
import { DISCARDED_PATH, DiscardedListSchema } from '../../shared/protocol/drafts';
import { act, eventually, newKey } from '../support/api';
import { writeLetter } from '../support/letter';
import { AckingClient, login, openRaw, waitFor, type Session, type TestServer, trackTestServers } from '../support/server';

const { server, clients } = trackTestServers();

function client(url: string, room: string, token: string, createIntent = true): AckingClient {
  const c = new AckingClient(url, room, token, new Y.Doc(), createIntent);
  clients.push(c);
  return c;
}

async function newDocument(s: TestServer, session: Session, opts: { letter?: boolean } = {}): Promise<{ id: string; client: AckingClient }> {
  const id = randomUUID();
  const c = client(s.url, `doc:${id}`, session.accessToken);
  await waitFor(() => c.durable !== null, 10_000, 'document created');
  if (opts.letter === true) await writeLetter(c, id, session);
  return { id, client: c };
}

function indexEntry(c: AckingClient, id: string): IndexEntry | undefined {
  return c.doc.getMap<IndexEntry>(INDEX_MAP).get(id);
}

async function discardedList(s: TestServer, token: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${s.url}${DISCARDED_PATH}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as unknown };
}

async function addOtherTeamUser(store: Store): Promise<void> {
  await store.createTeam({ id: 'noord', name: 'Wijkteam Noord' });
  await store.createUser({
    id: randomUUID(),
    username: 'noorderling',
    name: 'Nora Noord',
    teamId: 'noord',
    roles: ['field', 'office'],
    passwordHash: await hashPassword('noord-wachtwoord'),
    disabled: false,
  });
}

async function addSecondFieldWorker(store: Store): Promise<void> {
  await store.createUser({
    id: randomUUID(),
    username: 'collega',
    name: 'Cor Collega',
    teamId: 'centrum',
    roles: ['field'],
    passwordHash: await hashPassword('collega-wachtwoord'),
    disabled: false,
  });
}

describe('drafts: discard and restore', () => {
  it('[E1] [E8] the author discards a concept (one audit entry); the same key gives the same answer and the row stays, marked', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id } = await newDocument(s, vera);
    const k = newKey();

    const first = await act(s.url, vera.accessToken, id, 'discard', k);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ id, status: WorkflowStatus.concept, action: 'discard' });
    expect(first.body.purgeAfter).toBe((first.body.discardedAt as number) + 30 * 24 * 60 * 60 * 1000);
    const replay = await act(s.url, vera.accessToken, id, 'discard', k);
    expect(replay.status).toBe(202);
    expect(replay.text).toBe(first.text);

    const row = await s.store.getDocument(id);
    expect(row).toMatchObject({ id, status: WorkflowStatus.concept, discardedAt: first.body.discardedAt, discardedBy: vera.user.id });
    // A second discard with a new key finds it discarded: refused, nothing changes.
    const again = await act(s.url, vera.accessToken, id, 'discard', newKey());
    expect(again).toMatchObject({ status: 409, body: { error: 'document-discarded' } });
    const audit = await s.audit.log.query({ documentId: id });
    expect(audit.filter((e) => e.action === 'document-discarded')).toHaveLength(1);
  });

  it('[E1] the office may discard a colleague’s concept; another field worker may not', async () => {
    const s = await server();
    await addSecondFieldWorker(s.store);
    const vera = await login(s.url, 'veldwerker');
    const cor = await login(s.url, 'collega', 'collega-wachtwoord');
    const kantoor = await login(s.url, 'kantoor');
    const { id } = await newDocument(s, vera);

    const refused = await act(s.url, cor.accessToken, id, 'discard');
    expect(refused).toMatchObject({ status: 409, body: { error: 'role-required' } });
    expect((await s.store.getDocument(id))?.discardedAt).toBeUndefined();
    const byOffice = await act(s.url, kantoor.accessToken, id, 'discard');
    expect(byOffice.status).toBe(202);
    expect((await s.store.getDocument(id))?.discardedBy).toBe(kantoor.user.id);
  });

  it('[E2] a discarded concept leaves the team and author lists live; a restore puts it back', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const { id } = await newDocument(s, vera);
    const team = client(s.url, `index:team:${vera.user.teamId}`, kantoor.accessToken);
    const own = client(s.url, `index:user:${vera.user.id}`, vera.accessToken);
    await waitFor(() => indexEntry(team, id) !== undefined && indexEntry(own, id) !== undefined, 10_000, 'listed');

    expect((await act(s.url, vera.accessToken, id, 'discard')).status).toBe(202);
    await waitFor(() => indexEntry(team, id) === undefined && indexEntry(own, id) === undefined, 10_000, 'gone from both lists');

    // A list loaded afresh (reconcile from the database) does not bring it back either.
    const fresh = client(s.url, `index:team:${vera.user.teamId}`, kantoor.accessToken);
    await waitFor(() => fresh.durable !== null, 10_000, 'fresh list loaded');
    expect(indexEntry(fresh, id)).toBeUndefined();

    expect((await act(s.url, kantoor.accessToken, id, 'restore')).status).toBe(202);
    await waitFor(() => indexEntry(team, id)?.status === WorkflowStatus.concept && indexEntry(own, id) !== undefined, 10_000, 'back in both lists');
  });

  it('[E3] [E8] only the office restores, within the retention period; audit has both entries', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const { id } = await newDocument(s, vera);
    expect((await act(s.url, vera.accessToken, id, 'discard')).status).toBe(202);

    expect(await act(s.url, vera.accessToken, id, 'restore')).toMatchObject({ status: 409, body: { error: 'role-required' } });
    const k = newKey();
    const restored = await act(s.url, kantoor.accessToken, id, 'restore', k);
    expect(restored).toMatchObject({ status: 202, body: { id, action: 'restore', discardedAt: null } });
    expect((await act(s.url, kantoor.accessToken, id, 'restore', k)).text).toBe(restored.text);
    expect(await act(s.url, kantoor.accessToken, id, 'restore')).toMatchObject({ status: 409, body: { error: 'not-discarded' } });
    expect((await s.store.getDocument(id))?.discardedAt).toBeUndefined();

    const actions = (await s.audit.log.query({ documentId: id })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['document-discarded', 'document-restored']));
  });

  it('[E3] after the retention period a restore is refused', async () => {
    // About 90 ms of retention; the housekeeping runs only at start, so the row is still there.
    const s = await server({ draftRetentionDays: 90 / (24 * 60 * 60 * 1000), draftHousekeepingMs: 60 * 60 * 1000 });
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const { id } = await newDocument(s, vera);
    const discarded = await act(s.url, vera.accessToken, id, 'discard');
    const purgeAfter = discarded.body.purgeAfter as number;
    await waitFor(() => Date.now() > purgeAfter, 5_000, 'retention over');
    expect(await act(s.url, kantoor.accessToken, id, 'restore')).toMatchObject({ status: 409, body: { error: 'retention-expired' } });
    expect((await s.store.getDocument(id))?.discardedAt).toBe(discarded.body.discardedAt);
  });

  it('[E4] a discarded concept’s open socket closes with document-discarded, a new one is refused, and no submit passes', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id, client: editor } = await newDocument(s, vera, { letter: true });
    expect((await act(s.url, vera.accessToken, id, 'discard')).status).toBe(202);
    await waitFor(() => editor.closes.length > 0, 10_000, 'editor closed');
    expect(editor.closes[0]).toEqual({ code: CloseCode.forbidden, reason: CloseReason.documentDiscarded });

    const raw = openRaw(s.url, `doc:${id}`, vera.accessToken);
    expect(await raw.closed).toEqual({ code: CloseCode.forbidden, reason: CloseReason.documentDiscarded });
    expect(await act(s.url, vera.accessToken, id, 'submit')).toMatchObject({ status: 409, body: { error: 'document-discarded' } });
    expect((await s.store.getDocument(id))?.status).toBe(WorkflowStatus.concept);
  });

  it('[E6] a document that was ever submitted cannot be discarded (409), also after a return', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const { id } = await newDocument(s, vera, { letter: true });
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    expect(await act(s.url, vera.accessToken, id, 'discard')).toMatchObject({ status: 409, body: { error: 'not-allowed-in-status' } });
    const returned = await act(s.url, kantoor.accessToken, id, 'return', newKey(), { remark: 'Graag aanvullen.' });
    expect(returned.status).toBe(202);
    expect(await act(s.url, vera.accessToken, id, 'discard')).toMatchObject({ status: 409, body: { error: 'has-submissions' } });
    expect((await s.store.getDocument(id))?.discardedAt).toBeUndefined();
  });

  it('[E7] the office lists its team’s discarded concepts with author and last day; others do not see them', async () => {
    const s = await server();
    await addOtherTeamUser(s.store);
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const nora = await login(s.url, 'noorderling', 'noord-wachtwoord');
    const { id } = await newDocument(s, vera);
    await newDocument(s, vera);
    const discarded = await act(s.url, vera.accessToken, id, 'discard');

    const list = await discardedList(s, kantoor.accessToken);
    expect(list.status).toBe(200);
    const parsed = DiscardedListSchema.parse(list.body);
    expect(parsed.documents).toEqual([
      expect.objectContaining({
        id,
        authorName: vera.user.name,
        discardedByName: vera.user.name,
        discardedAt: discarded.body.discardedAt,
        purgeAfter: discarded.body.purgeAfter,
      }),
    ]);
    expect((await discardedList(s, vera.accessToken)).status).toBe(403);
    expect(DiscardedListSchema.parse((await discardedList(s, nora.accessToken)).body).documents).toEqual([]);
    // Another team cannot restore it either: the same 404 as an unknown id.
    expect(await act(s.url, nora.accessToken, id, 'restore')).toMatchObject({ status: 404, body: { error: 'not-found' } });
  });
});

describe('drafts: purge after the retention period', () => {
  it('[E5] [E8] the housekeeping deletes an expired discarded concept: row, updates, attachments; with an audit entry', async () => {
    const purgedAttachments: string[] = [];
    const attachmentPurger: AttachmentPurger = {
      deleteAttachments: (docId) => {
        purgedAttachments.push(docId);
        return Promise.resolve();
      },
    };
    const s = await server({
      persistent: true,
      draftRetentionDays: 50 / (24 * 60 * 60 * 1000),
      draftHousekeepingMs: 25,
      attachmentPurger,
    });
    const vera = await login(s.url, 'veldwerker');
    const { id } = await newDocument(s, vera, { letter: true });
    const kept = await newDocument(s, vera);
    expect((await s.store.loadUpdates(`doc:${id}`)).updates.length).toBeGreaterThan(0);
    expect((await act(s.url, vera.accessToken, id, 'discard')).status).toBe(202);

    await eventually(async () => (await s.store.getDocument(id)) === null, 'purged');
    expect((await s.store.loadUpdates(`doc:${id}`)).updates).toEqual([]);
    expect(purgedAttachments).toEqual([id]);
    const purge = (await s.audit.log.query({ documentId: id })).filter((e) => e.action === 'document-purged');
    expect(purge).toHaveLength(1);
    expect(purge[0]?.userId).toBeNull();
    // The concept that was not discarded is untouched.
    expect(await s.store.getDocument(kept.id)).not.toBeNull();
    // E9: the purged id is unknown again: a link without the device's intent creates nothing.
    const raw = openRaw(s.url, `doc:${id}`, vera.accessToken, false);
    expect(await raw.closed).toEqual({ code: CloseCode.forbidden, reason: CloseReason.noAccess });
    expect(await s.store.getDocument(id)).toBeNull();
  });
});

describe('drafts: unknown document links', () => {
  it('[E9] a connection to an unknown doc without the create intent is refused like a foreign one and creates no row', async () => {
    const s = await server();
    await addOtherTeamUser(s.store);
    const vera = await login(s.url, 'veldwerker');
    const nora = await login(s.url, 'noorderling', 'noord-wachtwoord');
    const unknownId = randomUUID();
    const unknown = openRaw(s.url, `doc:${unknownId}`, vera.accessToken, false);
    expect(await unknown.closed).toEqual({ code: CloseCode.forbidden, reason: CloseReason.noAccess });
    expect(await s.store.getDocument(unknownId)).toBeNull();

    const { id: theirs } = await newDocument(s, nora);
    const foreign = openRaw(s.url, `doc:${theirs}`, vera.accessToken, true);
    expect(await foreign.closed).toEqual({ code: CloseCode.forbidden, reason: CloseReason.noAccess });
    expect((await s.store.getDocument(theirs))?.teamId).toBe('noord');
  });

  it('[E9] with the create intent the first connection creates the document in the user’s team; later ones need no intent', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id } = await newDocument(s, vera);
    expect(await s.store.getDocument(id)).toMatchObject({ id, teamId: vera.user.teamId, createdBy: vera.user.id });
    const again = client(s.url, `doc:${id}`, vera.accessToken, false);
    await waitFor(() => again.durable !== null, 10_000, 'existing document opens without intent');
  });
});
