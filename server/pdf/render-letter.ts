// Prints a letter layout (shared/render/letter.ts, the same model as the preview) as PDF/A-2b:
// A4, letterhead with the municipality's name and logo, addressee, reference lines, the sections
// without their labels (runs, lists, the agreements table: letter-body.ts), the citizens'
// signatures under the agreements, the official's signature under mandate and "pagina X van Y".
// Deterministic: the same input and `now` give the same bytes, so a re-render can be compared
// with what was archived.
import PDFDocument from 'pdfkit';
import { signaturesAfterBlock, type LetterLayout } from '../../shared/render/letter';
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
const LABEL_WIDTH = 90;
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

  // Addressee, where a window envelope shows it.
  doc.font(FONT.regular).fontSize(BODY_SIZE).fillColor('black');
  doc.x = MARGIN.left;
  doc.y = Math.max(140, ruleY + 24);
  if (layout.addressee.length > 0) {
    block('P', () => drawText(doc, plain(layout.addressee.join('\n')), { x: MARGIN.left, width: width / 2, size: BODY_SIZE, lineGap: 0 }));
  }

  // Reference lines.
  doc.y = Math.max(doc.y + 30, 240);
  const rows: [string, string][] = [
    ['Datum', layout.date],
    ['Ons kenmerk', layout.kenmerk],
    ['Zaak', layout.zaak],
    ...layout.details.map((d): [string, string] => [d.label, d.value]),
    ['Onderwerp', layout.subject],
  ];
  for (const [label, value] of rows) {
    if (value.length === 0) continue;
    block('P', () => {
      const y = doc.y;
      doc.font(FONT.regular).fontSize(9).fillColor(GREY).text(label, MARGIN.left, y + 1, { width: LABEL_WIDTH - 8 });
      const labelBottom = doc.y;
      doc.y = y;
      drawText(doc, plain(value, { bold: label === 'Onderwerp' }), { x: MARGIN.left + LABEL_WIDTH, width: width - LABEL_WIDTH, size: BODY_SIZE, lineGap: 0 });
      doc.y = Math.max(doc.y, labelBottom) + 3;
    });
  }

  // The letter itself: each section's content follows the previous; labels are not printed.
  // The citizens' signatures follow the agreements they signed (signaturesAfterBlock).
  doc.x = MARGIN.left;
  doc.y += 24;
  const frame: BodyFrame = { doc, parent: root, left: MARGIN.left, width, bottom: () => doc.page.height - MARGIN.bottom };
  const signaturesAfter = signaturesAfterBlock(layout);
  if (signaturesAfter < 0) drawSignatures(frame, layout.signatures);
  layout.blocks.forEach((section, i) => {
    for (const content of section.content) drawContent(frame, content);
    if (i === signaturesAfter) drawSignatures(frame, layout.signatures);
  });
  doc.font(FONT.regular).fontSize(BODY_SIZE).fillColor('black');

  // Signature under mandate, kept on one page with room to sign.
  if (doc.y + 90 > doc.page.height - MARGIN.bottom) doc.addPage();
  block('P', () => drawText(doc, plain(`${capitalise(layout.signature.line)},`), { x: MARGIN.left, width, size: BODY_SIZE, lineGap: LINE_GAP }));
  doc.moveDown(3);
  block('P', () => drawText(doc, plain(layout.signature.name), { x: MARGIN.left, width, size: BODY_SIZE, lineGap: 0 }));

  writePageNumbers(doc, width);
  doc.end();
  return done;
}

function writePageNumbers(doc: PDFKit.PDFDocument, width: number): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would start a new page; lift the margin for this line.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.markContent('Artifact', { type: 'Pagination' });
    doc
      .font(FONT.regular)
      .fontSize(8.5)
      .fillColor(GREY)
      .text(`pagina ${i - range.start + 1} van ${range.count}`, MARGIN.left, doc.page.height - 45, {
        width,
        align: 'right',
        lineBreak: false,
      });
    doc.endMarkedContent();
    doc.page.margins.bottom = bottom;
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
