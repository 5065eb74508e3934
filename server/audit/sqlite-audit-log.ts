// The AuditLog in the store's SQLite file (table audit_log, see sqlite/schema.ts): INSERT and
// SELECT only; the table's triggers refuse UPDATE and DELETE from any connection (U2).
/* eslint-disable @typescript-eslint/require-await --
   async on purpose: a throw becomes a rejected promise, as in a PostgreSQL log. */
import type Database from 'better-sqlite3';
import type { AuditAction, AuditLog, AuditQuery, AuditRecord } from './types';
import { checkAuditEntry, queryLimit } from './validate';

interface QueryParams {
  user: string | null;
  doc: string | null;
  from: number | null;
  to: number | null;
  after: number;
  limit: number;
}

interface AuditSql {
  seq: number;
  at: number;
  user_id: string | null;
  device_id: string | null;
  action: string;
  doc_id: string | null;
  address: string | null;
  details: string;
}

export function createSqliteAuditLog(db: Database.Database): AuditLog {
  const insert = db.prepare<[number, string | null, string | null, string, string | null, string | null, string]>(
    `INSERT INTO audit_log (at, user_id, device_id, action, doc_id, address, details)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  // One statement for every filter combination: a NULL parameter means "any".
  const select = db.prepare<[QueryParams], AuditSql>(
    `SELECT * FROM audit_log
     WHERE (@user IS NULL OR user_id = @user)
       AND (@doc IS NULL OR doc_id = @doc)
       AND (@from IS NULL OR at >= @from)
       AND (@to IS NULL OR at < @to)
       AND seq > @after
     ORDER BY seq
     LIMIT @limit`,
  );
  return {
    async record(entry) {
      const details = checkAuditEntry(entry);
      const documentId = entry.documentId ?? null;
      const { lastInsertRowid } = insert.run(entry.at, entry.userId, entry.deviceId, entry.action, documentId, entry.address, details);
      return {
        seq: Number(lastInsertRowid),
        userId: entry.userId,
        deviceId: entry.deviceId,
        action: entry.action,
        documentId,
        address: entry.address,
        at: entry.at,
        details: JSON.parse(details) as AuditRecord['details'],
      };
    },
    async query(filter: AuditQuery) {
      const rows = select.all({
        user: filter.userId ?? null,
        doc: filter.documentId ?? null,
        from: filter.from ?? null,
        to: filter.to ?? null,
        after: filter.afterSeq ?? 0,
        limit: queryLimit(filter),
      });
      return rows.map(fromSql);
    },
  };
}

function fromSql(row: AuditSql): AuditRecord {
  return {
    seq: row.seq,
    userId: row.user_id,
    deviceId: row.device_id,
    // Written through record(), so a known action; a newer server's action is shown as stored.
    action: row.action as AuditAction,
    documentId: row.doc_id,
    address: row.address,
    at: row.at,
    details: JSON.parse(row.details) as AuditRecord['details'],
  };
}
