// Prints a letter layout (shared/render/letter.ts, the same model as the preview) as PDF/A-2b:
// A4, letterhead with the municipality's name and logo, addressee, reference lines, the sections
// without their labels (runs, lists, the agreements table: letter-body.ts), the citizens'
// signatures under the agreements, the official's signature under mandate and "pagina X van Y".
// Deterministic: the same input and `now` give the same bytes, so a re-render can be compared
// with what was archived.
import PDFDocument from 'pdfkit';
import { ATTACHMENTS_HEADING, REFERENCE_LABELS, signaturesAfterBlock, type LetterLayout, type LetterReference } from '../../shared/render/letter';
import { BODY_SIZE, drawContent, drawSignatures, FONT, GREY, LINE_GAP, type BodyFrame } from './letter-body';
import { drawText, plain, registerLetterFonts } from './letter-text';
import type { LetterLogo } from './logo';

export interface LetterPdfInput {
  layout: LetterLayout;
  /** Document info and XMP metadata (PDF/A keeps both in step). */
  title: string;
  author: string;
  subject: string;
  keywords: readonly string[];
  /** CreationDate, ms since the epoch: passed in so the output is reproducible. */
  now: number;
  /** The municipality's logo (MUNICIPALITY_LOGO); without one the letterhead is the name alone. */
  logo?: LetterLogo | null;
}

const A4 = 'A4';
const MARGIN = { top: 56, bottom: 72, left: 70, right: 70 };
const LABEL_WIDTH = 112;
/** The contact block's column at the right (P6). */
const CONTACT_WIDTH = 150;
const CONTACT_SIZE = 8;
/** The addressee in the envelope's window: 50 mm from the top, at most 85 mm wide. */
const ADDRESS_TOP = 142;
const ADDRESS_WIDTH = 240;
/** Below the window (it ends some 95 mm from the top): where the reference lines begin. */
const REFERENCES_TOP = 270;
/** The header of every page after the first (P8), and where the text starts below it. */
const HEADER_Y = 36;
const FOLLOW_TOP = 72;
/** The logo's box in the letterhead; it keeps its aspect ratio inside. */
const LOGO_BOX = { width: 150, height: 48 };
const LANGUAGE = 'nl-NL';

export function renderLetterPdf(input: LetterPdfInput): Promise<Uint8Array> {
  const { layout } = input;
  const doc = new PDFDocument({
    size: A4,
    margins: MARGIN,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    tagged: true,
    lang: LANGUAGE,
    displayTitle: true,
    bufferPages: true,
    info: {
      Title: metadataText(input.title),
      Author: metadataText(input.author),
      Subject: metadataText(input.subject),
      Keywords: metadataText(input.keywords.join(', ')),
      Creator: 'Keukentafel',
      Producer: 'Keukentafel (pdfkit)',
      CreationDate: new Date(input.now),
    },
  });
  registerLetterFonts(doc);
  // pdfkit starts on Helvetica, which is never embedded (PDF/A forbids that): switch before
  // anything is drawn, so Helvetica is never referenced and never written into the file.
  doc.font(FONT.regular);
  // pdfkit's XMP has title, author and subject but not the language: archives read dc:language.
  doc.appendXML(
    `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:language><rdf:Bag><rdf:li>${LANGUAGE}</rdf:li></rdf:Bag></dc:language></rdf:Description>`,
  );

  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => {
      const all = Buffer.concat(chunks);
      resolve(new Uint8Array(all.buffer, all.byteOffset, all.byteLength));
    });
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const block = (tag: string, draw: () => void): void => {
    root.add(doc.struct(tag, {}, draw));
  };

  // Letterhead: the logo (an Artifact: the name beside it says the same in words) and the name.
  let nameX = MARGIN.left;
  let headBottom = MARGIN.top;
  if (input.logo != null) {
    const scale = Math.min(LOGO_BOX.width / input.logo.width, LOGO_BOX.height / input.logo.height);
    const logoWidth = input.logo.width * scale;
    const logoHeight = input.logo.height * scale;
    doc.markContent('Artifact', { type: 'Layout' });
    doc.image(input.logo.data, MARGIN.left, MARGIN.top, { width: logoWidth, height: logoHeight });
    doc.endMarkedContent();
    nameX = MARGIN.left + logoWidth + 14;
    headBottom = MARGIN.top + logoHeight;
  }
  block('H1', () => {
    doc.font(FONT.bold).fontSize(16).fillColor('black');
    const nameWidth = MARGIN.left + width - nameX;
    // Beside a logo the name sits in the middle of its height.
    const nameHeight = doc.heightOfString(layout.municipality, { width: nameWidth });
    const nameY = input.logo == null ? MARGIN.top : MARGIN.top + Math.max(0, (headBottom - MARGIN.top - nameHeight) / 2);
    doc.text(layout.municipality, nameX, nameY, { width: nameWidth });
  });
  doc.markContent('Artifact', { type: 'Layout' });
  const ruleY = Math.max(doc.y, headBottom) + 6;
  doc.moveTo(MARGIN.left, ruleY).lineTo(MARGIN.left + width, ruleY).lineWidth(0.5).strokeColor(GREY).stroke();
  doc.endMarkedContent();

  // The contact block in the right-hand column (P6): address, telephone, website, the official.
  const contactX = MARGIN.left + width - CONTACT_WIDTH;
  let contactBottom = ruleY;
  if (layout.contact.length > 0) {
    doc.y = ruleY + 14;
    for (const group of layout.contact) {
      // One paragraph per line, so a screen reader never runs "Postadres" into "Postbus 100".
      const lines: [string, string][] = [[FONT.bold, group.heading], ...group.lines.map((l): [string, string] => [FONT.regular, l])];
      for (const [font, line] of lines) {
        block('P', () => {
          doc.font(font).fontSize(CONTACT_SIZE).fillColor(font === FONT.bold ? GREY : 'black');
          doc.text(line, contactX, doc.y, { width: CONTACT_WIDTH, lineGap: 1 });
        });
      }
      doc.y += 6;
    }
    contactBottom = doc.y;
  }

  // Addressee, where the window of a Dutch window envelope (EA5/6 or C5, window on the left)
  // shows it: 24.7 mm from the left edge, 50 mm from the top, at most 85 mm wide.
  doc.font(FONT.regular).fontSize(BODY_SIZE).fillColor('black');
  doc.x = MARGIN.left;
  doc.y = Math.max(ADDRESS_TOP, ruleY + 24);
  if (layout.addressee.length > 0) {
    // P9: a citizen's name in any script prints (fallback fonts, right-to-left runs in order).
    block('P', () => drawText(doc, plain(layout.addressee.join('\n')), { x: MARGIN.left, width: ADDRESS_WIDTH, size: BODY_SIZE, lineGap: 0 }));
  }

  // Reference lines: Datum, Ons kenmerk, Uw kenmerk, Zaaknummer, the printed details, Onderwerp.
  doc.y = Math.max(doc.y + 30, contactBottom + 12, REFERENCES_TOP);
  const rows: LetterReference[] = [...layout.references, { label: REFERENCE_LABELS.subject, value: layout.subject }];
  for (const row of rows) {
    if (row.value.length === 0) continue;
    block('P', () => {
      const y = doc.y;
      doc.font(FONT.regular).fontSize(9).fillColor(GREY).text(row.label, MARGIN.left, y + 1, { width: LABEL_WIDTH - 8 });
      const labelBottom = doc.y;
      const subject = row.label === REFERENCE_LABELS.subject;
      if (row.unbroken === true) {
        doc.font(FONT.regular).fontSize(BODY_SIZE).fillColor('black');
        unbrokenText(doc, row.value, MARGIN.left + LABEL_WIDTH, y, width - LABEL_WIDTH, BODY_SIZE);
      } else {
        doc.y = y;
        drawText(doc, plain(row.value, { bold: subject }), { x: MARGIN.left + LABEL_WIDTH, width: width - LABEL_WIDTH, size: BODY_SIZE, lineGap: 0 });
      }
      doc.y = Math.max(doc.y, labelBottom) + 3;
    });
  }

  // Every later page starts below its header (kenmerk, subject, page number; writePageHeaders).
  doc.on('pageAdded', () => {
    doc.page.margins.top = FOLLOW_TOP;
    doc.y = FOLLOW_TOP;
  });

  // The letter itself: each section's content follows the previous; labels are not printed.
  // The citizens' signatures follow the agreements they signed (signaturesAfterBlock).
  doc.x = MARGIN.left;
  doc.y += 24;
  const frame: BodyFrame = { doc, parent: root, left: MARGIN.left, width, bottom: () => doc.page.height - MARGIN.bottom };
  const signaturesAfter = signaturesAfterBlock(layout);
  const signatureHeight = signatureBlockHeight(doc, layout, width);
  if (signaturesAfter < 0) drawSignatures(frame, layout.signatures);
  layout.blocks.forEach((section, i) => {
    const lastBlock = i === layout.blocks.length - 1;
    section.content.forEach((content, j) => {
      // P7: the letter's last paragraph (the closing, "Met vriendelijke groet,") goes with the
      // signature block, so the signature never stands alone on a page.
      const last = lastBlock && j === section.content.length - 1 && !(i === signaturesAfter && layout.signatures.length > 0);
      if (last && content.type === 'paragraph') {
        const text = content.runs.map((r) => r.text).join('');
        doc.font(FONT.regular).fontSize(BODY_SIZE);
        const height = doc.heightOfString(text, { width, lineGap: LINE_GAP }) + doc.currentLineHeight(true) * 0.8;
        if (doc.y + height + signatureHeight > frame.bottom()) doc.addPage();
      }
      drawContent(frame, content);
    });
    if (i === signaturesAfter) drawSignatures(frame, layout.signatures);
  });
  drawSignatureBlock(doc, root, layout, width, frame.bottom());
  drawAttachmentList(doc, root, layout.attachments ?? [], width, frame.bottom());

  writePageFurniture(doc, layout, width);
  doc.end();
  return done;
}

/** Room to sign by hand between the mandate line and the signer's name. */
const SIGNING_SPACE = 42;

/** The height of the signature block: mandate line, room to sign, name and function. */
function signatureBlockHeight(doc: PDFKit.PDFDocument, layout: LetterLayout, width: number): number {
  doc.font(FONT.regular).fontSize(BODY_SIZE);
  const line = doc.heightOfString(`${capitalise(layout.signature.line)},`, { width, lineGap: LINE_GAP });
  const name = doc.heightOfString(layout.signature.name, { width, lineGap: LINE_GAP });
  const fn = layout.signature.functionTitle ? doc.heightOfString(layout.signature.functionTitle, { width, lineGap: LINE_GAP }) : 0;
  return line + SIGNING_SPACE + name + fn;
}

/**
 * P7: the signature block (mandate line, room to sign, signer, function) never splits: measured
 * first, it moves to the next page whole. One structure element holds it.
 */
function drawSignatureBlock(doc: PDFKit.PDFDocument, root: PDFKit.PDFStructureElement, layout: LetterLayout, width: number, bottom: number): void {
  const height = signatureBlockHeight(doc, layout, width);
  if (doc.y + height > bottom) doc.addPage();
  const div = doc.struct('Div');
  root.add(div);
  const paragraph = (text: string, font: string): void => {
    div.add(
      doc.struct('P', {}, () => {
        doc.font(font).fontSize(BODY_SIZE).fillColor('black');
        drawText(doc, plain(text), { x: MARGIN.left, width, size: BODY_SIZE, lineGap: LINE_GAP });
      }),
    );
  };
  paragraph(`${capitalise(layout.signature.line)},`, FONT.regular);
  doc.y += SIGNING_SPACE;
  paragraph(layout.signature.name, FONT.regular);
  if (layout.signature.functionTitle) paragraph(layout.signature.functionTitle, FONT.regular);
  div.end();
}

/**
 * F16: "Bijlagen" under the signature, one numbered line per attachment (caption, else name).
 * The heading never stands alone at the foot of a page: it moves with the first line.
 */
function drawAttachmentList(doc: PDFKit.PDFDocument, root: PDFKit.PDFStructureElement, lines: readonly string[], width: number, bottom: number): void {
  if (lines.length === 0) return;
  doc.y += doc.currentLineHeight(true) * 1.2;
  doc.font(FONT.bold).fontSize(BODY_SIZE);
  const heading = doc.heightOfString(ATTACHMENTS_HEADING, { width, lineGap: LINE_GAP });
  doc.font(FONT.regular);
  const first = doc.heightOfString(`1. ${lines[0] ?? ''}`, { width, lineGap: LINE_GAP });
  if (doc.y + heading + first > bottom) doc.addPage();
  const div = doc.struct('Div');
  root.add(div);
  div.add(
    doc.struct('H2', {}, () => {
      doc.font(FONT.bold).fontSize(BODY_SIZE).fillColor('black');
      drawText(doc, plain(ATTACHMENTS_HEADING, { bold: true }), { x: MARGIN.left, width, size: BODY_SIZE, lineGap: LINE_GAP });
    }),
  );
  const list = doc.struct('L');
  div.add(list);
  lines.forEach((line, i) => {
    doc.font(FONT.regular).fontSize(BODY_SIZE);
    if (doc.y + doc.heightOfString(`${i + 1}. ${line}`, { width, lineGap: LINE_GAP }) > bottom) doc.addPage();
    list.add(
      doc.struct('LI', {}, () => {
        doc.font(FONT.regular).fontSize(BODY_SIZE).fillColor('black');
        drawText(doc, plain(`${i + 1}. ${line}`), { x: MARGIN.left, width, size: BODY_SIZE, lineGap: LINE_GAP });
      }),
    );
  });
  list.end();
  div.end();
}

/**
 * A kenmerk on one line (P7): never wrapped at its hyphens. A longer "Uw kenmerk" with spaces
 * ("Uw brief van 12 februari 2026 …") wraps at its spaces only; one without spaces that is wider
 * than its room is set smaller until it fits rather than broken.
 */
function unbrokenText(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number, size: number): void {
  doc.fontSize(size);
  const natural = doc.widthOfString(text);
  if (natural > width && text.includes(' ')) {
    doc.text(text.replace(/-/g, '\u2011'), x, y, { width });
    return;
  }
  if (natural > width) doc.fontSize(Math.max(5, (size * width) / natural));
  doc.text(text, x, y, { width, lineBreak: false });
  doc.fontSize(size);
  doc.x = x;
  doc.y = Math.max(doc.y, y + doc.currentLineHeight(true));
}

/** Cuts `text` at a word to fit `width` in the current font, with an ellipsis when cut. */
function fitted(doc: PDFKit.PDFDocument, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  const words = text.split(' ');
  while (words.length > 1) {
    words.pop();
    const candidate = `${words.join(' ')} …`;
    if (doc.widthOfString(candidate) <= width) return candidate;
  }
  return '';
}

/**
 * Page furniture, as Artifacts (P2, P8): page 1 has "pagina 1 van N" at its foot; every later page
 * a header with the kenmerk, the subject and "pagina n van N" above a rule.
 */
function writePageFurniture(doc: PDFKit.PDFDocument, layout: LetterLayout, width: number): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const number = i - range.start + 1;
    const pageLabel = `pagina ${number} van ${range.count}`;
    // Writing outside the margins would start a new page; lift them for these lines.
    const margins = { ...doc.page.margins };
    doc.page.margins.bottom = 0;
    doc.page.margins.top = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc.font(FONT.regular).fontSize(8.5).fillColor(GREY);
    if (number === 1) {
      doc.text(pageLabel, MARGIN.left, doc.page.height - 45, { width, align: 'right', lineBreak: false });
    } else {
      const labelWidth = doc.widthOfString(pageLabel) + 16;
      const kenmerk = layout.kenmerk.length > 0 ? `${REFERENCE_LABELS.kenmerk} ${layout.kenmerk}` : '';
      const kenmerkWidth = kenmerk.length > 0 ? doc.widthOfString(kenmerk) : 0;
      const subject = layout.subject.length > 0 ? fitted(doc, `  ·  ${layout.subject}`, width - labelWidth - kenmerkWidth) : '';
      doc.text(`${kenmerk}${kenmerk.length > 0 ? subject : subject.replace(/^\s*·\s*/, '')}`, MARGIN.left, HEADER_Y, { width: width - labelWidth, lineBreak: false });
      doc.text(pageLabel, MARGIN.left, HEADER_Y, { width, align: 'right', lineBreak: false });
      const ruleY = HEADER_Y + doc.currentLineHeight(true) + 4;
      doc.moveTo(MARGIN.left, ruleY).lineTo(MARGIN.left + width, ruleY).lineWidth(0.5).strokeColor(GREY).stroke();
    }
    doc.endMarkedContent();
    doc.page.margins.bottom = margins.bottom;
    doc.page.margins.top = margins.top;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * pdfkit copies Info strings into the XMP packet without XML escaping, and PDF/A wants both to
 * say the same: swap the three XML-special characters for their full-width look-alikes and drop
 * control characters, so both stay valid and identical.
 */
export function metadataText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/&/g, '\uff06')
    .replace(/</g, '\uff1c')
    .replace(/>/g, '\uff1e')
    .trim();
}
