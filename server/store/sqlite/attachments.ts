// F1–F8 in SQLite: attachment rows and their chunks as BLOBs in the same database (one file to
// back up, like the PDFs). Appending a chunk is a compare-and-set on `received` in one IMMEDIATE
// transaction; the last chunk and `completed_at` commit together, so a complete row has all its bytes.
/* eslint-disable @typescript-eslint/require-await --
   Methods are async without awaiting on purpose, as in sqlite/store.ts. */
import type Database from 'better-sqlite3';
import type { AttachmentMediaType } from '../../../shared/model/attachments';
import type { AppendChunkResult, AttachmentRow, AttachmentStore } from '../types';
import { concat } from '../memory/attachments';

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

export function createSqliteAttachments(db: Database.Database): AttachmentStore {
  const stmt = {
    insert: db.prepare<[AttachmentSql]>(
      `INSERT INTO attachments (doc_id, id, name, media_type, size, sha256, declared_by, declared_at, received, completed_at)
       VALUES (@doc_id, @id, @name, @media_type, @size, @sha256, @declared_by, @declared_at, 0, NULL)
       ON CONFLICT (doc_id, id) DO NOTHING`,
    ),
    get: db.prepare<[string, string], AttachmentSql>('SELECT * FROM attachments WHERE doc_id = ? AND id = ?'),
    list: db.prepare<[string], AttachmentSql>('SELECT * FROM attachments WHERE doc_id = ? ORDER BY declared_at, id'),
    insertChunk: db.prepare<[string, string, number, Uint8Array]>(
      'INSERT INTO attachment_chunks (doc_id, attachment_id, start, bytes) VALUES (?, ?, ?, ?)',
    ),
    advance: db.prepare<[number, number | null, string, string]>('UPDATE attachments SET received = ?, completed_at = ? WHERE doc_id = ? AND id = ?'),
    chunks: db.prepare<[string, string], { bytes: Buffer }>('SELECT bytes FROM attachment_chunks WHERE doc_id = ? AND attachment_id = ? ORDER BY start'),
    dropChunks: db.prepare<[string, string]>('DELETE FROM attachment_chunks WHERE doc_id = ? AND attachment_id = ?'),
    resetRow: db.prepare<[string, string]>('UPDATE attachments SET received = 0 WHERE doc_id = ? AND id = ? AND completed_at IS NULL'),
    deleteAll: db.prepare<[string]>('DELETE FROM attachments WHERE doc_id = ?'),
  };

  const appendTx = db.transaction((docId: string, id: string, offset: number, bytes: Uint8Array, completeAt: number | null): AppendChunkResult => {
    const row = stmt.get.get(docId, id);
    if (!row) return { stored: false, row: null };
    if (row.completed_at !== null || row.received !== offset || bytes.length === 0 || offset + bytes.length > row.size) {
      return { stored: false, row: fromSql(row) };
    }
    stmt.insertChunk.run(docId, id, offset, bytes);
    // The CHECK on completed_at refuses a complete row without all its bytes.
    stmt.advance.run(offset + bytes.length, completeAt, docId, id);
    return { stored: true, row: fromSql({ ...row, received: offset + bytes.length, completed_at: completeAt }) };
  });
  const resetTx = db.transaction((docId: string, id: string) => {
    const row = stmt.get.get(docId, id);
    if (!row || row.completed_at !== null) return;
    stmt.dropChunks.run(docId, id);
    stmt.resetRow.run(docId, id);
  });
  const deleteTx = db.transaction((docId: string): number => stmt.deleteAll.run(docId).changes);

  return {
    async declareAttachment(row) {
      stmt.insert.run(toSql(row));
      const stored = stmt.get.get(row.docId, row.id);
      if (!stored) throw new Error(`attachment ${row.docId}/${row.id} not stored`);
      return fromSql(stored);
    },
    async getAttachment(docId, id) {
      const row = stmt.get.get(docId, id);
      return row ? fromSql(row) : null;
    },
    async listAttachments(docId) {
      return stmt.list.all(docId).map(fromSql);
    },
    async appendAttachmentChunk(docId, id, offset, bytes, completeAt) {
      return appendTx.immediate(docId, id, offset, bytes, completeAt);
    },
    async resetAttachment(docId, id) {
      resetTx.immediate(docId, id);
    },
    async readAttachmentBytes(docId, id) {
      // One read transaction: rows and chunks agree.
      return db.transaction(() => {
        const row = stmt.get.get(docId, id);
        if (!row) return null;
        const chunks = stmt.chunks.all(docId, id).map((c) => new Uint8Array(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength));
        return concat(chunks, row.received);
      })();
    },
    async deleteAttachments(docId) {
      // Chunks go with their rows (ON DELETE CASCADE).
      return deleteTx.immediate(docId);
    },
  };
}

function toSql(row: AttachmentRow): AttachmentSql {
  return {
    doc_id: row.docId,
    id: row.id,
    name: row.name,
    media_type: row.mediaType,
    size: row.size,
    sha256: row.sha256,
    declared_by: row.declaredBy,
    declared_at: row.declaredAt,
    received: 0,
    completed_at: null,
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
