// The rows of "Mijn documenten": the server's index entries plus the documents created on this
// device that the server does not list yet (written offline, not sent), newest first; and the
// back office's status filter. Pure, so the merge is tested without a browser.
import type { IndexEntry, WorkflowStatus } from '../../../shared/model/index-entry';

/** What the device remembers of a document it created (LocalStore setting `localDocs`). */
export interface LocalDocRecord {
  id: string;
  templateId: string;
  title: string;
  createdAt: number;
}

export interface DocRow {
  id: string;
  title: string;
  zaak: string | null;
  updatedAt: number;
  /** Null while only this device knows the document. */
  entry: IndexEntry | null;
}

export function mergeDocRows(entries: readonly IndexEntry[], local: readonly LocalDocRecord[]): DocRow[] {
  const listed = new Set(entries.map((e) => e.id));
  const rows: DocRow[] = entries.map((entry) => ({
    id: entry.id,
    title: entry.title,
    zaak: entry.zaak,
    updatedAt: entry.updatedAt,
    entry,
  }));
  for (const record of local) {
    if (!listed.has(record.id)) {
      rows.push({ id: record.id, title: record.title, zaak: null, updatedAt: record.createdAt, entry: null });
    }
  }
  return rows.sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
}

export type StatusFilter = WorkflowStatus | 'alle';

export function filterByStatus(entries: readonly IndexEntry[], filter: StatusFilter): IndexEntry[] {
  return filter === 'alle' ? [...entries] : entries.filter((e) => e.status === filter);
}

/** Title shown for a document without a subject yet. */
export const displayTitle = (title: string): string => (title.trim().length > 0 ? title : 'Zonder onderwerp');
