// The attachment store on PostgreSQL: the F1–F8 contract of tests/integration/store-contract.test.ts
// (the attachment part, until pg-core's store joins that suite) and what two processes on one
// database add to it (DB20, DB22, DB25, DB26, DB28): a chunk appended at the same offset by both is
// stored once, and a complete row always has all its bytes.
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPostgresAttachments } from '../../server/store/postgres/attachments';
import { openPool, type Pool } from '../../server/store/postgres/pool';
import { migrate } from '../../server/store/postgres/schema';
import type { AttachmentRow, AttachmentStore } from '../../server/store/types';
import { startPostgres, type PostgresCluster } from '../support/postgres';

const AID = '0b6f1c2e-3d4a-4b5c-8d6e-7f8091a2b3c4';
const AID2 = '1c7a2d3f-4e5b-4c6d-9e7f-8091a2b3c4d5';
const blob = Uint8Array.from({ length: 10 }, (_, i) => i + 1);
const attachmentRow = (id = AID, docId = 'doc-1', size = 10): AttachmentRow => ({
  docId,
  id,
  name: 'foto.jpg',
  mediaType: 'image/jpeg',
  size,
  sha256: 'ab'.repeat(32),
  declaredBy: 'user-1',
  declaredAt: 100,
  received: 0,
  completedAt: null,
});
/** A distinct UUID-shaped id per round (the column holds 36 characters). */
const idOf = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

let cluster: PostgresCluster;
let url: string;
let pools: Pool[] = [];
/** Two stores on one database: two server processes. */
let store: AttachmentStore;
let other: AttachmentStore;

function open(): { pool: Pool; store: AttachmentStore } {
  const pool = openPool(url, { max: 4 });
  pools.push(pool);
  return { pool, store: createPostgresAttachments(pool) };
}

beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(async () => {
  await cluster.stop();
});
beforeEach(async () => {
  url = await cluster.createDatabase();
  const setup = openPool(url, { max: 1 });
  try {
    await migrate(setup);
  } finally {
    await setup.end();
  }
  store = open().store;
  other = open().store;
});
afterEach(async () => {
  await Promise.all(pools.map((p) => p.end()));
  pools = [];
});

describe('attachments on PostgreSQL (F1–F8)', () => {
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
    expect(await store.readAttachmentBytes('doc-1', AID)).toEqual(new Uint8Array(0));
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
  });

  it('[F6] a partial upload and a complete one are still there for a new connection pool', async () => {
    await store.declareAttachment(attachmentRow());
    await store.declareAttachment(attachmentRow(AID2));
    await store.appendAttachmentChunk('doc-1', AID, 0, blob.subarray(0, 3), null);
    await store.appendAttachmentChunk('doc-1', AID2, 0, blob, 9);
    await Promise.all(pools.map((p) => p.end()));
    pools = [];
    const reopened = open().store;
    expect(await reopened.getAttachment('doc-1', AID)).toEqual({ ...attachmentRow(), received: 3 });
    expect(await reopened.readAttachmentBytes('doc-1', AID)).toEqual(blob.subarray(0, 3));
    expect(await reopened.getAttachment('doc-1', AID2)).toEqual({ ...attachmentRow(AID2), received: 10, completedAt: 9 });
    expect(await reopened.appendAttachmentChunk('doc-1', AID, 3, blob.subarray(3), 10)).toMatchObject({ stored: true });
    expect(await reopened.readAttachmentBytes('doc-1', AID)).toEqual(blob);
  });
});

describe('attachments with two processes on one PostgreSQL (DB20–DB28)', () => {
  it('[DB20] two processes appending at the same offset at once: exactly one stores, and its bytes are the ones kept', async () => {
    for (let round = 0; round < 20; round++) {
      const id = idOf(round);
      await store.declareAttachment(attachmentRow(id));
      const mine = blob.subarray(0, 6);
      const theirs = Uint8Array.from({ length: 6 }, (_, i) => 100 + i);
      const [x, y] = await Promise.all([store.appendAttachmentChunk('doc-1', id, 0, mine, null), other.appendAttachmentChunk('doc-1', id, 0, theirs, null)]);
      expect([x.stored, y.stored].filter(Boolean)).toHaveLength(1);
      // The loser is told where the upload stands, so its device resumes from there (F6).
      expect((x.stored ? y : x).row?.received).toBe(6);
      expect(await store.readAttachmentBytes('doc-1', id)).toEqual(x.stored ? mine : theirs);
      expect((await store.getAttachment('doc-1', id))?.received).toBe(6);
    }
  });

  it('[DB22] of two processes sending the last chunk at once only the one that stored it completes the row, with its time', async () => {
    for (let round = 0; round < 20; round++) {
      const id = idOf(round);
      await store.declareAttachment(attachmentRow(id));
      await store.appendAttachmentChunk('doc-1', id, 0, blob.subarray(0, 4), null);
      const [x, y] = await Promise.all([
        store.appendAttachmentChunk('doc-1', id, 4, blob.subarray(4), 1_000),
        other.appendAttachmentChunk('doc-1', id, 4, blob.subarray(4), 2_000),
      ]);
      expect([x.stored, y.stored].filter(Boolean)).toHaveLength(1);
      const completedAt = x.stored ? 1_000 : 2_000;
      expect(await store.getAttachment('doc-1', id)).toEqual({ ...attachmentRow(id), received: 10, completedAt });
      expect((x.stored ? y : x).row).toEqual({ ...attachmentRow(id), received: 10, completedAt });
      expect(await other.readAttachmentBytes('doc-1', id)).toEqual(blob);
    }
  });

  it('[DB25] a reader in another process sees a prefix of the upload that matches `received`, and a complete row with all its bytes', async () => {
    const chunk = 2 * 1024;
    const size = 10 * chunk;
    const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 31) % 251);
    const sha = createHash('sha256').update(bytes).digest('hex');
    await store.declareAttachment({ ...attachmentRow(AID, 'doc-1', size), sha256: sha });
    let writing = true;
    let reads = 0;
    // Reads while the upload goes on: each one a whole number of chunks, a prefix of the blob.
    const reader = (async () => {
      while (writing) {
        const read = await other.readAttachmentBytes('doc-1', AID);
        reads++;
        expect(read).toEqual(bytes.subarray(0, read?.length ?? -1));
        expect((read?.length ?? 0) % chunk).toBe(0);
      }
    })().then(
      () => null,
      (error: unknown) => {
        writing = false;
        return error instanceof Error ? error : new Error(String(error));
      },
    );
    for (let offset = 0; offset < size; offset += chunk) {
      if (!writing) break;
      const last = offset + chunk >= size;
      expect((await store.appendAttachmentChunk('doc-1', AID, offset, bytes.subarray(offset, offset + chunk), last ? 5_000 : null)).stored).toBe(true);
    }
    writing = false;
    const failed = await reader;
    if (failed !== null) throw failed;
    expect(reads).toBeGreaterThan(0);
    const row = await other.getAttachment('doc-1', AID);
    expect(row?.completedAt).toBe(5_000);
    const all = await other.readAttachmentBytes('doc-1', AID);
    expect(createHash('sha256').update(all ?? new Uint8Array(0)).digest('hex')).toBe(sha);
  });

  it('[DB28] two processes declaring the same attachment at once both get the one row that is stored', async () => {
    for (let round = 0; round < 10; round++) {
      const id = idOf(round);
      const [x, y] = await Promise.all([
        store.declareAttachment({ ...attachmentRow(id), declaredBy: 'user-1' }),
        other.declareAttachment({ ...attachmentRow(id), declaredBy: 'user-2', size: 20 }),
      ]);
      expect(y).toEqual(x);
      expect(await store.listAttachments('doc-1')).toHaveLength(round + 1);
    }
  });

  it('[DB26] deleting a document\'s attachments leaves no chunk rows behind, and a concurrent append finds nothing to add to', async () => {
    await store.declareAttachment(attachmentRow());
    await store.appendAttachmentChunk('doc-1', AID, 0, blob.subarray(0, 5), null);
    const [deleted, appended] = await Promise.all([store.deleteAttachments('doc-1'), other.appendAttachmentChunk('doc-1', AID, 5, blob.subarray(5), 9)]);
    expect(deleted).toBe(1);
    // Either the append came first (then its bytes went with the row) or it found no row.
    if (!appended.stored) expect(appended.row).toBeNull();
    const check = open().pool;
    const { rows } = await check.query<{ n: number }>("SELECT count(*) AS n FROM attachment_chunks WHERE doc_id = 'doc-1'");
    expect(rows[0]?.n).toBe(0);
    expect(await other.getAttachment('doc-1', AID)).toBeNull();
  });
});
