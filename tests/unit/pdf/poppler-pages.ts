// More of poppler for the printed-letter tests: the text and the lines of one page (pdftotext -f -l),
// the images in a PDF (pdfimages -list) and the tagged text (pdfinfo -struct-text), as an archive sees them.
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

/** The text of the structure tree (`pdfinfo -struct-text`): what is tagged, without Artifacts. */
export function pdfStructText(pdf: Uint8Array): string {
  return withFile(pdf, (file) => execFileSync('pdfinfo', ['-struct-text', file], { encoding: 'utf8' }));
}

/** The lines of page `page` as pdftotext lays them out (not collapsed), empty ones dropped. */
export function pdfPageLines(pdf: Uint8Array, page: number): string[] {
  return withFile(pdf, (file) =>
    execFileSync('pdftotext', ['-enc', 'UTF-8', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' }),
  )
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** The text of every page (one pdftotext run, pages split at its form feeds), whitespace collapsed. */
export function pdfPagesText(pdf: Uint8Array): string[] {
  const raw = withFile(pdf, (file) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }));
  return raw
    .split('\f')
    .slice(0, -1)
    .map((page) => page.replace(/\s+/g, ' ').trim());
}
