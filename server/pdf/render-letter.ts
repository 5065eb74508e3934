// Prints a letter layout (shared/render/letter.ts, the same model as the preview) as PDF/A-2b:
// A4, letterhead, addressee, reference lines, the sections' text without their labels, the
// signature under mandate and "pagina X van Y". Deterministic: the same input and `now` give the
// same bytes, so a re-render can be compared with what was archived.
import PDFDocument from 'pdfkit';
import type { LetterLayout } from '../../shared/render/letter';
import { letterFonts, letterFontPaths } from './fonts';

export interface LetterPdfInput {
  layout: LetterLayout;
  /** Document info and XMP metadata (PDF/A keeps both in step). */
  title: string;
  author: string;
  subject: string;
  keywords: readonly string[];
  /** CreationDate, ms since the epoch: passed in so the output is reproducible. */
  now: number;
}

const A4 = 'A4';
const MARGIN = { top: 56, bottom: 72, left: 70, right: 70 };
const BODY_SIZE = 10.5;
const GREY = '#555555';
const LABEL_WIDTH = 90;

export function renderLetterPdf(input: LetterPdfInput): Promise<Uint8Array> {
  const { layout } = input;
  const fonts = letterFonts();
  const doc = new PDFDocument({
    size: A4,
    margins: MARGIN,
    pdfVersion: '1.7',
    subset: 'PDF/A-2b',
    tagged: true,
    lang: 'nl-NL',
    displayTitle: true,
    bufferPages: true,
    // The default would be Helvetica, which is never embedded: start on our own font.
    font: letterFontPaths().regular,
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
  doc.registerFont('Regular', fonts.regular);
  doc.registerFont('Bold', fonts.bold);

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

  // Letterhead.
  block('H1', () => {
    doc.font('Bold').fontSize(16).fillColor('black').text(layout.municipality, MARGIN.left, MARGIN.top, { width });
  });
  doc.markContent('Artifact', { type: 'Layout' });
  const ruleY = doc.y + 6;
  doc.moveTo(MARGIN.left, ruleY).lineTo(MARGIN.left + width, ruleY).lineWidth(0.5).strokeColor(GREY).stroke();
  doc.endMarkedContent();

  // Addressee, where a window envelope shows it.
  doc.font('Regular').fontSize(BODY_SIZE).fillColor('black');
  doc.x = MARGIN.left;
  doc.y = 140;
  if (layout.addressee.length > 0) block('P', () => doc.text(layout.addressee.join('\n'), { width: width / 2 }));

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
      doc.font('Regular').fontSize(9).fillColor(GREY).text(label, MARGIN.left, y + 1, { width: LABEL_WIDTH - 8 });
      const labelBottom = doc.y;
      doc.font(label === 'Onderwerp' ? 'Bold' : 'Regular').fontSize(BODY_SIZE).fillColor('black');
      doc.text(value, MARGIN.left + LABEL_WIDTH, y, { width: width - LABEL_WIDTH });
      doc.y = Math.max(doc.y, labelBottom) + 3;
    });
  }

  // The letter itself: each section's paragraphs follow each other; labels are not printed.
  doc.x = MARGIN.left;
  doc.y += 24;
  doc.font('Regular').fontSize(BODY_SIZE).fillColor('black');
  for (const section of layout.blocks) {
    for (const paragraph of section.paragraphs) {
      block('P', () => doc.text(paragraph, MARGIN.left, doc.y, { width, lineGap: 2 }));
      doc.moveDown(0.8);
    }
  }

  // Signature under mandate, kept on one page with room to sign.
  if (doc.y + 90 > doc.page.height - MARGIN.bottom) doc.addPage();
  block('P', () => doc.text(`${capitalise(layout.signature.line)},`, MARGIN.left, doc.y, { width }));
  doc.moveDown(3);
  block('P', () => doc.text(layout.signature.name, MARGIN.left, doc.y, { width }));

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
      .font('Regular')
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
