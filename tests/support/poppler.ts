// Reads PDFs the way an archive's intake would, with Debian's poppler-utils (pdftotext,
// pdffonts, pdfinfo). A missing tool fails the test with the install line: checks that silently
// skip would let a PDF/A regression through (CI installs poppler-utils in .ci/run).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function run(tool: string, args: string[], pdf: Uint8Array, after: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, pdf);
    return execFileSync(tool, [...args, file, ...after], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') {
      throw new Error(`${tool} is missing: install poppler-utils (apt-get install -y poppler-utils)`);
    }
    throw error;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text in reading order, whitespace collapsed to single spaces. */
export function pdfText(pdf: Uint8Array): string {
  return run('pdftotext', ['-enc', 'UTF-8'], pdf, ['-']).replace(/\s+/g, ' ').trim();
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
}

/** One row per font of `pdffonts`; its columns end with emb, sub, uni, object and generation. */
export function pdfFonts(pdf: Uint8Array): PdfFont[] {
  const lines = run('pdffonts', [], pdf).split('\n').slice(2).filter((l) => l.trim().length > 0);
  return lines.map((line) => {
    const cols = line.trim().split(/\s+/);
    const emb = cols.at(-5);
    if (emb !== 'yes' && emb !== 'no') throw new Error(`unexpected pdffonts line: ${line}`);
    return { name: cols[0] ?? '', type: cols.slice(1, -6).join(' '), embedded: emb === 'yes' };
  });
}

/** `pdfinfo` as key → value. */
export function pdfInfo(pdf: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of run('pdfinfo', ['-enc', 'UTF-8'], pdf).split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m?.[1] !== undefined) out[m[1].trim()] = (m[2] ?? '').trim();
  }
  return out;
}

/** The XMP metadata packet. */
export function pdfXmp(pdf: Uint8Array): string {
  return run('pdfinfo', ['-meta'], pdf);
}

/** PDF/A identification from the XMP packet. */
export function pdfaId(xmp: string): { part: string | null; conformance: string | null } {
  return {
    part: /<pdfaid:part>\s*([^<]*?)\s*<\/pdfaid:part>/.exec(xmp)?.[1] ?? null,
    conformance: /<pdfaid:conformance>\s*([^<]*?)\s*<\/pdfaid:conformance>/.exec(xmp)?.[1] ?? null,
  };
}

/** The text line by line as laid out (-layout off: one output line per printed line). */
export function pdfLines(pdf: Uint8Array): string[] {
  return run('pdftotext', ['-enc', 'UTF-8'], pdf, ['-'])
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/**
 * The words as drawn, left to right (`pdftotext -bbox`): glyphs in visual order, so a
 * right-to-left word comes out reversed. What a reader sees, not what the ToUnicode map says.
 */
export function pdfWords(pdf: Uint8Array): { text: string; xMin: number }[] {
  const decode = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return [...run('pdftotext', ['-bbox', '-enc', 'UTF-8'], pdf, ['-']).matchAll(/<word xMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map((m) => ({
    text: decode(m[2] ?? ''),
    xMin: Number(m[1]),
  }));
}
