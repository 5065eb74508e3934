// The PDF bench's peer: the same letter layout printed by bare pdfkit, the way a plain pdfkit
// program would: same page size, margins, fonts (the same parsed Noto Sans, subset by pdfkit the
// same way), same words, runs, bullets, table rows as lines and signature strokes, but no PDF/A
// (no XMP, no output intent), no tagged structure and no kept-together rows. What ours costs
// more than this is the price of PDF/A-2b, tagging and the layout rules.
import PDFDocument from 'pdfkit';
import type { Run } from '../../shared/model/rich-text';
import { signatureCaption, type LetterLayout } from '../../shared/render/letter';
import { letterFontSources } from '../../server/pdf/fonts';

const MARGIN = { top: 56, bottom: 72, left: 70, right: 70 };

export function renderBarePdf(layout: LetterLayout, now: number): Promise<Uint8Array> {
  const fonts = letterFontSources();
  const doc = new PDFDocument({ size: 'A4', margins: MARGIN, bufferPages: true, info: { CreationDate: new Date(now) } });
  doc.registerFont('Regular', fonts.regular);
  doc.registerFont('Bold', fonts.bold);
  doc.registerFont('Italic', fonts.italic);
  doc.registerFont('BoldItalic', fonts.boldItalic);
  doc.font('Regular');
  const chunks: Buffer[] = [];
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  const width = doc.page.width - MARGIN.left - MARGIN.right;
  const runs = (items: readonly Run[], x: number, w: number): void => {
    items.forEach((run, i) => {
      doc.font(run.bold ? (run.italic ? 'BoldItalic' : 'Bold') : run.italic ? 'Italic' : 'Regular').fontSize(10.5);
      if (i === 0) doc.text(run.text, x, doc.y, { width: w, lineGap: 2, continued: i < items.length - 1 });
      else doc.text(run.text, { continued: i < items.length - 1 });
    });
  };

  doc.font('Bold').fontSize(16).text(layout.municipality, MARGIN.left, MARGIN.top, { width });
  doc.font('Regular').fontSize(10.5).text(layout.addressee.join('\n'), MARGIN.left, 140, { width: width / 2 });
  doc.moveDown(2);
  for (const [label, value] of [['Datum', layout.date], ['Ons kenmerk', layout.kenmerk], ['Zaak', layout.zaak], ['Onderwerp', layout.subject]]) {
    doc.text(`${label} ${value}`, MARGIN.left, doc.y, { width });
  }
  doc.moveDown(2);
  for (const block of layout.blocks) {
    for (const content of block.content) {
      if (content.type === 'paragraph') runs(content.runs, MARGIN.left, width);
      else if (content.type === 'list') {
        content.items.forEach((item, i) => {
          const y = doc.y;
          doc.font('Regular').text(content.ordered ? `${i + 1}.` : '•', MARGIN.left, y, { lineBreak: false });
          doc.y = y;
          runs(item, MARGIN.left + 18, width - 18);
        });
      } else {
        doc.font('Bold').text('Wat — Wie — Wanneer', MARGIN.left, doc.y, { width });
        for (const row of content.rows) doc.font('Regular').text(`${row.wat} — ${row.wie} — ${row.wanneer}`, MARGIN.left, doc.y, { width });
        for (const signature of layout.signatures) {
          const top = doc.y + 4;
          for (const stroke of signature.strokes) {
            doc.moveTo(MARGIN.left + (stroke[0] ?? 0) * 0.2, top + (stroke[1] ?? 0) * 0.2);
            for (let i = 2; i + 1 < stroke.length; i += 2) doc.lineTo(MARGIN.left + (stroke[i] ?? 0) * 0.2, top + (stroke[i + 1] ?? 0) * 0.2);
            doc.stroke();
          }
          doc.y = top + 84;
          doc.text(signatureCaption(signature), MARGIN.left, doc.y, { width });
        }
      }
      doc.moveDown(0.8);
    }
  }
  doc.text(layout.signature.line, MARGIN.left, doc.y, { width });
  doc.moveDown(3);
  doc.text(layout.signature.name, MARGIN.left, doc.y, { width });
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0;
    doc.fontSize(8.5).text(`pagina ${i + 1} van ${range.count}`, MARGIN.left, doc.page.height - 45, { width, align: 'right', lineBreak: false });
  }
  doc.end();
  return done;
}
