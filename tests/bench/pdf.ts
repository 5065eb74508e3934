// The PDF section of `npm run bench` (KT_BENCH_ONLY=pdf runs only this): how long the server
// takes to print the three-page decision of tests/unit/pdf/decision-fixture.ts as PDF/A-2b
// (server/pdf/render-letter.ts), against bare pdfkit printing the same words (pdf-peer.ts) in the
// same run. Every round starts a fresh process per side (pdf-child.ts), ours and the peer in
// alternating order: the first render there is the cold one (what the first submit after a
// start costs), then warm renders. Renders run on the event loop, so a render is also how long a
// submit holds up every other request and sync message of that server process.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LimitCase } from './pdf-limits';
import { ms, printSection, ratio, renderTable, summarize } from './table';

const CHILD = fileURLToPath(new URL('./pdf-child.ts', import.meta.url));
const ROUNDS = 4;
const WARM = 25;
const CHILD_TIMEOUT_MS = 60_000;

interface ChildResult {
  cold: number;
  warm: number[];
  bytes: number;
  pages: number;
  deterministic: boolean;
}

export interface PdfFigures {
  ours: ChildResult[];
  peer: ChildResult[];
  /** P11: letters at the length limits, one process each. */
  limits: Partial<Record<LimitCase, ChildResult>>;
  errors: string[];
}

export function emptyPdfFigures(): PdfFigures {
  return { ours: [], peer: [], limits: {}, errors: [] };
}

const LIMIT_CASES: readonly LimitCase[] = ['every-limit-words', 'every-limit-one-word', 'document-limit'];
const LIMIT_WARM = 3;

function runChild(variant: 'ours' | 'peer' | LimitCase, warm = WARM): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, variant, String(warm)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`${variant} child exited with ${code}: ${err.trim().slice(0, 300)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as ChildResult);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** Runs the rounds until done or until `deadline` (ms since epoch) is near. */
async function runLimitCases(figures: PdfFigures, deadline: number, progress: (message: string) => void): Promise<void> {
  for (const kind of LIMIT_CASES) {
    if (Date.now() + 20_000 > deadline) {
      figures.errors.push(`${kind}: skipped, time budget used up`);
      continue;
    }
    progress(`pdf at the limits: ${kind}`);
    try {
      figures.limits[kind] = await runChild(kind, LIMIT_WARM);
    } catch (error) {
      figures.errors.push(`${kind}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

export async function runPdfSection(figures: PdfFigures, deadline: number, progress: (message: string) => void): Promise<void> {
  for (let round = 0; round < ROUNDS; round++) {
    // The letters at the limits (P11) after the first round: a loaded machine still gets their rows.
    if (round === 1) await runLimitCases(figures, deadline, progress);
    const order: ('ours' | 'peer')[] = round % 2 === 0 ? ['ours', 'peer'] : ['peer', 'ours'];
    for (const variant of order) {
      if (Date.now() + 20_000 > deadline) {
        figures.errors.push(`${variant} round ${round + 1}: skipped, time budget used up`);
        continue;
      }
      progress(`pdf round ${round + 1}/${ROUNDS}: ${variant}`);
      try {
        figures[variant].push(await runChild(variant));
      } catch (error) {
        figures.errors.push(`${variant} round ${round + 1}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

const LIMIT_LABELS: Record<LimitCase, string> = {
  'every-limit-words': 'letter: every field and section at its limit, in words',
  'every-limit-one-word': 'letter: every field and section at its limit, one unbroken word each',
  'document-limit': 'letter: the document at its total limit (50,000 characters)',
};

/** P11: a letter at the limits against the three-page decision, warm medians and their ratio. */
function printLimitFigures(figures: PdfFigures): void {
  const base = summarize(figures.ours.flatMap((r) => r.warm)).median;
  const rows = LIMIT_CASES.map((kind) => {
    const r = figures.limits[kind];
    const warm = r === undefined ? null : summarize(r.warm).median;
    return [LIMIT_LABELS[kind], r === undefined ? '–' : ms(r.cold), ms(warm), r?.pages ?? '–', ratio(warm, base)];
  });
  const table = renderTable(
    ['letter (ours)', 'cold ms', `warm median ms (${LIMIT_WARM})`, 'pages', 'warm / three-page decision'],
    [['three-page decision (above)', '', ms(base), figures.ours[0]?.pages ?? '–', '1.0×'], ...rows],
  );
  printSection('PDF at the length limits (P10, P11): render time stays linear in the text', table, [
    'Limits: shared/templates/schema.ts DEFAULT_MAX_LENGTH per field type and section kind, MAX_DOCUMENT_LENGTH per document.',
    'One unbroken word per value is the case that was quadratic in pdfkit\'s line wrapper (27 s for 16,000 characters).',
  ]);
}

export function printPdfFigures(figures: PdfFigures): void {
  const stats = (results: readonly ChildResult[]) => ({
    cold: summarize(results.map((r) => r.cold)),
    warm: summarize(results.flatMap((r) => r.warm)),
    bytes: results[0]?.bytes ?? null,
    pages: results[0]?.pages ?? null,
    deterministic: results.every((r) => r.deterministic),
  });
  const ours = stats(figures.ours);
  const peer = stats(figures.peer);
  const kb = (bytes: number | null): string => (bytes === null ? '–' : `${(bytes / 1024).toFixed(1)} KB`);
  const row = (label: string, s: ReturnType<typeof stats>): (string | number)[] => [
    label,
    `${ms(s.cold.median)} (${s.cold.n})`,
    `${ms(s.warm.median)} (${s.warm.n})`,
    ms(s.warm.p95),
    kb(s.bytes),
    s.pages ?? '–',
  ];
  const table = renderTable(
    ['three-page decision', 'cold first render, median ms (processes)', 'warm median ms (renders)', 'warm p95 ms', 'size', 'pages'],
    [
      row('ours: PDF/A-2b, tagged, embedded subset fonts, XMP', ours),
      row('peer: bare pdfkit, same fonts subset, no PDF/A, no tags', peer),
      ['ours / peer', ratio(ours.cold.median, peer.cold.median), ratio(ours.warm.median, peer.warm.median), ratio(ours.warm.p95, peer.warm.p95), ratio(ours.bytes, peer.bytes), ''],
    ],
  );
  printSection('PDF: server render of a three-page decision (KT_BENCH_ONLY=pdf)', table, [
    `${ROUNDS} fresh processes per side, alternating; per process one cold render, 3 unmeasured, then ${WARM} warm renders.`,
    'Cold = the first render after the modules are loaded: font files read and parsed, code not yet optimised.',
    'Both sides share one parse of the fonts per process (server/pdf/fonts.ts letterFontSources); each render subsets anew.',
    `Same bytes on every render of the same input: ours ${ours.deterministic ? 'yes' : 'NO'}, peer ${peer.deterministic ? 'yes' : 'NO'}.`,
    ...figures.errors,
  ]);
  printLimitFigures(figures);
}
