// P9: whether a character can be printed in the archived letter, by the coverage table generated
// from the embedded fonts' cmaps (printable-ranges.ts). The device flags what cannot be printed
// while the official types; the server refuses it at submit; the PDF never shows a box.
import { PRINTABLE_RANGES } from './printable-ranges';

/** Line breaks and tabs are layout, not glyphs. */
const LAYOUT = new Set([0x09, 0x0a, 0x0d]);

/** Variation selectors (the emoji style of ✔️) change no letter's meaning: dropped, not refused. */
export function isIgnorable(codePoint: number): boolean {
  return (codePoint >= 0xfe00 && codePoint <= 0xfe0f) || (codePoint >= 0xe0100 && codePoint <= 0xe01ef);
}

export function isPrintable(codePoint: number): boolean {
  if (LAYOUT.has(codePoint) || isIgnorable(codePoint)) return true;
  let lo = 0;
  let hi = PRINTABLE_RANGES.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = PRINTABLE_RANGES[2 * mid] ?? 0;
    const end = PRINTABLE_RANGES[2 * mid + 1] ?? 0;
    if (codePoint < start) hi = mid - 1;
    else if (codePoint > end) lo = mid + 1;
    else return true;
  }
  return false;
}

/** The distinct characters of `text` that no embedded font has, in order of first appearance. */
export function unprintableCharacters(text: string, limit = 5): string[] {
  const found: string[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0) ?? 0;
    if (!isPrintable(cp) && !found.includes(char)) {
      found.push(char);
      if (found.length >= limit) break;
    }
  }
  return found;
}

/** "😀" shown with its code point, so an invisible or look-alike character can still be found. */
export function describeCharacter(char: string): string {
  const cp = char.codePointAt(0) ?? 0;
  return `${char} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** The Dutch message for unprintable characters in `label`. */
export function unprintableMessage(label: string, chars: readonly string[]): string {
  const shown = chars.map(describeCharacter).join(', ');
  return chars.length === 1
    ? `Het teken ${shown} in ‘${label}’ kan niet worden afgedrukt. Laat het weg of vervang het.`
    : `De tekens ${shown} in ‘${label}’ kunnen niet worden afgedrukt. Laat ze weg of vervang ze.`;
}

/** Characters as a person counts them (code points), not UTF-16 units. */
export function characterCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

/** 1850 → "1.850", as Dutch readers group thousands. */
export function dutchNumber(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

export function tooLongMessage(label: string, count: number, max: number): string {
  return `‘${label}’ is te lang: ${dutchNumber(count)} tekens, er mogen er ${dutchNumber(max)} in. Maak de tekst korter.`;
}
