// The body of the printed letter in pdfkit: paragraphs with bold/italic runs, bulleted and
// numbered lists with a hanging indent, the agreements table (Wat / Wie / Wanneer) and the
// citizens' signatures as vector strokes. Each piece is tagged (P, L/LI/Lbl/LBody,
// Table/TR/TH/TD, Figure with alt text) under the structure element it is given; rules, cell
// backgrounds and a header row repeated on a new page are Artifacts, since they carry no words
// of their own. Every layout decision that the preview shares lives in shared/render/letter.ts.
import type { Run } from '../../shared/model/rich-text';
import { SIGNATURE_BOX } from '../../shared/model/signatures';
import {
  SIGNATURE_OUTDATED_WARNING,
  signatureAlt,
  signatureCaption,
  type LetterContent,
  type LetterSignature,
} from '../../shared/render/letter';
import { drawText, heightOfText, LETTER_FONT, plain } from './letter-text';

declare global {
  // pdfkit supports `scope` on TH (it writes the Table attribute) but its types do not say so.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace PDFKit.Mixins {
    interface StructureElementOptions {
      scope?: 'Row' | 'Column' | 'Both';
    }
  }
}

export const FONT = LETTER_FONT;
export const BODY_SIZE = 10.5;
export const LINE_GAP = 2;
export const GREY = '#555555';
const RULE = '#9aa0a6';
const HEADER_FILL = '#eef0f3';
const WARNING = '#a01d23';
/** The hanging indent of a list item: label in the gutter, wrapped lines under the text. */
const LIST_INDENT = 18;
const CELL_PAD = 4;
/** Wat gets half the width: it holds the sentences; Wie and Wanneer are short. */
const COLUMNS = [0.5, 0.25, 0.25] as const;
const HEADERS = ['Wat', 'Wie', 'Wanneer'] as const;
/** The drawn signature: the 1000 × 400 box at 0.2 pt per unit, 200 × 80 pt. */
const SIGNATURE_SCALE = 0.2;

export interface BodyFrame {
  doc: PDFKit.PDFDocument;
  /** The structure element the body's elements go under (the Document). */
  parent: PDFKit.PDFStructureElement;
  left: number;
  width: number;
  /** The lowest y text may reach on a page. */
  bottom: () => number;
}

export function fontOf(run: Pick<Run, 'bold' | 'italic'>): string {
  if (run.bold) return run.italic ? FONT.boldItalic : FONT.bold;
  return run.italic ? FONT.italic : FONT.regular;
}

/** One line of body text in height, to keep a label or a caption with what follows it. */
function lineHeight(doc: PDFKit.PDFDocument): number {
  return doc.font(FONT.regular).fontSize(BODY_SIZE).currentLineHeight(true) + LINE_GAP;
}

function ensureRoom(frame: BodyFrame, height: number): void {
  if (frame.doc.y + height > frame.bottom()) frame.doc.addPage();
}

/**
 * Runs as one flowing text from (x, doc.y), wrapped together so a bold word mid-sentence stays
 * mid-sentence; fonts per character, line breaks and bidi order by letter-text.ts (P9, P11).
 */
export function drawRuns(doc: PDFKit.PDFDocument, runs: readonly Run[], x: number, width: number): void {
  const parts = runs.filter((r) => r.text.length > 0);
  if (parts.length === 0) return;
  drawText(doc, parts, { x, width, size: BODY_SIZE, lineGap: LINE_GAP });
}

/** A section's content: paragraphs, lists, the agreements table. */
export function drawContent(frame: BodyFrame, content: LetterContent): void {
  const { doc, parent, left, width } = frame;
  if (content.type === 'paragraph') {
    ensureRoom(frame, lineHeight(doc));
    parent.add(doc.struct('P', {}, () => drawRuns(doc, content.runs, left, width)));
    doc.moveDown(0.8);
    return;
  }
  if (content.type === 'list') {
    drawList(frame, content.ordered, content.items);
    return;
  }
  drawAgreements(frame, content.rows);
}

function drawList(frame: BodyFrame, ordered: boolean, items: readonly Run[][]): void {
  const { doc, left, width } = frame;
  const list = doc.struct('L');
  frame.parent.add(list);
  items.forEach((item, i) => {
    // The label and the first line of its text always share a page.
    ensureRoom(frame, lineHeight(doc));
    const y = doc.y;
    const li = doc.struct('LI');
    list.add(li);
    li.add(
      doc.struct('Lbl', {}, () => {
        doc.font(FONT.regular).fontSize(BODY_SIZE).fillColor('black');
        doc.text(ordered ? `${i + 1}.` : '•', left + (ordered ? 0 : 4), y, { width: LIST_INDENT, lineBreak: false });
      }),
    );
    doc.y = y;
    li.add(doc.struct('LBody', {}, () => drawRuns(doc, item, left + LIST_INDENT, width - LIST_INDENT)));
    li.end();
    doc.x = left;
    doc.moveDown(0.25);
  });
  list.end();
  doc.moveDown(0.55);
}

/**
 * The agreements as a table. A row is measured before it is drawn and moves to the next page
 * whole; the header row is repeated there (as an Artifact: the structure has it once, as TH).
 */
function drawAgreements(frame: BodyFrame, rows: readonly { wat: string; wie: string; wanneer: string }[]): void {
  const { doc, left, width } = frame;
  const widths = COLUMNS.map((c) => c * width);
  const cellsOf = (row: { wat: string; wie: string; wanneer: string }): string[] => [row.wat, row.wie, row.wanneer];
  const heightOf = (cells: readonly string[], font: string): number => {
    doc.font(font).fontSize(BODY_SIZE);
    const tallest = Math.max(
      ...cells.map((text, i) =>
        heightOfText(doc, plain(text, { bold: font === FONT.bold }), { width: (widths[i] ?? 0) - 2 * CELL_PAD, size: BODY_SIZE, lineGap: LINE_GAP }),
      ),
    );
    return tallest + 2 * CELL_PAD;
  };
  const headerHeight = heightOf(HEADERS, FONT.bold);

  const drawRow = (cells: readonly string[], height: number, header: boolean, tag: (i: number) => PDFKit.PDFStructureElement | null): void => {
    const y = doc.y;
    doc.markContent('Artifact', { type: 'Layout' });
    doc.save();
    if (header) doc.rect(left, y, width, height).fill(HEADER_FILL);
    doc.moveTo(left, y + height).lineTo(left + width, y + height).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.restore();
    doc.endMarkedContent();
    let x = left;
    cells.forEach((text, i) => {
      const w = widths[i] ?? 0;
      const draw = (): void => {
        doc.y = y + CELL_PAD;
        drawText(doc, plain(text, { bold: header }), { x: x + CELL_PAD, width: w - 2 * CELL_PAD, size: BODY_SIZE, lineGap: LINE_GAP });
      };
      const cell = tag(i);
      if (cell === null) {
        doc.markContent('Artifact', { type: 'Pagination' });
        draw();
        doc.endMarkedContent();
      } else {
        cell.add(draw);
        cell.end();
      }
      x += w;
    });
    doc.x = left;
    doc.y = y + height;
  };

  const table = doc.struct('Table');
  frame.parent.add(table);
  const firstHeight = rows[0] === undefined ? 0 : heightOf(cellsOf(rows[0]), FONT.regular);
  // A header alone at the foot of a page says nothing: keep it with the first row.
  ensureRoom(frame, headerHeight + firstHeight);
  const headRow = doc.struct('TR');
  table.add(headRow);
  drawRow(HEADERS, headerHeight, true, () => {
    const th = doc.struct('TH', { scope: 'Column' });
    headRow.add(th);
    return th;
  });
  headRow.end();

  for (const row of rows) {
    const cells = cellsOf(row);
    const height = heightOf(cells, FONT.regular);
    if (doc.y + height > frame.bottom()) {
      doc.addPage();
      drawRow(HEADERS, headerHeight, true, () => null);
    }
    const tr = doc.struct('TR');
    table.add(tr);
    drawRow(cells, height, false, () => {
      const td = doc.struct('TD');
      tr.add(td);
      return td;
    });
    tr.end();
  }
  table.end();
  doc.moveDown(0.8);
}

/**
 * The citizens' signatures: the strokes as drawn (a Figure with alt text: the signature is the
 * evidence, not decoration), the caption with name and time, and a warning when the agreements
 * changed after signing. Each signature stays on one page.
 */
export function drawSignatures(frame: BodyFrame, signatures: readonly LetterSignature[]): void {
  const { doc, left, width } = frame;
  const boxWidth = SIGNATURE_BOX.width * SIGNATURE_SCALE;
  const boxHeight = SIGNATURE_BOX.height * SIGNATURE_SCALE;
  for (const signature of signatures) {
    ensureRoom(frame, boxHeight + lineHeight(doc) * (signature.covers ? 2 : 3) + 8);
    const top = doc.y;
    frame.parent.add(
      doc.struct('Figure', { alt: signatureAlt(signature) }, () => {
        doc.save();
        doc.lineWidth(1.2).lineCap('round').lineJoin('round').strokeColor('#1a1a40').fillColor('#1a1a40');
        for (const stroke of signature.strokes) {
          const points: [number, number][] = [];
          for (let i = 0; i + 1 < stroke.length; i += 2) {
            points.push([left + (stroke[i] ?? 0) * SIGNATURE_SCALE, top + (stroke[i + 1] ?? 0) * SIGNATURE_SCALE]);
          }
          const [first, ...rest] = points;
          if (first === undefined) continue;
          if (rest.length === 0) {
            // A tap is a dot, as on the screen.
            doc.circle(first[0], first[1], 0.8).fill();
            continue;
          }
          doc.moveTo(first[0], first[1]);
          for (const [x, y] of rest) doc.lineTo(x, y);
          doc.stroke();
        }
        doc.restore();
      }),
    );
    // The line one signs on.
    doc.markContent('Artifact', { type: 'Layout' });
    doc.save();
    doc.moveTo(left, top + boxHeight).lineTo(left + boxWidth, top + boxHeight).lineWidth(0.5).strokeColor(RULE).stroke();
    doc.restore();
    doc.endMarkedContent();
    doc.x = left;
    doc.y = top + boxHeight + 4;
    frame.parent.add(
      doc.struct('P', {}, () => {
        drawText(doc, plain(signatureCaption(signature)), { x: left, width, size: BODY_SIZE, lineGap: LINE_GAP });
      }),
    );
    if (!signature.covers) {
      frame.parent.add(
        doc.struct('P', {}, () => {
          doc.font(FONT.bold).fontSize(BODY_SIZE).fillColor(WARNING);
          doc.text(SIGNATURE_OUTDATED_WARNING, left, doc.y, { width, lineGap: LINE_GAP });
          doc.fillColor('black');
        }),
      );
    }
    doc.moveDown(1);
  }
}
