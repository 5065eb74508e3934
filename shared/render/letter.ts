// The printed letter as a layout model: one description of what goes where, used by the
// on-device preview and by the server's PDF/A, so what the official saw is what is archived.
// Pure: the date, the author and the municipality are passed in.
import type * as Y from 'yjs';
import { readAgreements } from '../model/agreements';
import { readField, readSection } from '../model/document';
import { agreementLines } from '../model/signatures';
import { amsterdamIsoDate, dutchDateOf, fillPlaceholders, placeholderValues } from '../templates/fill';
import type { Template, TemplateSection } from '../templates/schema';

export interface LetterBlock {
  key: string;
  label: string;
  paragraphs: string[];
}

export interface LetterLayout {
  municipality: string;
  /** Addressee block, one line per entry. */
  addressee: string[];
  kenmerk: string;
  zaak: string;
  date: string;
  subject: string;
  blocks: LetterBlock[];
  signature: { name: string; line: string };
  /** Other fields of the template, label and value, in template order. */
  details: { label: string; value: string }[];
}

export interface LetterContext {
  municipality: string;
  author: string;
  /** ms since epoch; shown as a Dutch date in Europe/Amsterdam. */
  date: number;
  /** The letter's reference; the document's identificatie once submitted. */
  kenmerk: string;
}

const ADDRESSEE_FIELDS = ['betrokkeneNaam', 'betrokkeneAdres'];

export function formatDutchDate(ms: number): string {
  return new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' }).format(ms);
}

/** Splits text into paragraphs at blank lines; single line breaks stay inside a paragraph. */
export function toParagraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/**
 * The mandate line (Awb 10:10) under which an official signs. 'Gemeente Voorbeeld' reads as
 * "… van de gemeente Voorbeeld"; any other name is used as it is.
 */
export function mandateLine(municipality: string): string {
  const name = municipality.trim();
  const place = /^gemeente\s+(.+)$/i.exec(name)?.[1];
  return `namens het college van burgemeester en wethouders van ${place === undefined ? name : `de gemeente ${place}`}`;
}

export function buildLetterLayout(template: Template, doc: Y.Doc, context: LetterContext): LetterLayout {
  const addressee = ADDRESSEE_FIELDS.flatMap((key) =>
    readField(doc, key)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0),
  );
  const used = new Set([...ADDRESSEE_FIELDS, template.titleField, template.zaakField]);
  // A fixed mandate section (Awb 10:10) is the signature's line, in the template's words, once.
  const mandaat = template.sections.find((s) => s.role === 'mandaat' && s.kind === 'fixed');
  return {
    municipality: context.municipality,
    addressee,
    kenmerk: context.kenmerk,
    zaak: template.zaakField === undefined ? '' : readField(doc, template.zaakField).trim(),
    date: formatDutchDate(context.date),
    subject: template.titleField === undefined ? '' : readField(doc, template.titleField).trim(),
    blocks: template.sections
      .filter((s) => s !== mandaat)
      .map((s) => ({ key: s.key, label: s.label, paragraphs: sectionParagraphs(template, s, doc, context) })),
    signature: {
      name: context.author,
      line: mandaat === undefined ? mandateLine(context.municipality) : sectionParagraphs(template, mandaat, doc, context).join(' ').replace(/[\s.,]+$/, ''),
    },
    details: template.fields
      .filter((f) => !used.has(f.key))
      .map((f) => ({ label: f.label, value: f.type === 'date' ? dutchDateOf(readField(doc, f.key).trim()) : readField(doc, f.key).trim() }))
      .filter((d) => d.value.length > 0),
  };
}

/**
 * A section as printed: a plain section's text, a fixed section's template text with its
 * placeholders filled, the agreements one per paragraph (the table layout is a later issue).
 */
function sectionParagraphs(template: Template, section: TemplateSection, doc: Y.Doc, context: LetterContext): string[] {
  if (section.kind === 'fixed') {
    const values = placeholderValues(template, doc, {
      municipality: context.municipality,
      sentDate: amsterdamIsoDate(context.date),
      kenmerk: context.kenmerk,
    });
    return toParagraphs(fillPlaceholders(section.text ?? '', values));
  }
  if (section.kind === 'agreements') {
    return agreementLines(readAgreements(doc));
  }
  return toParagraphs(readSection(doc, section.key));
}
