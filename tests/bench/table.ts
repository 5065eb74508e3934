// Statistics and plain-text tables for the benchmark report. Medians and nearest-rank p95
// over raw samples (no interpolation, no outlier removal), so a table row says exactly what
// was observed. Nothing here does I/O except `printTable`.

export interface Summary {
  n: number;
  median: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentile of already sorted samples; NaN for none. */
function rank(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { n: sorted.length, median: rank(sorted, 50), p95: rank(sorted, 95), max: rank(sorted, 100) };
}

/** Milliseconds with a precision that suits the size; "–" for no value. */
export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  if (value >= 1000) return value.toFixed(0);
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function ratio(ours: number | null | undefined, peer: number | null | undefined): string {
  if (ours === null || ours === undefined || peer === null || peer === undefined) return '–';
  if (!Number.isFinite(ours) || !Number.isFinite(peer) || peer <= 0) return '–';
  return `${(ours / peer).toFixed(2)}×`;
}

export function mib(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  return (bytes / (1024 * 1024)).toFixed(1);
}

export type Cell = string | number;

/** Aligned columns: the first `rightFrom` columns (labels) left-aligned, the rest (figures) right-aligned. */
export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[], rightFrom = 1): string {
  const text = rows.map((row) => headers.map((_, i) => String(row[i] ?? '')));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? cell.length;
        return i >= rightFrom ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(headers), rule, ...text.map(line)].join('\n');
}

export function printSection(title: string, table: string, notes: readonly string[] = []): void {
  const out = [`\n${title}`, '='.repeat(Math.min(100, title.length)), table];
  if (notes.length > 0) out.push('', ...notes.map((n) => `  * ${n}`));
  console.log(out.join('\n'));
}
