// The typefaces of every archived letter (P2, P9): Noto Sans (OFL) regular, bold, italic and bold
// italic for Latin, Greek and Cyrillic, then, per character that Noto Sans lacks, Noto Sans
// Arabic, Noto Sans Math (arrows, operators) and Noto Sans Symbols 2 (✓ and dingbats), all from
// npm packages, parsed once per process and subset per document. PDF/A forbids unembedded fonts,
// and pdfkit never embeds its standard-14 fonts; a synthetic italic would not be the font either.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';

export type LetterFontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';
export type LetterFonts = Record<LetterFontStyle, Buffer>;

const require = createRequire(import.meta.url);
let cached: LetterFonts | null = null;
let parsed: Record<LetterFontStyle, PDFKit.Mixins.PDFFontSource> | null = null;

/** pdfkit's own fontkit (the version it was built with), not a second copy of our own. */
interface Fontkit {
  create(data: Uint8Array): object;
}

/** The fallback faces, tried in this order for a character the style's Noto Sans lacks. */
export const FALLBACK_FACES = ['arabic', 'arabicBold', 'math', 'symbols'] as const;
export type FallbackFace = (typeof FALLBACK_FACES)[number];

/** The fallback fonts' files: TrueType (Arabic) and WOFF (fontsource), both subset by fontkit. */
export function fallbackFontPaths(): Record<FallbackFace, string> {
  return {
    arabic: require.resolve('@expo-google-fonts/noto-sans-arabic/400Regular/NotoSansArabic_400Regular.ttf'),
    arabicBold: require.resolve('@expo-google-fonts/noto-sans-arabic/700Bold/NotoSansArabic_700Bold.ttf'),
    math: require.resolve('@fontsource/noto-sans-math/files/noto-sans-math-latin-400-normal.woff'),
    symbols: require.resolve('@fontsource/noto-sans-symbols-2/files/noto-sans-symbols-2-symbols-400-normal.woff'),
  };
}

/** Where the TrueType files are; a missing package is an install error, so it throws. */
export function letterFontPaths(): Record<LetterFontStyle, string> {
  return {
    regular: require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'),
    bold: require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'),
    italic: require.resolve('@expo-google-fonts/noto-sans/400Regular_Italic/NotoSans_400Regular_Italic.ttf'),
    boldItalic: require.resolve('@expo-google-fonts/noto-sans/700Bold_Italic/NotoSans_700Bold_Italic.ttf'),
  };
}

/** The font files, read once per process. */
export function letterFonts(): LetterFonts {
  if (cached === null) {
    const paths = letterFontPaths();
    cached = {
      regular: readFileSync(paths.regular),
      bold: readFileSync(paths.bold),
      italic: readFileSync(paths.italic),
      boldItalic: readFileSync(paths.boldItalic),
    };
  }
  return cached;
}

/**
 * The fonts parsed once per process and shared by every letter. fontkit's parse of Noto Sans
 * (glyph, GSUB and GPOS tables) was ~90% of a render (about a second of blocked event loop per
 * submit); each document still builds its own subset, so the output bytes are the same. pdfkit
 * takes a parsed fontkit font wherever it takes a file (it duck-types on `layout`), but its
 * types only list files and buffers: hence the one cast.
 */
export function letterFontSources(): Record<LetterFontStyle, PDFKit.Mixins.PDFFontSource> {
  if (parsed === null) {
    const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as Fontkit;
    const files = letterFonts();
    const open = (data: Buffer): PDFKit.Mixins.PDFFontSource => fontkit.create(data) as unknown as PDFKit.Mixins.PDFFontSource;
    parsed = { regular: open(files.regular), bold: open(files.bold), italic: open(files.italic), boldItalic: open(files.boldItalic) };
  }
  return parsed;
}

/** What the layout needs of a parsed font (fontkit's Font, as far as we use it). */
export interface ParsedFont {
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly postscriptName: string;
  readonly characterSet: number[];
  hasGlyphForCodePoint(codePoint: number): boolean;
  glyphForCodePoint(codePoint: number): { id: number; advanceWidth: number };
}

const fallbacks = new Map<FallbackFace, ParsedFont>();

/** One fallback font, parsed on first use: a letter in plain Dutch never pays for Arabic or Math. */
export function fallbackFont(face: FallbackFace): ParsedFont {
  let font = fallbacks.get(face);
  if (font === undefined) {
    const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as Fontkit;
    font = fontkit.create(woffToSfnt(readFileSync(fallbackFontPaths()[face]))) as ParsedFont;
    fallbacks.set(face, font);
  }
  return font;
}

/** All fallback fonts (coverage, tests). */
export function fallbackFontSources(): Record<FallbackFace, ParsedFont> {
  return { arabic: fallbackFont('arabic'), arabicBold: fallbackFont('arabicBold'), math: fallbackFont('math'), symbols: fallbackFont('symbols') };
}

/** A letter font as the layout sees it (the same parsed object pdfkit embeds). */
export function parsedLetterFonts(): Record<LetterFontStyle, ParsedFont> {
  return letterFontSources() as unknown as Record<LetterFontStyle, ParsedFont>;
}

/**
 * A WOFF file as the plain TrueType (sfnt) it wraps. fontkit reads WOFF, but inflates a table
 * (with a JavaScript inflate) on every access, and its subsetter reads `glyf` once per glyph:
 * seconds per letter. Unwrapped once with zlib, the font is as fast as the TrueType ones.
 */
export function woffToSfnt(data: Buffer): Buffer {
  if (data.toString('latin1', 0, 4) !== 'wOFF') return data;
  const numTables = data.readUInt16BE(12);
  const tables: { tag: number; checksum: number; body: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    const offset = data.readUInt32BE(at + 4);
    const compLength = data.readUInt32BE(at + 8);
    const origLength = data.readUInt32BE(at + 12);
    const raw = data.subarray(offset, offset + compLength);
    tables.push({ tag: data.readUInt32BE(at), checksum: data.readUInt32BE(at + 16), body: compLength < origLength ? inflateSync(raw) : raw });
  }
  let entrySelector = 0;
  while (2 ** (entrySelector + 1) <= numTables) entrySelector++;
  const searchRange = 2 ** entrySelector * 16;
  const head = Buffer.alloc(12 + 16 * numTables);
  head.writeUInt32BE(data.readUInt32BE(4), 0);
  head.writeUInt16BE(numTables, 4);
  head.writeUInt16BE(searchRange, 6);
  head.writeUInt16BE(entrySelector, 8);
  head.writeUInt16BE(numTables * 16 - searchRange, 10);
  const bodies: Buffer[] = [];
  let offset = head.length;
  tables.forEach((t, i) => {
    const at = 12 + i * 16;
    head.writeUInt32BE(t.tag, at);
    head.writeUInt32BE(t.checksum, at + 4);
    head.writeUInt32BE(offset, at + 8);
    head.writeUInt32BE(t.body.length, at + 12);
    const padded = Buffer.alloc((t.body.length + 3) & ~3);
    t.body.copy(padded);
    bodies.push(padded);
    offset += padded.length;
  });
  return Buffer.concat([head, ...bodies]);
}
