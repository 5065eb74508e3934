// The PostgreSQL submissions store (DB10–DB14) against a real PostgreSQL: what two processes on
// one database must never both do (claim one delivery, take one identificatie number, approve
// one submission, store one version), each shown with TWO pools on one database, and the
// submission part of the store contract (store-contract.test.ts) on the PostgreSQL store.
// TODO(merge): once pg-core's PostgreSQL factory runs the whole contract suite, the copied
// "submission contract" block below can go; the DB tests stay.
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
  DecisionRecord,
  DeliveryRow,
  DispatchRecord,
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


describe('submission contract on PostgreSQL (the submission parts of store-contract.test.ts)', () => {
  let db: Awaited<ReturnType<typeof twoSides>>;
  let store: TestStore;
  beforeEach(async () => {
    db = await twoSides();
    store = db.a.store;
  });
  afterEach(async () => {
    await db.close();
  });

  /** A restart of process A: a new pool on the same database. */
  async function reopen(): Promise<void> {
    await db.a.pool.end();
    db.a = openSide(db.url, 'kt-test-a');
    store = db.a.store;
  }

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


  describe('frozen attachments (F9)', () => {
    const AID = '0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4';
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
      await reopen();
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

    it('[J1] [J2] the database refuses to change or delete a decision or a dispatch', async () => {
      await store.createDocument(documentRow());
      await store.commitSubmission(held());
      await store.commitReview(approved(decision()));
      await store.claimDueDeliveries(3_000, 60_000, 1);
      await store.recordDelivered({ identificatie: 'KT-doc-1-v1', reference: 'ref-1', at: 4_000, dispatch: dispatch() });
      for (const sql of [
        `UPDATE decisions SET dagtekening = '2026-01-01'`,
        'DELETE FROM decisions',
        `UPDATE dispatches SET verzenddatum = '2026-01-01'`,
        'DELETE FROM dispatches',
      ]) {
        await expect(db.b.pool.query(sql), sql).rejects.toThrow(/immutable/);
      }
    });
  });
});
