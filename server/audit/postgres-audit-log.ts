// The AuditLog in the PostgreSQL store's database (table audit_log, see store/postgres/schema.ts):
// INSERT and SELECT only; the table's trigger refuses UPDATE and DELETE from any connection (U2).
import type { Queryable } from '../store/postgres/pool';
import type { AuditAction, AuditLog, AuditQuery, AuditRecord } from './types';
import { checkAuditEntry, queryLimit } from './validate';

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

export function createPostgresAuditLog(pool: Queryable): AuditLog {
  return {
    async record(entry) {
      const details = checkAuditEntry(entry);
      const documentId = entry.documentId ?? null;
      const { rows } = await pool.query<{ seq: number }>(
        `INSERT INTO audit_log (at, user_id, device_id, action, doc_id, address, details)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq`,
        [entry.at, entry.userId, entry.deviceId, entry.action, documentId, entry.address, details],
      );
      const seq = rows[0]?.seq;
      if (seq === undefined) throw new Error('audit insert returned no seq');
      return {
        seq,
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
      // One statement for every filter combination: a NULL parameter means "any".
      const { rows } = await pool.query<AuditSql>(
        `SELECT * FROM audit_log
         WHERE ($1::text IS NULL OR user_id = $1::text)
           AND ($2::text IS NULL OR doc_id = $2::text)
           AND ($3::bigint IS NULL OR at >= $3::bigint)
           AND ($4::bigint IS NULL OR at < $4::bigint)
           AND seq > $5
         ORDER BY seq
         LIMIT $6`,
        [filter.userId ?? null, filter.documentId ?? null, filter.from ?? null, filter.to ?? null, filter.afterSeq ?? 0, queryLimit(filter)],
      );
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
