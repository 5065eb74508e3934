// P9, P10 in the editor: under each field and section, live, what would refuse the submit about
// its text (logic/text-guard.ts): characters that cannot be printed and, near the limit, a
// counter. Reads the shared document a moment after it changes, as the checklist does.
import { useEffect, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { readField } from '../../../shared/model/document';
import { maxLengthOf, type TemplateField, type TemplateSection } from '../../../shared/templates/schema';
import { writtenText } from '../../../shared/validate/validate-document';
import { textGuard } from '../logic/text-guard';

const SETTLE_MS = 150;

/** One of the two: the template's field or section object (stable across renders). */
interface Props {
  doc: Y.Doc;
  field?: TemplateField;
  section?: TemplateSection;
  /** What the server's refusal already says at this field: not said twice. */
  errors?: readonly string[] | undefined;
}

function read(doc: Y.Doc, field: TemplateField | undefined, section: TemplateSection | undefined): string {
  if (field !== undefined) return readField(doc, field.key);
  return section === undefined ? '' : writtenText(section, doc);
}

export function TextGuard({ doc, field, section, errors }: Props) {
  const [text, setText] = useState(() => read(doc, field, section));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onUpdate = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => setText(read(doc, field, section)), SETTLE_MS);
    };
    setText(read(doc, field, section));
    doc.on('update', onUpdate);
    return () => {
      clearTimeout(timer);
      doc.off('update', onUpdate);
    };
  }, [doc, field, section]);
  const target = field ?? section;
  if (target === undefined) return null;
  const guard = textGuard(text, target.label, maxLengthOf(target));
  if (guard.unprintable !== null && errors?.includes(guard.unprintable) === true) guard.unprintable = null;
  if (guard.unprintable === null && guard.counter === null) return null;
  return (
    <div class="kt-text-guard" data-testid={`guard-${target.key}`}>
      {guard.unprintable !== null && (
        <p class="utrecht-form-field-error-message kt-guard-unprintable" role="alert" data-testid={`unprintable-${target.key}`}>
          {guard.unprintable}
        </p>
      )}
      {guard.counter !== null && (
        <p class={`kt-guard-counter${guard.over ? ' kt-guard-counter--over' : ''}`} data-testid={`counter-${target.key}`}>
          {guard.counter}
          {guard.over ? ' — te lang' : ''}
        </p>
      )}
    </div>
  );
}
