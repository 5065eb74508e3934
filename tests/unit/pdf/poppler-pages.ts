// More of poppler for the printed-letter tests: the text of one page (pdftotext -f -l) and the
// images in a PDF (pdfimages -list), both as an archive's intake would see them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function withFile<T>(pdf: Uint8Array, body: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'kt-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    return body(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of page `page` (1-based), whitespace collapsed. */
export function pdfPageText(pdf: Uint8Array, page: number): string {
  return withFile(pdf, (file) =>
    execFileSync('pdftotext', ['-enc', 'UTF-8', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' }),
  )
    .replace(/\s+/g, ' ')
    .trim();
}

export interface PdfImage {
  page: number;
  type: string;
  width: number;
  height: number;
  color: string;
}

/** One entry per row of `pdfimages -list` (an image and its soft mask are two rows). */
export function pdfImages(pdf: Uint8Array): PdfImage[] {
  const out = withFile(pdf, (file) => execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }));
  return out
    .split('\n')
    .slice(2)
    .filter((l) => l.trim().length > 0)
    .map((line) => {
      const [page, , type, width, height, color] = line.trim().split(/\s+/);
      return { page: Number(page), type: type ?? '', width: Number(width), height: Number(height), color: color ?? '' };
    });
}
