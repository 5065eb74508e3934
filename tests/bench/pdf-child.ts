// One fresh process of the PDF bench: `ours` (server/pdf/render-letter.ts, PDF/A-2b, tagged) or
// `peer` (bare pdfkit, pdf-peer.ts) renders the three-page decision once cold (fonts read and
// parsed, code not yet optimised: what the first submit after a start costs), WARM_UP more times
// unmeasured (the JIT settles), then `warm` times, and prints one JSON line:
// {cold, warm[], bytes, pages, deterministic}.
import { renderLetterPdf } from '../../server/pdf/render-letter';
import { DECISION_NOW, decisionLayout } from '../unit/pdf/decision-fixture';
import { limitLetter, type LimitCase } from './pdf-limits';
import { renderBarePdf } from './pdf-peer';

// `ours`, `peer`, or a letter at the limits (pdf-limits.ts), rendered by ours.
const LIMITS: readonly string[] = ['every-limit-words', 'every-limit-one-word', 'document-limit'] satisfies LimitCase[];
const arg = process.argv[2] ?? 'ours';
const variant = arg === 'peer' ? 'peer' : 'ours';
const warmRuns = Number(process.argv[3] ?? '20');
const WARM_UP = 3;
const layout = LIMITS.includes(arg) ? limitLetter(arg as LimitCase) : decisionLayout();

const render = (): Promise<Uint8Array> =>
  variant === 'ours'
    ? renderLetterPdf({
        layout,
        title: layout.subject,
        author: layout.signature.name,
        subject: `Beschikking, zaak ${layout.zaak}`,
        keywords: [layout.zaak, layout.kenmerk],
        now: DECISION_NOW,
      })
    : renderBarePdf(layout, DECISION_NOW);

const pages = (pdf: Uint8Array): number => Buffer.from(pdf).toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;

let started = performance.now();
const first = await render();
const cold = performance.now() - started;
const warm: number[] = [];
let last = first;
for (let i = 0; i < WARM_UP; i++) await render();
for (let i = 0; i < warmRuns; i++) {
  started = performance.now();
  last = await render();
  warm.push(performance.now() - started);
}
process.stdout.write(
  `${JSON.stringify({ cold, warm, bytes: first.length, pages: pages(first), deterministic: Buffer.from(first).equals(Buffer.from(last)) })}\n`,
);
