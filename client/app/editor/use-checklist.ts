// The live checklist's data: the shared validateDocument (the same rules the server applies at
// submit, W3/T8) run on the device after every change, a moment after typing stops. Lives in
// the editor's lazy chunk, so the first screen's JavaScript does not grow.
import { useEffect, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import type { Template } from '../../../shared/templates/schema';
import { validateDocument, type Problem } from '../../../shared/validate/validate-document';

const SETTLE_MS = 400;

export function useChecklist(doc: Y.Doc, template: Template): Problem[] {
  const [problems, setProblems] = useState<Problem[]>(() => validateDocument(template, doc));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = (): void => setProblems(validateDocument(template, doc));
    const onUpdate = (): void => {
      clearTimeout(timer);
      timer = setTimeout(run, SETTLE_MS);
    };
    run();
    doc.on('update', onUpdate);
    return () => {
      clearTimeout(timer);
      doc.off('update', onUpdate);
    };
  }, [doc, template]);
  return problems;
}

/** Re-renders on every change of the `fields` map (fixed texts show the current values). */
export function useFieldsVersion(doc: Y.Doc): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const fields = doc.getMap('fields');
    const bump = (): void => setVersion((v) => v + 1);
    fields.observe(bump);
    return () => fields.unobserve(bump);
  }, [doc]);
  return version;
}

/** Re-renders on every change of the `agreements` list. */
export function useAgreementsVersion(doc: Y.Doc): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const list = doc.getArray('agreements');
    const bump = (): void => setVersion((v) => v + 1);
    list.observeDeep(bump);
    return () => list.unobserveDeep(bump);
  }, [doc]);
  return version;
}
