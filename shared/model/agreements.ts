// The `agreements` root of a document: a Y.Array of Y.Map (wat, wie, wanneer), the agreements
// made at the table. Its own module so the first screen's chunk (which uses document.ts) does
// not carry it. Reads are defensive like document.ts: an entry of another type reads as null.
import * as Y from 'yjs';

/** One agreement made at the table: what, who, by when (free text or a date). */
export interface Agreement {
  wat: string;
  wie: string;
  wanneer: string;
}

/** The `agreements` list; an entry that is not a Y.Map reads as null (unreadable). */
export function readAgreements(doc: Y.Doc): (Agreement | null)[] {
  return doc
    .getArray<unknown>('agreements')
    .toArray()
    .map((item) => {
      if (!(item instanceof Y.Map)) return null;
      const get = (k: string): string => {
        const v: unknown = item.get(k);
        return typeof v === 'string' ? v : '';
      };
      return { wat: get('wat'), wie: get('wie'), wanneer: get('wanneer') };
    });
}

export function addAgreement(doc: Y.Doc, agreement: Agreement): void {
  const entry = new Y.Map<string>();
  entry.set('wat', agreement.wat);
  entry.set('wie', agreement.wie);
  entry.set('wanneer', agreement.wanneer);
  doc.getArray('agreements').push([entry]);
}

export const AGREEMENT_KEYS = ['wat', 'wie', 'wanneer'] as const satisfies readonly (keyof Agreement)[];
export type AgreementKey = (typeof AGREEMENT_KEYS)[number];

/** Longest value one agreement field keeps: a pasted novel must not bloat the CRDT. */
export const AGREEMENT_MAX_LENGTH = 2000;

/**
 * Sets one field of one agreement. Only that key of its Y.Map changes, so two people editing
 * different fields of the same agreement both keep their words (per-field merge); the same
 * field edited twice at once keeps one of the two, as Yjs decides for a map key.
 * False when the entry is gone or unreadable (a co-editor removed it meanwhile).
 */
export function updateAgreement(doc: Y.Doc, index: number, key: AgreementKey, value: string): boolean {
  const entry = agreementMapAt(doc, index);
  if (entry === null) return false;
  const next = value.slice(0, AGREEMENT_MAX_LENGTH);
  if (entry.get(key) !== next) entry.set(key, next);
  return true;
}

/** Removes one agreement and returns what it said (for "Ongedaan maken"); null when there was none. */
export function removeAgreement(doc: Y.Doc, index: number): Agreement | null {
  const list = doc.getArray<unknown>('agreements');
  if (!Number.isInteger(index) || index < 0 || index >= list.length) return null;
  const removed = readAgreements(doc)[index] ?? null;
  list.delete(index, 1);
  return removed;
}

/** Puts an agreement back at `index` (clamped to the list), e.g. to undo a removal. */
export function insertAgreement(doc: Y.Doc, index: number, agreement: Agreement): void {
  const list = doc.getArray<unknown>('agreements');
  const at = Math.max(0, Math.min(Number.isInteger(index) ? index : list.length, list.length));
  const entry = new Y.Map<string>();
  for (const key of AGREEMENT_KEYS) entry.set(key, agreement[key].slice(0, AGREEMENT_MAX_LENGTH));
  list.insert(at, [entry]);
}

function agreementMapAt(doc: Y.Doc, index: number): Y.Map<unknown> | null {
  const list = doc.getArray<unknown>('agreements');
  if (!Number.isInteger(index) || index < 0 || index >= list.length) return null;
  const item = list.get(index);
  return item instanceof Y.Map ? (item as Y.Map<unknown>) : null;
}
