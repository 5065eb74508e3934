// V6: a version's content as readable text, part by part (the template's fields, then its written
// sections and agreements; fixed texts are the template's and never differ), so an approver and
// a field worker can compare two frozen versions. Pure: takes a Y.Doc made from a submission.
import type * as Y from 'yjs';
import type { Template } from '../templates/schema';
import { readAgreements } from './agreements';
import { readField, readSection } from './document';

export interface VersionPart {
  key: string;
  label: string;
  kind: 'field' | 'section';
  text: string;
}

export function versionParts(doc: Y.Doc, template: Template): VersionPart[] {
  const parts: VersionPart[] = template.fields.map((f) => ({ key: f.key, label: f.label, kind: 'field', text: readField(doc, f.key) }));
  for (const s of template.sections) {
    if (s.kind === 'fixed') continue;
    const text =
      s.kind === 'agreements'
        ? readAgreements(doc)
            .map((a) => (a === null ? '(onleesbaar)' : `${a.wat} — ${a.wie} — ${a.wanneer}`))
            .join('\n')
        : readSection(doc, s.key);
    parts.push({ key: s.key, label: s.label, kind: 'section', text });
  }
  return parts;
}
