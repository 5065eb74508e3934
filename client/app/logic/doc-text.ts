// Q7: the words a document is found by beyond its list row: the citizen's name and every other
// field, the sections' text and the attachments' captions, read from the device's Y.Doc and
// normalised for search. Never the BSN. The result lives in memory only (session/text-index.ts).
import * as Y from 'yjs';
import { readAttachments } from '../../../shared/model/attachments';
import { readSection } from '../../../shared/model/document';
import { normalise } from './search';

/** Fields that are never searchable: an identifying number is not something to find a letter by. */
const UNSEARCHED_FIELDS = new Set(['bsn']);

/** Upper bound of one document's searchable words (a hostile device may send megabytes). */
export const MAX_DOC_TEXT = 200_000;

export function docSearchText(doc: Y.Doc): string {
  const parts: string[] = [];
  for (const [key, value] of doc.getMap<unknown>('fields')) {
    if (!UNSEARCHED_FIELDS.has(key) && typeof value === 'string') parts.push(value);
  }
  for (const key of doc.getMap<unknown>('sections').keys()) parts.push(readSection(doc, key));
  for (const a of readAttachments(doc)) parts.push(a.caption, a.name);
  return normalise(parts.join(' ').slice(0, MAX_DOC_TEXT * 2)).slice(0, MAX_DOC_TEXT);
}

/** The same from a device's stored updates; '' when they cannot be read (Q15: one bad copy never stops a search). */
export function docSearchTextOf(updates: readonly Uint8Array[]): string {
  const doc = new Y.Doc({ gc: true });
  try {
    for (const update of updates) Y.applyUpdate(doc, update);
    return docSearchText(doc);
  } catch {
    return '';
  } finally {
    doc.destroy();
  }
}
