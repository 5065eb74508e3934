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
