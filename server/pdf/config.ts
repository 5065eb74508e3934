// P12's named settings, read and checked at start: PDF_WORKERS (threads that render letters at
// once) and PDF_RENDER_TIMEOUT_MS (how long one letter may take before it fails alone).
import { DEFAULT_PDF_RENDER_TIMEOUT_MS, DEFAULT_PDF_WORKERS } from './pdf-renderer';

export type PdfConfigResult = { ok: true; workers: number; timeoutMs: number } | { ok: false; error: string };

function whole(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number | string {
  const raw = env[name]?.trim() ?? '';
  if (raw === '') return fallback;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) return `${name} must be a whole number from ${min} to ${max}, got "${raw}"`;
  return Number(raw);
}

export function readPdfConfig(env: Record<string, string | undefined>): PdfConfigResult {
  const workers = whole(env, 'PDF_WORKERS', DEFAULT_PDF_WORKERS, 1, 32);
  if (typeof workers === 'string') return { ok: false, error: workers };
  const timeoutMs = whole(env, 'PDF_RENDER_TIMEOUT_MS', DEFAULT_PDF_RENDER_TIMEOUT_MS, 1_000, 600_000);
  if (typeof timeoutMs === 'string') return { ok: false, error: timeoutMs };
  return { ok: true, workers, timeoutMs };
}
