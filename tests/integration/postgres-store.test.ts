// What only a shared database has to prove: two connection pools (two server processes) on one
// PostgreSQL database at once. Compaction beside appends (DB2), migrations raced and refused
// (DB3), and status transitions as compare-and-set (DB4). One cluster for the file, a fresh
// database per test.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { inTransaction, openPool } from '../../server/store/postgres/pool';
import { lockRoom } from '../../server/store/postgres/room-lock';
import { migrate, MIGRATIONS } from '../../server/store/postgres/schema';
import { openPostgresStore, type PostgresStore } from '../../server/store/postgres/store';
import type { ActionRecord, UpdateRecord } from '../../server/store/types';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { startPostgres, type PostgresCluster } from '../support/postgres';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 180_000);
afterAll(async () => {
  await cluster.stop();
});

function record(docId: string, update: Uint8Array, at: number): UpdateRecord {
  return { docId, update, userId: 'user-1', deviceId: 'device-1', connId: 'conn-1', at };
}

function textOf(updates: readonly Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText('body').toJSON();
}

async function twoStores(): Promise<{ url: string; a: PostgresStore; b: PostgresStore; close: () => Promise<void> }> {
  const url = await cluster.createDatabase();
  const a = await openPostgresStore(url, { max: 8 });
  const b = await openPostgresStore(url, { max: 8 });
  return { url, a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
}

describe('PostgreSQL with two connections at once', () => {
  it('[DB2] compaction never drops an update committed concurrently: a lower seq that commits after the load is folded in', async () => {
    const { url, a, b, close } = await twoStores();
    const pool = openPool(url, { max: 1 });
    try {
      const doc = new Y.Doc();
      const body = doc.getText('body');
      const piece = (text: string): Uint8Array => {
        const before = Y.encodeStateVector(doc);
        body.insert(body.length, text);
        return Y.encodeStateAsUpdate(doc, before);
      };
      await a.appendUpdates([record('doc:r', piece('een'), 1)]);
      const late = piece(' twee');
      const early = piece(' drie');
      // Process 1 takes a seq for `late` and has not committed yet (the store's own protocol:
      // the room's shared lock, then the insert), while process 2 commits `early` with a higher seq.
      let release: () => void = () => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      let inserted: () => void = () => undefined;
      const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
      const pending = inTransaction(pool, async (client) => {
        await lockRoom(client, 'doc:r', 'shared');
        await client.query(`INSERT INTO doc_updates (room, "update", at) VALUES ('doc:r', $1, 2)`, [Buffer.from(late)]);
        inserted();
        await released;
      });
      await insertedYet;
      await b.appendUpdates([record('doc:r', early, 3)]);
      // The compactor loads: it sees `early` (the higher seq) but not `late`.
      const loaded = await b.loadUpdates('doc:r');
      expect(loaded.logLength).toBe(2);
      release();
      await pending;
      // `late` is committed now, with a seq below loaded.lastSeq and missing from `merged`.
      await b.compact('doc:r', Y.mergeUpdates(loaded.updates), loaded.lastSeq);
      const after = await a.loadUpdates('doc:r');
      expect(textOf(after.updates)).toBe('een twee drie');
      expect(after.logLength).toBe(0);
    } finally {
      await pool.end();
      await close();
    }
  });

  it('[DB2] one process appends from many connections while the other compacts over and over: every update survives', async () => {
    const { a, b, close } = await twoStores();
    try {
      const writers = Array.from({ length: 6 }, () => new Y.Doc());
      let appending = true;
      let compactions = 0;
      const compactor = (async () => {
        while (appending) {
          const loaded = await b.loadUpdates('doc:s');
          if (loaded.updates.length > 0) {
            await b.compact('doc:s', Y.mergeUpdates(loaded.updates), loaded.lastSeq);
            compactions++;
          }
        }
      })();
      await Promise.all(
        writers.map(async (doc, w) => {
          const body = doc.getText('body');
          for (let i = 0; i < 40; i++) {
            const before = Y.encodeStateVector(doc);
            body.insert(body.length, `${w}`);
            await a.appendUpdates([record('doc:s', Y.encodeStateAsUpdate(doc, before), i)]);
          }
        }),
      );
      appending = false;
      await compactor;
      expect(compactions).toBeGreaterThan(0);
      const final = new Y.Doc();
      for (const u of (await a.loadUpdates('doc:s')).updates) Y.applyUpdate(final, u);
      const clocks = Y.decodeStateVector(Y.encodeStateVector(final));
      for (const doc of writers) expect(clocks.get(doc.clientID)).toBe(40);
      expect(final.getText('body').length).toBe(6 * 40);
    } finally {
      await close();
    }
  });

  it('[DB4] of two concurrent commitActions with the same expected status exactly one wins', async () => {
    const { a, b, close } = await twoStores();
    try {
      for (let round = 0; round < 15; round++) {
        const docId = `doc-${round}`;
        await a.createDocument({
          id: docId,
          teamId: 'centrum',
          createdBy: 'user-1',
          createdAt: 1,
          updatedAt: 1,
          title: 'Verslag',
          templateId: null,
          kind: null,
          zaak: null,
          status: WorkflowStatus.awaitingApproval,
        });
        const approve = (key: string, status: WorkflowStatus): ActionRecord => ({
          idempotencyKey: `${key}-${round}`,
          docId,
          userId: key,
          type: key,
          at: 2,
          httpStatus: 200,
          response: JSON.stringify({ status }),
        });
        const results = await Promise.all([
          a.commitAction(approve('approve', WorkflowStatus.archived), { status: WorkflowStatus.archived, updatedAt: 2 }, { ifStatus: WorkflowStatus.awaitingApproval }),
          b.commitAction(approve('return', WorkflowStatus.concept), { status: WorkflowStatus.concept, updatedAt: 3 }, { ifStatus: WorkflowStatus.awaitingApproval }),
        ]);
        const winners = results.filter((r) => r.stored);
        expect(winners).toHaveLength(1);
        const winner = results[0].stored ? WorkflowStatus.archived : WorkflowStatus.concept;
        expect(results.find((r) => !r.stored)).toEqual({ stored: false, existing: null, status: winner });
        expect((await a.getDocument(docId))?.status).toBe(winner);
        // Only the winner's action is on record.
        expect([await a.getAction(`approve-${round}`), await a.getAction(`return-${round}`)].filter((r) => r !== null)).toHaveLength(1);
      }
    } finally {
      await close();
    }
  });
});

describe('PostgreSQL replays under a status condition', () => {
  it('[DB4] two concurrent commits of one key with ifStatus: one is stored, the other answers with it (not a status conflict)', async () => {
    const { a, b, close } = await twoStores();
    try {
      for (let round = 0; round < 10; round++) {
        const docId = `doc-${round}`;
        await a.createDocument({
          id: docId,
          teamId: 'centrum',
          createdBy: 'user-1',
          createdAt: 1,
          updatedAt: 1,
          title: 'Verslag',
          templateId: null,
          kind: null,
          zaak: null,
          status: WorkflowStatus.awaitingApproval,
        });
        const approve: ActionRecord = { idempotencyKey: `approve-${round}`, docId, userId: 'u', type: 'approve', at: 2, httpStatus: 200, response: '{}' };
        const patch = { status: WorkflowStatus.archived, updatedAt: 2 };
        const results = await Promise.all([
          a.commitAction(approve, patch, { ifStatus: WorkflowStatus.awaitingApproval }),
          b.commitAction(approve, patch, { ifStatus: WorkflowStatus.awaitingApproval }),
        ]);
        expect(results.filter((r) => r.stored)).toHaveLength(1);
        expect(results.find((r) => !r.stored)).toEqual({ stored: false, existing: approve });
      }
    } finally {
      await close();
    }
  });
});

describe('PostgreSQL migrations', () => {
  it('[DB3] two processes starting at once migrate once; each step is recorded in schema_migrations', async () => {
    const url = await cluster.createDatabase();
    const one = openPool(url);
    const two = openPool(url);
    try {
      const results = await Promise.all([migrate(one), migrate(two)]);
      expect(results.map((r) => r.to)).toEqual([MIGRATIONS.length, MIGRATIONS.length]);
      // One of them did the work, the other found it done.
      expect(results.map((r) => r.from).sort()).toEqual([0, MIGRATIONS.length]);
      const { rows } = await one.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(MIGRATIONS.map((m, i) => ({ version: i + 1, name: m.name })));
    } finally {
      await Promise.all([one.end(), two.end()]);
    }
  });

  it('[DB3] a step that fails leaves nothing of itself behind (each step is one transaction)', async () => {
    const url = await cluster.createDatabase();
    const pool = openPool(url);
    try {
      // A table in the way makes step 1 fail halfway, after it created others.
      await pool.query('CREATE TABLE audit_log (x INTEGER)');
      await expect(migrate(pool)).rejects.toThrow(/migration 1 .*failed/);
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN ('teams', 'users', 'documents')`);
      expect(rows[0]?.n).toBe(0);
      expect((await pool.query<{ n: number }>('SELECT count(*) AS n FROM schema_migrations')).rows[0]?.n).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('[DB3] a database written by a newer server is refused with both versions named', async () => {
    const url = await cluster.createDatabase();
    const store = await openPostgresStore(url);
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`INSERT INTO schema_migrations (version, name) VALUES (${MIGRATIONS.length + 1}, 'from the future')`);
    } finally {
      await client.end();
    }
    await expect(openPostgresStore(url)).rejects.toThrow(new RegExp(`schema version ${MIGRATIONS.length + 1}; this server \\(Keukentafel [^)]+\\) knows schema version ${MIGRATIONS.length} at most`));
  });
});
