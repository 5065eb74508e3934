// H5: submits render their PDF in a worker thread (server/pdf/pdf-renderer.ts), so the event loop
// that relays co-editors' keystrokes and commits their updates keeps turning while a letter is
// printed. The thread prints the same bytes as the in-process renderer, a failed render fails
// only itself, and a closed renderer refuses instead of hanging.
import { afterEach, describe, expect, it } from 'vitest';
import { inProcessRenderer, workerRenderer, type PdfRenderer } from '../../server/pdf/pdf-renderer';
import { checkLogo } from '../../server/pdf/logo';
import type { LetterPdfInput } from '../../server/pdf/render-letter';
import { DECISION_NOW, decisionLayout } from '../unit/pdf/decision-fixture';
import { pngWithAlpha } from '../unit/pdf/png';

const renderers: PdfRenderer[] = [];
afterEach(async () => {
  for (const r of renderers.splice(0)) await r.close();
});

function input(extra: Partial<LetterPdfInput> = {}): LetterPdfInput {
  return {
    layout: decisionLayout(),
    title: 'Voorschot op uw bijstandsuitkering',
    author: 'Karin Kantoor',
    subject: 'Beschikking, zaak ZAAK-2026-0042',
    keywords: ['ZAAK-2026-0042'],
    now: DECISION_NOW,
    ...extra,
  };
}

function worker(): PdfRenderer {
  const r = workerRenderer();
  renderers.push(r);
  return r;
}

/** How often a 5 ms timer fired on this thread while `work` was pending. */
async function ticksDuring(work: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => (ticks += 1), 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe('PDF rendering off the event loop', () => {
  it('[H5] [P2] the worker prints the same bytes as in-process, logo included', async () => {
    const logo = await checkLogo(pngWithAlpha(240, 80));
    if (!logo.ok) throw new Error(logo.error);
    const withLogo = input({ logo: logo.logo });
    const [threaded, local] = await Promise.all([worker().render(withLogo), inProcessRenderer().render(withLogo)]);
    expect(threaded.byteLength).toBeGreaterThan(10_000);
    expect(Buffer.from(threaded).equals(Buffer.from(local))).toBe(true);
  });

  it('[H5] the event loop keeps turning while the worker renders; in-process it stands still', async () => {
    const r = worker();
    // Several three-page decisions back to back: long enough for a 5 ms timer to fire many times.
    const batch = (renderer: PdfRenderer) => async () => {
      for (let i = 0; i < 4; i++) await renderer.render(input({ now: DECISION_NOW + i }));
    };
    await r.render(input()); // warm the thread (fonts parsed once per thread)
    await inProcessRenderer().render(input()); // and this one
    const threaded = await ticksDuring(batch(r));
    const local = await ticksDuring(batch(inProcessRenderer()));
    expect(threaded).toBeGreaterThan(local);
    expect(threaded).toBeGreaterThanOrEqual(4);
  });

  it('[H5] a render that fails rejects alone; the next one works; a closed renderer refuses', async () => {
    const r = worker();
    const broken = { ...input(), layout: null } as unknown as LetterPdfInput;
    await expect(r.render(broken)).rejects.toThrow(/pdf render failed/);
    expect((await r.render(input())).byteLength).toBeGreaterThan(10_000);
    await r.close();
    await expect(r.render(input())).rejects.toThrow(/closed/);
  });
});
