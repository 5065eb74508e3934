// Frozen means frozen (V1–V3) against the real server: real y-websocket devices (the client's
// own SyncManager over `ws`, Dexie on fake-indexeddb), real HTTP actions. A submitted document
// takes no content edit from anyone; a device that edited offline while another submitted keeps
// its edits, is told, never sees them "saved", and sends them once the document is returned.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { startServer, type RunningServer } from '../../server/app';
import { createMemoryDms } from '../../server/dms/memory';
import { openDexieLocalStore } from '../../client/store/dexie-local-store';
import { DocPersistence } from '../../client/store/doc-persistence';
import { resumeSession, signIn, type Session, type SessionOptions } from '../../client/sync/session';
import { readSection } from '../../shared/model/document';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { CloseCode, CloseReason } from '../../shared/protocol/messages';
import { act } from '../support/api';
import { DEMO_PASSWORD, NodeWebSocket, freshIndexedDB, newDocId, waitFor } from '../support/client-env';
import { fillDecision, writeSection } from '../support/decision';
import { AckingClient, login } from '../support/server';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
});

async function server(): Promise<RunningServer> {
  const dms = createMemoryDms();
  const running = await startServer({ port: 0, dataDir: null, demoPassword: DEMO_PASSWORD, logLevel: 'silent', staticDir: null, dms });
  cleanups.push(() => dms.release());
  cleanups.push(() => running.close());
  return running;
}

function device(srv: RunningServer) {
  const idb = freshIndexedDB();
  const options: SessionOptions = {
    serverUrl: srv.url,
    WebSocketImpl: NodeWebSocket,
    openStore: (userId) => openDexieLocalStore(userId, idb),
    storageManager: {},
    backoff: { baseMs: 50, maxMs: 500 },
  };
  const signInAs = async (username: 'veldwerker' | 'kantoor'): Promise<Session> => {
    const result = await signIn({ ...options, username, password: DEMO_PASSWORD, deviceName: `test-${username}` });
    if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
    cleanups.push(() => result.session.close());
    return result.session;
  };
  return { idb, options, signInAs };
}

function docOf(updates: readonly Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

async function committedSection(srv: RunningServer, id: string, key: string): Promise<string> {
  return readSection(docOf((await srv.store.loadUpdates(`doc:${id}`)).updates), key);
}

async function submittedSection(srv: RunningServer, id: string, version: number, key: string): Promise<string> {
  const submission = await srv.store.getSubmission(id, version);
  if (submission === null) throw new Error(`no version ${version}`);
  return readSection(docOf([submission.content]), key);
}

const saved = (session: Session, id: string) => () => session.sync.status(id).state === 'saved';
const B_TEXT = 'Aangepast op apparaat B zonder verbinding, op grond van artikel 18 van de Participatiewet.';
const ORIGINAL = 'U krijgt vanaf 1 maart 2026 een uitkering.';

describe('frozen versions (V1–V3)', () => {
  it('[V1] the server refuses content updates to a submitted document with 4409 document-frozen; readers stay', async () => {
    const srv = await server();
    const vera = await login(srv.url, 'veldwerker', DEMO_PASSWORD);
    const kantoor = await login(srv.url, 'kantoor', DEMO_PASSWORD);
    const id = newDocId();
    const writer = new AckingClient(srv.url, `doc:${id}`, vera.accessToken);
    cleanups.push(() => writer.destroy());
    fillDecision(writer.doc, { id, teamId: vera.user.teamId, createdBy: vera.user.id }, { maatwerk: true });
    await writer.waitSaved();
    expect(await act(srv.url, vera.accessToken, id, 'submit')).toMatchObject({ status: 202, body: { status: WorkflowStatus.awaitingApproval } });

    // A reader with nothing new (the approver's device) connects and stays connected.
    const reader = new AckingClient(srv.url, `doc:${id}`, kantoor.accessToken);
    cleanups.push(() => reader.destroy());
    await waitFor(() => readSection(reader.doc, 'besluit') === ORIGINAL, 10_000, 'reader synced');

    // The author's edit after submit is refused: the socket closes, nothing reaches the room.
    writeSection(writer.doc, 'besluit', 'Na indienen gewijzigd.');
    await waitFor(() => writer.closes.length > 0, 10_000, 'close');
    expect(writer.closes[0]).toEqual({ code: CloseCode.frozen, reason: CloseReason.documentFrozen });
    const room = srv.rooms.peek(`doc:${id}`);
    expect(room === undefined ? ORIGINAL : readSection(room.doc, 'besluit')).toBe(ORIGINAL);
    expect(await committedSection(srv, id, 'besluit')).toBe(ORIGINAL);
    expect(reader.closes).toEqual([]);
    expect(readSection(reader.doc, 'besluit')).toBe(ORIGINAL);

    // Returned, it is a concept again: edits are taken.
    const returned = await act(srv.url, kantoor.accessToken, id, 'return', undefined, { remark: 'Graag aanvullen.' });
    expect(returned).toMatchObject({ status: 202 });
    const again = new AckingClient(srv.url, `doc:${id}`, vera.accessToken);
    cleanups.push(() => again.destroy());
    await waitFor(() => readSection(again.doc, 'besluit') === ORIGINAL, 10_000, 'author synced');
    writeSection(again.doc, 'besluit', 'Na terugsturen verbeterd.');
    await again.waitSaved();
    expect(await committedSection(srv, id, 'besluit')).toBe('Na terugsturen verbeterd.');
  });

  it('[V3] two devices race: B edits offline while A submits; B is told, keeps its edit, and it goes into the next version only after a return', async () => {
    const srv = await server();
    const a = await device(srv).signInAs('veldwerker');
    const devB = device(srv);
    const b = await devB.signInAs('veldwerker');
    const kantoor = await login(srv.url, 'kantoor', DEMO_PASSWORD);
    const id = newDocId();

    await a.sync.markCreatedHere(id); // E9: made on this device

    const docA = await a.sync.open(id);
    fillDecision(docA, { id, teamId: a.user.teamId, createdBy: a.user.id }, { maatwerk: true });
    await waitFor(saved(a, id), 10_000, 'A saved');
    await b.sync.markCreatedHere(id); // E9: made on this device
    const docB = await b.sync.open(id);
    await waitFor(() => readSection(docB, 'besluit') !== '' && b.sync.status(id).state === 'saved', 10_000, 'B has the document');

    // B loses the network and keeps typing; A submits meanwhile.
    b.sync.setOffline(true);
    writeSection(docB, 'motivering', B_TEXT);
    await b.sync.whenSavedLocally(id);
    const submitted = await act(srv.url, a.auth.accessToken()!, id, 'submit');
    expect(submitted).toMatchObject({ status: 202, body: { status: WorkflowStatus.awaitingApproval, submission: { version: 1 } } });

    // B comes back: refused, told, and never "saved".
    b.sync.setOffline(false);
    await waitFor(() => b.sync.status(id).state === 'error', 10_000, 'B refused');
    expect(b.sync.status(id)).toEqual({ state: 'error', reason: 'frozen' });
    expect(b.sync.unsavedDocIds()).toContain(id);
    // The submitted version and the server's document hold A's text, not B's.
    expect(await submittedSection(srv, id, 1, 'motivering')).not.toContain('apparaat B');
    expect(await committedSection(srv, id, 'motivering')).not.toContain('apparaat B');
    // ...and B's edit is on B's device, also after the app restarts.
    await b.close();
    const store = await openDexieLocalStore(b.user.id, devB.idb);
    const fromDisk = new Y.Doc();
    await (await DocPersistence.bind(store, id, fromDisk)).destroy();
    expect(readSection(fromDisk, 'motivering')).toBe(B_TEXT);
    const b2 = await resumeSession({ ...devB.options, userId: b.user.id });
    if (b2 === null) throw new Error('no session to resume');
    cleanups.push(() => b2.close());
    await waitFor(() => b2.sync.status(id).state === 'error', 10_000, 'B refused after restart');
    expect(b2.sync.status(id)).toEqual({ state: 'error', reason: 'frozen' });

    // The office returns the decision: the list says concept, the device sends what it kept.
    const returned = await act(srv.url, kantoor.accessToken, id, 'return', undefined, { remark: 'Motivering aanvullen.', section: 'motivering' });
    expect(returned).toMatchObject({ status: 202 });
    b2.sync.editable(id);
    await waitFor(saved(b2, id), 10_000, 'B saved after return');
    expect(await committedSection(srv, id, 'motivering')).toBe(B_TEXT);
    const resubmitted = await act(srv.url, a.auth.accessToken()!, id, 'submit');
    expect(resubmitted).toMatchObject({ status: 202, body: { submission: { version: 2 } } });
    expect(await submittedSection(srv, id, 2, 'motivering')).toBe(B_TEXT);
    expect(await submittedSection(srv, id, 1, 'motivering')).not.toContain('apparaat B');
  });
});
