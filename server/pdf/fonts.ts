// The one typeface of every archived letter: Noto Sans (OFL), regular, bold, italic and bold
// italic, read from the @expo-google-fonts/noto-sans package as TrueType files so pdfkit/fontkit
// can subset and embed them. PDF/A forbids unembedded fonts, and pdfkit never embeds its
// standard-14 fonts; a synthetic (slanted) italic would not be the font the text claims either.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export type LetterFontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';
export type LetterFonts = Record<LetterFontStyle, Buffer>;

const require = createRequire(import.meta.url);
let cached: LetterFonts | null = null;
let parsed: Record<LetterFontStyle, PDFKit.Mixins.PDFFontSource> | null = null;

/** pdfkit's own fontkit (the version it was built with), not a second copy of our own. */
interface Fontkit {
  create(data: Uint8Array): object;
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
