// Binds a template field's control (input, textarea or select) to the document's `fields` map
// through writeField (which keeps the title and zaak in `meta` in step). A remote change
// replaces the value and keeps the caret in place as far as the new value allows.
import type * as Y from 'yjs';
import { readField, writeField } from '../../../shared/model/document';
import type { Template } from '../../../shared/templates/schema';

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

export function bindField(control: Control, doc: Y.Doc, template: Template, key: string): () => void {
  control.value = readField(doc, key);
  const onInput = (): void => writeField(doc, template, key, control.value);
  const fields = doc.getMap('fields');
  const observer = (event: Y.YMapEvent<unknown>): void => {
    if (!event.keysChanged.has(key)) return;
    const value = readField(doc, key);
    if (control.value === value) return;
    if (control instanceof HTMLSelectElement || control.ownerDocument.activeElement !== control) {
      control.value = value;
      return;
    }
    const start = control.selectionStart;
    const end = control.selectionEnd;
    control.value = value;
    if (start !== null && end !== null) {
      try {
        control.setSelectionRange(Math.min(start, value.length), Math.min(end, value.length));
      } catch {
        // Some input types (date) have no selection.
      }
    }
  };
  control.addEventListener('input', onInput);
  if (control instanceof HTMLSelectElement) control.addEventListener('change', onInput);
  fields.observe(observer);
  return () => {
    control.removeEventListener('input', onInput);
    control.removeEventListener('change', onInput);
    fields.unobserve(observer);
  };
}
