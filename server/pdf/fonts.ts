// The one typeface of every archived letter: Noto Sans (OFL), regular and bold, read from the
// @expo-google-fonts/noto-sans package as TrueType files so pdfkit/fontkit can subset and embed
// them. PDF/A forbids unembedded fonts, and pdfkit never embeds its standard-14 fonts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface LetterFonts {
  regular: Buffer;
  bold: Buffer;
}

const require = createRequire(import.meta.url);
let cached: LetterFonts | null = null;

/** Where the TrueType files are; a missing package is an install error, so it throws. */
export function letterFontPaths(): { regular: string; bold: string } {
  return {
    regular: require.resolve('@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf'),
    bold: require.resolve('@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf'),
  };
}

/** The font files, read once per process. */
export function letterFonts(): LetterFonts {
  if (cached === null) {
    const paths = letterFontPaths();
    cached = { regular: readFileSync(paths.regular), bold: readFileSync(paths.bold) };
  }
  return cached;
}
