// One contract suite for every `Store` (tldraw's storageContractSuite): the SQLite store on a
// real file in a temp dir and the memory store must pass the same tests, so unit tests on the
// memory store say something about production. Durability tests run where the store is durable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMemoryStore } from '../../server/store/memory-store';
import { openSqliteStore } from '../../server/store/sqlite-store';
import type { ActionRecord, DocumentPatch, DocumentRow, Store, UpdateHistoryReader, UpdateRecord, UserRow } from '../../server/store/types';
import { WorkflowStatus } from '../../shared/model/index-entry';

type ContractStore = Store & UpdateHistoryReader;

interface StoreHarness {
  store: ContractStore;
  /** Closes `store` and opens the same data again; absent for stores that don't persist. */
  reopen?: () => Promise<ContractStore>;
  dispose(): Promise<void>;
}

interface StoreFactory {
  name: string;
  durable: boolean;
  create(): StoreHarness;
}

const sqliteFactory: StoreFactory = {
  name: 'sqlite',
  durable: true,
  create() {
    const dir = mkdtempSync(join(tmpdir(), 'keukentafel-store-'));
    const file = join(dir, 'keukentafel.db');
    const harness: StoreHarness = {
      store: openSqliteStore(file),
      async reopen() {
        await harness.store.close();
        harness.store = openSqliteStore(file);
        return harness.store;
      },
      async dispose() {
        await harness.store.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return harness;
  },
};

const memoryFactory: StoreFactory = {
  name: 'memory',
  durable: false,
  create() {
    const store = createMemoryStore();
    return { store, dispose: () => store.close() };
  },
};

function documentRow(overrides: Partial<DocumentRow> = {}): DocumentRow {
  return {
    id: 'doc-1',
    teamId: 'centrum',
    createdBy: 'user-1',
    createdAt: 1_000,
    updatedAt: 1_000,
    title: 'Gesprek keukentafel',
    templateId: 'verslag-keukentafel',
    kind: 'verslag',
    zaak: null,
    status: WorkflowStatus.concept,
    ...overrides,
  };
}

function user(overrides: Partial<UserRow> = {}): UserRow {
  return {
    id: 'user-1',
    username: 'veldwerker',
    name: 'Vera Veldwerker',
    teamId: 'centrum',
    roles: ['field'],
    passwordHash: 'scrypt$x',
    disabled: false,
    ...overrides,
  };
}

function record(docId: string, update: Uint8Array, at: number, connId = 'conn-1'): UpdateRecord {
  return { docId, update, userId: 'user-1', deviceId: 'device-1', connId, at };
}

function action(overrides: Partial<ActionRecord> = {}): ActionRecord {
  return {
    idempotencyKey: 'key-0001',
    docId: 'doc-1',
    userId: 'user-1',
    type: 'submit',
    at: 2_000,
    httpStatus: 202,
    response: JSON.stringify({ id: 'doc-1', status: WorkflowStatus.submitted, action: 'submit', at: 2_000 }),
    ...overrides,
  };
}

const submitPatch: DocumentPatch = { status: WorkflowStatus.submitted, updatedAt: 2_000 };

/** Captures the Yjs updates that `edit` produces on `doc`. */
function updatesOf(doc: Y.Doc, edit: () => void): Uint8Array[] {
  const out: Uint8Array[] = [];
  const onUpdate = (u: Uint8Array) => out.push(u);
  doc.on('update', onUpdate);
  edit();
  doc.off('update', onUpdate);
  return out;
}

function textOf(updates: readonly Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText('body').toJSON();
}

function storeContractSuite(factory: StoreFactory): void {
  describe(`store contract: ${factory.name}`, () => {
    let harness: StoreHarness;
    let store: ContractStore;

    beforeEach(() => {
      harness = factory.create();
      store = harness.store;
    });
    afterEach(async () => {
      await harness.dispose();
    });

    async function reopen(): Promise<void> {
      if (!harness.reopen) throw new Error('store is not durable');
      store = await harness.reopen();
    }

    it('answers ping while open; after close, ping answers false and calls fail', async () => {
      expect(await store.ping()).toBe(true);
      await store.close();
      expect(await store.ping()).toBe(false);
      await expect(store.getSetting('x')).rejects.toThrow();
    });

    describe('documents', () => {
      it('creates, gets and lists documents by team and by creator, newest first', async () => {
        await store.createDocument(documentRow({ id: 'a', updatedAt: 10 }));
        await store.createDocument(documentRow({ id: 'b', updatedAt: 30 }));
        await store.createDocument(documentRow({ id: 'c', updatedAt: 20, teamId: 'zuid', createdBy: 'user-2' }));

        expect(await store.getDocument('a')).toEqual(documentRow({ id: 'a', updatedAt: 10 }));
        expect(await store.getDocument('nope')).toBeNull();
        expect((await store.listDocuments({ teamId: 'centrum' })).map((d) => d.id)).toEqual(['b', 'a']);
        expect((await store.listDocuments({ createdBy: 'user-2' })).map((d) => d.id)).toEqual(['c']);
        expect(await store.listDocuments({ teamId: 'noord' })).toEqual([]);
      });

      it('createDocument is idempotent: a second create returns the first row unchanged', async () => {
        const first = await store.createDocument(documentRow({ title: 'Eerste' }));
        const second = await store.createDocument(documentRow({ title: 'Tweede', createdBy: 'user-2' }));
        expect(first.title).toBe('Eerste');
        expect(second).toEqual(first);
        expect((await store.getDocument('doc-1'))?.title).toBe('Eerste');
      });

      it('updateDocument changes only the patched fields and can set nullable ones to null', async () => {
        await store.createDocument(documentRow({ zaak: 'ZAAK-1' }));
        await store.updateDocument('doc-1', { title: 'Nieuw', status: WorkflowStatus.submitted, zaak: null, updatedAt: 5_000 });
        expect(await store.getDocument('doc-1')).toEqual(
          documentRow({ title: 'Nieuw', status: WorkflowStatus.submitted, zaak: null, updatedAt: 5_000 }),
        );
        await store.updateDocument('doc-1', { kind: undefined });
        expect((await store.getDocument('doc-1'))?.kind).toBe('verslag');
      });

      it('updateDocument on an unknown id changes nothing', async () => {
        await store.updateDocument('unknown', { title: 'x' });
        expect(await store.getDocument('unknown')).toBeNull();
      });
    });

    describe('actions (W1)', () => {
      it('getAction answers null for an unknown key and the stored record after a commit', async () => {
        await store.createDocument(documentRow());
        expect(await store.getAction('key-0001')).toBeNull();
        expect(await store.commitAction(action(), submitPatch)).toEqual({ stored: true });
        expect(await store.getAction('key-0001')).toEqual(action());
        expect(await store.getDocument('doc-1')).toEqual(documentRow({ status: WorkflowStatus.submitted, updatedAt: 2_000 }));
      });

      it('[W1] a second commit with the same key changes nothing and returns the stored record', async () => {
        await store.createDocument(documentRow());
        await store.commitAction(action(), submitPatch);
        const again = action({ userId: 'user-2', type: 'return', at: 3_000, httpStatus: 202, response: '{"other":true}' });
        expect(await store.commitAction(again, { status: WorkflowStatus.concept, title: 'Anders', updatedAt: 3_000 })).toEqual({
          stored: false,
          existing: action(),
        });
        expect(await store.getAction('key-0001')).toEqual(action());
        expect(await store.getDocument('doc-1')).toEqual(documentRow({ status: WorkflowStatus.submitted, updatedAt: 2_000 }));
      });

      it('[W1] of concurrent commits with one key exactly one is stored; the others see it', async () => {
        await store.createDocument(documentRow());
        const results = await Promise.all(
          [1, 2, 3].map((n) => store.commitAction(action({ at: 2_000 + n }), { status: WorkflowStatus.submitted, updatedAt: 2_000 + n })),
        );
        const stored = results.filter((r) => r.stored);
        expect(stored).toHaveLength(1);
        const winner = await store.getAction('key-0001');
        for (const r of results) if (!r.stored) expect(r.existing).toEqual(winner);
        expect((await store.getDocument('doc-1'))?.updatedAt).toBe(winner?.at);
      });

      it('a refusal is stored without a patch and leaves the document alone', async () => {
        await store.createDocument(documentRow());
        const refusal = action({ type: 'approve', httpStatus: 409, response: '{"error":"role-required","status":"concept"}' });
        expect(await store.commitAction(refusal, null)).toEqual({ stored: true });
        expect(await store.getAction('key-0001')).toEqual(refusal);
        expect(await store.getDocument('doc-1')).toEqual(documentRow());
      });

      it('[W1] an invalid record is refused and the patch is not applied', async () => {
        await store.createDocument(documentRow());
        await expect(store.commitAction(action({ response: 'not json' }), submitPatch)).rejects.toThrow();
        await expect(store.commitAction(action({ httpStatus: 2.5 }), submitPatch)).rejects.toThrow();
        expect(await store.getAction('key-0001')).toBeNull();
        expect(await store.getDocument('doc-1')).toEqual(documentRow());
      });

      it('[W1] a patch that cannot be applied stores no record', async () => {
        await store.createDocument(documentRow());
        const broken = { status: null, updatedAt: 2_000 } as unknown as DocumentPatch;
        await expect(store.commitAction(action(), broken)).rejects.toThrow();
        expect(await store.getAction('key-0001')).toBeNull();
        expect(await store.getDocument('doc-1')).toEqual(documentRow());
        // The key is still free: a correct retry is stored.
        expect(await store.commitAction(action(), submitPatch)).toEqual({ stored: true });
      });

      it('records handed out are copies', async () => {
        await store.commitAction(action(), null);
        const got = await store.getAction('key-0001');
        if (got) got.httpStatus = 500;
        expect((await store.getAction('key-0001'))?.httpStatus).toBe(202);
      });
    });

    describe('update log', () => {
      it('loads nothing for an unknown document', async () => {
        expect(await store.loadUpdates('doc-x')).toEqual({ updates: [], lastSeq: 0, logLength: 0 });
      });

      it('returns appended updates in append order, per document, with lastSeq and logLength', async () => {
        await store.appendUpdates([record('d1', Uint8Array.of(1), 1), record('d2', Uint8Array.of(9), 1)]);
        await store.appendUpdates([record('d1', Uint8Array.of(2), 2)]);
        await store.appendUpdates([record('d1', Uint8Array.of(3), 3), record('index:team:centrum', Uint8Array.of(7), 3)]);

        const d1 = await store.loadUpdates('d1');
        expect(d1.updates).toEqual([Uint8Array.of(1), Uint8Array.of(2), Uint8Array.of(3)]);
        expect(d1.logLength).toBe(3);
        const d2 = await store.loadUpdates('d2');
        expect(d2.updates).toEqual([Uint8Array.of(9)]);
        // seq is one sequence over all documents and only grows.
        expect(d1.lastSeq).toBeGreaterThan(d2.lastSeq);
        expect((await store.loadUpdates('index:team:centrum')).updates).toEqual([Uint8Array.of(7)]);
      });

      it('an empty batch is accepted and stores nothing', async () => {
        await store.appendUpdates([]);
        expect((await store.loadUpdates('d1')).logLength).toBe(0);
      });

      it('a batch with one invalid record stores none of its records', async () => {
        await store.appendUpdates([record('d1', Uint8Array.of(1), 1)]);
        const invalid = { ...record('d1', Uint8Array.of(3), 3), docId: null } as unknown as UpdateRecord;
        await expect(
          store.appendUpdates([record('d1', Uint8Array.of(2), 2), record('d2', Uint8Array.of(2), 2), invalid]),
        ).rejects.toThrow();

        expect((await store.loadUpdates('d1')).updates).toEqual([Uint8Array.of(1)]);
        expect((await store.loadUpdates('d2')).updates).toEqual([]);
        if (factory.durable) {
          await reopen();
          expect((await store.loadUpdates('d1')).updates).toEqual([Uint8Array.of(1)]);
          expect((await store.loadUpdates('d2')).updates).toEqual([]);
        }
      });

      it('stored updates are not changed by mutating the arrays passed in or handed out', async () => {
        const bytes = Uint8Array.of(1, 2, 3);
        await store.appendUpdates([record('d1', bytes, 1)]);
        bytes[0] = 99;
        const loaded = await store.loadUpdates('d1');
        expect(loaded.updates[0]).toEqual(Uint8Array.of(1, 2, 3));
        loaded.updates[0]?.fill(0);
        expect((await store.loadUpdates('d1')).updates[0]).toEqual(Uint8Array.of(1, 2, 3));
      });
    });

    describe('compaction', () => {
      it('[H3] keeps the content, returns snapshot then newer log rows, and keeps who/when/connection', async () => {
        const doc = new Y.Doc();
        const body = doc.getText('body');
        const early = updatesOf(doc, () => {
          body.insert(0, 'Gesprek ');
          body.insert(8, 'met ');
          body.insert(12, 'mevrouw');
        });
        await store.appendUpdates(early.map((u, i) => record('d1', u, 100 + i, `conn-${i}`)));
        const before = await store.loadUpdates('d1');
        const historyBefore = await store.listUpdateHistory('d1');
        expect(historyBefore.map((h) => h.connId)).toEqual(['conn-0', 'conn-1', 'conn-2']);

        // An update that arrives after the compactor loaded must survive the compaction.
        const late = updatesOf(doc, () => body.insert(body.length, ' Jansen'));
        await store.appendUpdates(late.map((u) => record('d1', u, 200, 'conn-late')));

        await store.compact('d1', Y.mergeUpdates(before.updates), before.lastSeq);

        const after = await store.loadUpdates('d1');
        expect(after.logLength).toBe(1);
        expect(after.updates).toHaveLength(2);
        expect(after.updates[0]).toEqual(Y.mergeUpdates(before.updates));
        expect(after.updates[1]).toEqual(late[0]);
        expect(after.lastSeq).toBeGreaterThan(before.lastSeq);
        expect(textOf(after.updates)).toBe('Gesprek met mevrouw Jansen');

        const history = await store.listUpdateHistory('d1');
        expect(history.map((h) => [h.userId, h.deviceId, h.connId, h.at])).toEqual([
          ['user-1', 'device-1', 'conn-0', 100],
          ['user-1', 'device-1', 'conn-1', 101],
          ['user-1', 'device-1', 'conn-2', 102],
          ['user-1', 'device-1', 'conn-late', 200],
        ]);
        expect(history.slice(0, 3)).toEqual(historyBefore);
        expect(history.map((h) => h.size)).toEqual([...early, ...late].map((u) => u.byteLength));
      });

      it('a second compaction folds the snapshot and the newer rows again', async () => {
        const doc = new Y.Doc();
        const body = doc.getText('body');
        await store.appendUpdates(updatesOf(doc, () => body.insert(0, 'een')).map((u) => record('d1', u, 1)));
        let loaded = await store.loadUpdates('d1');
        await store.compact('d1', Y.mergeUpdates(loaded.updates), loaded.lastSeq);
        await store.appendUpdates(updatesOf(doc, () => body.insert(3, ' twee')).map((u) => record('d1', u, 2)));
        loaded = await store.loadUpdates('d1');
        await store.compact('d1', Y.mergeUpdates(loaded.updates), loaded.lastSeq);

        const after = await store.loadUpdates('d1');
        expect(after).toMatchObject({ logLength: 0, lastSeq: loaded.lastSeq });
        expect(after.updates).toHaveLength(1);
        expect(textOf(after.updates)).toBe('een twee');
        expect(await store.listUpdateHistory('d1')).toHaveLength(2);
      });

      it('a stale compaction (lower throughSeq than the snapshot) changes nothing', async () => {
        await store.appendUpdates([record('d1', Uint8Array.of(1), 1)]);
        const first = await store.loadUpdates('d1');
        await store.appendUpdates([record('d1', Uint8Array.of(2), 2)]);
        const second = await store.loadUpdates('d1');
        await store.compact('d1', Uint8Array.of(12), second.lastSeq);
        await store.compact('d1', Uint8Array.of(1), first.lastSeq);
        expect(await store.loadUpdates('d1')).toEqual({ updates: [Uint8Array.of(12)], lastSeq: second.lastSeq, logLength: 0 });
      });

      it('compaction of one document leaves the others alone', async () => {
        await store.appendUpdates([record('d1', Uint8Array.of(1), 1), record('d2', Uint8Array.of(2), 1)]);
        const d1 = await store.loadUpdates('d1');
        await store.appendUpdates([record('d2', Uint8Array.of(3), 2)]);
        await store.compact('d1', Uint8Array.of(11), (await store.loadUpdates('d2')).lastSeq);
        expect((await store.loadUpdates('d2')).updates).toEqual([Uint8Array.of(2), Uint8Array.of(3)]);
        expect((await store.loadUpdates('d1')).updates).toEqual([Uint8Array.of(11)]);
        expect(d1.logLength).toBe(1);
      });
    });

    describe('accounts', () => {
      beforeEach(async () => {
        await store.createTeam({ id: 'centrum', name: 'Wijkteam Centrum' });
      });

      it('stores teams and users; countUsers counts them', async () => {
        expect(await store.countUsers()).toBe(0);
        await store.createUser(user({ roles: ['office', 'approver'] }));
        expect(await store.countUsers()).toBe(1);
        expect(await store.getTeam('centrum')).toEqual({ id: 'centrum', name: 'Wijkteam Centrum' });
        expect(await store.getTeam('zuid')).toBeNull();
        expect(await store.getUser('user-1')).toEqual(user({ roles: ['office', 'approver'] }));
        expect(await store.getUser('user-2')).toBeNull();
      });

      it('finds a user by username regardless of case, and refuses a second user with that name', async () => {
        await store.createUser(user({ username: 'Veldwerker' }));
        expect((await store.findUserByUsername('veldwerker'))?.id).toBe('user-1');
        expect((await store.findUserByUsername('VELDWERKER'))?.id).toBe('user-1');
        expect(await store.findUserByUsername('kantoor')).toBeNull();
        await expect(store.createUser(user({ id: 'user-2', username: 'VELDwerker' }))).rejects.toThrow();
      });

      it('refuses a user of an unknown team and a device of an unknown user', async () => {
        await expect(store.createUser(user({ teamId: 'zuid' }))).rejects.toThrow();
        await expect(
          store.createDevice({ id: 'dev', userId: 'ghost', name: 'x', createdAt: 1, lastSeenAt: 1, revokedAt: null }),
        ).rejects.toThrow();
      });

      it('stores devices, touches them and keeps the first revocation time', async () => {
        await store.createUser(user());
        await store.createDevice({ id: 'dev-1', userId: 'user-1', name: 'Telefoon', createdAt: 10, lastSeenAt: 10, revokedAt: null });
        await store.touchDevice('dev-1', 20);
        expect(await store.getDevice('dev-1')).toEqual({
          id: 'dev-1',
          userId: 'user-1',
          name: 'Telefoon',
          createdAt: 10,
          lastSeenAt: 20,
          revokedAt: null,
        });
        await store.revokeDevice('dev-1', 30);
        await store.revokeDevice('dev-1', 40);
        expect((await store.getDevice('dev-1'))?.revokedAt).toBe(30);
        expect(await store.getDevice('dev-2')).toBeNull();
      });

      it('useRefreshToken marks the token used: the first use sees it unused, the second sees usedAt', async () => {
        await store.createUser(user());
        await store.createDevice({ id: 'dev-1', userId: 'user-1', name: 'Telefoon', createdAt: 10, lastSeenAt: 10, revokedAt: null });
        const token = { hash: 'ab'.repeat(32), userId: 'user-1', deviceId: 'dev-1', expiresAt: 1_000, usedAt: null };
        await store.saveRefreshToken(token);

        const [first, second] = await Promise.all([store.useRefreshToken(token.hash, 50), store.useRefreshToken(token.hash, 60)]);
        expect(first).toEqual(token);
        expect(second).toEqual({ ...token, usedAt: 50 });
        expect(await store.useRefreshToken(token.hash, 70)).toEqual({ ...token, usedAt: 50 });
        expect(await store.useRefreshToken('cd'.repeat(32), 50)).toBeNull();
      });

      it('settings round trip and overwrite', async () => {
        expect(await store.getSetting('auth.secret')).toBeNull();
        await store.setSetting('auth.secret', 'one');
        await store.setSetting('auth.secret', 'two');
        expect(await store.getSetting('auth.secret')).toBe('two');
      });
    });

    // Only a durable store has a durability section; the memory store registers none.
    if (factory.durable) {
    describe('durability', () => {
      it('everything is still there after closing and reopening the file', async () => {
        await store.createTeam({ id: 'centrum', name: 'Wijkteam Centrum' });
        await store.createUser(user());
        await store.createDevice({ id: 'dev-1', userId: 'user-1', name: 'Telefoon', createdAt: 10, lastSeenAt: 10, revokedAt: null });
        await store.saveRefreshToken({ hash: 'h', userId: 'user-1', deviceId: 'dev-1', expiresAt: 99, usedAt: null });
        await store.setSetting('auth.secret', 's');
        await store.createDocument(documentRow());
        await store.appendUpdates([record('d1', Uint8Array.of(1), 1), record('d1', Uint8Array.of(2), 2)]);
        const loaded = await store.loadUpdates('d1');
        await store.compact('d1', Uint8Array.of(12), loaded.lastSeq);
        await store.appendUpdates([record('d1', Uint8Array.of(3), 3)]);
        const history = await store.listUpdateHistory('d1');
        await store.createDocument(documentRow({ id: 'doc-2' }));
        await store.commitAction(action({ docId: 'doc-2' }), submitPatch);

        await reopen();

        expect(await store.getAction('key-0001')).toEqual(action({ docId: 'doc-2' }));
        expect((await store.getDocument('doc-2'))?.status).toBe(WorkflowStatus.submitted);
        expect((await store.commitAction(action({ docId: 'doc-2', at: 9 }), null)).stored).toBe(false);

        expect(await store.getDocument('doc-1')).toEqual(documentRow());
        expect(await store.findUserByUsername('VeldWerker')).toEqual(user());
        expect((await store.getDevice('dev-1'))?.name).toBe('Telefoon');
        expect((await store.useRefreshToken('h', 5))?.usedAt).toBeNull();
        expect(await store.getSetting('auth.secret')).toBe('s');
        const after = await store.loadUpdates('d1');
        expect(after.updates).toEqual([Uint8Array.of(12), Uint8Array.of(3)]);
        expect(await store.listUpdateHistory('d1')).toEqual(history);

        // seq is never reused, even when compaction emptied the log (AUTOINCREMENT).
        await store.compact('d1', Uint8Array.of(123), after.lastSeq);
        await reopen();
        await store.appendUpdates([record('d1', Uint8Array.of(4), 4)]);
        expect((await store.loadUpdates('d1')).lastSeq).toBeGreaterThan(after.lastSeq);
      });
    });
    }
  });
}

storeContractSuite(sqliteFactory);
storeContractSuite(memoryFactory);
