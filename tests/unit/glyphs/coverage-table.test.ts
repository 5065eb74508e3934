// P9: the coverage table the device and the server check against is what the embedded fonts'
// cmaps say, and what it says is what a Dutch official meets: Latin with diacritics, Turkish,
// Polish, Greek, Cyrillic, Arabic, ✓ and →, but not emoji or Chinese.
import { describe, expect, it } from 'vitest';
import { computePrintableRanges, printableRangesModule } from '../../../server/pdf/coverage';
import { PRINTABLE_RANGES } from '../../../shared/validate/printable-ranges';
import { isPrintable, unprintableCharacters } from '../../../shared/validate/printable';
import { readFileSync } from 'node:fs';

describe('printable coverage table', () => {
  it('[P9] the committed table equals what the fonts say (regenerate: npx tsx server/pdf/generate-coverage.ts)', () => {
    const ranges = computePrintableRanges();
    expect([...PRINTABLE_RANGES]).toEqual(ranges);
    const file = readFileSync(new URL('../../../shared/validate/printable-ranges.ts', import.meta.url), 'utf8');
    expect(file).toBe(printableRangesModule(ranges));
  });

  it('[P9] the table is sorted, merged and compact', () => {
    for (let i = 1; i < PRINTABLE_RANGES.length; i++) {
      const gap = i % 2 === 0 ? 2 : 0; // a next range starts at least 2 past the previous end
      expect(PRINTABLE_RANGES[i] ?? 0).toBeGreaterThanOrEqual((PRINTABLE_RANGES[i - 1] ?? 0) + gap);
    }
    expect(PRINTABLE_RANGES.length / 2).toBeLessThan(1000);
  });

  it.each([
    ['Dutch and French', 'Eén cliënt, café, ijs, naïef, Ærø, Œuvre'],
    ['Turkish', 'Şükrü Çağlayan, İstanbul, ığ'],
    ['Polish', 'Łukasz Żółć, Gdańsk'],
    ['Greek', 'Αλέξανδρος Παπαδόπουλος'],
    ['Cyrillic', 'Олександр Шевченко'],
    ['Arabic', 'محمد العلي، ١٢٣'],
    ['symbols', '✓ ✔ → ← ≤ ≥ € … • – — ‘’ “” ½ °'],
    ['emoji style of a check mark', '✔️'],
  ])('[P9] %s prints', (_name, text) => {
    expect(unprintableCharacters(text)).toEqual([]);
  });

  it.each([
    ['emoji', '😀', ['😀']],
    ['Chinese', '张伟 中文', ['张', '伟', '中', '文']],
    ['a box drawn emoji check', '✅ klaar', ['✅']],
  ])('[P9] %s does not print', (_name, text, bad) => {
    expect(unprintableCharacters(text)).toEqual(bad);
  });

  it('[P9] line breaks and tabs are layout; other controls are not printable', () => {
    expect(isPrintable(0x0a)).toBe(true);
    expect(isPrintable(0x09)).toBe(true);
    expect(isPrintable(0x07)).toBe(false);
    expect(isPrintable(0x85)).toBe(false);
  });
});
