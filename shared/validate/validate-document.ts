// W3: what a document must hold before it may be submitted, checked against its template.
// Pure (no clock, no I/O): the server runs it on the frozen snapshot at submit, a device may run
// it for the same answers before it queues the action. One problem per field or section.
import type * as Y from 'yjs';
import { readField, readMeta, sectionText } from '../model/document';
import type { Template, TemplateField, TemplateSection } from '../templates/schema';

export interface Problem {
  /** The field or section key the problem is about ('meta' for the document as a whole). */
  section: string;
  /** Kebab-case rule id: what was broken, stable across languages. */
  rule: ProblemRule;
  /** Dutch, for the official: what to do. */
  message: string;
}

export const ProblemRule = {
  requiredField: 'required-field',
  requiredSection: 'required-section',
  unreadableSection: 'unreadable-section',
  zaaknummerFormat: 'zaaknummer-format',
  dateFormat: 'date-format',
  choiceOption: 'choice-option',
  templateMismatch: 'template-mismatch',
  /** Set by the server when the document names no template it knows; the validator can't run. */
  unknownTemplate: 'unknown-template',
} as const;
export type ProblemRule = (typeof ProblemRule)[keyof typeof ProblemRule];

/**
 * A zaaknummer as case systems hand them out (ZAAK-2026-0042, Z24.00123, 2026/0042 is not):
 * letters, digits, dot, dash and underscore, at most 40 characters (the ZGW `identificatie`
 * limit). It also ends up in DMS folder names and file metadata, so nothing else gets through.
 */
const ZAAKNUMMER = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38}[A-Za-z0-9])?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function validateDocument(template: Template, doc: Y.Doc): Problem[] {
  const problems: Problem[] = [];
  const meta = readMeta(doc);
  if (meta.templateId !== template.id || meta.templateVersion !== template.version) {
    problems.push({
      section: 'meta',
      rule: ProblemRule.templateMismatch,
      message: `Dit document hoort niet bij sjabloon ‘${template.title}’ (versie ${template.version}).`,
    });
  }
  for (const field of template.fields) {
    const problem = checkField(field, readField(doc, field.key).trim());
    if (problem !== null) problems.push(problem);
  }
  for (const section of template.sections) {
    const problem = checkSection(section, doc);
    if (problem !== null) problems.push(problem);
  }
  return problems;
}

function checkField(field: TemplateField, value: string): Problem | null {
  const at = (rule: ProblemRule, message: string): Problem => ({ section: field.key, rule, message });
  if (value.length === 0) {
    return field.required ? at(ProblemRule.requiredField, `Vul het veld ‘${field.label}’ in.`) : null;
  }
  switch (field.type) {
    case 'zaaknummer':
      return ZAAKNUMMER.test(value)
        ? null
        : at(
            ProblemRule.zaaknummerFormat,
            `‘${field.label}’ is geen geldig zaaknummer: gebruik alleen letters, cijfers, punten en streepjes, zonder spaties (bijvoorbeeld ZAAK-2026-0042).`,
          );
    case 'date':
      return isIsoDate(value) ? null : at(ProblemRule.dateFormat, `‘${field.label}’ is geen geldige datum.`);
    case 'choice':
      return field.options === undefined || field.options.includes(value)
        ? null
        : at(ProblemRule.choiceOption, `Kies bij ‘${field.label}’ een van de mogelijkheden.`);
    case 'text':
    case 'multiline':
      return null;
  }
}

function checkSection(section: TemplateSection, doc: Y.Doc): Problem | null {
  const at = (rule: ProblemRule, message: string): Problem => ({ section: section.key, rule, message });
  const present = doc.getMap<unknown>('sections').has(section.key);
  const text = sectionText(doc, section.key);
  // A value of another type came from a broken or hostile device: say so rather than call it empty.
  if (present && text === null) {
    return at(ProblemRule.unreadableSection, `Het onderdeel ‘${section.label}’ kan niet worden gelezen. Schrijf het opnieuw.`);
  }
  if (section.required && (text === null || text.toString().trim().length === 0)) {
    return at(ProblemRule.requiredSection, `Het onderdeel ‘${section.label}’ is nog leeg. Schrijf het voordat u indient.`);
  }
  return null;
}

function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (m === null) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
