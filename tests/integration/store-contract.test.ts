// One contract suite for every `Store` (tldraw's storageContractSuite): the SQLite store on a
// real file in a temp dir, the PostgreSQL store on a throw-away cluster (a fresh database per
// test, DB1) and the memory store must pass the same tests, so unit tests on the memory store
// say something about production. Durability tests run where the store is durable.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMemoryStore } from '../../server/store/memory/store';
import { migrate, MIGRATIONS } from '../../server/store/sqlite/schema';
import { openSqliteStore } from '../../server/store/sqlite/store';
import { openPostgresStore } from '../../server/store/postgres/store';
import { FrozenRoomsError } from '../../server/store/frozen-content';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import type {
  ActionRecord,
  DecisionRecord,
  DeliveryRow,
  DispatchRecord,
  DocumentPatch,
  DocumentRow,
  Store,
  SubmissionRecord,
  ReviewCommit,
  ReviewRecord,
  SubmitCommit,
  UpdateHistoryReader,
  UpdateRecord,
  UserRow,
} from '../../server/store/types';
import { WorkflowStatus } from '../../shared/model/index-entry';

/** K20–K29: what a device row holds for the vault when it was made without keys (before K20). */
const NO_VAULT_KEYS = { statusTokenHash: null, recoveryKey: null, wipe: null, recoveredBy: null };

type ContractStore = Store & UpdateHistoryReader;

interface StoreHarness {
  store: ContractStore;
  /** Closes `store` and opens the same data again; absent for stores that don't persist. */
  reopen?: () => Promise<ContractStore>;
  /**
   * Runs one SQL statement on a second connection of its own (checks the database makes beside
   * the store) and answers its rows; absent for the memory store. Written to run on both engines.
   */
  sql?: (statement: string) => Promise<unknown[]>;
  /** A second store on the same data, as a second process would open it; absent for the memory store. */
  openSecond?: () => Promise<ContractStore>;
  dispose(): Promise<void>;
}

interface StoreFactory {
  name: string;
  durable: boolean;
  /** Once per file, before the suite (the PostgreSQL cluster); fails with the install hint when missing. */
  setup?: () => Promise<void>;
  teardown?: () => Promise<void>;
  create(): Promise<StoreHarness>;
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
      // The executor's throw is the promise's rejection, as on PostgreSQL.
      sql: (statement) =>
        new Promise<unknown[]>((resolve) => {
          const db = new Database(file);
          try {
            const prepared = db.prepare(statement);
            if (prepared.reader) resolve(prepared.all());
            else {
              prepared.run();
              resolve([]);
            }
          } finally {
            db.close();
          }
        }),
      openSecond: () => Promise.resolve(openSqliteStore(file)),
      async dispose() {
        await harness.store.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
    return Promise.resolve(harness);
  },
};

// DB1: one cluster for this file, a fresh database for every test: a copy of one migrated once
// (CREATE DATABASE … TEMPLATE), which halves the time a test spends making it.
let cluster: PostgresCluster | null = null;
const TEMPLATE_DB = 'kt_contract_template';
let databases = 0;

const postgresFactory: StoreFactory = {
  name: 'postgres',
  durable: true,
  async setup() {
    cluster = await startPostgres();
    const migrated = await openPostgresStore(await cluster.createDatabase(TEMPLATE_DB));
    await migrated.close();
  },
  async teardown() {
    await cluster?.stop();
    cluster = null;
  },
  async create() {
    if (cluster === null) throw new Error('PostgreSQL cluster not started');
    const admin = cluster.url;
    const name = `kt_contract_${process.pid}_${++databases}`;
    await adminQuery(admin, `CREATE DATABASE "${name}" TEMPLATE ${TEMPLATE_DB}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const opened: ContractStore[] = [];
    const open = async (): Promise<ContractStore> => {
      const store = await openPostgresStore(url.href, { max: 4 });
      opened.push(store);
      return store;
    };
    const harness: StoreHarness = {
      store: await open(),
      async reopen() {
        await harness.store.close();
        harness.store = await open();
        return harness.store;
      },
      async sql(statement) {
        const client = new pg.Client({ connectionString: url.href });
        await client.connect();
        try {
          return (await client.query<Record<string, unknown>>(statement)).rows;
        } finally {
          await client.end();
        }
      },
      openSecond: open,
      async dispose() {
        for (const store of opened) await store.close().catch(() => undefined);
        await adminQuery(admin, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
    return harness;
  },
};

async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const memoryFactory: StoreFactory = {
  name: 'memory',
  durable: false,
  create() {
    const store = createMemoryStore();
    return Promise.resolve({ store, dispose: () => store.close() });
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
    functionTitle: null,
    email: null,
    phone: null,
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

/** The commit of a submit of `docId`, its delivery due at 2000. */
function submitted(docId = 'doc-1', version = 1): SubmitCommit {
  return {
    record: action({ idempotencyKey: `submit-${docId}-${version}`, docId }),
    submission: submission(docId, version),
    patch: submitPatch,
    ifStatus: WorkflowStatus.concept,
    dueAt: 2_000,
  };
}

function submission(docId: string, version: number): SubmissionRecord {
  return {
    docId,
    version,
    identificatie: `KT-${docId}-v${version}`,
    zaak: 'ZAAK-2026-0042',
    templateId: 'brief',
    templateVersion: 1,
    submittedBy: 'user-1',
    submittedAt: 2_000,
    content: Uint8Array.of(1, 2, version),
    contentSha256: 'a'.repeat(63) + String(version),
    pdf: Uint8Array.of(37, 80, 68, 70, version),
    pdfSha256: 'b'.repeat(63) + String(version),
    metadata: {
      title: 'Brief',
      author: 'Vera Veldwerker',
      creatiedatum: '2026-03-02',
      taal: 'nld',
      documenttype: 'Brief',
      vertrouwelijkheidaanduiding: 'zaakvertrouwelijk',
    },
  };
}

function pendingDelivery(docId: string, version: number, overrides: Partial<DeliveryRow> = {}): DeliveryRow {
  return {
    identificatie: `KT-${docId}-v${version}`,
    docId,
    version,
    state: 'pending',
    attempts: 0,
    nextAttemptAt: 2_000,
    lastAttemptAt: null,
    lastError: null,
    outcomeUnknown: false,
    deliveredAt: null,
    reference: null,
    dmsLock: null,
    ...overrides,
  };
}

/** Captures the Yjs updates that `edit` produces on `doc`. */
function updatesOf(doc: Y.Doc, edit: () => void): Uint8Array[] {
  const out: Uint8Array[] = [];
  const onUpdate = (u: Uint8Array) => out.push(u);
  doc.on('update', onUpdate);
  edit();
  doc.off('update', onUpdate);
  return out;
}

/** One Yjs update per piece of text, each appending it to the body of one document. */
function textUpdates<T extends string[]>(...pieces: T): { [K in keyof T]: Uint8Array } {
  const doc = new Y.Doc();
  const body = doc.getText('body');
  return pieces.map((piece) => Y.mergeUpdates(updatesOf(doc, () => body.insert(body.length, piece)))) as { [K in keyof T]: Uint8Array };
}

/** The second-connection hook of a durable store's harness. */
function requireSql(harness: StoreHarness): (statement: string) => Promise<unknown[]> {
  if (harness.sql === undefined) throw new Error('this store has no second connection');
  return harness.sql;
}

function textOf(updates: readonly Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText('body').toJSON();
}

function storeContractSuite(factory: StoreFactory): void {
  describe(`[DB1] store contract: ${factory.name}`, () => {
    let harness: StoreHarness;
    let store: ContractStore;

    if (factory.setup !== undefined) beforeAll(factory.setup, 180_000);
    if (factory.teardown !== undefined) afterAll(factory.teardown, 60_000);
    beforeEach(async () => {
      harness = await factory.create();
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
          documentRow({ title: 'Nieuw', status: WorkflowStatus.submitted, zaak: null, updatedAt: 5_000, statusSince: 5_000 }),
        );
        await store.updateDocument('doc-1', { kind: undefined });
        expect((await store.getDocument('doc-1'))?.kind).toBe('verslag');
      });

      it('[Q1] a status change stamps statusSince with the updatedAt written with it; other changes keep it', async () => {
        await store.createDocument(documentRow({ statusSince: 42 }));
        expect((await store.getDocument('doc-1'))?.statusSince).toBeUndefined();
        await store.updateDocument('doc-1', { title: 'Nieuw', updatedAt: 2_000 });
        expect((await store.getDocument('doc-1'))?.statusSince).toBeUndefined();
        await store.updateDocument('doc-1', { status: WorkflowStatus.awaitingApproval, updatedAt: 3_000 });
        expect((await store.getDocument('doc-1'))?.statusSince).toBe(3_000);
        await store.updateDocument('doc-1', { status: WorkflowStatus.awaitingApproval, updatedAt: 4_000 });
        await store.updateDocument('doc-1', { title: 'Later', updatedAt: 5_000 });
        expect((await store.getDocument('doc-1'))?.statusSince).toBe(3_000);
        expect(await store.commitAction(action({ docId: 'doc-1' }), { status: WorkflowStatus.concept, updatedAt: 6_000 })).toEqual({ stored: true });
        const row = await store.getDocument('doc-1');
        expect(row?.statusSince).toBe(6_000);
        expect((await store.listDocuments({ teamId: 'centrum' }))[0]?.statusSince).toBe(6_000);
      });

      it('[Q1] a delivery that moves the status stamps statusSince too', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(submitted());
        await store.claimDueDeliveries(2_000, 60_000, 1);
        await store.recordDelivered({ identificatie: 'KT-doc-1-v1', reference: 'ZAAK-1/KT-doc-1-v1', at: 2_500 });
        expect((await store.getDocument('doc-1'))?.statusSince).toBe(2_500);
      });

      it('updateDocument on an unknown id changes nothing', async () => {
        await store.updateDocument('unknown', { title: 'x' });
        expect(await store.getDocument('unknown')).toBeNull();
      });
    });

    describe('discarded concepts (E1, E5, E6)', () => {
      it('[E1] a discard mark leaves the row in place but out of both lists; clearing it puts the row back', async () => {
        await store.createDocument(documentRow({ id: 'a', updatedAt: 10 }));
        await store.createDocument(documentRow({ id: 'b', updatedAt: 20 }));
        const stored = await store.commitAction(action({ docId: 'a', type: 'discard' }), { discardedAt: 500, discardedBy: 'user-1' }, { ifStatus: WorkflowStatus.concept });
        expect(stored).toEqual({ stored: true });
        expect(await store.getDocument('a')).toEqual(documentRow({ id: 'a', updatedAt: 10, discardedAt: 500, discardedBy: 'user-1' }));
        expect((await store.listDocuments({ teamId: 'centrum' })).map((d) => d.id)).toEqual(['b']);
        expect((await store.listDocuments({ createdBy: 'user-1' })).map((d) => d.id)).toEqual(['b']);
        expect((await store.listDiscarded('centrum')).map((d) => d.id)).toEqual(['a']);
        expect(await store.listDiscarded('zuid')).toEqual([]);

        await store.updateDocument('a', { discardedAt: null, discardedBy: null });
        expect(await store.getDocument('a')).toEqual(documentRow({ id: 'a', updatedAt: 10 }));
        expect((await store.listDocuments({ teamId: 'centrum' })).map((d) => d.id)).toEqual(['b', 'a']);
        expect(await store.listDiscarded('centrum')).toEqual([]);
      });

      it('[E5] purge deletes a concept discarded long enough, with its updates; a younger one is kept', async () => {
        const doc = new Y.Doc();
        const updates = updatesOf(doc, () => doc.getText('t').insert(0, 'weg'));
        for (const [id, at] of [
          ['old', 100],
          ['young', 900],
        ] as const) {
          await store.createDocument(documentRow({ id }));
          // Updates are kept under the room's name.
          await store.appendUpdates(updates.map((u) => record(`doc:${id}`, u, 1)));
          await store.updateDocument(id, { discardedAt: at, discardedBy: 'user-1' });
        }
        await store.compact('doc:old', Y.encodeStateAsUpdate(doc), (await store.loadUpdates('doc:old')).lastSeq);
        expect(await store.listUpdateHistory('doc:old')).not.toEqual([]);
        expect((await store.listPurgeable(500, 10)).map((d) => d.id)).toEqual(['old']);
        expect(await store.purgeDocument('young', 500)).toBe('kept');
        expect(await store.purgeDocument('old', 500)).toBe('purged');
        expect(await store.getDocument('old')).toBeNull();
        expect((await store.loadUpdates('doc:old')).updates).toEqual([]);
        expect(await store.listUpdateHistory('doc:old')).toEqual([]);
        expect(await store.getDocument('young')).not.toBeNull();
        expect((await store.loadUpdates('doc:young')).updates).toHaveLength(updates.length);
        expect(await store.purgeDocument('old', 500)).toBe('kept');
      });

      it('[E6] a document with a submission is never purged, even when marked discarded', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(submitted());
        await store.updateDocument('doc-1', { status: WorkflowStatus.concept, discardedAt: 100, discardedBy: 'user-1' });
        expect(await store.purgeDocument('doc-1', 1_000)).toBe('kept');
        expect(await store.getDocument('doc-1')).not.toBeNull();
        expect(await store.getSubmission('doc-1', 1)).not.toBeNull();
      });

      it('[E5] a purge of a concept that is not discarded keeps it', async () => {
        await store.createDocument(documentRow());
        expect(await store.purgeDocument('doc-1', Number.MAX_SAFE_INTEGER)).toBe('kept');
        expect(await store.purgeDocument('unknown', Number.MAX_SAFE_INTEGER)).toBe('kept');
        expect(await store.getDocument('doc-1')).not.toBeNull();
      });

      if (factory.durable) {
        it('[E1] the discard mark survives a reopen', async () => {
          await store.createDocument(documentRow());
          await store.updateDocument('doc-1', { discardedAt: 700, discardedBy: 'user-1' });
          await reopen();
          expect((await store.getDocument('doc-1'))?.discardedAt).toBe(700);
        });
      }
    });

    describe('actions (W1)', () => {
      it('getAction answers null for an unknown key and the stored record after a commit', async () => {
        await store.createDocument(documentRow());
        expect(await store.getAction('key-0001')).toBeNull();
        expect(await store.commitAction(action(), submitPatch)).toEqual({ stored: true });
        expect(await store.getAction('key-0001')).toEqual(action());
        expect(await store.getDocument('doc-1')).toEqual(documentRow({ status: WorkflowStatus.submitted, updatedAt: 2_000, statusSince: 2_000 }));
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
        expect(await store.getDocument('doc-1')).toEqual(documentRow({ status: WorkflowStatus.submitted, updatedAt: 2_000, statusSince: 2_000 }));
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

    describe('submissions and outbox (W2, O1–O3)', () => {
      it('[W2] a submit stores action, submission, delivery and status in one step', async () => {
        await store.createDocument(documentRow());
        expect(await store.latestSubmissionVersion('doc-1')).toBe(0);
        expect(await store.commitSubmission(submitted())).toEqual({ stored: true });

        expect(await store.latestSubmissionVersion('doc-1')).toBe(1);
        expect(await store.getAction('submit-doc-1-1')).toEqual(submitted().record);
        expect((await store.getDocument('doc-1'))?.status).toBe(WorkflowStatus.submitted);
        expect(await store.getSubmission('doc-1', 1)).toEqual(submission('doc-1', 1));
        expect(await store.getSubmission('doc-1', 2)).toBeNull();
        const { content: _c, pdf: _p, ...summary } = submission('doc-1', 1);
        expect(await store.listSubmissions('doc-1')).toEqual([
          { ...summary, delivery: pendingDelivery('doc-1', 1, { nextAttemptAt: 2_000 }) },
        ]);
        expect(await store.listSubmissions('doc-2')).toEqual([]);
      });

      it('[W2] nothing is stored when the key is taken, the status moved or the version is not the next', async () => {
        await store.createDocument(documentRow());
        await store.commitAction(action({ idempotencyKey: 'taken-key', type: 'approve', httpStatus: 409, response: '{}' }), null);
        const takenKey = { ...submitted(), record: action({ idempotencyKey: 'taken-key' }) };
        expect(await store.commitSubmission(takenKey)).toMatchObject({ stored: false, existing: { type: 'approve' } });
        expect(await store.commitSubmission({ ...submitted(), ifStatus: WorkflowStatus.submitted })).toEqual({
          stored: false,
          existing: null,
          status: WorkflowStatus.concept,
        });
        expect(await store.commitSubmission({ ...submitted(), submission: submission('doc-1', 2) })).toEqual({
          stored: false,
          existing: null,
          status: WorkflowStatus.concept,
        });
        expect(await store.commitSubmission({ ...submitted('doc-x') })).toEqual({ stored: false, existing: null, status: null });
        expect(await store.latestSubmissionVersion('doc-1')).toBe(0);
        expect(await store.getAction('submit-doc-1-1')).toBeNull();
        expect((await store.getDocument('doc-1'))?.status).toBe(WorkflowStatus.concept);
      });

      it('[W2] an invalid submission stores nothing, not even the action', async () => {
        await store.createDocument(documentRow());
        const broken = { ...submitted(), submission: { ...submission('doc-1', 1), contentSha256: 'short' } };
        await expect(store.commitSubmission(broken)).rejects.toThrow();
        expect(await store.getAction('submit-doc-1-1')).toBeNull();
        expect(await store.listSubmissions('doc-1')).toEqual([]);
        expect((await store.getDocument('doc-1'))?.status).toBe(WorkflowStatus.concept);
      });

      if (factory.durable) {
        it('[W2] the database itself refuses to change or delete a submission', async () => {
          await store.createDocument(documentRow());
          await store.commitSubmission(submitted());
          const sql = requireSql(harness);
          await expect(sql("UPDATE submissions SET zaak = 'X'")).rejects.toThrow(/immutable/);
          await expect(sql('DELETE FROM submissions')).rejects.toThrow(/immutable/);
          expect(await store.getSubmission('doc-1', 1)).toEqual(submission('doc-1', 1));
        });
      }

      it('[W2] submissions handed out are copies: mutating them changes nothing stored', async () => {
        await store.createDocument(documentRow());
        const commit = submitted();
        await store.commitSubmission(commit);
        commit.submission.pdf.fill(0);
        const got = await store.getSubmission('doc-1', 1);
        got?.content.fill(0);
        expect(await store.getSubmission('doc-1', 1)).toEqual(submission('doc-1', 1));
      });

      it('[O2] claiming counts the attempt, leases the row and asks for a look-up after an unknown outcome', async () => {
        await store.createDocument(documentRow());
        await store.createDocument(documentRow({ id: 'doc-2' }));
        await store.commitSubmission({ ...submitted('doc-2'), dueAt: 1_500 });
        await store.commitSubmission({ ...submitted('doc-1'), dueAt: 2_000 });

        expect(await store.claimDueDeliveries(1_000, 60_000, 10)).toEqual([]);
        const first = await store.claimDueDeliveries(2_000, 60_000, 1);
        expect(first).toEqual([
          {
            delivery: pendingDelivery('doc-2', 1, { attempts: 1, nextAttemptAt: 62_000, lastAttemptAt: 2_000, outcomeUnknown: true }),
            lookupFirst: false,
          },
        ]);
        expect((await store.claimDueDeliveries(2_000, 60_000, 10)).map((c) => c.delivery.docId)).toEqual(['doc-1']);
        // Leased: not due again until the lease ends; then with a look-up first.
        expect(await store.claimDueDeliveries(61_999, 60_000, 10)).toEqual([]);
        const again = await store.claimDueDeliveries(62_000, 60_000, 10);
        // Same due time: ordered by identificatie.
        expect(again.map((c) => [c.delivery.docId, c.delivery.attempts, c.lookupFirst])).toEqual([
          ['doc-1', 2, true],
          ['doc-2', 2, true],
        ]);
      });

      it('[O3] a failure keeps the row with its reason and next attempt; a stale attempt is ignored', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(submitted());
        const [claim] = await store.claimDueDeliveries(2_000, 60_000, 1);
        const failure = { identificatie: 'KT-doc-1-v1', error: 'dms-unreachable', outcomeUnknown: false, nextAttemptAt: 12_000, at: 2_100 };
        expect(await store.recordDeliveryFailure({ ...failure, attempt: 7 })).toEqual({ recorded: false });
        const recorded = await store.recordDeliveryFailure({ ...failure, attempt: claim?.delivery.attempts ?? 0 });
        expect(recorded).toEqual({
          recorded: true,
          document: documentRow({ status: WorkflowStatus.deliveryFailed, updatedAt: 2_100, statusSince: 2_100 }),
        });
        const [listed] = await store.listSubmissions('doc-1');
        expect(listed?.delivery).toEqual(
          pendingDelivery('doc-1', 1, { attempts: 1, lastAttemptAt: 2_000, nextAttemptAt: 12_000, lastError: 'dms-unreachable' }),
        );
        // Not due before its next attempt; afterwards claimed without a look-up (the outcome was known).
        expect(await store.claimDueDeliveries(11_999, 60_000, 1)).toEqual([]);
        const [second] = await store.claimDueDeliveries(12_000, 60_000, 1);
        expect(second?.lookupFirst).toBe(false);
        // A second failure leaves the (already failed) document alone.
        expect(await store.recordDeliveryFailure({ ...failure, attempt: 2, outcomeUnknown: true, at: 12_100 })).toEqual({
          recorded: true,
          document: null,
        });
        expect((await store.listSubmissions('doc-1'))[0]?.delivery?.outcomeUnknown).toBe(true);
      });

      it('[O3] hastening makes a waiting retry due now, but never a row claimed since (compare-and-set on the attempt)', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(submitted());
        await store.claimDueDeliveries(2_000, 60_000, 1);
        const failure = { identificatie: 'KT-doc-1-v1', error: 'dms-unreachable', outcomeUnknown: false, nextAttemptAt: 600_000, at: 2_100 };
        await store.recordDeliveryFailure({ ...failure, attempt: 1 });
        // Another process's claim would have counted an attempt: attempt 2 is not what we saw.
        expect(await store.hastenRetries([{ identificatie: 'KT-doc-1-v1', attempt: 2 }], 3_000)).toBe(0);
        expect(await store.hastenRetries([{ identificatie: 'KT-doc-1-v1', attempt: 1 }, { identificatie: 'KT-onbekend', attempt: 1 }], 3_000)).toBe(1);
        expect((await store.listSubmissions('doc-1'))[0]?.delivery?.nextAttemptAt).toBe(3_000);
        // Already due: nothing moves (never later, never again).
        expect(await store.hastenRetries([{ identificatie: 'KT-doc-1-v1', attempt: 1 }], 3_500)).toBe(0);
        const [claim] = await store.claimDueDeliveries(3_000, 60_000, 1);
        expect(claim?.delivery.attempts).toBe(2);
        // Claimed and leased: a hasten with the old attempt leaves the lease alone.
        expect(await store.hastenRetries([{ identificatie: 'KT-doc-1-v1', attempt: 1 }], 4_000)).toBe(0);
        expect((await store.listSubmissions('doc-1'))[0]?.delivery?.nextAttemptAt).toBe(63_000);
      });

      it('[O1] delivered means the reference is recorded and the document is in-dms; only once', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(submitted());
        await store.claimDueDeliveries(2_000, 60_000, 1);
        const outcome = await store.recordDelivered({ identificatie: 'KT-doc-1-v1', reference: 'ZAAK-1/KT-doc-1-v1', at: 2_500 });
        expect(outcome).toEqual({ recorded: true, document: documentRow({ status: WorkflowStatus.archived, updatedAt: 2_500, statusSince: 2_500 }) });
        expect((await store.listSubmissions('doc-1'))[0]?.delivery).toEqual({
          ...pendingDelivery('doc-1', 1, { attempts: 1, lastAttemptAt: 2_000, nextAttemptAt: 62_000 }),
          state: 'delivered',
          reference: 'ZAAK-1/KT-doc-1-v1',
          deliveredAt: 2_500,
        });
        expect(await store.recordDelivered({ identificatie: 'KT-doc-1-v1', reference: 'other', at: 3_000 })).toEqual({ recorded: false });
        expect(await store.recordDeliveryFailure({ identificatie: 'KT-doc-1-v1', attempt: 1, error: 'x', outcomeUnknown: false, nextAttemptAt: 1, at: 1 })).toEqual({ recorded: false });
        expect(await store.claimDueDeliveries(10_000_000, 60_000, 10)).toEqual([]);
        expect(await store.recordDelivered({ identificatie: 'KT-unknown', reference: 'r', at: 1 })).toEqual({ recorded: false });
      });

      it('[O1] archiving an older version, or a returned document, leaves the document status alone', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(submitted());
        await store.commitAction(action({ idempotencyKey: 'return-1', type: 'return', at: 2_100 }), { status: WorkflowStatus.concept, updatedAt: 2_100 });
        expect(await store.recordDelivered({ identificatie: 'KT-doc-1-v1', reference: 'r1', at: 2_200 })).toEqual({ recorded: true, document: null });
        expect((await store.getDocument('doc-1'))?.status).toBe(WorkflowStatus.concept);

        await store.commitSubmission(submitted('doc-1', 2));
        await store.createDocument(documentRow({ id: 'doc-9' }));
        expect((await store.getDocument('doc-1'))?.status).toBe(WorkflowStatus.submitted);
        expect((await store.listSubmissions('doc-1')).map((x) => [x.version, x.delivery?.state])).toEqual([
          [1, 'delivered'],
          [2, 'pending'],
        ]);
      });

      it('[O3] commitAction with ifStatus stores nothing when the status moved; deliveriesDueAt makes deliveries due', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(submitted());
        const [claim] = await store.claimDueDeliveries(2_000, 60_000, 1);
        await store.recordDeliveryFailure({ identificatie: 'KT-doc-1-v1', attempt: claim?.delivery.attempts ?? 0, error: 'e', outcomeUnknown: false, nextAttemptAt: 900_000, at: 2_100 });

        const retry = action({ idempotencyKey: 'retry-1', type: 'retry-delivery', at: 3_000 });
        const patch = { status: WorkflowStatus.submitted, updatedAt: 3_000 };
        expect(await store.commitAction(retry, patch, { ifStatus: WorkflowStatus.submitted, deliveriesDueAt: 3_000 })).toEqual({
          stored: false,
          existing: null,
          status: WorkflowStatus.deliveryFailed,
        });
        expect(await store.getAction('retry-1')).toBeNull();
        expect(await store.claimDueDeliveries(3_000, 60_000, 1)).toEqual([]);

        expect(await store.commitAction(retry, patch, { ifStatus: WorkflowStatus.deliveryFailed, deliveriesDueAt: 3_000 })).toEqual({ stored: true });
        expect((await store.getDocument('doc-1'))?.status).toBe(WorkflowStatus.submitted);
        expect((await store.claimDueDeliveries(3_000, 60_000, 1)).map((c) => c.delivery.identificatie)).toEqual(['KT-doc-1-v1']);
        // A replayed key wins over the status condition: the stored answer comes back.
        expect(await store.commitAction(retry, patch, { ifStatus: WorkflowStatus.concept })).toEqual({ stored: false, existing: retry });
      });
    });

    describe('attachments (F1–F9)', () => {
      const AID = '0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4';
      const AID2 = '1c7a2d3f-4e5b-4c6d-9e7f-8091a2b3c4d5';
      const blob = Uint8Array.from({ length: 10 }, (_, i) => i + 1);
      const attachmentRow = (id = AID, docId = 'doc-1') => ({
        docId,
        id,
        name: 'foto.jpg',
        mediaType: 'image/jpeg' as const,
        size: 10,
        sha256: 'ab'.repeat(32),
        declaredBy: 'user-1',
        declaredAt: 100,
        received: 0,
        completedAt: null,
      });

      it('[F1] a declaration is stored once; declaring again returns the stored row unchanged', async () => {
        expect(await store.declareAttachment(attachmentRow())).toEqual(attachmentRow());
        expect(await store.declareAttachment({ ...attachmentRow(), size: 99, declaredAt: 200 })).toEqual(attachmentRow());
        expect(await store.getAttachment('doc-1', AID)).toEqual(attachmentRow());
        expect(await store.getAttachment('doc-2', AID)).toBeNull();
        await store.declareAttachment({ ...attachmentRow(AID2), declaredAt: 50 });
        expect((await store.listAttachments('doc-1')).map((r) => r.id)).toEqual([AID2, AID]);
      });

      it('[F2] a chunk is appended only at `received`: a wrong offset, an empty chunk or one past the size stores nothing', async () => {
        await store.declareAttachment(attachmentRow());
        expect(await store.appendAttachmentChunk('doc-1', AID, 0, blob.subarray(0, 4), null)).toEqual({ stored: true, row: { ...attachmentRow(), received: 4 } });
        expect(await store.appendAttachmentChunk('doc-1', AID, 0, blob.subarray(0, 4), null)).toEqual({ stored: false, row: { ...attachmentRow(), received: 4 } });
        expect((await store.appendAttachmentChunk('doc-1', AID, 4, new Uint8Array(0), null)).stored).toBe(false);
        expect((await store.appendAttachmentChunk('doc-1', AID, 4, new Uint8Array(7), null)).stored).toBe(false);
        expect(await store.appendAttachmentChunk('doc-1', AID2, 0, blob, null)).toEqual({ stored: false, row: null });
        expect(await store.readAttachmentBytes('doc-1', AID)).toEqual(blob.subarray(0, 4));
      });

      it('[F5] the last chunk and `completedAt` are one step; a complete row takes no more bytes, and cannot be complete without them', async () => {
        await store.declareAttachment(attachmentRow());
        await expect(store.appendAttachmentChunk('doc-1', AID, 0, blob.subarray(0, 4), 500)).rejects.toThrow();
        expect(await store.getAttachment('doc-1', AID)).toEqual(attachmentRow());
        await store.appendAttachmentChunk('doc-1', AID, 0, blob.subarray(0, 4), null);
        expect(await store.appendAttachmentChunk('doc-1', AID, 4, blob.subarray(4), 500)).toEqual({ stored: true, row: { ...attachmentRow(), received: 10, completedAt: 500 } });
        expect((await store.appendAttachmentChunk('doc-1', AID, 10, Uint8Array.of(1), 600)).stored).toBe(false);
        expect(await store.readAttachmentBytes('doc-1', AID)).toEqual(blob);
        // A reset leaves a complete attachment alone.
        await store.resetAttachment('doc-1', AID);
        expect(await store.readAttachmentBytes('doc-1', AID)).toEqual(blob);
      });

      it('[F4] a reset forgets the bytes of an incomplete upload: `received` is 0 again', async () => {
        await store.declareAttachment(attachmentRow());
        await store.appendAttachmentChunk('doc-1', AID, 0, blob.subarray(0, 6), null);
        await store.resetAttachment('doc-1', AID);
        expect(await store.getAttachment('doc-1', AID)).toEqual(attachmentRow());
        expect(await store.readAttachmentBytes('doc-1', AID)).toEqual(new Uint8Array(0));
        expect((await store.appendAttachmentChunk('doc-1', AID, 0, blob, 700)).stored).toBe(true);
      });

      it('[F8] deleteAttachments removes every row and its bytes of one document only', async () => {
        await store.declareAttachment(attachmentRow());
        await store.declareAttachment(attachmentRow(AID2));
        await store.declareAttachment(attachmentRow(AID, 'doc-2'));
        await store.appendAttachmentChunk('doc-1', AID, 0, blob, 1);
        await store.appendAttachmentChunk('doc-2', AID, 0, blob, 1);
        expect(await store.deleteAttachments('doc-1')).toBe(2);
        expect(await store.listAttachments('doc-1')).toEqual([]);
        expect(await store.readAttachmentBytes('doc-1', AID)).toBeNull();
        expect(await store.readAttachmentBytes('doc-2', AID)).toEqual(blob);
        expect(await store.deleteAttachments('doc-1')).toBe(0);
        if (harness.sql !== undefined) {
          expect(await harness.sql("SELECT count(*) AS n FROM attachment_chunks WHERE doc_id = 'doc-1'")).toEqual([{ n: 0 }]);
        }
      });

      it('[F9] a submission keeps its frozen attachments; without any it has none', async () => {
        await store.createDocument(documentRow());
        const frozen = [{ id: AID, name: 'foto.jpg', mediaType: 'image/jpeg' as const, size: 10, sha256: 'ab'.repeat(32), caption: 'Voordeur' }];
        const commit = submitted();
        expect(await store.commitSubmission({ ...commit, submission: { ...commit.submission, attachments: frozen } })).toEqual({ stored: true });
        expect((await store.getSubmission('doc-1', 1))?.attachments).toEqual(frozen);
        expect((await store.listSubmissions('doc-1'))[0]?.attachments).toEqual(frozen);
        await store.createDocument({ ...documentRow(), id: 'doc-2' });
        const empty = submitted('doc-2');
        await store.commitSubmission({ ...empty, submission: { ...empty.submission, attachments: [] } });
        expect(await store.getSubmission('doc-2', 1)).toEqual(submission('doc-2', 1));
      });

      if (factory.durable) {
        it('[F6] a partial upload and a complete one are still there after reopening', async () => {
          await store.declareAttachment(attachmentRow());
          await store.declareAttachment(attachmentRow(AID2));
          await store.appendAttachmentChunk('doc-1', AID, 0, blob.subarray(0, 3), null);
          await store.appendAttachmentChunk('doc-1', AID2, 0, blob, 9);
          await reopen();
          expect(await store.getAttachment('doc-1', AID)).toEqual({ ...attachmentRow(), received: 3 });
          expect(await store.readAttachmentBytes('doc-1', AID)).toEqual(blob.subarray(0, 3));
          expect(await store.getAttachment('doc-1', AID2)).toEqual({ ...attachmentRow(AID2), received: 10, completedAt: 9 });
          expect(await store.appendAttachmentChunk('doc-1', AID, 3, blob.subarray(3), 10)).toMatchObject({ stored: true });
          expect(await store.readAttachmentBytes('doc-1', AID)).toEqual(blob);
        });
      }
    });

    describe('bounded attempts and DMS locks (O4–O6)', () => {
      it('[O4] giving up marks the row failed with its reason; it is never claimed; retry-delivery makes it pending with attempts reset', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(submitted());
        for (let attempt = 1; attempt <= 3; attempt++) {
          const [claim] = await store.claimDueDeliveries(2_000 * attempt, 60, 1);
          expect(claim?.delivery.attempts).toBe(attempt);
          await store.recordDeliveryFailure({
            identificatie: 'KT-doc-1-v1',
            attempt,
            error: 'dms-unreachable: ECONNREFUSED',
            outcomeUnknown: attempt === 3,
            nextAttemptAt: 2_000 * (attempt + 1),
            at: 2_000 * attempt + 1,
            giveUp: attempt === 3,
          });
        }
        const [failed] = await store.listSubmissions('doc-1');
        expect(failed?.delivery).toMatchObject({ state: 'failed', attempts: 3, lastError: 'dms-unreachable: ECONNREFUSED', outcomeUnknown: true });
        expect((await store.getDocument('doc-1'))?.status).toBe(WorkflowStatus.deliveryFailed);
        expect(await store.claimDueDeliveries(10_000_000, 60, 10)).toEqual([]);
        expect(await store.countDeliveries()).toEqual({ waiting: 0, failed: 1, delivered: 0 });
        expect((await store.listTeamDeliveries('centrum', 10)).map((d) => d.delivery.state)).toEqual(['failed']);
        // A late outcome of an old attempt changes nothing.
        expect(await store.recordDeliveryFailure({ identificatie: 'KT-doc-1-v1', attempt: 3, error: 'x', outcomeUnknown: false, nextAttemptAt: 1, at: 1 })).toEqual({ recorded: false });

        const retry = action({ idempotencyKey: 'retry-1', type: 'retry-delivery', at: 20_000 });
        expect(await store.commitAction(retry, { status: WorkflowStatus.submitted, updatedAt: 20_000 }, { ifStatus: WorkflowStatus.deliveryFailed, deliveriesDueAt: 20_000 })).toEqual({ stored: true });
        expect((await store.listSubmissions('doc-1'))[0]?.delivery).toMatchObject({ state: 'pending', attempts: 0, nextAttemptAt: 20_000, outcomeUnknown: true });
        const [again] = await store.claimDueDeliveries(20_000, 60, 1);
        // The outcome of the last attempt before giving up is still unknown: look up first (O2).
        expect(again).toMatchObject({ delivery: { attempts: 1, state: 'pending' }, lookupFirst: true });
        expect(await store.recordDelivered({ identificatie: 'KT-doc-1-v1', reference: 'r', at: 20_100 })).toMatchObject({ recorded: true });
        expect((await store.getDocument('doc-1'))?.status).toBe(WorkflowStatus.archived);
      });

      it('[O5] [O6] a DMS lock is kept with the row (across a reopen), cleared with null, and dropped on delivery', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(submitted());
        await store.claimDueDeliveries(2_000, 60_000, 1);
        await store.recordDeliveryLock({ identificatie: 'KT-doc-1-v1', lock: 'lock-123' });
        if (factory.durable) await reopen();
        expect((await store.listSubmissions('doc-1'))[0]?.delivery?.dmsLock).toBe('lock-123');
        await store.recordDeliveryLock({ identificatie: 'KT-doc-1-v1', lock: null });
        expect((await store.listSubmissions('doc-1'))[0]?.delivery?.dmsLock).toBeNull();
        await store.recordDeliveryLock({ identificatie: 'KT-doc-1-v1', lock: 'lock-456' });
        await store.recordDelivered({ identificatie: 'KT-doc-1-v1', reference: 'r', at: 2_500 });
        expect((await store.listSubmissions('doc-1'))[0]?.delivery).toMatchObject({ state: 'delivered', dmsLock: null });
        // Delivered rows and unknown identificaties are left alone.
        await store.recordDeliveryLock({ identificatie: 'KT-doc-1-v1', lock: 'late' });
        await store.recordDeliveryLock({ identificatie: 'KT-unknown', lock: 'x' });
        expect((await store.listSubmissions('doc-1'))[0]?.delivery?.dmsLock).toBeNull();
      });
    });

    describe('four eyes (W4)', () => {
      const held = (docId = 'doc-1', version = 1): SubmitCommit => ({
        record: action({ idempotencyKey: `submit-${docId}-${version}`, docId }),
        submission: submission(docId, version),
        patch: { status: WorkflowStatus.awaitingApproval, updatedAt: 2_000 },
        ifStatus: WorkflowStatus.concept,
        dueAt: null,
      });
      const review = (kind: ReviewRecord['kind'], overrides: Partial<ReviewRecord> = {}): ReviewRecord => ({
        docId: 'doc-1',
        version: 1,
        kind,
        by: 'u2',
        byName: 'Karim Kantoor',
        at: 3_000,
        section: kind === 'returned' ? 'motivering' : null,
        remark: kind === 'returned' ? 'Noem het artikel.' : null,
        idempotencyKey: `${kind}-1`,
        ...overrides,
      });
      const reviewed = (kind: ReviewRecord['kind'], overrides: Partial<ReviewRecord> = {}): ReviewCommit => ({
        record: action({ idempotencyKey: `${kind}-1`, type: kind === 'approved' ? 'approve' : 'return', at: 3_000 }),
        review: review(kind, overrides),
        patch: { status: kind === 'approved' ? WorkflowStatus.submitted : WorkflowStatus.concept, updatedAt: 3_000 },
        ifStatus: WorkflowStatus.awaitingApproval,
        dueAt: kind === 'approved' ? 3_000 : null,
      });

      it('[W4] a held submit stores the submission without a delivery; approval queues exactly that one', async () => {
        await store.createDocument(documentRow());
        expect(await store.commitSubmission(held())).toEqual({ stored: true });
        expect((await store.getDocument('doc-1'))?.status).toBe(WorkflowStatus.awaitingApproval);
        expect((await store.listSubmissions('doc-1')).map((s) => s.delivery)).toEqual([null]);
        expect(await store.claimDueDeliveries(10_000, 60_000, 10)).toEqual([]);

        expect(await store.commitReview(reviewed('approved'))).toEqual({ stored: true });
        expect((await store.getDocument('doc-1'))?.status).toBe(WorkflowStatus.submitted);
        expect(await store.getAction('approved-1')).toEqual(reviewed('approved').record);
        expect(await store.listReviews('doc-1')).toEqual([review('approved')]);
        expect((await store.listSubmissions('doc-1')).map((s) => s.delivery)).toEqual([pendingDelivery('doc-1', 1, { nextAttemptAt: 3_000 })]);
        expect((await store.claimDueDeliveries(3_000, 60_000, 10)).map((c) => c.delivery.identificatie)).toEqual(['KT-doc-1-v1']);
        expect(await store.listReviews('doc-2')).toEqual([]);
      });

      it('[W4] a return keeps the remark, queues nothing, and the next submit makes version 2', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(held());
        expect(await store.commitReview(reviewed('returned'))).toEqual({ stored: true });
        expect((await store.getDocument('doc-1'))?.status).toBe(WorkflowStatus.concept);
        expect(await store.listReviews('doc-1')).toEqual([review('returned')]);
        expect((await store.listSubmissions('doc-1')).map((s) => s.delivery)).toEqual([null]);
        expect(await store.claimDueDeliveries(10_000, 60_000, 10)).toEqual([]);
        expect(await store.commitSubmission(held('doc-1', 2))).toEqual({ stored: true });
        expect(await store.latestSubmissionVersion('doc-1')).toBe(2);
      });

      it('[W1][W4] nothing is stored when the key is taken, the status moved or the version is not the latest', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(held());
        await store.commitAction(action({ idempotencyKey: 'approved-1', type: 'approve', httpStatus: 409, response: '{}' }), null);
        expect(await store.commitReview(reviewed('approved'))).toMatchObject({ stored: false, existing: { httpStatus: 409 } });
        const fresh = (commit: ReviewCommit): ReviewCommit => ({ ...commit, record: { ...commit.record, idempotencyKey: 'fresh-key' } });
        expect(await store.commitReview({ ...fresh(reviewed('approved')), ifStatus: WorkflowStatus.concept })).toEqual({
          stored: false,
          existing: null,
          status: WorkflowStatus.awaitingApproval,
        });
        expect(await store.commitReview(fresh(reviewed('approved', { version: 2 })))).toEqual({
          stored: false,
          existing: null,
          status: WorkflowStatus.awaitingApproval,
        });
        expect(await store.listReviews('doc-1')).toEqual([]);
        expect(await store.getAction('fresh-key')).toBeNull();
        expect((await store.listSubmissions('doc-1')).map((s) => s.delivery)).toEqual([null]);
      });

      it('[W4] a return without a remark is refused by the store and stores nothing', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(held());
        await expect(store.commitReview(reviewed('returned', { remark: null }))).rejects.toThrow();
        await expect(store.commitReview(reviewed('returned', { remark: 'x'.repeat(2001) }))).rejects.toThrow();
        expect(await store.getAction('returned-1')).toBeNull();
        expect(await store.listReviews('doc-1')).toEqual([]);
        expect((await store.getDocument('doc-1'))?.status).toBe(WorkflowStatus.awaitingApproval);
      });
    });

    describe('identificatie (J9)', () => {
      it('[J9] numbers follow a year sequence; a retry of the same document and version gets the same number', async () => {
        expect(await store.reserveIdentificatie({ docId: 'doc-1', version: 1, year: 2026 })).toEqual({ year: 2026, seq: 1 });
        expect(await store.reserveIdentificatie({ docId: 'doc-2', version: 1, year: 2026 })).toEqual({ year: 2026, seq: 2 });
        expect(await store.reserveIdentificatie({ docId: 'doc-1', version: 2, year: 2026 })).toEqual({ year: 2026, seq: 3 });
        // A retry, even after New Year: the number reserved before.
        expect(await store.reserveIdentificatie({ docId: 'doc-1', version: 1, year: 2027 })).toEqual({ year: 2026, seq: 1 });
        expect(await store.reserveIdentificatie({ docId: 'doc-3', version: 1, year: 2027 })).toEqual({ year: 2027, seq: 1 });
        expect(await store.reserveIdentificatie({ docId: 'doc-4', version: 1, year: 2026 })).toEqual({ year: 2026, seq: 4 });
      });

      it('[J9] reservations at once never share a number', async () => {
        const got = await Promise.all(
          Array.from({ length: 25 }, (_, i) => store.reserveIdentificatie({ docId: `doc-${i % 5}`, version: 1 + Math.floor(i / 5), year: 2026 })),
        );
        expect(got.map((n) => n.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
        const again = await Promise.all(
          Array.from({ length: 25 }, (_, i) => store.reserveIdentificatie({ docId: `doc-${i % 5}`, version: 1 + Math.floor(i / 5), year: 2026 })),
        );
        expect(again).toEqual(got);
      });

      it('[J9] a reservation that breaks the table checks is refused', async () => {
        await expect(store.reserveIdentificatie({ docId: '', version: 1, year: 2026 })).rejects.toThrow(/CHECK/);
        await expect(store.reserveIdentificatie({ docId: 'doc-1', version: 0, year: 2026 })).rejects.toThrow(/CHECK/);
        await expect(store.reserveIdentificatie({ docId: 'doc-1', version: 1, year: 1999 })).rejects.toThrow(/CHECK/);
        expect(await store.reserveIdentificatie({ docId: 'doc-1', version: 1, year: 2026 })).toEqual({ year: 2026, seq: 1 });
      });

      it('[J9] a submission whose identificatie another submission holds is a conflict, not a constraint error', async () => {
        await store.createDocument(documentRow());
        await store.createDocument(documentRow({ id: 'doc-2' }));
        expect(await store.commitSubmission(submitted())).toEqual({ stored: true });
        const clash = submitted('doc-2');
        clash.submission = { ...clash.submission, identificatie: submission('doc-1', 1).identificatie };
        expect(await store.commitSubmission(clash)).toEqual({ stored: false, existing: null, status: WorkflowStatus.concept });
        expect(await store.latestSubmissionVersion('doc-2')).toBe(0);
        expect(await store.getAction(clash.record.idempotencyKey)).toBeNull();
        expect((await store.getDocument('doc-2'))?.status).toBe(WorkflowStatus.concept);
      });

      if (factory.durable) {
        it('[J9] the sequence survives a restart and a second process on the same file', async () => {
          expect(await store.reserveIdentificatie({ docId: 'doc-1', version: 1, year: 2026 })).toEqual({ year: 2026, seq: 1 });
          await reopen();
          expect(await store.reserveIdentificatie({ docId: 'doc-2', version: 1, year: 2026 })).toEqual({ year: 2026, seq: 2 });
          if (harness.openSecond === undefined) throw new Error('no second process');
          const other = await harness.openSecond();
          try {
            const both = await Promise.all([
              other.reserveIdentificatie({ docId: 'doc-3', version: 1, year: 2026 }),
              store.reserveIdentificatie({ docId: 'doc-4', version: 1, year: 2026 }),
              other.reserveIdentificatie({ docId: 'doc-4', version: 1, year: 2026 }),
            ]);
            expect(new Set(both.slice(0, 2).map((n) => n.seq))).toEqual(new Set([3, 4]));
            expect(both[2]).toEqual(both[1]);
          } finally {
            await other.close();
          }
        });
      }
    });

    describe('decisions and dispatches (J1, J2)', () => {
      const decision = (version = 1, overrides: Partial<DecisionRecord> = {}): DecisionRecord => ({
        docId: 'doc-1',
        version,
        decidedBy: 'u2',
        decidedAt: 3_000,
        dagtekening: '2026-03-04',
        signerName: 'Karim Kantoor',
        signerFunctionTitle: 'Teamleider',
        pdf: Uint8Array.of(37, 80, 68, 70, 9, version),
        pdfSha256: 'c'.repeat(63) + String(version),
        metadata: { ...submission('doc-1', version).metadata, creatiedatum: '2026-03-04' },
        sentOn: 'delivery',
        ...overrides,
      });
      const dispatch = (overrides: Partial<DispatchRecord> = {}): DispatchRecord => ({
        docId: 'doc-1',
        version: 1,
        verzenddatum: '2026-03-05',
        bezwaartermijnEinde: '2026-04-16',
        how: 'delivery',
        by: null,
        at: 4_000,
        ...overrides,
      });
      const held = (): SubmitCommit => ({ ...submitted(), patch: { status: WorkflowStatus.awaitingApproval, updatedAt: 2_000 }, dueAt: null });
      const approved = (d: DecisionRecord | undefined): ReviewCommit => ({
        record: action({ idempotencyKey: 'approve-1', type: 'approve', at: 3_000 }),
        review: { docId: 'doc-1', version: 1, kind: 'approved', by: 'u2', byName: 'Karim Kantoor', at: 3_000, section: null, remark: null, idempotencyKey: 'approve-1' },
        patch: { status: WorkflowStatus.submitted, updatedAt: 3_000 },
        ifStatus: WorkflowStatus.awaitingApproval,
        dueAt: 3_000,
        ...(d === undefined ? {} : { decision: d }),
      });
      const { pdf: _pdf, ...summary } = decision();

      it('[J1] an approval stores its decision with the review; the submitted version stays as it was', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(held());
        expect(await store.getDecision('doc-1', 1)).toBeNull();
        expect(await store.listDecisions('doc-1')).toEqual([]);
        expect(await store.commitReview(approved(decision()))).toEqual({ stored: true });
        expect(await store.getDecision('doc-1', 1)).toEqual(decision());
        expect(await store.listDecisions('doc-1')).toEqual([{ ...summary, dispatch: null }]);
        expect(await store.getSubmission('doc-1', 1)).toEqual(submission('doc-1', 1));
      });

      it('[J1] a submit without approval stores its decision in the same transaction; nothing when the status moved', async () => {
        await store.createDocument(documentRow());
        const d = decision(1, { decidedBy: 'user-1', dagtekening: '2026-03-02' });
        expect(await store.commitSubmission({ ...submitted(), decision: d, ifStatus: WorkflowStatus.submitted })).toMatchObject({ stored: false, existing: null });
        expect(await store.getDecision('doc-1', 1)).toBeNull();
        expect(await store.commitSubmission({ ...submitted(), decision: d })).toEqual({ stored: true });
        expect(await store.getDecision('doc-1', 1)).toEqual(d);
      });

      it('[J1] a decision that breaks its columns stores nothing of the approval', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(held());
        await expect(store.commitReview(approved(decision(1, { dagtekening: '4 maart' })))).rejects.toThrow();
        await expect(store.commitReview(approved(decision(2)))).rejects.toThrow();
        expect(await store.getAction('approve-1')).toBeNull();
        expect(await store.listReviews('doc-1')).toEqual([]);
        expect((await store.getDocument('doc-1'))?.status).toBe(WorkflowStatus.awaitingApproval);
      });

      it('[J2] a delivery records the dispatch with the reference, once; none without a decision', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(held());
        await store.commitReview(approved(decision()));
        await store.claimDueDeliveries(3_000, 60_000, 1);
        expect(await store.recordDelivered({ identificatie: 'KT-doc-1-v1', reference: 'ref-1', at: 4_000, dispatch: dispatch() })).toMatchObject({ recorded: true });
        expect(await store.listDecisions('doc-1')).toEqual([{ ...summary, dispatch: dispatch() }]);
        // A later mark-sent finds it sent already.
        const markSent = { record: action({ idempotencyKey: 'sent-1', type: 'mark-sent' }), dispatch: dispatch({ how: 'manual', by: 'u2' }), ifStatus: WorkflowStatus.archived };
        expect(await store.commitDispatch(markSent)).toEqual({ stored: false, existing: null, status: WorkflowStatus.archived });
        expect(await store.getAction('sent-1')).toBeNull();

        await store.createDocument(documentRow({ id: 'doc-2' }));
        await store.commitSubmission(submitted('doc-2'));
        await store.claimDueDeliveries(3_000, 60_000, 1);
        await store.recordDelivered({ identificatie: 'KT-doc-2-v1', reference: 'ref-2', at: 4_000, dispatch: dispatch({ docId: 'doc-2' }) });
        expect(await store.listDecisions('doc-2')).toEqual([]);
      });

      it('[J2] mark-sent stores the action and the dispatch once, only for a decided version in the status decided on', async () => {
        await store.createDocument(documentRow());
        await store.commitSubmission(held());
        const markSent = (key: string, ifStatus: WorkflowStatus = WorkflowStatus.submitted) => ({
          record: action({ idempotencyKey: key, type: 'mark-sent', at: 5_000 }),
          dispatch: dispatch({ how: 'manual', by: 'u2', at: 5_000 }),
          ifStatus,
        });
        // Not decided yet.
        expect(await store.commitDispatch(markSent('sent-0', WorkflowStatus.awaitingApproval))).toMatchObject({ stored: false, existing: null });
        await store.commitReview(approved(decision(1, { sentOn: 'manual' })));
        expect(await store.commitDispatch(markSent('sent-1', WorkflowStatus.archived))).toMatchObject({ stored: false, existing: null });
        expect(await store.commitDispatch(markSent('sent-2'))).toEqual({ stored: true });
        expect(await store.getAction('sent-2')).toEqual(markSent('sent-2').record);
        expect(await store.commitDispatch(markSent('sent-2'))).toMatchObject({ stored: false, existing: { idempotencyKey: 'sent-2' } });
        expect(await store.commitDispatch(markSent('sent-3'))).toMatchObject({ stored: false, existing: null });
        expect((await store.listDecisions('doc-1')).map((d) => d.dispatch)).toEqual([dispatch({ how: 'manual', by: 'u2', at: 5_000 })]);
        // A delivery after the office marked it sent keeps the office's date.
        await store.claimDueDeliveries(3_000, 60_000, 1);
        await store.recordDelivered({ identificatie: 'KT-doc-1-v1', reference: 'ref-1', at: 6_000, dispatch: dispatch({ verzenddatum: '2026-03-09' }) });
        expect((await store.listDecisions('doc-1')).map((d) => d.dispatch?.verzenddatum)).toEqual(['2026-03-05']);
        expect((await store.getDocument('doc-1'))?.status).toBe(WorkflowStatus.archived);
      });

      if (factory.durable) {
        it('[J1] [J2] the database refuses to change or delete a decision or a dispatch', async () => {
          await store.createDocument(documentRow());
          await store.commitSubmission(held());
          await store.commitReview(approved(decision()));
          await store.claimDueDeliveries(3_000, 60_000, 1);
          await store.recordDelivered({ identificatie: 'KT-doc-1-v1', reference: 'ref-1', at: 4_000, dispatch: dispatch() });
          const sql = requireSql(harness);
          await expect(sql(`UPDATE decisions SET dagtekening = '2026-01-01'`)).rejects.toThrow(/immutable/);
          await expect(sql('DELETE FROM decisions')).rejects.toThrow(/immutable/);
          await expect(sql(`UPDATE dispatches SET verzenddatum = '2026-01-01'`)).rejects.toThrow(/immutable/);
          await expect(sql('DELETE FROM dispatches')).rejects.toThrow(/immutable/);
        });
      }
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

    describe('frozen documents: the store decides (CL26, CL27)', () => {
      it('[CL26] an append to the room of a document that takes no edits stores nothing of its batch and names the room', async () => {
        const [one, two, three] = textUpdates('een', ' twee', ' drie');
        await store.createDocument(documentRow({ id: 'doc-1' }));
        await store.createDocument(documentRow({ id: 'doc-2' }));
        await store.appendUpdates([record('doc:doc-1', one, 1)]);
        expect(await store.commitSubmission({ ...submitted(), submission: { ...submission('doc-1', 1), content: one } })).toEqual({ stored: true });

        const refused = store.appendUpdates([record('doc:doc-2', one, 2), record('doc:doc-1', two, 2), record('index:team:centrum', one, 2)]);
        await expect(refused).rejects.toBeInstanceOf(FrozenRoomsError);
        await expect(refused).rejects.toMatchObject({ rooms: ['doc:doc-1'] });
        expect(textOf((await store.loadUpdates('doc:doc-1')).updates)).toBe('een');
        expect((await store.loadUpdates('doc:doc-2')).updates).toEqual([]);
        expect((await store.loadUpdates('index:team:centrum')).updates).toEqual([]);

        // Concepts, index rooms and rooms without a row take updates as before.
        await store.appendUpdates([record('doc:doc-2', one, 3), record('index:team:centrum', one, 3), record('doc:doc-9', one, 3)]);
        expect(textOf((await store.loadUpdates('doc:doc-2')).updates)).toBe('een');
        // Every status but concept refuses (V1); a document opened again takes edits again.
        for (const status of [WorkflowStatus.awaitingApproval, WorkflowStatus.archived, WorkflowStatus.deliveryFailed]) {
          await store.updateDocument('doc-1', { status });
          await expect(store.appendUpdates([record('doc:doc-1', two, 4)]), status).rejects.toBeInstanceOf(FrozenRoomsError);
        }
        await store.updateDocument('doc-1', { status: WorkflowStatus.concept });
        await store.appendUpdates([record('doc:doc-1', two, 5), record('doc:doc-1', three, 5)]);
        expect(textOf((await store.loadUpdates('doc:doc-1')).updates)).toBe('een twee drie');
      });

      it('[CL27] a submit whose content lacks an update stored after it was read stores nothing; content that covers the store is stored', async () => {
        const [one, two] = textUpdates('een', ' twee');
        await store.createDocument(documentRow({ id: 'doc-1' }));
        await store.appendUpdates([record('doc:doc-1', one, 1)]);
        const read = Y.mergeUpdates((await store.loadUpdates('doc:doc-1')).updates);
        // Another process stores an edit after the submit read the content.
        await store.appendUpdates([record('doc:doc-1', two, 2)]);
        const stale = { ...submitted(), submission: { ...submission('doc-1', 1), content: read } };
        expect(await store.commitSubmission(stale)).toEqual({ stored: false, existing: null, status: WorkflowStatus.concept, contentMoved: true });
        expect(await store.getAction('submit-doc-1-1')).toBeNull();
        expect(await store.latestSubmissionVersion('doc-1')).toBe(0);
        expect((await store.getDocument('doc-1'))?.status).toBe(WorkflowStatus.concept);

        // Read again (compacted meanwhile: the snapshot counts as stored too), it is stored.
        const loaded = await store.loadUpdates('doc:doc-1');
        await store.compact('doc:doc-1', Y.mergeUpdates(loaded.updates), loaded.lastSeq);
        const fresh = { ...stale, submission: { ...stale.submission, content: Y.mergeUpdates(loaded.updates) } };
        expect(await store.commitSubmission(fresh)).toEqual({ stored: true });
        expect(textOf([(await store.getSubmission('doc-1', 1))?.content ?? new Uint8Array()])).toBe('een twee');
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

      // Compaction folds Yjs updates (the PostgreSQL store merges them again, DB2), so these
      // tests compact real ones.
      it('a stale compaction (lower throughSeq than the snapshot) changes nothing', async () => {
        const [one, two] = textUpdates('een', ' twee');
        await store.appendUpdates([record('d1', one, 1)]);
        const first = await store.loadUpdates('d1');
        await store.appendUpdates([record('d1', two, 2)]);
        const second = await store.loadUpdates('d1');
        await store.compact('d1', Y.mergeUpdates(second.updates), second.lastSeq);
        await store.compact('d1', Y.mergeUpdates(first.updates), first.lastSeq);
        const after = await store.loadUpdates('d1');
        expect(after).toMatchObject({ lastSeq: second.lastSeq, logLength: 0 });
        expect(after.updates).toHaveLength(1);
        expect(textOf(after.updates)).toBe('een twee');
      });

      it('compaction of one document leaves the others alone', async () => {
        const [a, b, c] = textUpdates('a', 'b', 'c');
        await store.appendUpdates([record('d1', a, 1), record('d2', b, 1)]);
        const d1 = await store.loadUpdates('d1');
        await store.appendUpdates([record('d2', c, 2)]);
        await store.compact('d1', Y.mergeUpdates(d1.updates), (await store.loadUpdates('d2')).lastSeq);
        expect((await store.loadUpdates('d2')).updates).toEqual([b, c]);
        const after = await store.loadUpdates('d1');
        expect(after.logLength).toBe(0);
        expect(textOf(after.updates)).toBe('a');
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
          appVersion: null,
          storagePersisted: null,
          ...NO_VAULT_KEYS,
        });
        // U5: only the call that revoked it says so; the first time is kept.
        expect(await store.revokeDevice('dev-1', 30)).toBe(true);
        expect(await store.revokeDevice('dev-1', 40)).toBe(false);
        expect(await store.revokeDevice('dev-unknown', 40)).toBe(false);
        expect((await store.getDevice('dev-1'))?.revokedAt).toBe(30);
        expect(await store.getDevice('dev-2')).toBeNull();
      });

      it('[K20] [K23] [K25] device keys are kept; a revocation stores its wipe mode, which only a revoked device may change; the first recovery wins', async () => {
        await store.createUser(user());
        const keys = { statusTokenHash: 'a'.repeat(64), recoveryKey: 'k'.repeat(43) };
        await store.createDevice({ id: 'dev-1', userId: 'user-1', name: 'Telefoon', createdAt: 10, lastSeenAt: 10, revokedAt: null, ...keys });
        await store.createDevice({ id: 'dev-2', userId: 'user-1', name: 'Tablet', createdAt: 11, lastSeenAt: 11, revokedAt: null });
        expect(await store.getDevice('dev-1')).toMatchObject({ ...keys, wipe: null, recoveredBy: null });
        await store.setDeviceWipe('dev-1', 'wipe-now');
        expect((await store.getDevice('dev-1'))?.wipe).toBeNull();
        expect(await store.revokeDevice('dev-1', 20, 'send-then-wipe')).toBe(true);
        expect(await store.revokeDevice('dev-1', 30, 'wipe-now')).toBe(false);
        expect(await store.getDevice('dev-1')).toMatchObject({ revokedAt: 20, wipe: 'send-then-wipe' });
        await store.setDeviceWipe('dev-1', 'wipe-now');
        expect((await store.getDevice('dev-1'))?.wipe).toBe('wipe-now');
        expect(await store.markDeviceRecovered('dev-1', 'dev-new')).toBe(true);
        expect(await store.markDeviceRecovered('dev-1', 'dev-new')).toBe(true);
        expect(await store.markDeviceRecovered('dev-1', 'dev-thief')).toBe(false);
        expect((await store.getDevice('dev-1'))?.recoveredBy).toBe('dev-new');
        expect(await store.revokeUserDevices('user-1', 40, 'send-then-wipe')).toEqual(['dev-2']);
        expect(await store.getDevice('dev-2')).toMatchObject({ revokedAt: 40, wipe: 'send-then-wipe' });
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

      it('[J4] a user keeps a function title and contact details, set at creation or later', async () => {
        await store.createUser(user({ functionTitle: 'Consulent Wmo', email: 'v@voorbeeld.example' }));
        expect(await store.getUser('user-1')).toEqual(user({ functionTitle: 'Consulent Wmo', email: 'v@voorbeeld.example' }));
        await store.updateUserProfile('user-1', { functionTitle: 'Teamleider', email: null, phone: '14 020' });
        expect(await store.findUserByUsername('veldwerker')).toEqual(user({ functionTitle: 'Teamleider', phone: '14 020' }));
      });

      it('[CL24] seedAccounts seeds the first start\'s team and users once, only while no user exists', async () => {
        // Both users need the seed's team ('noord' does not exist yet; 'centrum' does).
        const noordSeed = [user({ teamId: 'noord' }), user({ id: 'user-2', username: 'kantoor', name: 'Karel Kantoor', teamId: 'noord', roles: ['office'] })];
        const answers = await Promise.all([store.seedAccounts({ id: 'noord', name: 'Wijkteam Noord' }, noordSeed), store.seedAccounts({ id: 'noord', name: 'Wijkteam Noord' }, noordSeed)]);
        expect(answers.filter(Boolean)).toHaveLength(1);
        expect(await store.countUsers()).toBe(2);
        expect(await store.getTeam('noord')).toEqual({ id: 'noord', name: 'Wijkteam Noord' });
        expect(await store.getUser('user-2')).toEqual(noordSeed[1]);

        // A later start: users exist, so nothing changes (not even a team the seed names).
        expect(await store.seedAccounts({ id: 'zuid', name: 'Wijkteam Zuid' }, [user({ id: 'user-3', username: 'derde', teamId: 'zuid' })])).toBe(false);
        expect(await store.countUsers()).toBe(2);
        expect(await store.getTeam('zuid')).toBeNull();
      });

      it('[CL24] seedAccounts keeps a team that exists, and stores nothing when one of its users cannot be stored', async () => {
        // Two users with one username (case differs): the whole seed is refused, the team too.
        const clash = [user({ teamId: 'noord' }), user({ id: 'user-2', username: 'VELDWERKER', teamId: 'noord' })];
        await expect(store.seedAccounts({ id: 'noord', name: 'Wijkteam Noord' }, clash)).rejects.toThrow();
        expect(await store.countUsers()).toBe(0);
        expect(await store.getTeam('noord')).toBeNull();

        // The seed's team exists already (created by an operator): it is kept as it is.
        expect(await store.seedAccounts({ id: 'centrum', name: 'Andere naam' }, [user()])).toBe(true);
        expect(await store.getTeam('centrum')).toEqual({ id: 'centrum', name: 'Wijkteam Centrum' });
        expect(await store.getUser('user-1')).toEqual(user());
      });

      it('[CL24] claimSetting keeps the first value: concurrent claims all get it, and a set value is never replaced', async () => {
        const claims = await Promise.all(['een', 'twee', 'drie'].map((value) => store.claimSetting('auth.secret', value)));
        expect(new Set(claims).size).toBe(1);
        expect(await store.getSetting('auth.secret')).toBe(claims[0]);
        expect(await store.claimSetting('auth.secret', 'later')).toBe(claims[0]);

        await store.setSetting('push.vapid', 'bestaand');
        expect(await store.claimSetting('push.vapid', 'nieuw')).toBe('bestaand');
        expect(await store.getSetting('push.vapid')).toBe('bestaand');
      });

      it('settings round trip and overwrite', async () => {
        expect(await store.getSetting('auth.secret')).toBeNull();
        await store.setSetting('auth.secret', 'one');
        await store.setSetting('auth.secret', 'two');
        expect(await store.getSetting('auth.secret')).toBe('two');
      });

      it('[B2] lists users by name, patches only the given fields, renames and lists teams', async () => {
        await store.createTeam({ id: 'noord', name: 'Wijkteam Noord' });
        await store.createUser(user({ id: 'u-z', username: 'zz', name: 'Zeger' }));
        await store.createUser(user({ id: 'u-a', username: 'aa', name: 'Anna', functionTitle: 'Consulent' }));
        expect((await store.listUsers()).map((u) => u.id)).toEqual(['u-a', 'u-z']);
        expect(await store.updateUser('u-a', { roles: ['office', 'admin'], teamId: 'noord' })).toBe(true);
        expect(await store.getUser('u-a')).toEqual(user({ id: 'u-a', username: 'aa', name: 'Anna', functionTitle: 'Consulent', roles: ['office', 'admin'], teamId: 'noord' }));
        await store.updateUser('u-a', { functionTitle: null, disabled: true, name: 'Anna B.' });
        expect(await store.getUser('u-a')).toMatchObject({ functionTitle: null, disabled: true, name: 'Anna B.', roles: ['office', 'admin'] });
        expect(await store.updateUser('nobody', { name: 'X' })).toBe(false);
        await expect(store.updateUser('u-a', { teamId: 'bestaat-niet' })).rejects.toThrow();
        expect(await store.setPasswordHash('u-z', 'scrypt$y')).toBe(true);
        expect((await store.getUser('u-z'))?.passwordHash).toBe('scrypt$y');
        expect(await store.renameTeam('noord', 'Wijkteam Noord-Oost')).toBe(true);
        expect(await store.renameTeam('zuid', 'X')).toBe(false);
        expect(await store.listTeams()).toEqual([
          { id: 'centrum', name: 'Wijkteam Centrum' },
          { id: 'noord', name: 'Wijkteam Noord-Oost' },
        ]);
      });

      it('[B4] [B6] devices keep what the app reported; revoking a user revokes only their unrevoked devices, once', async () => {
        await store.createUser(user());
        await store.createUser(user({ id: 'user-2', username: 'kantoor' }));
        await store.createDevice({ id: 'd-old', userId: 'user-1', name: 'Oud', createdAt: 1, lastSeenAt: 1, revokedAt: 5 });
        await store.createDevice({ id: 'd-new', userId: 'user-1', name: 'Nieuw', createdAt: 2, lastSeenAt: 2, revokedAt: null, appVersion: '0.1.0', storagePersisted: false });
        await store.createDevice({ id: 'd-other', userId: 'user-2', name: 'Ander', createdAt: 3, lastSeenAt: 3, revokedAt: null });
        await store.touchDevice('d-new', 10, { appVersion: '0.2.0', storagePersisted: true });
        await store.touchDevice('d-new', 11);
        expect(await store.listDevices('user-1')).toEqual([
          { id: 'd-new', userId: 'user-1', name: 'Nieuw', createdAt: 2, lastSeenAt: 11, revokedAt: null, appVersion: '0.2.0', storagePersisted: true, ...NO_VAULT_KEYS },
          { id: 'd-old', userId: 'user-1', name: 'Oud', createdAt: 1, lastSeenAt: 1, revokedAt: 5, appVersion: null, storagePersisted: null, ...NO_VAULT_KEYS },
        ]);
        expect(await store.revokeUserDevices('user-1', 20)).toEqual(['d-new']);
        expect(await store.revokeUserDevices('user-1', 30)).toEqual([]);
        expect((await store.getDevice('d-new'))?.revokedAt).toBe(20);
        expect((await store.getDevice('d-old'))?.revokedAt).toBe(5);
        expect((await store.getDevice('d-other'))?.revokedAt).toBeNull();
      });
    });

    describe('identity links and IdP sessions (I3, I4)', () => {
      beforeEach(async () => {
        await store.createTeam({ id: 'centrum', name: 'Wijkteam Centrum' });
      });

      it('[I3] a user created with its IdP subject is found by it; a second user for that subject stores nothing', async () => {
        await store.createLinkedUser(user({ passwordHash: '!idp' }), 'https://idp', 'sub-1');
        expect(await store.findUserByIdentity('https://idp', 'sub-1')).toEqual(user({ passwordHash: '!idp' }));
        expect(await store.findUserByIdentity('https://ander', 'sub-1')).toBeNull();
        expect(await store.getIdentityOf('user-1')).toEqual({ issuer: 'https://idp', subject: 'sub-1' });
        await expect(store.createLinkedUser(user({ id: 'user-2', username: 'tweede' }), 'https://idp', 'sub-1')).rejects.toThrow();
        // One transaction: the refused link leaves no user behind.
        expect(await store.getUser('user-2')).toBeNull();
        expect(await store.countUsers()).toBe(1);
      });

      it('[I3] linking an existing user: once per user and once per subject', async () => {
        await store.createUser(user());
        await store.createUser(user({ id: 'user-2', username: 'tweede' }));
        expect(await store.getIdentityOf('user-1')).toBeNull();
        expect(await store.linkIdentity('user-1', 'https://idp', 'sub-1')).toBe(true);
        expect(await store.linkIdentity('user-1', 'https://idp', 'sub-2')).toBe(false);
        expect(await store.linkIdentity('user-2', 'https://idp', 'sub-1')).toBe(false);
        expect((await store.findUserByIdentity('https://idp', 'sub-1'))?.id).toBe('user-1');
        await store.updateUserFromIdentity('user-1', { name: 'Nieuwe Naam', email: 'n@voorbeeld.example', roles: ['office', 'approver'], teamId: 'centrum' });
        expect(await store.getUser('user-1')).toEqual(user({ name: 'Nieuwe Naam', email: 'n@voorbeeld.example', roles: ['office', 'approver'] }));
      });

      it('[I4] a device’s IdP session is stored, its tokens replaced, and found by sid or subject', async () => {
        await store.createLinkedUser(user(), 'https://idp', 'sub-1');
        for (const id of ['dev-1', 'dev-2', 'dev-3']) {
          await store.createDevice({ id, userId: 'user-1', name: id, createdAt: 1, lastSeenAt: 1, revokedAt: null });
        }
        const session = { deviceId: 'dev-1', userId: 'user-1', issuer: 'https://idp', subject: 'sub-1', sid: 'sid-a', refreshToken: 'rt-1', idToken: 'id-1', createdAt: 5 };
        await store.saveIdpSession(session);
        await store.saveIdpSession({ ...session, deviceId: 'dev-2', sid: 'sid-b' });
        await store.saveIdpSession({ ...session, deviceId: 'dev-3', sid: null, refreshToken: null, idToken: null });
        await expect(store.saveIdpSession(session)).rejects.toThrow();
        await store.updateIdpSession('dev-1', { refreshToken: 'rt-2', idToken: 'id-2' });
        expect(await store.getIdpSession('dev-1')).toEqual({ ...session, refreshToken: 'rt-2', idToken: 'id-2' });
        expect(await store.getIdpSession('dev-9')).toBeNull();
        expect(await store.listIdpSessionDevices('https://idp', { sid: 'sid-a' })).toEqual(['dev-1']);
        expect((await store.listIdpSessionDevices('https://idp', { subject: 'sub-1' })).sort()).toEqual(['dev-1', 'dev-2', 'dev-3']);
        expect(await store.listIdpSessionDevices('https://ander', { subject: 'sub-1' })).toEqual([]);
      });
    });

    describe('web push (Y9, Y11, Y13)', () => {
      const sub = (deviceId: string, endpoint: string, userId = 'user-1') => ({ deviceId, userId, endpoint, p256dh: `p-${deviceId}`, auth: `a-${deviceId}`, createdAt: 10 });
      beforeEach(async () => {
        await store.createTeam({ id: 'centrum', name: 'Wijkteam Centrum' });
        await store.createUser(user());
        await store.createUser(user({ id: 'user-2', username: 'kantoor' }));
        for (const [id, userId] of [['dev-1', 'user-1'], ['dev-2', 'user-1'], ['dev-3', 'user-2']] as const) {
          await store.createDevice({ id, userId, name: id, createdAt: 1, lastSeenAt: 1, revokedAt: null });
        }
      });

      it('[Y9] one subscription per device: a new one replaces it; listed per user', async () => {
        await store.savePushSubscription(sub('dev-1', 'https://push.example/a'));
        await store.savePushSubscription(sub('dev-1', 'https://push.example/b'));
        await store.savePushSubscription(sub('dev-2', 'https://push.example/c'));
        await store.savePushSubscription(sub('dev-3', 'https://push.example/d', 'user-2'));
        expect((await store.getPushSubscription('dev-1'))?.endpoint).toBe('https://push.example/b');
        expect((await store.listPushSubscriptions(['user-1'])).map((s) => s.deviceId)).toEqual(['dev-1', 'dev-2']);
        expect((await store.listPushSubscriptions(['user-1', 'user-2', 'user-2'])).length).toBe(3);
        // The same browser endpoint under another device row (signed in again) moves with it.
        await store.savePushSubscription(sub('dev-2', 'https://push.example/b'));
        expect(await store.getPushSubscription('dev-1')).toBeNull();
      });

      it('[Y13] deleting by device and by endpoint', async () => {
        await store.savePushSubscription(sub('dev-1', 'https://push.example/a'));
        await store.savePushSubscription(sub('dev-2', 'https://push.example/b'));
        expect(await store.deletePushSubscription('dev-1')).toBe(true);
        expect(await store.deletePushSubscription('dev-1')).toBe(false);
        await store.deletePushEndpoint('https://push.example/b');
        expect(await store.listPushSubscriptions(['user-1'])).toEqual([]);
      });

      it('[Y11] a notice key is claimed once', async () => {
        expect(await store.claimPushNotice('returned:doc-1:1', 5)).toBe(true);
        expect(await store.claimPushNotice('returned:doc-1:1', 6)).toBe(false);
        expect(await store.claimPushNotice('returned:doc-1:2', 6)).toBe(true);
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
        const [u1, u2, u3, u4] = textUpdates('een', ' twee', ' drie', ' vier');
        await store.appendUpdates([record('d1', u1, 1), record('d1', u2, 2)]);
        const loaded = await store.loadUpdates('d1');
        await store.compact('d1', Y.mergeUpdates(loaded.updates), loaded.lastSeq);
        await store.appendUpdates([record('d1', u3, 3)]);
        const history = await store.listUpdateHistory('d1');
        await store.createDocument(documentRow({ id: 'doc-2' }));
        await store.commitAction(action({ docId: 'doc-2' }), submitPatch);
        await store.createDocument(documentRow({ id: 'doc-3' }));
        await store.commitSubmission({
          record: action({ idempotencyKey: 'submit-3', docId: 'doc-3' }),
          submission: submission('doc-3', 1),
          patch: submitPatch,
          ifStatus: WorkflowStatus.concept,
          dueAt: 5,
        });
        const submissions = await store.listSubmissions('doc-3');

        await reopen();

        expect(await store.getSubmission('doc-3', 1)).toEqual(submission('doc-3', 1));
        expect(await store.listSubmissions('doc-3')).toEqual(submissions);
        expect((await store.claimDueDeliveries(5, 1_000, 10)).map((c) => c.delivery.identificatie)).toEqual(['KT-doc-3-v1']);

        expect(await store.getAction('key-0001')).toEqual(action({ docId: 'doc-2' }));
        expect((await store.getDocument('doc-2'))?.status).toBe(WorkflowStatus.submitted);
        expect((await store.commitAction(action({ docId: 'doc-2', at: 9 }), null)).stored).toBe(false);

        expect(await store.getDocument('doc-1')).toEqual(documentRow());
        expect(await store.findUserByUsername('VeldWerker')).toEqual(user());
        expect((await store.getDevice('dev-1'))?.name).toBe('Telefoon');
        expect((await store.useRefreshToken('h', 5))?.usedAt).toBeNull();
        expect(await store.getSetting('auth.secret')).toBe('s');
        const after = await store.loadUpdates('d1');
        expect(after.updates).toHaveLength(2);
        expect(after.updates[1]).toEqual(u3);
        expect(textOf(after.updates)).toBe('een twee drie');
        expect(await store.listUpdateHistory('d1')).toEqual(history);

        // seq is never reused, even when compaction emptied the log (AUTOINCREMENT).
        await store.compact('d1', Y.mergeUpdates(after.updates), after.lastSeq);
        await reopen();
        await store.appendUpdates([record('d1', u4, 4)]);
        expect((await store.loadUpdates('d1')).lastSeq).toBeGreaterThan(after.lastSeq);
      });
    });
    }
  });
}

storeContractSuite(sqliteFactory);
storeContractSuite(postgresFactory);
storeContractSuite(memoryFactory);

describe('sqlite schema: the O4–O6 migration', () => {
  it('[O4] an outbox written by the previous schema keeps every row; the rebuilt table takes failed and dms_lock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'keukentafel-migrate-'));
    try {
      const db = new Database(join(dir, 'old.db'));
      db.pragma('foreign_keys = ON');
      // Up to the step before the outbox rebuild, as a database in the field is.
      const before = MIGRATIONS.findIndex((step) => step.includes('CREATE TABLE outbox_next'));
      for (let v = 0; v < before; v++) db.exec(MIGRATIONS[v] ?? '');
      db.pragma(`user_version = ${before}`);
      const s = submission('doc-1', 1);
      db.prepare(
        `INSERT INTO submissions (doc_id, version, identificatie, zaak, template_id, template_version, submitted_by, submitted_at,
           content, content_sha256, pdf, pdf_sha256, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(s.docId, s.version, s.identificatie, s.zaak, s.templateId, s.templateVersion, s.submittedBy, s.submittedAt, s.content, s.contentSha256, s.pdf, s.pdfSha256, JSON.stringify(s.metadata));
      db.prepare(`INSERT INTO outbox (identificatie, doc_id, version, state, attempts, next_attempt_at, last_error) VALUES (?, 'doc-1', 1, 'pending', 5, 9000, 'dms-timeout')`).run(s.identificatie);
      migrate(db);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(db.prepare('SELECT identificatie, state, attempts, next_attempt_at, last_error, dms_lock FROM outbox').all()).toEqual([
        { identificatie: s.identificatie, state: 'pending', attempts: 5, next_attempt_at: 9000, last_error: 'dms-timeout', dms_lock: null },
      ]);
      db.prepare(`UPDATE outbox SET state = 'failed', dms_lock = 'l' WHERE identificatie = ?`).run(s.identificatie);
      expect(() => db.prepare(`UPDATE outbox SET state = 'gone'`).run()).toThrow(/CHECK/);
      expect(db.pragma('foreign_key_check')).toEqual([]);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
