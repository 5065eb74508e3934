// The PostgreSQL submissions store (DB10–DB14) against a real PostgreSQL: what two processes on
// one database must never both do (claim one delivery, take one identificatie number, approve
// one submission, store one version), each shown with TWO pools on one database. The store
// contract itself runs on PostgreSQL in store-contract.test.ts.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryDms } from '../../server/dms/memory';
import { OutboxWorker } from '../../server/outbox/outbox-worker';
import { inTransaction, openPool, type Pool, type Queryable } from '../../server/store/postgres/pool';
import { migrate } from '../../server/store/postgres/schema';
import { claimDueDeliveriesIn, createPostgresSubmissions, type PostgresSubmissions } from '../../server/store/postgres/submissions';
import type {
  ActionRecord,
  CommitActionOptions,
  CommitActionResult,
  DocumentPatch,
  DocumentRow,
  ReviewCommit,
  ReviewRecord,
  SubmissionRecord,
  SubmissionStore,
  SubmitCommit,
} from '../../server/store/types';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { startPostgres, type PostgresCluster } from '../support/postgres';

/**
 * What these tests need of a Store: the submissions module as the PostgreSQL store will spread
 * it, plus the few document and action methods (pg-core's part) written here in a few lines.
 */
type TestStore = SubmissionStore &
  PostgresSubmissions['view'] & {
    createDocument(row: DocumentRow): Promise<DocumentRow>;
    getDocument(id: string): Promise<DocumentRow | null>;
    getAction(key: string): Promise<ActionRecord | null>;
    commitAction(record: ActionRecord, patch: DocumentPatch | null, options?: CommitActionOptions): Promise<CommitActionResult>;
  };

interface Side {
  pool: Pool;
  store: TestStore;
}

interface DocSql {
  id: string;
  team_id: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  title: string;
  template_id: string | null;
  kind: string | null;
  zaak: string | null;
  status: WorkflowStatus;
  status_since: number | null;
}

function docFromSql(r: DocSql): DocumentRow {
  return {
    id: r.id,
    teamId: r.team_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    title: r.title,
    templateId: r.template_id,
    kind: r.kind,
    zaak: r.zaak,
    status: r.status,
    ...(r.status_since === null ? {} : { statusSince: r.status_since }),
  };
}

async function readAction(q: Queryable, key: string): Promise<ActionRecord | null> {
  const { rows } = await q.query<{ idempotency_key: string; doc_id: string; user_id: string; type: string; at: number; http_status: number; response: string }>(
    'SELECT * FROM actions WHERE idempotency_key = $1',
    [key],
  );
  const r = rows[0];
  return r ? { idempotencyKey: r.idempotency_key, docId: r.doc_id, userId: r.user_id, type: r.type, at: r.at, httpStatus: r.http_status, response: r.response } : null;
}

/** One "process": its own pool on the database, and a store built on it. */
function openSide(url: string, name: string): Side {
  const pool = openPool(url, { max: 4, applicationName: name });
  const subs = createPostgresSubmissions(pool);
  const getDocument = async (id: string): Promise<DocumentRow | null> => {
    const { rows } = await pool.query<DocSql>('SELECT * FROM documents WHERE id = $1', [id]);
    return rows[0] ? docFromSql(rows[0]) : null;
  };
  const store: TestStore = {
    ...subs.store,
    ...subs.view,
    getDocument,
    async createDocument(row) {
      await pool.query(
        `INSERT INTO documents (id, team_id, created_by, created_at, updated_at, title, template_id, kind, zaak, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
        [row.id, row.teamId, row.createdBy, row.createdAt, row.updatedAt, row.title, row.templateId, row.kind, row.zaak, row.status],
      );
      const stored = await getDocument(row.id);
      if (!stored) throw new Error('document vanished');
      return stored;
    },
    getAction: (key) => readAction(pool, key),
    // commitAction as the PostgreSQL store must do it: document locked first, then outbox (DB14).
    async commitAction(record, patch, options = {}) {
      return inTransaction(pool, async (q): Promise<CommitActionResult> => {
        const { rows } = await q.query<DocSql>('SELECT * FROM documents WHERE id = $1 FOR UPDATE', [record.docId]);
        const taken = await readAction(q, record.idempotencyKey);
        if (taken) return { stored: false, existing: taken };
        const row = rows[0];
        if (options.ifStatus !== undefined && row?.status !== options.ifStatus) return { stored: false, existing: null, status: row?.status ?? null };
        await q.query(
          'INSERT INTO actions (idempotency_key, doc_id, user_id, type, at, http_status, response) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [record.idempotencyKey, record.docId, record.userId, record.type, record.at, record.httpStatus, record.response],
        );
        if (patch?.status !== undefined) await q.query('UPDATE documents SET status = $1, updated_at = $2 WHERE id = $3', [patch.status, patch.updatedAt, record.docId]);
        if (options.deliveriesDueAt !== undefined) await subs.rescheduleDeliveries(q, record.docId, options.deliveriesDueAt);
        return { stored: true };
      });
    },
  };
  return { pool, store };
}

let cluster: PostgresCluster;
let url: string;

beforeAll(async () => {
  cluster = await startPostgres();
  url = await cluster.createDatabase();
  const setup = openPool(url, { max: 1 });
  try {
    await migrate(setup);
  } finally {
    await setup.end();
  }
}, 120_000);

afterAll(async () => {
  await cluster.stop();
});

/**
 * The migrated database, emptied (a fresh database per test costs a second each here), with two
 * sides on it ("two processes"). TRUNCATE fires no row triggers, so the immutable tables empty too.
 */
async function twoSides(): Promise<{ url: string; a: Side; b: Side; close(): Promise<void> }> {
  const sides = {
    url,
    a: openSide(url, 'kt-test-a'),
    b: openSide(url, 'kt-test-b'),
    closed: false,
    async close(): Promise<void> {
      if (sides.closed) return;
      sides.closed = true;
      await Promise.all([sides.a.pool.end(), sides.b.pool.end()]);
    },
  };
  await sides.a.pool.query('TRUNCATE documents, actions, submissions, reviews, outbox, identificaties, decisions, dispatches');
  return sides;
}

/** The database's deadlock count; each call on a connection of its own, so its statistics are fresh. */
async function deadlocks(): Promise<number> {
  const admin = openPool(url, { max: 1, applicationName: 'kt-test-admin' });
  try {
    const { rows } = await admin.query<{ n: number }>('SELECT deadlocks AS n FROM pg_stat_database WHERE datname = current_database()');
    return rows[0]?.n ?? 0;
  } finally {
    await admin.end();
  }
}

/**
 * Ends both sides and waits until their server processes are gone: a backend flushes its
 * statistics (a deadlock it lost included) before it leaves pg_stat_activity.
 */
async function closeAndSettle(sides: { close(): Promise<void> }): Promise<void> {
  await sides.close();
  const admin = openPool(url, { max: 1, applicationName: 'kt-test-admin' });
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await admin.query<{ n: number }>("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name IN ('kt-test-a', 'kt-test-b')");
      if (rows[0]?.n === 0) return;
      if (Date.now() > deadline) throw new Error('the test connections did not end');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await admin.end();
  }
}

/** Resolves 'blocked' after `ms` unless `work` settles first; the timer never outlives the race. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | 'blocked'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'blocked'>((resolve) => {
    timer = setTimeout(() => resolve('blocked'), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- Fixtures, as in store-contract.test.ts ----

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



describe('PostgreSQL submissions: two processes on one database', () => {
  let db: Awaited<ReturnType<typeof twoSides>>;
  beforeEach(async () => {
    db = await twoSides();
  });
  afterEach(async () => {
    await db.close();
  });

  /** `n` documents submitted with their deliveries due at 2000; returns their identificaties. */
  async function queue(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const docId = `doc-${String(i).padStart(3, '0')}`;
      await db.a.store.createDocument(documentRow({ id: docId }));
      expect(await db.a.store.commitSubmission(submitted(docId))).toEqual({ stored: true });
      ids.push(submission(docId, 1).identificatie);
    }
    return ids;
  }

  it('[DB10] two processes claiming at once never get the same delivery, round after round', async () => {
    const ids = await queue(60);
    const lease = 1_000;
    /** Claims in small batches until nothing is due; several of these run at once per side. */
    const drain = async (side: Side, now: number): Promise<string[]> => {
      const got: string[] = [];
      for (;;) {
        const claims = await side.store.claimDueDeliveries(now, lease, 4);
        if (claims.length === 0) return got;
        got.push(...claims.map((c) => c.delivery.identificatie));
      }
    };
    for (let round = 1; round <= 6; round++) {
      const now = 2_000 + round * lease;
      const claimed = (await Promise.all([db.a, db.b, db.a, db.b, db.a, db.b].map((side) => drain(side, now)))).flat();
      // Every due row exactly once: no duplicate, none left behind.
      expect(claimed.length).toBe(ids.length);
      expect([...claimed].sort()).toEqual(ids);
      const attempts = new Set((await db.b.store.listTeamDeliveries('centrum', 100)).map((d) => d.delivery.attempts));
      expect(attempts).toEqual(new Set([round]));
    }
  });

  it('[DB10] a claim in progress does not block another process: it skips the locked rows', async () => {
    const ids = await queue(12);
    const client = await db.a.pool.connect();
    try {
      await client.query('BEGIN');
      // Process A's claim is under way (its transaction still open) ...
      const held = (await claimDueDeliveriesIn(client, 2_000, 60_000, 5)).map((c) => c.delivery.identificatie);
      expect(held).toEqual(ids.slice(0, 5));
      // ... and process B claims the rest at once instead of waiting for A.
      const other = await within(db.b.store.claimDueDeliveries(2_000, 60_000, 100), 5_000);
      if (other === 'blocked') throw new Error('the claim waited on the other process’s claim');
      expect(other.map((c) => c.delivery.identificatie)).toEqual(ids.slice(5));
      await client.query('COMMIT');
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
    // A's claim is committed: its rows are leased, attempt 1 each, nothing is due twice.
    expect(await db.b.store.claimDueDeliveries(2_000, 60_000, 100)).toEqual([]);
    expect((await db.a.store.listTeamDeliveries('centrum', 100)).every((d) => d.delivery.attempts === 1)).toBe(true);
  });

  it('[DB10] claims and the outbox view order identificaties bytewise, as SQLite, also where the locale sorts otherwise', async () => {
    const admin = openPool(cluster.url, { max: 1 });
    try {
      await admin.query(`CREATE DATABASE kt_icu_nl TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C' LOCALE_PROVIDER icu ICU_LOCALE 'nl-NL'`);
    } finally {
      await admin.end();
    }
    const nlUrl = url.replace(/\/[^/]+$/, '/kt_icu_nl');
    const setup = openPool(nlUrl, { max: 1 });
    try {
      await migrate(setup);
      // This database's own order puts lower case first ...
      const { rows } = await setup.query<{ before: boolean }>(`SELECT 'KT-a' < 'KT-B' AS before`);
      expect(rows[0]?.before).toBe(true);
    } finally {
      await setup.end();
    }
    const side = openSide(nlUrl, 'kt-test-nl');
    try {
      for (const docId of ['doc-a', 'doc-B']) {
        await side.store.createDocument(documentRow({ id: docId }));
        await side.store.commitSubmission(submitted(docId));
      }
      // ... SQLite's (bytewise) puts 'B' (0x42) before 'a' (0x61).
      expect((await side.store.listTeamDeliveries('centrum', 10)).map((d) => d.docId)).toEqual(['doc-B', 'doc-a']);
      expect((await side.store.claimDueDeliveries(2_000, 60_000, 1)).map((c) => c.delivery.docId)).toEqual(['doc-B']);
    } finally {
      await side.pool.end();
    }
  });

  it('[DB10] outbox workers in two processes deliver every submission to the DMS exactly once', async () => {
    const ids = await queue(30);
    const dms = createMemoryDms();
    const errors: unknown[] = [];
    const worker = (side: Side): OutboxWorker =>
      new OutboxWorker({
        store: side.store,
        dms,
        now: () => 10_000,
        random: () => 0.5,
        timing: { leaseMs: 60_000, attemptTimeoutMs: 10_000 },
        documentChanged: () => Promise.resolve(),
        onError: (error) => errors.push(error),
      });
    const workers = [worker(db.a), worker(db.b), worker(db.a), worker(db.b)];
    try {
      const attempted = await Promise.all(workers.map((w) => w.runOnce()));
      expect(attempted.reduce((x, y) => x + y, 0)).toBe(ids.length);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }
    expect(errors).toEqual([]);
    expect(dms.calls.filter((c) => c.op === 'deliver').map((c) => c.identificatie).sort()).toEqual(ids);
    expect(dms.duplicates).toBe(0);
    expect(await db.b.store.countDeliveries()).toEqual({ waiting: 0, failed: 0, delivered: ids.length });
  });

  it('[DB11] reservations from two processes at once take distinct numbers without gaps; a retry gets its number again', async () => {
    const side = (i: number): Side => (i % 2 === 0 ? db.a : db.b);
    const requests = Array.from({ length: 40 }, (_, i) => ({ docId: `doc-${i % 10}`, version: 1 + Math.floor(i / 10), year: 2026 }));
    const got = await Promise.all(requests.map((r, i) => side(i).store.reserveIdentificatie(r)));
    expect(got.map((n) => n.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // The same (document, version) again, from the other process this time: the same number.
    const again = await Promise.all(requests.map((r, i) => side(i + 1).store.reserveIdentificatie(r)));
    expect(again).toEqual(got);
    // One new (document, version) asked by both at once, even across New Year: one number.
    const [x, y] = await Promise.all([
      db.a.store.reserveIdentificatie({ docId: 'doc-new', version: 1, year: 2026 }),
      db.b.store.reserveIdentificatie({ docId: 'doc-new', version: 1, year: 2027 }),
    ]);
    expect(x).toEqual(y);
    const { rows } = await db.a.pool.query<{ n: number }>("SELECT count(*) AS n FROM identificaties WHERE doc_id = 'doc-new'");
    expect(rows[0]?.n).toBe(1);
  });

  describe('four eyes at once', () => {
    const docs = Array.from({ length: 8 }, (_, i) => `doc-${i}`);
    const approval = (docId: string, by: string, kind: ReviewRecord['kind'] = 'approved'): ReviewCommit => ({
      record: action({ idempotencyKey: `${kind}-${docId}-${by}`, docId, type: kind === 'approved' ? 'approve' : 'return', at: 3_000 }),
      review: {
        docId,
        version: 1,
        kind,
        by,
        byName: by,
        at: 3_000,
        section: null,
        remark: kind === 'returned' ? 'Noem het artikel.' : null,
        idempotencyKey: `${kind}-${docId}-${by}`,
      },
      patch: { status: kind === 'approved' ? WorkflowStatus.submitted : WorkflowStatus.concept, updatedAt: 3_000 },
      ifStatus: WorkflowStatus.awaitingApproval,
      dueAt: kind === 'approved' ? 3_000 : null,
    });
    beforeEach(async () => {
      for (const docId of docs) {
        await db.a.store.createDocument(documentRow({ id: docId }));
        const held = { ...submitted(docId), patch: { status: WorkflowStatus.awaitingApproval, updatedAt: 2_000 }, dueAt: null };
        expect(await db.a.store.commitSubmission(held)).toEqual({ stored: true });
      }
    });

    it('[DB12] two approvers in two processes: exactly one wins, the other gets the refusal of a moved status', async () => {
      const results = await Promise.all(docs.flatMap((docId) => [db.a.store.commitReview(approval(docId, 'anna')), db.b.store.commitReview(approval(docId, 'bert'))]));
      for (let i = 0; i < docs.length; i++) {
        const pair = [results[2 * i], results[2 * i + 1]];
        expect(pair.filter((r) => r?.stored === true)).toHaveLength(1);
        expect(pair.filter((r) => r?.stored === false)).toEqual([{ stored: false, existing: null, status: WorkflowStatus.submitted }]);
      }
      for (const docId of docs) {
        expect(await db.b.store.listReviews(docId)).toHaveLength(1);
        expect((await db.b.store.listSubmissions(docId)).map((s) => s.delivery?.state)).toEqual(['pending']);
      }
      const { rows } = await db.a.pool.query<{ n: number }>("SELECT count(*) AS n FROM actions WHERE type = 'approve'");
      expect(rows[0]?.n).toBe(docs.length);
    });

    it('[DB12] an approval and a return at once: one of them, never both', async () => {
      const results = await Promise.all(docs.flatMap((docId) => [db.a.store.commitReview(approval(docId, 'anna')), db.b.store.commitReview(approval(docId, 'bert', 'returned'))]));
      for (let i = 0; i < docs.length; i++) {
        const docId = docs[i] ?? '';
        const won = results[2 * i]?.stored === true ? 'approved' : 'returned';
        expect([results[2 * i]?.stored, results[2 * i + 1]?.stored].filter(Boolean)).toHaveLength(1);
        expect((await db.a.store.listReviews(docId)).map((r) => r.kind)).toEqual([won]);
        expect((await db.a.store.getDocument(docId))?.status).toBe(won === 'approved' ? WorkflowStatus.submitted : WorkflowStatus.concept);
      }
    });
  });

  it('[DB13] submits of the same next version from two processes store one version; a shared key answers with the stored record', async () => {
    const docs = Array.from({ length: 8 }, (_, i) => `doc-${i}`);
    for (const docId of docs) await db.a.store.createDocument(documentRow({ id: docId }));
    const twoKeys = (docId: string, side: string): SubmitCommit => ({ ...submitted(docId), record: action({ idempotencyKey: `submit-${docId}-${side}`, docId }) });
    const results = await Promise.all(docs.flatMap((docId) => [db.a.store.commitSubmission(twoKeys(docId, 'a')), db.b.store.commitSubmission(twoKeys(docId, 'b'))]));
    for (let i = 0; i < docs.length; i++) {
      const pair = [results[2 * i], results[2 * i + 1]];
      expect(pair.filter((r) => r?.stored === true)).toHaveLength(1);
      expect(pair.filter((r) => r?.stored === false)).toEqual([{ stored: false, existing: null, status: WorkflowStatus.submitted }]);
      expect(await db.b.store.latestSubmissionVersion(docs[i] ?? '')).toBe(1);
    }
    // One key sent to both processes (a retry that went elsewhere): stored once, the other sees it.
    await db.a.store.createDocument(documentRow({ id: 'doc-key' }));
    const same = submitted('doc-key');
    const both = await Promise.all([db.a.store.commitSubmission(same), db.b.store.commitSubmission(same)]);
    expect(both).toContainEqual({ stored: true });
    expect(both).toContainEqual({ stored: false, existing: same.record });
    expect(await db.a.store.listSubmissions('doc-key')).toHaveLength(1);
  });

  it('[DB13] two documents submitted with one identificatie at once: one is stored, the other refused like a moved status', async () => {
    for (let round = 0; round < 5; round++) {
      const [d1, d2] = [`doc-${round}-x`, `doc-${round}-y`];
      await db.a.store.createDocument(documentRow({ id: d1 }));
      await db.a.store.createDocument(documentRow({ id: d2 }));
      const clash = submitted(d2);
      clash.submission = { ...clash.submission, identificatie: `KT-2026-${round}` };
      const first = submitted(d1);
      first.submission = { ...first.submission, identificatie: `KT-2026-${round}` };
      const results = await Promise.all([db.a.store.commitSubmission(first), db.b.store.commitSubmission(clash)]);
      expect(results).toContainEqual({ stored: true });
      expect(results).toContainEqual({ stored: false, existing: null, status: WorkflowStatus.concept });
    }
  });

  it('[DB13] the database refuses to change or delete a submission, review or identificatie', async () => {
    await db.a.store.createDocument(documentRow());
    await db.a.store.commitSubmission({ ...submitted(), patch: { status: WorkflowStatus.awaitingApproval, updatedAt: 2_000 }, dueAt: null });
    await db.a.store.reserveIdentificatie({ docId: 'doc-1', version: 1, year: 2026 });
    const review: ReviewCommit = {
      record: action({ idempotencyKey: 'return-1', type: 'return' }),
      review: { docId: 'doc-1', version: 1, kind: 'returned', by: 'u2', byName: 'K', at: 3_000, section: null, remark: 'Nee.', idempotencyKey: 'return-1' },
      patch: { status: WorkflowStatus.concept, updatedAt: 3_000 },
      ifStatus: WorkflowStatus.awaitingApproval,
      dueAt: null,
    };
    expect(await db.a.store.commitReview(review)).toEqual({ stored: true });
    for (const sql of [
      "UPDATE submissions SET zaak = 'X'",
      'DELETE FROM submissions',
      "UPDATE reviews SET remark = 'Ja.'",
      'DELETE FROM reviews',
      'UPDATE identificaties SET seq = 9',
      'DELETE FROM identificaties',
    ]) {
      await expect(db.b.pool.query(sql), sql).rejects.toThrow(/immutable|audit trail|never reused/);
    }
    expect(await db.b.store.getSubmission('doc-1', 1)).toEqual(submission('doc-1', 1));
  });

  it('[DB14] one delivery’s outcome recorded by two processes at once counts once', async () => {
    const ids = await queue(6);
    await db.a.store.claimDueDeliveries(2_000, 60_000, 100);
    const results = await Promise.all(
      ids.flatMap((identificatie) => [
        db.a.store.recordDelivered({ identificatie, reference: `a/${identificatie}`, at: 2_500 }),
        db.b.store.recordDelivered({ identificatie, reference: `b/${identificatie}`, at: 2_600 }),
      ]),
    );
    for (let i = 0; i < ids.length; i++) {
      const recorded = [results[2 * i], results[2 * i + 1]].filter((r) => r?.recorded === true);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toMatchObject({ recorded: true, document: { status: WorkflowStatus.archived } });
    }
    expect(await db.b.store.countDeliveries()).toEqual({ waiting: 0, failed: 0, delivered: ids.length });
  });

  it('[DB14] a retry-delivery and a success recorded at once by two processes: no deadlock, and the document ends in the DMS', async () => {
    const before = await deadlocks();
    const ids = await queue(20);
    await db.a.store.claimDueDeliveries(2_000, 60_000, 100);
    await Promise.all(
      ids.map((identificatie, i) =>
        db.b.store.recordDeliveryFailure({ identificatie, attempt: 1, error: 'dms-unreachable', outcomeUnknown: false, nextAttemptAt: 9_000, at: 2_100 + i }),
      ),
    );
    // retry-delivery locks the document, then reschedules its outbox rows; a delivery outcome
    // must take its locks in that order too, or the two deadlock (and one is retried).
    const retry = (docId: string) =>
      db.a.store.commitAction(action({ idempotencyKey: `retry-${docId}`, docId, type: 'retry-delivery', at: 3_000 }), { status: WorkflowStatus.submitted, updatedAt: 3_000 }, {
        ifStatus: WorkflowStatus.deliveryFailed,
        deliveriesDueAt: 3_000,
      });
    const outcomes = await Promise.all(
      ids.flatMap((identificatie, i) => {
        const docId = `doc-${String(i).padStart(3, '0')}`;
        return [db.b.store.recordDelivered({ identificatie, reference: `r/${identificatie}`, at: 3_100 }), retry(docId)];
      }),
    );
    expect(outcomes.filter((o) => 'recorded' in o && o.recorded)).toHaveLength(ids.length);
    for (const d of await db.a.store.listTeamDeliveries('centrum', 100)) {
      expect(d.delivery.state).toBe('delivered');
      // Delivered is final: whichever came first, the document ends in the DMS.
      expect((await db.a.store.getDocument(d.docId))?.status).toBe(WorkflowStatus.archived);
    }
    await closeAndSettle(db);
    expect(await deadlocks()).toBe(before);
  });
});
