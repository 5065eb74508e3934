// In-memory AuditLog for unit tests and DATA_DIR-less runs, with the SQLite log's semantics:
// same refusals, same order, copies out so a caller cannot change a stored entry.
/* eslint-disable @typescript-eslint/require-await --
   async on purpose: a throw becomes a rejected promise, as in the SQLite log. */
import type { AuditLog, AuditQuery, AuditRecord } from './types';
import { checkAuditEntry, queryLimit } from './validate';

export function createMemoryAuditLog(open: () => void = () => undefined): AuditLog {
  const entries: AuditRecord[] = [];
  const copy = (record: AuditRecord): AuditRecord => ({ ...record, details: structuredClone(record.details) });
  return {
    async record(entry) {
      open();
      const details = checkAuditEntry(entry);
      const stored: AuditRecord = {
        seq: entries.length + 1,
        userId: entry.userId,
        deviceId: entry.deviceId,
        action: entry.action,
        documentId: entry.documentId ?? null,
        address: entry.address,
        at: entry.at,
        details: JSON.parse(details) as AuditRecord['details'],
      };
      entries.push(stored);
      return copy(stored);
    },
    async query(filter: AuditQuery) {
      open();
      const limit = queryLimit(filter);
      const out: AuditRecord[] = [];
      for (const entry of entries) {
        if (out.length >= limit) break;
        if (filter.userId !== undefined && entry.userId !== filter.userId) continue;
        if (filter.documentId !== undefined && entry.documentId !== filter.documentId) continue;
        if (filter.from !== undefined && entry.at < filter.from) continue;
        if (filter.to !== undefined && entry.at >= filter.to) continue;
        if (filter.afterSeq !== undefined && entry.seq <= filter.afterSeq) continue;
        out.push(copy(entry));
      }
      return out;
    },
  };
}
