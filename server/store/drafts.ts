// E1: the discarded marks of a document row, in one shape for every store: present (both) while
// the concept is discarded, absent otherwise, so rows compare equal across stores.
import type { DocumentRow } from './types';

export function withDraftFields(row: DocumentRow): DocumentRow {
  const { discardedAt, discardedBy, ...rest } = row;
  if (discardedAt === undefined || discardedAt === null) return { ...rest };
  return { ...rest, discardedAt, discardedBy: discardedBy ?? null };
}

/** Whether the concept was discarded (E1). */
export function isDiscarded(row: Pick<DocumentRow, 'discardedAt'>): boolean {
  return row.discardedAt !== undefined && row.discardedAt !== null;
}
