// The printed letter as a layout model: one description of what goes where, used by the
// on-device preview and by the server's PDF/A, so what the official saw is what is archived.
// Pure: the date, the author and the municipality are passed in.
import type * as Y from 'yjs';
import { readAgreements, type Agreement } from '../model/agreements';
import { readAttachments } from '../model/attachments';
import { readField, readSectionContent } from '../model/document';
import { runsText, type RichBlock } from '../model/rich-text';
import { agreementLines, coversCurrentAgreements, readSignatures, type Stroke } from '../model/signatures';
import { isValidBsn } from '../validate/rules';
import { mandaatLineOf } from '../templates/bestuursorgaan';
import { amsterdamIsoDate, dutchDateOf, fillPlaceholders, placeholderValues } from '../templates/fill';
import { printedValue, printModeOf } from '../templates/print';
import type { Template, TemplateSection } from '../templates/schema';
import type { MunicipalityContact } from '../protocol/municipality';

/** What a section prints: paragraphs and lists (with bold/italic runs), or the agreements table. */
export type LetterContent = RichBlock | { type: 'agreements'; rows: Agreement[] };

export interface LetterBlock {
  key: string;
  label: string;
  content: LetterContent[];
  /** The same words as plain text, one entry per paragraph, list item or agreement (tests, search). */
  paragraphs: string[];
}

/** A signature drawn in read-along mode, as printed under the agreements. */
export interface LetterSignature {
  name: string;
  /** Dutch date and time in Europe/Amsterdam, e.g. '3 maart 2026 om 14:05'. */
  signedAt: string;
  strokes: Stroke[];
  /** False when the agreements changed after signing: printed with a warning, never silently. */
  covers: boolean;
}

/** One group of the letterhead's contact block, e.g. "Postadres" and its lines. */
export interface LetterContactGroup {
  heading: string;
  lines: string[];
}

/** A reference line under the addressee: label and value ("Ons kenmerk", "KT-…"). */
export interface LetterReference {
  label: string;
  value: string;
  /** The letter's own kenmerk or the citizen's: printed unbroken (P7). */
  unbroken?: boolean;
}

export interface LetterLayout {
  municipality: string;
  /**
   * The contact block beside the addressee (P6): the municipality's address, postal address,
   * telephone and website, then the official to contact. Empty without settings.
   */
  contact: LetterContactGroup[];
  /** Datum, Ons kenmerk, Uw kenmerk (when given), Zaaknummer and the printed details, in order. */
  references: LetterReference[];
  /** Addressee block, one line per entry. */
  addressee: string[];
  kenmerk: string;
  /** The citizen's reference (the field with role uwKenmerk), '' when not given. */
  uwKenmerk: string;
  zaak: string;
  date: string;
  subject: string;
  blocks: LetterBlock[];
  /** The official's signature under the mandate line: the signer (J4), else the author. */
  signature: { name: string; line: string; functionTitle?: string };
  /** Signatures of the citizen(s) confirming the agreements (read-along mode). */
  signatures: LetterSignature[];
  /** Other fields of the template that print (P5), label and value as printed, in template order. */
  details: { label: string; value: string }[];
  /**
   * F16: the "Bijlagen" list under the signature: each attachment's caption, else its name, in the
   * document's order. Absent or empty: no list.
   */
  attachments?: string[];
}

/** F16: the heading of the attachment list, the same on screen and on paper. */
export const ATTACHMENTS_HEADING = 'Bijlagen';

/** F16: what the letter says of each attachment: its caption, else its file name. */
export function attachmentLines(doc: Y.Doc): string[] {
  return readAttachments(doc).map((a) => {
    const caption = a.caption.replace(/\s+/g, ' ').trim();
    return caption.length > 0 ? caption : a.name;
  });
}

export interface LetterContext {
  municipality: string;
  author: string;
  /** ms since epoch; shown as a Dutch date in Europe/Amsterdam. */
  date: number;
  /** The letter's reference; the document's identificatie once submitted. */
  kenmerk: string;
  /** Read-along: every BSN (a BSN field, or nine digits passing the 11-test in any text) masked. */
  maskBsn?: boolean;
  /** The official to contact, printed in the letterhead's contact block (P6); absent: none. */
  official?: { name: string; functionTitle?: string; email?: string; phone?: string };
  /** The municipality's address, telephone and website (P6); absent: no such lines. */
  contact?: MunicipalityContact;
  /** J4: who takes the decision (the approver under four eyes, else the submitter); signs the letter. Absent: the author. */
  signer?: { name: string; functionTitle?: string };
}

const ADDRESSEE_FIELDS = ['betrokkeneNaam', 'betrokkeneAdres'];

/** Labels of the reference lines, the same on screen and on paper (P1). */
export const REFERENCE_LABELS = { date: 'Datum', kenmerk: 'Ons kenmerk', uwKenmerk: 'Uw kenmerk', zaak: 'Zaaknummer', subject: 'Onderwerp' } as const;

/** A kenmerk inside running text: its hyphens never break a line (U+2011, P7). */
export function unbrokenKenmerk(kenmerk: string): string {
  return kenmerk.replace(/-/g, '\u2011');
}

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

export function formatDutchDateTime(ms: number): string {
  const time = new Intl.DateTimeFormat('nl-NL', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' }).format(ms);
  return `${formatDutchDate(ms)} om ${time}`;
}

/** A BSN as shown to someone beside the official: only its last three digits. */
export function maskBsnValue(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length === 0 ? value : `•••••${digits.slice(-3).padStart(3, '•')}`;
}

/** Masks every group of nine digits (also written 1234.56.789 or 1234 56 789) that passes the 11-test. */
export function maskBsnIn(text: string): string {
  return text.replace(/\b\d{4}[ .]?\d{2}[ .]?\d{3}\b/g, (match) => (isValidBsn(match) ? maskBsnValue(match) : match));
}

export function buildLetterLayout(template: Template, doc: Y.Doc, context: LetterContext): LetterLayout {
  const layout = buildPlainLayout(template, doc, context);
  return context.maskBsn === true ? maskLayout(layout) : layout;
}

function buildPlainLayout(template: Template, doc: Y.Doc, context: LetterContext): LetterLayout {
  const fieldOf = (key: string | undefined) => template.fields.find((f) => f.key === key);
  // P5: a field prints only as its mode says, wherever it would print.
  const printed = (key: string | undefined): string => {
    const field = fieldOf(key);
    if (field === undefined) return '';
    const value = readField(doc, field.key).trim();
    return value.length === 0 ? '' : (printedValue(field, value) ?? '');
  };
  const addressee = ADDRESSEE_FIELDS.flatMap((key) =>
    printed(key)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l.length > 0),
  );
  const uwKenmerkField = template.fields.find((f) => f.role === 'uwKenmerk');
  const used = new Set([...ADDRESSEE_FIELDS, template.titleField, template.zaakField, uwKenmerkField?.key]);
  // A fixed mandate section (Awb 10:10) is the signature's line, in the template's words, once.
  const mandaat = template.sections.find((s) => s.role === 'mandaat' && s.kind === 'fixed');
  const details = template.fields
    .filter((f) => !used.has(f.key) && printModeOf(f) !== 'never')
    .flatMap((f) => {
      const raw = readField(doc, f.key).trim();
      const shown = f.type === 'date' ? dutchDateOf(raw) : f.type === 'address' ? raw.replace(/\s*\r?\n\s*/g, ', ') : raw;
      // Read-along (A2) masks a BSN its own way, beside the official; on paper P5 decides.
      const value = f.type === 'bsn' && context.maskBsn === true && raw.length > 0 ? maskBsnValue(raw) : (printedValue(f, shown) ?? '');
      return value.length === 0 ? [] : [{ label: f.label, value }];
    });
  const date = formatDutchDate(context.date);
  const attachments = attachmentLines(doc);
  const uwKenmerk = printed(uwKenmerkField?.key);
  const zaak = printed(template.zaakField);
  const references: LetterReference[] = [
    { label: REFERENCE_LABELS.date, value: date },
    { label: REFERENCE_LABELS.kenmerk, value: context.kenmerk, unbroken: true },
    ...(uwKenmerk.length > 0 ? [{ label: REFERENCE_LABELS.uwKenmerk, value: uwKenmerk, unbroken: true }] : []),
    ...(zaak.length > 0 ? [{ label: REFERENCE_LABELS.zaak, value: zaak, unbroken: true }] : []),
    ...details,
  ];
  return {
    municipality: context.municipality,
    contact: contactGroups(context),
    references,
    addressee,
    kenmerk: context.kenmerk,
    uwKenmerk,
    zaak,
    date,
    subject: printed(template.titleField),
    blocks: template.sections.filter((s) => s !== mandaat).map((s) => blockOf(sectionContent(template, s, doc, context), s)),
    signature: {
      name: context.signer?.name ?? context.author,
      // J3: the template's mandate line (its bestuursorgaan's), or its fixed mandate section's words.
      line:
        mandaat === undefined
          ? mandaatLineOf(template, context.municipality)
          : plainParagraphs(sectionContent(template, mandaat, doc, context)).join(' ').replace(/[\s.,]+$/, ''),
      ...(context.signer?.functionTitle === undefined ? {} : { functionTitle: context.signer.functionTitle }),
    },
    signatures: readSignatures(doc).flatMap((sig) =>
      sig === null ? [] : [{ name: sig.name, signedAt: formatDutchDateTime(sig.signedAt), strokes: sig.strokes, covers: coversCurrentAgreements(sig, doc) }],
    ),
    details,
    // F16: only a letter with attachments has the list (older layouts stay as they were).
    ...(attachments.length === 0 ? {} : { attachments }),
  };
}

/**
 * P6: the letterhead's contact block: where the municipality is and how to reach it, then the
 * official who wrote the letter. Only what is known prints; nothing known, no block.
 */
export function contactGroups(context: Pick<LetterContext, 'contact' | 'official'>): LetterContactGroup[] {
  const groups: LetterContactGroup[] = [];
  const c = context.contact;
  const address = c?.address ?? [];
  const postal = c?.postalAddress ?? [];
  const samePostal = postal.join('\n') === address.join('\n');
  if (address.length > 0) groups.push({ heading: postal.length > 0 && !samePostal ? 'Bezoekadres' : 'Adres', lines: address });
  if (postal.length > 0 && !samePostal) groups.push({ heading: 'Postadres', lines: postal });
  const reach = [c?.phone === undefined ? '' : `Telefoon ${c.phone}`, c?.website ?? ''].filter((l) => l.length > 0);
  if (reach.length > 0) groups.push({ heading: 'Contact', lines: reach });
  const o = context.official;
  if (o !== undefined && o.name.trim().length > 0) {
    const lines = [o.name, o.functionTitle ?? '', o.email ?? '', o.phone === undefined || o.phone === '' ? '' : `Telefoon ${o.phone}`]
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
    groups.push({ heading: 'Contactpersoon', lines });
  }
  return groups;
}

function blockOf(content: LetterContent[], section: TemplateSection): LetterBlock {
  return { key: section.key, label: section.label, content, paragraphs: plainParagraphs(content) };
}

function plainParagraphs(content: readonly LetterContent[]): string[] {
  return content.flatMap((c) => {
    if (c.type === 'paragraph') return [runsText(c.runs)];
    if (c.type === 'list') return c.items.map(runsText);
    return agreementLines(c.rows);
  });
}

function textParagraphs(text: string): LetterContent[] {
  return toParagraphs(text).map((p) => ({ type: 'paragraph', runs: [{ text: p, bold: false, italic: false }] }));
}

/** Read-along: the BSN field and any BSN typed in the text are masked everywhere they print. */
function maskLayout(layout: LetterLayout): LetterLayout {
  const m = maskBsnIn;
  const maskContent = (c: LetterContent): LetterContent => {
    if (c.type === 'paragraph') return { type: 'paragraph', runs: c.runs.map((r) => ({ ...r, text: m(r.text) })) };
    if (c.type === 'list') return { ...c, items: c.items.map((item) => item.map((r) => ({ ...r, text: m(r.text) }))) };
    return { type: 'agreements', rows: c.rows.map((a) => ({ wat: m(a.wat), wie: m(a.wie), wanneer: m(a.wanneer) })) };
  };
  return {
    ...layout,
    addressee: layout.addressee.map(m),
    references: layout.references.map((r) => ({ ...r, value: m(r.value) })),
    subject: m(layout.subject),
    zaak: m(layout.zaak),
    blocks: layout.blocks.map((b) => {
      const content = b.content.map(maskContent);
      return { ...b, content, paragraphs: plainParagraphs(content) };
    }),
    details: layout.details.map((d) => ({ label: d.label, value: m(d.value) })),
    ...(layout.attachments === undefined ? {} : { attachments: layout.attachments.map(m) }),
  };
}

/**
 * A section as printed: a plain section's text as paragraphs, a rich section's blocks, a fixed
 * section's template text with its placeholders filled, the agreements as a table.
 */
function sectionContent(template: Template, section: TemplateSection, doc: Y.Doc, context: LetterContext): LetterContent[] {
  if (section.kind === 'fixed') {
    const values = placeholderValues(template, doc, {
      municipality: context.municipality,
      sentDate: amsterdamIsoDate(context.date),
      kenmerk: unbrokenKenmerk(context.kenmerk),
    });
    return textParagraphs(fillPlaceholders(section.text ?? '', values));
  }
  if (section.kind === 'agreements') {
    const rows = readAgreements(doc).flatMap((a) => (a === null ? [] : [{ wat: a.wat.trim(), wie: a.wie.trim(), wanneer: dutchDateOf(a.wanneer.trim()) }]));
    return rows.length === 0 ? [] : [{ type: 'agreements', rows }];
  }
  const content = readSectionContent(doc, section.key);
  if (content.kind === 'rich') return content.blocks;
  return content.kind === 'text' ? textParagraphs(content.text) : [];
}

/** Printed under a warning-free citizen signature and checked by tests in the PDF's text. */
export function signatureCaption(signature: Pick<LetterSignature, 'name' | 'signedAt'>): string {
  return `Voor akkoord getekend door ${signature.name} op ${signature.signedAt}`;
}

/** Printed under a signature that no longer covers the agreements (`covers` false). */
export const SIGNATURE_OUTDATED_WARNING = 'Let op: de afspraken zijn na deze handtekening gewijzigd.';

/** Alternative text of a drawn signature (a Figure in the PDF, an img role on screen). */
export function signatureAlt(signature: Pick<LetterSignature, 'name'>): string {
  return `Handtekening van ${signature.name}`;
}

/** Alternative text of the letterhead's logo where it is not decoration. */
export function logoAlt(municipality: string): string {
  return `Logo van ${municipality}`;
}

/**
 * Where the citizens' signatures print, the same on screen and on paper: right after the block
 * that holds the agreements table (what they signed for), else after the last block, above the
 * official's signature. -1 when there is no block at all.
 */
export function signaturesAfterBlock(layout: Pick<LetterLayout, 'blocks'>): number {
  const withTable = layout.blocks.findIndex((b) => b.content.some((c) => c.type === 'agreements'));
  return withTable >= 0 ? withTable : layout.blocks.length - 1;
}
