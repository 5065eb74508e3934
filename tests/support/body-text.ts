// Where tests type plain text: the `body` section (`sections.body`, a Y.Text), as the app stores
// a plain section. The server refuses top-level types the document model does not define (L1),
// so tests no longer write a bare `getText('t')`.
import * as Y from 'yjs';

/**
 * `sections.<key>`, created on first use. Two devices that create it at the same time each make
 * their own; one wins and what was typed into the other is gone, as in the app.
 */
export function bodyText(doc: Y.Doc, key = 'body'): Y.Text {
  const sections = doc.getMap<unknown>('sections');
  const existing = sections.get(key);
  if (existing instanceof Y.Text) return existing;
  const text = new Y.Text();
  sections.set(key, text);
  return text;
}

/** Reads `sections.<key>` without creating it ('' when absent): for docs a test must not change. */
export function bodyOf(doc: Y.Doc | undefined, key = 'body'): string {
  const value = doc?.getMap<unknown>('sections').get(key);
  return value instanceof Y.Text ? value.toString() : '';
}
