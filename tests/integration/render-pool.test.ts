// P12: letters render in a pool of worker threads, each with a time limit. A pathological letter
// (far beyond every length limit, as only a broken or hostile path could hand the renderer) is
// cut off at the limit and fails alone, while a normal letter next to it is printed; the pool
// replaces the ended thread and goes on. Through the real server, a render past the limit is a
// 422 problem in Dutch (stored with the key, the document stays concept), never a 5xx.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { PdfRenderError, workerRenderer, type PdfRenderer } from '../../server/pdf/pdf-renderer';
import { renderLetterPdf, type LetterPdfInput } from '../../server/pdf/render-letter';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { act, getDocument, newKey } from '../support/api';
import { writeLetter } from '../support/letter';
import { AckingClient, login, openDocument, startTestServer, type TestServer } from '../support/server';
import { multilingualInput } from '../unit/glyphs/multilingual-fixture';
import { DECISION_NOW, decisionLayout } from '../unit/pdf/decision-fixture';

const renderers: PdfRenderer[] = [];
const servers: TestServer[] = [];
const clients: AckingClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const r of renderers.splice(0)) await r.close();
  for (const s of servers.splice(0)) await s.dispose();
});

const normal = (): LetterPdfInput => ({
  layout: decisionLayout(),
  title: 'Voorschot',
  author: 'Karin Kantoor',
  subject: 'Beschikking',
  keywords: [],
  now: DECISION_NOW,
});

/** 40 × 10,000 words (3.6 million characters): what no validated document can hold; minutes of work. */
const pathological = (): LetterPdfInput => multilingualInput(Array.from({ length: 160 }, (_, i) => `alinea${i} `.repeat(10_000)).join('\n\n'));

describe('the render pool', () => {
  it('[P12] a render past the time limit fails alone with reason timeout; a normal one beside it is printed; the pool goes on', async () => {
    // The limit follows this machine's speed (the load of other jobs varies): twenty times the
    // median of three warm renders of the normal letter, measured here, and never under 10 s; the
    // pathological one is some 2,400 times its text (it took 5–10 s at 600 times, too near the floor). One measured render at ten times (at least 4 s)
    // once cut a normal letter on a machine at load 10: a single sample swings too much.
    await renderLetterPdf(normal());
    const samples: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const started = performance.now();
      await renderLetterPdf(normal());
      samples.push(performance.now() - started);
    }
    const warmMs = samples.sort((a, b) => a - b)[1] ?? 0;
    const pool = workerRenderer({ workers: 2, timeoutMs: Math.max(10_000, Math.round(20 * warmMs)) });
    renderers.push(pool);
    // Warm both threads (their first letter parses the fonts), so the limit measures rendering.
    await Promise.all([pool.render(normal()), pool.render(multilingualInput())]);

    const events: string[] = [];
    const bad = pool.render(pathological()).then(
      () => events.push('bad printed'),
      (error: unknown) => events.push(error instanceof PdfRenderError ? `bad ${error.reason}` : `bad ${String(error)}`),
    );
    const good = pool.render(normal()).then((pdf) => events.push(`good ${pdf.byteLength > 10_000 ? 'printed' : 'empty'}`));
    await Promise.all([bad, good]);
    expect(events).toEqual(['good printed', 'bad timeout']);

    // The ended thread was replaced: two letters at once still render.
    const again = await Promise.all([pool.render(normal()), pool.render(normal())]);
    for (const pdf of again) expect(pdf.byteLength).toBeGreaterThan(10_000);
  }, 180_000);

  it('[P12] a render that throws fails as reason failed; a closed pool refuses with reason closed', async () => {
    const pool = workerRenderer({ workers: 1 });
    renderers.push(pool);
    const broken = { ...normal(), layout: null } as unknown as LetterPdfInput;
    await expect(pool.render(broken)).rejects.toMatchObject({ reason: 'failed' });
    await pool.close();
    await expect(pool.render(normal())).rejects.toMatchObject({ reason: 'closed' });
  }, 60_000);

  it('[P12] through the server: a letter whose PDF cannot be made in time gets 422 pdf-render-failed in Dutch, stays concept, and a replay gives the same answer', async () => {
    // A limit no render can meet stands in for a letter that takes too long.
    const s = await startTestServer({ pdfPool: { workers: 1, timeoutMs: 1 } });
    servers.push(s);
    const vera = await login(s.url, 'veldwerker');
    const id = randomUUID();
    const opened = await openDocument(s.url, vera.accessToken, id);
    clients.push(opened.client);
    await writeLetter(opened.client, id, vera);

    const key = newKey();
    const refused = await act(s.url, vera.accessToken, id, 'submit', key);
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({
      problems: [{ section: 'meta', rule: 'pdf-render-failed', message: expect.stringMatching(/^PDF kon niet worden gemaakt: /) as string }],
    });
    expect((await act(s.url, vera.accessToken, id, 'submit', key)).text).toBe(refused.text);
    expect((await getDocument(s.url, vera.accessToken, id)).body).toMatchObject({ status: WorkflowStatus.concept, submissions: [] });
    expect(await s.store.latestSubmissionVersion(id)).toBe(0);
  }, 60_000);
});
