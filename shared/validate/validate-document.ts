// W3 and the T-rules: what a document must hold before it may be submitted, checked against its
// template, and plain-language hints that advise but never block. Pure (no clock, no I/O): the
// server runs it on the frozen snapshot at submit and refuses only `error`s; the device runs it
// on every change for the live checklist. At most one error per field or section, errors in
// template order, then hints in template order.
import type * as Y from 'yjs';
import { outdatedHint, outdatedLawsIn } from '../law/legal-bases';
import { readAgreements } from '../model/agreements';
import { readField, readMeta, readSection, readSectionContent } from '../model/document';
import { bestuursorgaanName, bestuursorgaanOf, mandaatWording, namesMandate } from '../templates/bestuursorgaan';
import { isTextSection, MAX_DOCUMENT_LENGTH, maxLengthOf, type Template, type TemplateField, type TemplateSection } from '../templates/schema';
import { characterCount, dutchNumber, tooLongMessage, unprintableCharacters, unprintableMessage } from './printable';
import {
  fleschDouma,
  isIsoDate,
  isValidBsn,
  isValidZaaknummer,
  LONG_SENTENCE_WORDS,
  longSentences,
  namesLegalBasis,
  OFFICIALESE,
  officialeseIn,
  READABILITY_HINT_BELOW,
} from './rules';

export type Severity = 'error' | 'hint';

export interface Problem {
  /** The field or section key the problem is about ('meta' for the document as a whole). */
  section: string;
  /** Kebab-case rule id: what was broken, stable across languages. */
  rule: ProblemRule;
  /** Dutch, for the official: what to do. */
  message: string;
  /** `error` blocks submit (W3); a `hint` only advises (T8). */
  severity: Severity;
}

export const ProblemRule = {
  requiredField: 'required-field',
  requiredSection: 'required-section',
  unreadableSection: 'unreadable-section',
  zaaknummerFormat: 'zaaknummer-format',
  /** X7: set by the server at submit: the DMS does not know the zaak, or it is closed. */
  zaakUnknown: 'zaak-unknown',
  zaakClosed: 'zaak-closed',
  dateFormat: 'date-format',
  choiceOption: 'choice-option',
  bsnFormat: 'bsn-format',
  agreementIncomplete: 'agreement-incomplete',
  templateMismatch: 'template-mismatch',
  /** Set by the server when the document names no template it knows; the validator can't run. */
  unknownTemplate: 'unknown-template',
  besluitDictum: 'besluit-dictum',
  besluitMotivering: 'besluit-motivering',
  besluitGrondslag: 'besluit-grondslag',
  besluitRechtsmiddelen: 'besluit-rechtsmiddelen',
  besluitMandaat: 'besluit-mandaat',
  besluitIngangsdatum: 'besluit-ingangsdatum',
  maatwerkNormaleRegel: 'maatwerk-normale-regel',
  maatwerkWaarom: 'maatwerk-waarom',
  langeZin: 'lange-zin',
  ambtelijkeTaal: 'ambtelijke-taal',
  leesbaarheid: 'leesbaarheid',
  /** J8: the motivering names a law that no longer applies; a hint with its successor. */
  verouderdeGrondslag: 'verouderde-grondslag',
  /** P9: a character no embedded font has (emoji, CJK); the message shows it. */
  unprintableCharacter: 'unprintable-character',
  /** P10: a field or section over its maxLength, or (at 'meta') the document over its total. */
  tooLong: 'too-long',
  /** P11: set by the server when the PDF could not be made (time limit, render error). */
  pdfRenderFailed: 'pdf-render-failed',
  /** Z23: set by the server when the DMS's catalogue lacks the template's type (missing, unpublished). */
  dmsTypeUnavailable: 'dms-type-unavailable',
  /** F14: set by the server when a listed attachment is not (yet) stored whole on the server. */
  attachmentNotSent: 'attachment-not-sent',
  /** F14: set by the server when the document lists more attachments than ATTACHMENT_MAX_PER_DOCUMENT. */
  tooManyAttachments: 'too-many-attachments',
} as const;
export type ProblemRule = (typeof ProblemRule)[keyof typeof ProblemRule];

export function validateDocument(template: Template, doc: Y.Doc): Problem[] {
  const errors: Problem[] = [];
  const meta = readMeta(doc);
  if (meta.templateId !== template.id || meta.templateVersion !== template.version) {
    errors.push(
      error('meta', ProblemRule.templateMismatch, `Dit document hoort niet bij sjabloon ‘${template.title}’ (versie ${template.version}).`),
    );
  }
  let total = 0;
  for (const field of template.fields) {
    const raw = readField(doc, field.key);
    total += characterCount(raw);
    const problem = checkText(field.key, field.label, raw, maxLengthOf(field)) ?? checkField(field, raw.trim());
    if (problem !== null) errors.push(problem);
  }
  for (const section of template.sections) {
    const raw = writtenText(section, doc);
    total += characterCount(raw);
    const problem = checkText(section.key, section.label, raw, maxLengthOf(section)) ?? checkSection(section, doc);
    if (problem !== null) errors.push(problem);
  }
  if (total > MAX_DOCUMENT_LENGTH) {
    errors.push(
      error(
        'meta',
        ProblemRule.tooLong,
        `Het document is te lang: ${dutchNumber(total)} tekens, er mogen er ${dutchNumber(MAX_DOCUMENT_LENGTH)} in. Maak het korter.`,
      ),
    );
  }
  const rules = template.rules ?? [];
  if (rules.includes('besluit-awb')) errors.push(...besluitAwb(template, doc));
  if (rules.includes('maatwerk') || template.approval === 'when-maatwerk') errors.push(...maatwerk(template, doc));

  // One error per field or section: the first (most basic) one wins.
  const seen = new Set<string>();
  const order = new Map<string, number>([['meta', -1], ...[...template.fields, ...template.sections].map((x, i) => [x.key, i] as const)]);
  const rank = (p: Problem): number => order.get(p.section) ?? Number.MAX_SAFE_INTEGER;
  const firstErrors = errors.filter((p) => (seen.has(p.section) ? false : (seen.add(p.section), true)));
  const sorted = firstErrors.map((p, i) => ({ p, i })).sort((a, b) => rank(a.p) - rank(b.p) || a.i - b.i).map((x) => x.p);
  return [...sorted, ...plainLanguageHints(template, doc, rules.includes('besluit-awb'))];
}

/** Four eyes: whether a second official must approve this document before it is sent (T7). */
export function approvalRequired(template: Template, doc: Y.Doc): boolean {
  const approval = template.approval ?? 'never';
  if (approval === 'always') return true;
  return approval === 'when-maatwerk' && isMaatwerk(doc);
}

export function isMaatwerk(doc: Y.Doc): boolean {
  return readField(doc, 'maatwerk').trim() === 'ja';
}

function error(section: string, rule: ProblemRule, message: string): Problem {
  return { section, rule, message, severity: 'error' };
}

function hint(section: string, rule: ProblemRule, message: string): Problem {
  return { section, rule, message, severity: 'hint' };
}

function checkField(field: TemplateField, value: string): Problem | null {
  const at = (rule: ProblemRule, message: string): Problem => error(field.key, rule, message);
  if (value.length === 0) {
    return field.required ? at(ProblemRule.requiredField, `Vul het veld ‘${field.label}’ in.`) : null;
  }
  switch (field.type) {
    case 'zaaknummer':
      return isValidZaaknummer(value)
        ? null
        : at(
            ProblemRule.zaaknummerFormat,
            `‘${field.label}’ is geen geldig zaaknummer: gebruik alleen letters, cijfers, punten en streepjes, zonder spaties (bijvoorbeeld ZAAK-2026-0042).`,
          );
    case 'date':
      return isIsoDate(value) ? null : at(ProblemRule.dateFormat, `‘${field.label}’ is geen geldige datum.`);
    case 'bsn':
      return isValidBsn(value)
        ? null
        : at(ProblemRule.bsnFormat, `‘${field.label}’ is geen geldig BSN: controleer de negen cijfers.`);
    case 'choice':
      return field.options === undefined || field.options.includes(value)
        ? null
        : at(ProblemRule.choiceOption, `Kies bij ‘${field.label}’ een van de mogelijkheden.`);
    case 'text':
    case 'multiline':
    case 'address':
      return null;
  }
}

/** P9, P10: what the official wrote, as it will be printed: every character printable, within its limit. */
function checkText(key: string, label: string, text: string, max: number): Problem | null {
  const count = characterCount(text);
  if (count > max) return error(key, ProblemRule.tooLong, tooLongMessage(label, count, max));
  const bad = unprintableCharacters(text);
  return bad.length > 0 ? error(key, ProblemRule.unprintableCharacter, unprintableMessage(label, bad)) : null;
}

/** The text a section holds from the official (fixed sections: none; agreements: all their cells). */
export function writtenText(section: TemplateSection, doc: Y.Doc): string {
  if (section.kind === 'fixed') return '';
  if (section.kind === 'agreements') {
    return readAgreements(doc)
      .map((a) => (a === null ? '' : `${a.wat}\n${a.wie}\n${a.wanneer}`))
      .join('\n');
  }
  return readSection(doc, section.key);
}

function checkSection(section: TemplateSection, doc: Y.Doc): Problem | null {
  const at = (rule: ProblemRule, message: string): Problem => error(section.key, rule, message);
  if (section.kind === 'fixed') return null;
  if (section.kind === 'agreements') {
    const list = readAgreements(doc);
    if (list.some((a) => a === null)) {
      return at(ProblemRule.unreadableSection, `Een afspraak in ‘${section.label}’ kan niet worden gelezen. Schrijf haar opnieuw.`);
    }
    const incomplete = list.findIndex((a) => a !== null && (a.wat.trim() === '' || a.wie.trim() === '' || a.wanneer.trim() === ''));
    if (incomplete >= 0) {
      return at(ProblemRule.agreementIncomplete, `Afspraak ${incomplete + 1} in ‘${section.label}’ is niet compleet: vul in wat, wie en wanneer.`);
    }
    if (section.required && list.length === 0) {
      return at(ProblemRule.requiredSection, `Het onderdeel ‘${section.label}’ heeft nog geen afspraken. Leg minstens één afspraak vast.`);
    }
    return null;
  }
  const content = readSectionContent(doc, section.key);
  // A value of another type came from a broken or hostile device: say so rather than call it empty.
  if (content.kind === 'unreadable') {
    return at(ProblemRule.unreadableSection, `Het onderdeel ‘${section.label}’ kan niet worden gelezen. Schrijf het opnieuw.`);
  }
  if (section.required && readSection(doc, section.key).trim().length === 0) {
    return at(ProblemRule.requiredSection, `Het onderdeel ‘${section.label}’ is nog leeg. Schrijf het voordat u indient.`);
  }
  return null;
}

/** The words of a section as it will be printed: the document's text, or a fixed section's template text. */
function sectionWords(section: TemplateSection, doc: Y.Doc): string {
  if (section.kind === 'fixed') return section.text ?? '';
  return readSection(doc, section.key).trim();
}

/**
 * J7: a rechtsmiddelenclausule that states the law: objection (Awb 3:45) within six weeks (6:7)
 * from the day after sending (6:8), on time when received within the term or, by post, posted
 * within it and received at most a week after (6:9). A computed end date is refused: the letter
 * is printed before it is sent, so the date would be counted from the wrong day.
 */
export function statesObjectionTerm(text: string): boolean {
  if (/\{bezwaartermijnEinde\}/.test(text)) return false;
  return (
    /bezwaar/i.test(text) &&
    /\b(?:zes|6)\s+weken\b/i.test(text) &&
    /\bdag\s+na(?:dat)?\b|\bna\s+de\s+dag\b|\bdag\s+volgend\w*\s+op\b/i.test(text) &&
    /ontvang/i.test(text) &&
    /\bpost\b/i.test(text) &&
    /(?:^|[\s(])(?:een|één|1)\s+week\b/i.test(text)
  );
}

/** T5: Awb 3:45, 3:46, 10:10 and the date the decision takes effect. */
function besluitAwb(template: Template, doc: Y.Doc): Problem[] {
  const problems: Problem[] = [];
  const byRole = (role: string): TemplateSection | undefined => template.sections.find((s) => s.role === role);
  const dictum = byRole('dictum');
  if (dictum !== undefined && sectionWords(dictum, doc) === '') {
    problems.push(error(dictum.key, ProblemRule.besluitDictum, `Schrijf in ‘${dictum.label}’ wat u besluit.`));
  }
  const motivering = byRole('motivering');
  if (motivering !== undefined) {
    const words = sectionWords(motivering, doc);
    if (words === '') {
      problems.push(error(motivering.key, ProblemRule.besluitMotivering, `Schrijf in ‘${motivering.label}’ waarom u zo besluit.`));
    } else if (!namesLegalBasis(words)) {
      problems.push(
        error(
          motivering.key,
          ProblemRule.besluitGrondslag,
          `Noem in ‘${motivering.label}’ de wettelijke grondslag, met artikel en wet (bijvoorbeeld: artikel 18 van de Participatiewet).`,
        ),
      );
    }
  }
  const rechtsmiddelen = byRole('rechtsmiddelen');
  if (rechtsmiddelen !== undefined) {
    const words = sectionWords(rechtsmiddelen, doc);
    if (!statesObjectionTerm(words)) {
      problems.push(
        error(
          rechtsmiddelen.key,
          ProblemRule.besluitRechtsmiddelen,
          `‘${rechtsmiddelen.label}’ moet zeggen dat bezwaar mogelijk is binnen zes weken vanaf de dag na verzending, ` +
            'en wanneer een bezwaar op tijd is: ontvangen binnen de zes weken, of met de post op tijd verstuurd en uiterlijk een week daarna ontvangen (Awb 6:9). ' +
            'Noem geen datum: de brief weet niet wanneer hij wordt verstuurd.',
        ),
      );
    }
  }
  const mandaat = byRole('mandaat');
  // J3: the mandate line names the template's own bestuursorgaan (the college when it names none).
  const orgaan = bestuursorgaanOf(template);
  if (mandaat !== undefined && !namesMandate(orgaan, sectionWords(mandaat, doc).replace(/\{mandaat\}/g, mandaatWording(template)))) {
    problems.push(
      error(mandaat.key, ProblemRule.besluitMandaat, `‘${mandaat.label}’ moet de mandaatregel bevatten: “namens ${bestuursorgaanName(orgaan)}”.`),
    );
  }
  const ingangsdatum = template.fields.find((f) => f.role === 'ingangsdatum');
  if (ingangsdatum !== undefined && readField(doc, ingangsdatum.key).trim() === '') {
    problems.push(error(ingangsdatum.key, ProblemRule.besluitIngangsdatum, `Vul in vanaf welke datum het besluit geldt (‘${ingangsdatum.label}’).`));
  }
  return problems;
}

/** T6: a deviation from the policy rule carries its own justification. */
function maatwerk(template: Template, doc: Y.Doc): Problem[] {
  if (!isMaatwerk(doc)) return [];
  const problems: Problem[] = [];
  const ask = [
    ['normaleRegel', ProblemRule.maatwerkNormaleRegel, 'Bij maatwerk: schrijf in ‘{label}’ welke regel normaal zou gelden.'],
    ['waaromNietPassend', ProblemRule.maatwerkWaarom, 'Bij maatwerk: schrijf in ‘{label}’ waarom die regel hier niet past.'],
  ] as const;
  for (const [key, rule, message] of ask) {
    const section = template.sections.find((s) => s.key === key);
    if (section !== undefined && sectionWords(section, doc) === '') {
      problems.push(error(key, rule, message.replace('{label}', section.label)));
    }
  }
  return problems;
}

/** T8: long sentences, officialese and a low Flesch-Douma score, per plain section; J8: outdated legal bases. Never blocking. */
function plainLanguageHints(template: Template, doc: Y.Doc, besluit: boolean): Problem[] {
  const hints: Problem[] = [];
  for (const section of template.sections) {
    if (!isTextSection(section)) continue;
    const words = sectionWords(section, doc);
    if (words === '') continue;
    // J8: an outdated legal basis is named, so not refused, but the official hears of its successor.
    if (besluit && section.role === 'motivering') {
      for (const law of outdatedLawsIn(words)) hints.push(hint(section.key, ProblemRule.verouderdeGrondslag, outdatedHint(law)));
    }
    const long = longSentences(words);
    if (long.length > 0) {
      hints.push(
        hint(
          section.key,
          ProblemRule.langeZin,
          long.length === 1
            ? `‘${section.label}’ heeft een zin van meer dan ${LONG_SENTENCE_WORDS} woorden. Maak er twee zinnen van.`
            : `‘${section.label}’ heeft ${long.length} zinnen van meer dan ${LONG_SENTENCE_WORDS} woorden. Maak ze korter.`,
        ),
      );
    }
    const stiff = officialeseIn(words);
    if (stiff.length > 0) {
      const advice = stiff.map((w) => `‘${w}’ (schrijf: ${OFFICIALESE[w] ?? ''})`).join(', ');
      hints.push(hint(section.key, ProblemRule.ambtelijkeTaal, `Ambtelijke woorden in ‘${section.label}’: ${advice}.`));
    }
    const score = fleschDouma(words);
    if (score !== null && score < READABILITY_HINT_BELOW) {
      hints.push(
        hint(
          section.key,
          ProblemRule.leesbaarheid,
          `‘${section.label}’ is moeilijk te lezen (leesbaarheid ${String(score)}; streef naar ${READABILITY_HINT_BELOW} of hoger). Gebruik kortere zinnen en kortere woorden.`,
        ),
      );
    }
  }
  return hints;
}
