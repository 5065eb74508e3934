// Attachment blobs on PostgreSQL (F1–F8), the same semantics as sqlite/attachments.ts: rows and
// their chunks (BYTEA) in the same database. Appending is a compare-and-set on `received` under
// the row's lock, so of two processes appending at one offset exactly one stores (DB20); the last
// chunk and `completed_at` commit together (DB22), so a complete row has all its bytes.
import type { AttachmentMediaType } from '../../../shared/model/attachments';
import { concat } from '../memory/attachments';
import type { AppendChunkResult, AttachmentRow, AttachmentStore } from '../types';
import { inTransaction, type Pool } from './pool';

interface AttachmentSql {
  doc_id: string;
  id: string;
  name: string;
  media_type: AttachmentMediaType;
  size: number;
  sha256: string;
  declared_by: string;
  declared_at: number;
  received: number;
  completed_at: number | null;
}

const COLUMNS = 'doc_id, id, name, media_type, size, sha256, declared_by, declared_at, received, completed_at';

export function createPostgresAttachments(pool: Pool): AttachmentStore {
  const get = async (docId: string, id: string): Promise<AttachmentSql | undefined> => {
    const { rows } = await pool.query<AttachmentSql>(`SELECT ${COLUMNS} FROM attachments WHERE doc_id = $1 AND id = $2`, [docId, id]);
    return rows[0];
  };

  return {
    async declareAttachment(row) {
      await pool.query(
        `INSERT INTO attachments (doc_id, id, name, media_type, size, sha256, declared_by, declared_at, received, completed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, NULL)
         ON CONFLICT (doc_id, id) DO NOTHING`,
        [row.docId, row.id, row.name, row.mediaType, row.size, row.sha256, row.declaredBy, row.declaredAt],
      );
      const stored = await get(row.docId, row.id);
      if (!stored) throw new Error(`attachment ${row.docId}/${row.id} not stored`);
      return fromSql(stored);
    },

    async getAttachment(docId, id) {
      const row = await get(docId, id);
      return row ? fromSql(row) : null;
    },

    async listAttachments(docId) {
      const { rows } = await pool.query<AttachmentSql>(`SELECT ${COLUMNS} FROM attachments WHERE doc_id = $1 ORDER BY declared_at, id`, [docId]);
      return rows.map(fromSql);
    },

    async appendAttachmentChunk(docId, id, offset, bytes, completeAt): Promise<AppendChunkResult> {
      return inTransaction(pool, async (client) => {
        // The row's lock makes the check below and the write one step: a second appender at the
        // same offset waits here and then reads the `received` the first one committed.
        const { rows } = await client.query<AttachmentSql>(`SELECT ${COLUMNS} FROM attachments WHERE doc_id = $1 AND id = $2 FOR UPDATE`, [docId, id]);
        const row = rows[0];
        if (!row) return { stored: false, row: null };
        if (row.completed_at !== null || row.received !== offset || bytes.length === 0 || offset + bytes.length > row.size) {
          return { stored: false, row: fromSql(row) };
        }
        await client.query('INSERT INTO attachment_chunks (doc_id, attachment_id, start, bytes) VALUES ($1, $2, $3, $4)', [
          docId,
          id,
          offset,
          Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        ]);
        // The CHECK on completed_at refuses a complete row without all its bytes (the whole step rolls back).
        await client.query('UPDATE attachments SET received = $1, completed_at = $2 WHERE doc_id = $3 AND id = $4', [offset + bytes.length, completeAt, docId, id]);
        return { stored: true, row: fromSql({ ...row, received: offset + bytes.length, completed_at: completeAt }) };
      });
    },

    async resetAttachment(docId, id) {
      await inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ completed_at: number | null }>(
          'SELECT completed_at FROM attachments WHERE doc_id = $1 AND id = $2 FOR UPDATE',
          [docId, id],
        );
        const row = rows[0];
        if (!row || row.completed_at !== null) return;
        await client.query('DELETE FROM attachment_chunks WHERE doc_id = $1 AND attachment_id = $2', [docId, id]);
        await client.query('UPDATE attachments SET received = 0 WHERE doc_id = $1 AND id = $2', [docId, id]);
      });
    },

    async readAttachmentBytes(docId, id) {
      // One snapshot for the row and its chunks, so they agree while an upload goes on.
      return inTransaction(
        pool,
        async (client) => {
          const { rows } = await client.query<{ received: number }>('SELECT received FROM attachments WHERE doc_id = $1 AND id = $2', [docId, id]);
          const row = rows[0];
          if (!row) return null;
          const chunks = await client.query<{ bytes: Buffer }>(
            'SELECT bytes FROM attachment_chunks WHERE doc_id = $1 AND attachment_id = $2 ORDER BY start',
            [docId, id],
          );
          return concat(
            chunks.rows.map((c) => new Uint8Array(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength)),
            row.received,
          );
        },
        { isolation: 'REPEATABLE READ' },
      );
    },

    async deleteAttachments(docId) {
      // Chunks go with their rows (ON DELETE CASCADE).
      const { rowCount } = await pool.query('DELETE FROM attachments WHERE doc_id = $1', [docId]);
      return rowCount ?? 0;
    },
  };
}

function fromSql(r: AttachmentSql): AttachmentRow {
  return {
    docId: r.doc_id,
    id: r.id,
    name: r.name,
    mediaType: r.media_type,
    size: r.size,
    sha256: r.sha256,
    declaredBy: r.declared_by,
    declaredAt: r.declared_at,
    received: r.received,
    completedAt: r.completed_at,
  };
}
