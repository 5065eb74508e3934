// Writes shared/validate/printable-ranges.ts from the letter fonts' cmaps (coverage.ts).
// Run after changing a font: `npx tsx server/pdf/generate-coverage.ts`; the unit test
// tests/unit/glyphs/coverage-table.test.ts says when it is due.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { computePrintableRanges, printableRangesModule } from './coverage';

const target = fileURLToPath(new URL('../../shared/validate/printable-ranges.ts', import.meta.url));
const ranges = computePrintableRanges();
writeFileSync(target, printableRangesModule(ranges));
console.log(`${target}: ${ranges.length / 2} ranges`);
