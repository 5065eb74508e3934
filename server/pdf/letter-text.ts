// P9, P11: how the letter sets its text. Each character goes to the first font of its style's
// chain that has it (Noto Sans, then Arabic, Math, Symbols 2); lines are broken here in one pass
// (a word wider than the line is cut where it stops fitting), and each line is put in visual
// order by the Unicode bidi algorithm (bidi-js), so Arabic reads right to left inside a Dutch
// sentence. pdfkit only draws the pieces: its own wrapper re-measured an unbreakable word for
// every character it gave up (quadratic: 27 s for a 16,000-letter word) and knows one font only.
import bidiFactory from 'bidi-js';
import { isIgnorable, isPrintable } from '../../shared/validate/printable';
import { fallbackFont, letterFontSources, parsedLetterFonts, type ParsedFont } from './fonts';

/** The names the faces are registered under in every letter. */
export const LETTER_FONT = {
  regular: 'Regular',
  bold: 'Bold',
  italic: 'Italic',
  boldItalic: 'BoldItalic',
  arabic: 'Arabic',
  arabicBold: 'ArabicBold',
  math: 'Math',
  symbols: 'Symbols',
} as const;
type FaceKey = keyof typeof LETTER_FONT;
export type TextStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';

/** Per style: the faces tried in order. Every chain holds the four that coverage.ts counts. */
const CHAINS: Record<TextStyle, readonly FaceKey[]> = {
  regular: ['regular', 'arabic', 'math', 'symbols'],
  bold: ['bold', 'regular', 'arabicBold', 'arabic', 'math', 'symbols'],
  italic: ['italic', 'regular', 'arabic', 'math', 'symbols'],
  boldItalic: ['boldItalic', 'bold', 'regular', 'arabicBold', 'arabic', 'math', 'symbols'],
};
const FACE_KEYS = Object.keys(LETTER_FONT) as FaceKey[];
const STYLES: readonly TextStyle[] = ['regular', 'bold', 'italic', 'boldItalic'];
const RTL_FACES = new Set<FaceKey>(['arabic', 'arabicBold']);

export interface StyledText {
  text: string;
  bold?: boolean | undefined;
  italic?: boolean | undefined;
}

export interface TextBox {
  x: number;
  width: number;
  size: number;
  lineGap: number;
  color?: string;
}

interface ParsedWithLayout extends ParsedFont {
  layout(text: string): { direction: string };
}

const isStyle = (key: FaceKey): key is TextStyle => (STYLES as readonly string[]).includes(key);

/** The parsed font of a face; a fallback is parsed the first time a character needs it. */
function faceFont(key: FaceKey): ParsedWithLayout {
  return (isStyle(key) ? parsedLetterFonts()[key] : fallbackFont(key)) as ParsedWithLayout;
}

const bidi = bidiFactory();

/** Registers the four styles of Noto Sans; the fallbacks follow when a character needs them (useFace). */
export function registerLetterFonts(doc: PDFKit.PDFDocument): void {
  const letter = letterFontSources();
  for (const style of STYLES) doc.registerFont(LETTER_FONT[style], letter[style]);
}

const registered = new WeakMap<PDFKit.PDFDocument, Set<FaceKey>>();
/** Selects a face, registering a fallback with this document first; pdfkit embeds what is used, as a subset. */
function useFace(doc: PDFKit.PDFDocument, key: FaceKey, size: number): PDFKit.PDFDocument {
  if (!isStyle(key)) {
    const done = registered.get(doc) ?? new Set<FaceKey>();
    registered.set(doc, done);
    if (!done.has(key)) {
      doc.registerFont(LETTER_FONT[key], faceFont(key) as unknown as PDFKit.Mixins.PDFFontSource);
      done.add(key);
    }
  }
  return doc.font(LETTER_FONT[key]).fontSize(size);
}

function styleOf(run: StyledText): TextStyle {
  if (run.bold === true) return run.italic === true ? 'boldItalic' : 'bold';
  return run.italic === true ? 'italic' : 'regular';
}

const faceCache = new Map<number, number>();
/** The index (in FACE_KEYS) of the first face of the style's chain that has the code point. */
function faceFor(style: TextStyle, cp: number): number {
  const key = STYLES.indexOf(style) * 0x110000 + cp;
  let face = faceCache.get(key);
  if (face === undefined) {
    const found = CHAINS[style].find((f) => faceFont(f).hasGlyphForCodePoint(cp)) ?? 'regular';
    face = FACE_KEYS.indexOf(found);
    faceCache.set(key, face);
  }
  return face;
}

const MARK = /^[\p{M}\p{Cf}]$/u;

/**
 * The paragraph as the layout sees it: text without what cannot print (the validator refused it
 * already; here it becomes "?" rather than a box), tabs as spaces, and per UTF-16 unit its style
 * and face. A mark or format character stays in the face of the letter before it where it can.
 */
interface Prepared {
  text: string;
  styles: Uint8Array;
  faces: Uint8Array;
  levels: Uint8Array;
}

function prepare(runs: readonly StyledText[]): Prepared {
  let text = '';
  const styleList: number[] = [];
  const faceList: number[] = [];
  for (const run of runs) {
    const style = styleOf(run);
    const s = STYLES.indexOf(style);
    for (const raw of run.text.replace(/\r\n?/g, '\n')) {
      const cp0 = raw.codePointAt(0) ?? 0;
      if (isIgnorable(cp0) || cp0 === 0xad) continue;
      const char = cp0 === 0x09 ? ' ' : cp0 !== 0x0a && !isPrintable(cp0) ? '?' : raw;
      const cp = char.codePointAt(0) ?? 0;
      const previous = faceList.at(-1);
      const prevKey = previous === undefined ? undefined : FACE_KEYS[previous];
      const face =
        prevKey !== undefined && MARK.test(char) && faceFont(prevKey).hasGlyphForCodePoint(cp) ? (previous ?? 0) : faceFor(style, cp);
      text += char;
      for (let i = 0; i < char.length; i++) {
        styleList.push(s);
        faceList.push(face);
      }
    }
  }
  const levels = text.length > 0 ? bidi.getEmbeddingLevels(text, 'ltr').levels : new Uint8Array(0);
  return { text, styles: Uint8Array.from(styleList), faces: Uint8Array.from(faceList), levels };
}

/** A stretch of one style, face and bidi level: what pdfkit draws in one go. */
interface Unit {
  start: number;
  end: number;
}

function unitsOf(p: Prepared, start: number, end: number): Unit[] {
  const units: Unit[] = [];
  let from = start;
  for (let i = start + 1; i <= end; i++) {
    if (i === end || p.styles[i] !== p.styles[from] || p.faces[i] !== p.faces[from] || p.levels[i] !== p.levels[from]) {
      units.push({ start: from, end: i });
      from = i;
    }
  }
  return units;
}

function faceAt(p: Prepared, at: number): FaceKey {
  return FACE_KEYS[p.faces[at] ?? 0] ?? 'regular';
}

function measure(doc: PDFKit.PDFDocument, face: FaceKey, size: number, text: string): number {
  return useFace(doc, face, size).widthOfString(text);
}

function unitsWidth(doc: PDFKit.PDFDocument, p: Prepared, start: number, end: number, size: number): number {
  let width = 0;
  for (const u of unitsOf(p, start, end)) width += measure(doc, faceAt(p, u.start), size, p.text.slice(u.start, u.end));
  return width;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\u200b';
const LETTER = /\p{L}/u;

/**
 * Where a line may end: after spaces, after a hyphen between letters, at a line break. Yields
 * [start, end, forced] pieces covering the text; a piece's trailing spaces belong to it.
 */
function pieces(text: string): [number, number, boolean][] {
  const out: [number, number, boolean][] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      out.push([from, i, true]);
      from = i + 1;
    } else if ((isSpace(c) && !isSpace(text[i + 1])) || (c === '-' && LETTER.test(text[i - 1] ?? '') && LETTER.test(text[i + 1] ?? ''))) {
      out.push([from, i + 1, false]);
      from = i + 1;
    }
  }
  if (from < text.length || out.length === 0 || out.at(-1)?.[2] === true) out.push([from, text.length, false]);
  return out;
}

function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && isSpace(text[e - 1])) e--;
  return e;
}

/**
 * A piece wider than the line, cut into pieces that fit: each character's advance is looked up
 * once (linear in the word), marks stay with their letter, and a cut never splits a surrogate pair.
 */
function cutWord(p: Prepared, start: number, end: number, size: number, width: number): [number, number][] {
  const cuts: [number, number][] = [];
  let from = start;
  let used = 0;
  let i = start;
  while (i < end) {
    const cp = p.text.codePointAt(i) ?? 0;
    const step = cp > 0xffff ? 2 : 1;
    const font = faceFont(faceAt(p, i));
    const w = (font.glyphForCodePoint(cp).advanceWidth * size) / font.unitsPerEm;
    const mark = MARK.test(String.fromCodePoint(cp));
    if (!mark && i > from && used + w > width * 0.97) {
      cuts.push([from, i]);
      from = i;
      used = 0;
    }
    used += w;
    i += step;
  }
  cuts.push([from, end]);
  return cuts;
}

export interface Line {
  start: number;
  /** Without the trailing spaces. */
  end: number;
}

/**
 * The width of a piece without and with its trailing spaces. The piece is measured whole ("word "),
 * as pdfkit lays text out word by word with the space attached: the drawing then finds it cached.
 */
function pieceWidths(doc: PDFKit.PDFDocument, p: Prepared, start: number, end: number, size: number): { content: number; full: number } {
  const contentEnd = trimEnd(p.text, start, end);
  const full = unitsWidth(doc, p, start, end, size);
  const spaces = contentEnd < end ? measure(doc, faceAt(p, contentEnd), size, p.text.slice(contentEnd, end)) : 0;
  return { content: full - spaces, full };
}

/** Breaks the paragraph into lines of at most `width` (a word wider than that is cut). */
function breakLines(doc: PDFKit.PDFDocument, p: Prepared, width: number, size: number): Line[] {
  const lines: Line[] = [];
  let line: Line | null = null;
  let used = 0;
  const place = (start: number, end: number, forced: boolean, widths = pieceWidths(doc, p, start, end, size)): void => {
    const contentEnd = trimEnd(p.text, start, end);
    if (line !== null && used + widths.content > width && line.end > line.start) {
      lines.push(line);
      line = null;
    }
    if (line === null) {
      line = { start, end: contentEnd };
      used = 0;
    }
    line.end = contentEnd > start ? contentEnd : line.end;
    used += widths.full;
    if (forced) {
      lines.push(line);
      line = null;
    }
  };
  for (const [start, end, forced] of pieces(p.text)) {
    const widths = pieceWidths(doc, p, start, end, size);
    if (trimEnd(p.text, start, end) - start > 1 && widths.content > width) {
      const cuts = cutWord(p, start, end, size, width);
      cuts.forEach(([s, e], i) => place(s, e, forced && i === cuts.length - 1));
    } else {
      place(start, end, forced, widths);
    }
  }
  if (line !== null) lines.push(line);
  return lines;
}

/** UAX#9 L2: reverse every run of units at or above each level, from the highest to the lowest odd. */
function visualOrder(p: Prepared, units: Unit[]): Unit[] {
  const levelOf = (u: Unit): number => p.levels[u.start] ?? 0;
  const max = Math.max(0, ...units.map(levelOf));
  const oddLevels = units.map(levelOf).filter((l) => l % 2 === 1);
  if (oddLevels.length === 0) return units;
  const lowestOdd = Math.min(...oddLevels);
  const order = [...units];
  for (let level = max; level >= lowestOdd; level--) {
    let i = 0;
    while (i < order.length) {
      const at = order[i];
      if (at === undefined || levelOf(at) < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < order.length && levelOf(order[j] as Unit) >= level) j++;
      order.splice(i, j - i, ...order.slice(i, j).reverse());
      i = j;
    }
  }
  return order;
}

function reversedMirrored(text: string, mirror: boolean): string {
  return [...text]
    .reverse()
    .map((c) => (mirror ? (bidi.getMirroredCharacter(c) ?? c) : c))
    .join('');
}

/**
 * A unit as pdfkit must get it to show in visual order. fontkit reverses the glyphs of a run in
 * a right-to-left script (Arabic) itself; anything else at an odd level (spaces, brackets, a
 * dash between Arabic words) is reversed and mirrored here, and Arabic digits, which fontkit
 * would reverse but which read left to right, are turned back first. pdfkit lays out word by
 * word, so a right-to-left unit is drawn a word at a time.
 */
function drawTokens(p: Prepared, unit: Unit): string[] {
  const text = p.text.slice(unit.start, unit.end);
  const rtl = (p.levels[unit.start] ?? 0) % 2 === 1;
  const face = faceAt(p, unit.start);
  const tokens = rtl ? text.split(/( +)/).filter((t) => t.length > 0).reverse() : [text];
  return tokens.map((token) => {
    const fontkitReverses = RTL_FACES.has(face) && faceFont(face).layout(token).direction === 'rtl';
    return rtl === fontkitReverses ? token : reversedMirrored(token, rtl);
  });
}

function lineHeight(doc: PDFKit.PDFDocument, size: number): number {
  return doc.font(LETTER_FONT.regular).fontSize(size).currentLineHeight(true);
}

/** The laid-out lines of a paragraph, for measuring or drawing. */
export function layoutText(doc: PDFKit.PDFDocument, runs: readonly StyledText[], width: number, size: number): { p: Prepared; lines: Line[] } {
  const p = prepare(runs);
  return { p, lines: p.text.length === 0 ? [] : breakLines(doc, p, width, size) };
}

/** The height `drawText` will take (without page breaks): at least one line. */
export function heightOfText(doc: PDFKit.PDFDocument, runs: readonly StyledText[], box: Omit<TextBox, 'x'>): number {
  const { lines } = layoutText(doc, runs, box.width, box.size);
  return Math.max(1, lines.length) * (lineHeight(doc, box.size) + box.lineGap);
}

/**
 * Draws the runs as one paragraph from (box.x, doc.y), continuing on a new page (and in the same
 * tagged structure element) when a line would pass the bottom margin. Leaves doc.y under the
 * last line, as pdfkit's text() does.
 */
export function drawText(doc: PDFKit.PDFDocument, runs: readonly StyledText[], box: TextBox): void {
  const { p, lines } = layoutText(doc, runs, box.width, box.size);
  const height = lineHeight(doc, box.size);
  // One baseline for every face of a line: Noto Sans's, whatever the fallback's ascent.
  const regular = faceFont('regular');
  const baseline = -(regular.ascent / regular.unitsPerEm) * box.size;
  doc.fillColor(box.color ?? 'black');
  let y = doc.y;
  for (const line of lines) {
    if (y + height > doc.page.height - doc.page.margins.bottom && y > doc.page.margins.top) {
      doc.continueOnNewPage();
      y = doc.y;
    }
    let x = box.x;
    for (const unit of visualOrder(p, unitsOf(p, line.start, line.end))) {
      const face = faceAt(p, unit.start);
      for (const token of drawTokens(p, unit)) {
        useFace(doc, face, box.size).text(token, x, y, { lineBreak: false, baseline });
        x += doc.widthOfString(token);
      }
    }
    y += height + box.lineGap;
  }
  // Leave pdfkit on Noto Sans: moveDown() and currentLineHeight() after this must not use a fallback's metrics.
  doc.font(LETTER_FONT.regular).fontSize(box.size);
  doc.x = box.x;
  doc.y = y;
}

/** Plain text (may hold line breaks) in one style. */
export function plain(text: string, style: { bold?: boolean; italic?: boolean } = {}): StyledText[] {
  return [{ text, ...style }];
}
