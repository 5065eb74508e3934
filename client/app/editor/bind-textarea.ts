// Binds a <textarea> to a Y.Text (a plain section). Local typing becomes the smallest edit of the
// Y.Text, so two devices typing in one section merge; a remote change rewrites the textarea and
// moves the caret and selection through it, so the official keeps typing where they were.
import type * as Y from 'yjs';
import { diffText, transformPosition, type DeltaOp } from '../logic/text-diff';
import { markLocalOrigin } from './local-origin';

export function bindTextarea(textarea: HTMLTextAreaElement, text: Y.Text): () => void {
  const doc = text.doc;
  if (doc === null) throw new Error('Y.Text is not part of a document');
  const origin = markLocalOrigin({ binding: 'textarea' });
  // Invariant: `shown` equals the Y.Text's content between events.
  let shown = text.toString();
  textarea.value = shown;

  const onInput = (): void => {
    const next = textarea.value;
    const edit = diffText(shown, next, textarea.selectionEnd);
    shown = next;
    if (edit === null) return;
    doc.transact(() => {
      if (edit.remove > 0) text.delete(edit.index, edit.remove);
      if (edit.insert.length > 0) text.insert(edit.index, edit.insert);
    }, origin);
  };

  const observer = (event: Y.YTextEvent, transaction: Y.Transaction): void => {
    if (transaction.origin === origin) return;
    const delta = event.delta as DeltaOp[];
    const focused = textarea.ownerDocument.activeElement === textarea;
    const start = transformPosition(textarea.selectionStart, delta);
    const end = transformPosition(textarea.selectionEnd, delta);
    const direction = textarea.selectionDirection;
    const scrollTop = textarea.scrollTop;
    shown = text.toString();
    textarea.value = shown;
    textarea.scrollTop = scrollTop;
    if (focused) textarea.setSelectionRange(start, end, direction);
  };

  textarea.addEventListener('input', onInput);
  text.observe(observer);
  return () => {
    textarea.removeEventListener('input', onInput);
    text.unobserve(observer);
  };
}
