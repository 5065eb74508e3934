// Reads a PDF's fonts back the way a PDF/A validator checks 6.2.11.8 (P9): for every embedded
// Type0 font, its subset program (FontFile2) and its ToUnicode map; for every text-showing
// operator, the glyph ids it draws. A glyph id 0 (.notdef: the empty box) or a code point the
// font's own cmap lacks is a finding. Parses only what pdfkit writes (objects, Flate streams).
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { fallbackFontSources, parsedLetterFonts, type ParsedFont } from '../../server/pdf/fonts';

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

interface Fontkit {
  create(data: Uint8Array): { numGlyphs: number };
}

function objects(pdf: Uint8Array): Map<number, PdfObject> {
  const bytes = Buffer.from(pdf);
  const text = bytes.toString('latin1');
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    const body = text.slice(start, end);
    const s = body.indexOf('stream');
    if (s < 0 || !body.slice(0, s).includes('/Length')) {
      out.set(Number(m[1]), { dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, s);
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1] ?? '0');
    const dataStart = start + s + 'stream'.length + (text[start + s + 6] === '\r' ? 2 : 1);
    const raw = bytes.subarray(dataStart, dataStart + length);
    out.set(Number(m[1]), { dict, stream: dict.includes('/FlateDecode') ? inflateSync(raw) : raw });
  }
  return out;
}

const ref = (dict: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+\\[?\\s*(\\d+) 0 R`).exec(dict);
  return m?.[1] === undefined ? null : Number(m[1]);
};

/** ToUnicode `bfrange` with arrays, as pdfkit writes it: glyph id → the text it stands for. */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const m of cmap.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
    let gid = parseInt(m[1] ?? '0', 16);
    for (const entry of (m[3] ?? '').matchAll(/<([^>]*)>/g)) {
      const units = (entry[1] ?? '').trim().split(/\s+/).filter((h) => h.length > 0).map((h) => parseInt(h, 16));
      map.set(gid++, String.fromCharCode(...units));
    }
  }
  return map;
}

export interface EmbeddedFontReport {
  /** The font's name without its subset tag. */
  name: string;
  /** Every character the PDF's text maps to this font's glyphs. */
  text: string;
  /** Code points mapped to a glyph of this font that the original font's cmap lacks. */
  missing: number[];
  /** Glyph ids drawn that the subset program does not hold, and .notdef (0). */
  badGlyphs: number[];
  /** Bytes of the embedded subset program. */
  programBytes: number;
}

/** The original (unsubset) fonts by PostScript name, to check the subset's code points against. */
function originals(): Map<string, ParsedFont> {
  const all = [...Object.values(parsedLetterFonts()), ...Object.values(fallbackFontSources())];
  return new Map(all.map((f) => [f.postscriptName, f]));
}

export function embeddedFonts(pdf: Uint8Array): EmbeddedFontReport[] {
  const objs = objects(pdf);
  const fontkit = createRequire(createRequire(import.meta.url).resolve('pdfkit'))('fontkit') as Fontkit;
  const known = originals();
  // Which font resource names draw which glyph ids, over all content streams.
  const drawn = new Map<number, Set<number>>();
  const resourceToFont = new Map<string, number>();
  for (const [, o] of objs) {
    const fonts = /\/Font\s*<<([^>]*)>>/.exec(o.dict)?.[1];
    if (fonts !== undefined) for (const f of fonts.matchAll(/\/(\w+)\s+(\d+) 0 R/g)) resourceToFont.set(f[1] ?? '', Number(f[2]));
  }
  for (const [, o] of objs) {
    if (o.stream === null || o.dict.includes('/FontFile') || !o.stream.includes('BT')) continue;
    const content = o.stream.toString('latin1');
    let current: number | null = null;
    for (const m of content.matchAll(/\/(\w+) [\d.]+ Tf|\[([^\]]*)\] TJ|<([0-9a-f]*)> Tj/gi)) {
      if (m[1] !== undefined) {
        current = resourceToFont.get(m[1]) ?? null;
        continue;
      }
      if (current === null) continue;
      const hex = m[2] !== undefined ? [...m[2].matchAll(/<([0-9a-f]*)>/gi)].map((h) => h[1] ?? '').join('') : (m[3] ?? '');
      const set = drawn.get(current) ?? new Set<number>();
      for (let i = 0; i + 4 <= hex.length; i += 4) set.add(parseInt(hex.slice(i, i + 4), 16));
      drawn.set(current, set);
    }
  }
  const reports: EmbeddedFontReport[] = [];
  for (const [id, o] of objs) {
    if (!o.dict.includes('/Subtype /Type0')) continue;
    const name = (/\/BaseFont \/(?:[A-Z]{6}\+)?([^\s/>]+)/.exec(o.dict)?.[1] ?? '').trim();
    const cmapObj = objs.get(ref(o.dict, 'ToUnicode') ?? -1);
    const descendant = objs.get(ref(o.dict, 'DescendantFonts') ?? -1);
    const descriptor = objs.get(ref(descendant?.dict ?? '', 'FontDescriptor') ?? -1);
    const program = objs.get(ref(descriptor?.dict ?? '', 'FontFile2') ?? -1)?.stream;
    if (cmapObj?.stream == null || program == null) throw new Error(`font ${name} has no ToUnicode or no embedded program`);
    const subset = fontkit.create(program);
    const unicode = toUnicode(cmapObj.stream.toString('latin1'));
    const original = known.get(name);
    if (original === undefined) throw new Error(`font ${name} is not one of the letter's fonts`);
    const glyphs = drawn.get(id) ?? new Set<number>();
    let text = '';
    const missing = new Set<number>();
    for (const gid of glyphs) {
      const chars = unicode.get(gid) ?? '';
      text += chars;
      for (const c of chars) {
        const cp = c.codePointAt(0) ?? 0;
        if (!original.hasGlyphForCodePoint(cp)) missing.add(cp);
      }
    }
    reports.push({
      name,
      text,
      missing: [...missing],
      badGlyphs: [...glyphs].filter((g) => g === 0 || g >= subset.numGlyphs),
      programBytes: program.byteLength,
    });
  }
  return reports;
}
