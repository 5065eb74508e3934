// Q1 in the memory store, as the SQLite trigger `documents_status_since` does it: a row whose
// status changes is stamped with the `updatedAt` written with that change.
import type { DocumentRow } from './types';

export function withStatusSince(before: DocumentRow, after: DocumentRow): DocumentRow {
  return after.status === before.status ? after : { ...after, statusSince: after.updatedAt };
}
