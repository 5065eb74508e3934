// P9 read back from the PDF: every glyph drawn is in the embedded subset and never .notdef, every
// code point of the text is in its font's own cmap (PDF/A-2 6.2.11.8), Arabic comes out in
// reading order, fonts are subsets of sane size, and a character that slipped past the validator
// prints as "?" rather than as an empty box. P11: a word longer than a line wraps.
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initDocument } from '../../../shared/model/document';
import { buildLetterLayout } from '../../../shared/render/letter';
import { builtinTemplates } from '../../../shared/templates/builtin';
import { renderLetterPdf, type LetterPdfInput } from '../../../server/pdf/render-letter';
import { embeddedFonts } from '../../support/pdf-glyphs';
import { pdfFonts, pdfLines, pdfText, pdfWords } from '../../support/poppler';
import { DECISION_NOW, decisionLayout } from '../pdf/decision-fixture';
import { multilingualInput, NAMES } from './multilingual-fixture';

const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The P9 read-back on one PDF; returns pdftotext's text for further checks. */
function expectEveryGlyphInItsFont(pdf: Uint8Array): string {
  const fonts = embeddedFonts(pdf);
  expect(fonts.length).toBeGreaterThan(0);
  for (const font of fonts) {
    expect({ font: font.name, missing: font.missing, badGlyphs: font.badGlyphs }).toEqual({ font: font.name, missing: [], badGlyphs: [] });
  }
  for (const f of pdfFonts(pdf)) expect(f.embedded).toBe(true);
  const mapped = new Set([...fonts.map((f) => f.text).join('')]);
  const text = pdfText(pdf).replace(BIDI_CONTROLS, '');
  const unmapped = [...new Set([...text])].filter((c) => !/\s/.test(c) && !mapped.has(c));
  expect(unmapped).toEqual([]);
  return text;
}

const letterOf = (layout: LetterPdfInput['layout']): LetterPdfInput => ({
  layout,
  title: 'Brief',
  author: 'Karin Kantoor',
  subject: 'Brief',
  keywords: [],
  now: DECISION_NOW,
});

describe('glyphs in the printed letter', () => {
  // The first letter of a process parses every face and its shaping tables (seconds on a busy machine).
  beforeAll(() => renderLetterPdf(multilingualInput()), 60_000);

  it('[P9] Arabic, Greek, Cyrillic, Polish, Turkish names and ✓ → print from embedded subsets, each code point in its font', async () => {
    const pdf = await renderLetterPdf(multilingualInput());
    const text = expectEveryGlyphInItsFont(pdf);
    for (const name of Object.values(NAMES)) expect(text).toContain(name);
    for (const symbol of ['✓', '→', '✔', '≤', '€']) expect(text).toContain(symbol);
    const names = embeddedFonts(pdf).map((f) => f.name).sort();
    expect(names).toEqual(['NotoSans-Bold', 'NotoSans-Regular', 'NotoSansArabic-Regular', 'NotoSansMath-Regular', 'NotoSansSymbols2-Regular']);
    // Subsets, not whole fonts: Noto Sans Math alone is 250 KB.
    expect(pdf.byteLength).toBeLessThan(80_000);
  });

  it('[P9] Arabic is drawn right to left inside a Dutch sentence, its digits left to right (visual order read back)', async () => {
    const words = pdfWords(await renderLetterPdf(multilingualInput())).map((w) => w.text);
    const rev = (t: string): string => [...t].reverse().join('');
    /** The drawn glyphs from the word `after` on, spaces dropped (pdftotext splits Arabic words at will). */
    const drawnAfter = (after: string, length: number): string => {
      const at = words.indexOf(after);
      expect(at).toBeGreaterThanOrEqual(0);
      return words.join('').slice(words.slice(0, at + 1).join('').length).slice(0, length);
    };
    // "met محمد العلي (dossier ٤٥)": the name's first word stands right, each word's letters run right to left.
    const name = rev('العلي') + rev('محمد') + '(dossier٤٥)';
    expect(drawnAfter('met', name.length)).toBe(name);
    // "شارع الملك فهد ١٢، الرياض — daarna": the whole Arabic run right to left, the number inside it left to right.
    const address = rev('الرياض') + '،١٢' + rev('فهد') + rev('الملك') + rev('شارع') + '—daarna';
    expect(drawnAfter('Arabisch:', address.length)).toBe(address);
  });

  it('[P9] every built-in template and the three-page decision print with every glyph in its font', async () => {
    const layouts = [
      decisionLayout(),
      ...builtinTemplates.map((t) => {
        const doc = new Y.Doc();
        initDocument(doc, t, { id: 'd', teamId: 't', createdBy: 'u', createdAt: 0 });
        return buildLetterLayout(t, doc, { municipality: 'Gemeente Voorbeeld', author: 'Karin Kantoor', date: DECISION_NOW, kenmerk: 'KT-1' });
      }),
    ];
    for (const layout of layouts) expectEveryGlyphInItsFont(await renderLetterPdf(letterOf(layout)));
  }, 120_000);

  it('[P9] a character no font has, should it reach the renderer, prints as "?" and never as a box', async () => {
    const pdf = await renderLetterPdf(multilingualInput('Gezien 😀 en 中.'));
    const text = expectEveryGlyphInItsFont(pdf);
    expect(text).toContain('Gezien ? en ?.');
  });

  it('[P11] a word longer than a line wraps inside the margins, every letter kept', async () => {
    const word = 'abcdefghij'.repeat(60);
    const pdf = await renderLetterPdf(multilingualInput(`Voor ${word} na.`));
    const lines = pdfLines(pdf);
    const first = lines.findIndex((l) => l.startsWith('Voor'));
    const last = lines.findIndex((l) => l.endsWith(' na.'));
    const pieces = lines.slice(first, last + 1);
    expect(pieces.length).toBeGreaterThanOrEqual(6);
    expect(pieces.join('').replace(/^Voor ?/, '').replace(/ na\.$/, '')).toBe(word);
    for (const l of pieces) expect(l.length).toBeLessThan(110);
  });
});
