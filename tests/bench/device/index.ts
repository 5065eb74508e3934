// The device section of `npm run bench` (KT_BENCH_ONLY=device, issue 13): what encryption at
// rest and the PIN cost, in Debian's Chromium (playwright-core), in the same run:
//   1 opening a 200-document device (DexieLocalStore on real IndexedDB), AES-GCM codec beside
//     the identity codec, at 1× and 4× CPU throttling;
//   2 keystroke → stored on the device (DocPersistence.whenSaved) in the rich editor, both codecs,
//     at 1× and 4×;
//   3 unlocking with the PIN (PBKDF2-SHA256 + unwrap) for a few iteration counts, at 1× and 4×,
//     with a control of fixed JavaScript work that shows what the throttling slows.
// 4× is CDP Emulation.setCPUThrottlingRate, Lighthouse's proxy for a mid-range phone. The
// harness (harness.ts, bundled by Vite into a temp folder) is served by a small HTTP server on
// 127.0.0.1 (a secure origin for WebCrypto and IndexedDB). Nothing is asserted; every loop is
// bounded by count and `deadline`; the browser, server and folder go on every exit path.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PHONE } from '../../e2e/support/browser';
import { buildInChild } from '../editor/index';
import { summarize } from '../table';
import { onCleanup, tempDir } from '../target';
import type { DeviceFigures, Rate, Variant } from './figures';
import type { DeviceHarness } from './harness';

export const DEVICE_DOCS = 200;
const OPEN_ROUNDS = 7;
const TYPING_ROUNDS = 3;
const WARMUP_KEYS = 10;
const MEASURED_KEYS = 100;
const KEY_DELAY_MS = 40;
/** PBKDF2-SHA256 iteration counts to compare (OWASP 2023: 600,000). */
export const KDF_ITERATIONS = [100_000, 310_000, 600_000, 1_000_000] as const;
const KDF_RUNS = 5;
const RATES: readonly Rate[] = [1, 4];
const VARIANTS: readonly Variant[] = ['identity', 'aes-gcm'];
const CSS = fileURLToPath(new URL('../../../client/app/editor/rich/rich.css', import.meta.url));

const message = (error: unknown): string => (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));

function serve(script: string): Promise<{ url: string; server: Server }> {
  const html = '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>bench</title><link rel="stylesheet" href="/rich.css"></head><body><main id="host"></main><script src="/harness.js"></script></body></html>';
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/harness.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(script));
    else if (path === '/rich.css') res.writeHead(200, { 'content-type': 'text/css' }).end(readFileSync(CSS));
    else if (path === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    else res.writeHead(404).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server }));
  });
}

/**
 * A freshly loaded harness page at `rate`. The CDP session stays attached for the page's life:
 * detaching it would drop the throttling with it. Set again after every load.
 */
async function fresh(page: Page, cdp: CDPSession, url: string, rate: Rate): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => 'ktDevice' in window);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

async function typingRun(page: Page, cdp: CDPSession, url: string, variant: Variant, rate: Rate): Promise<DeviceFigures['typing'][number]> {
  await fresh(page, cdp, url, rate);
  const { mountMs } = await page.evaluate((v) => (window as unknown as { ktDevice: DeviceHarness }).ktDevice.setupTyping(v), variant);
  const take = () => page.evaluate(() => (window as unknown as { ktDevice: DeviceHarness }).ktDevice.take());
  const words = 'en dan schrijven we verder aan de brief ';
  const text = (n: number): string => words.repeat(Math.ceil(n / words.length)).slice(0, n);
  // Bounded wait for the last keystrokes' saves: until every key is accounted for, or 5 s.
  const settled = (keys: number) =>
    page
      .waitForFunction((n) => (window as unknown as { ktDevice: DeviceHarness }).ktDevice.peek() >= n, keys, { timeout: 5_000 })
      .catch(() => undefined);
  await page.keyboard.type(text(WARMUP_KEYS), { delay: KEY_DELAY_MS });
  await settled(WARMUP_KEYS);
  await take();
  await page.keyboard.type(text(MEASURED_KEYS), { delay: KEY_DELAY_MS });
  await settled(MEASURED_KEYS);
  const measured = await take();
  return { variant, rate, latencies: measured.latencies, unmatched: measured.unmatched, mountMs };
}

export async function runDeviceSection(figures: DeviceFigures, deadline: number, progress: (message: string) => void): Promise<void> {
  const dist = tempDir('kt-bench-device-');
  let browser: Browser | null = null;
  let server: Server | null = null;
  const unregister = onCleanup(() => {
    void browser?.close().catch(() => undefined);
    server?.close();
  });
  const timeLeft = (needMs: number): boolean => Date.now() + needMs < deadline;
  try {
    progress('device: bundling the harness (store, vault crypto, rich editor)');
    await buildInChild(fileURLToPath(new URL('./build-child.ts', import.meta.url)), { KT_BENCH_DEVICE_DIST: dist.path });
    const served = await serve(join(dist.path, 'harness.js'));
    server = served.server;
    const url = served.url;
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block' });
    const page = await context.newPage();
    page.setDefaultTimeout(120_000);
    const cdp = await context.newCDPSession(page);

    // 1. Opening a 200-document device.
    for (const variant of VARIANTS) {
      progress(`device: seeding ${DEVICE_DOCS} documents (${variant})`);
      await fresh(page, cdp, url, 1);
      const seeded = await page.evaluate(({ v, n }) => (window as unknown as { ktDevice: DeviceHarness }).ktDevice.seed(v, n), { v: variant, n: DEVICE_DOCS });
      figures.seeds.push({ variant, ...seeded });
      // The citizen's name must be readable in the identity rows and nowhere in the sealed ones.
      const plain = await page.evaluate((v) => (window as unknown as { ktDevice: DeviceHarness }).ktDevice.rawContains(v, 'de Vries'), variant);
      if (plain !== (variant === 'identity')) figures.errors.push(`seeded ${variant} rows ${plain ? 'hold' : 'do not hold'} the citizen's name in plain text: the variants are not what they say`);
    }
    for (const rate of RATES) {
      for (let round = 0; round < OPEN_ROUNDS; round++) {
        for (const variant of round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
          if (!timeLeft(60_000)) {
            figures.errors.push(`open ${variant} ${rate}× round ${round + 1}: skipped, time budget used up`);
            continue;
          }
          progress(`device: open ${DEVICE_DOCS} documents, ${variant}, ${rate}×, round ${round + 1}/${OPEN_ROUNDS}`);
          try {
            await fresh(page, cdp, url, rate);
            const run = await page.evaluate((v) => (window as unknown as { ktDevice: DeviceHarness }).ktDevice.openDevice(v), variant);
            if (run.docs !== DEVICE_DOCS) figures.errors.push(`open ${variant}: found ${run.docs} documents, not ${DEVICE_DOCS}`);
            figures.opens.push({ variant, rate, unlockMs: run.unlockMs, startMs: run.startMs, loadMs: run.loadMs, docs: run.docs });
          } catch (error) {
            figures.errors.push(`open ${variant} ${rate}× round ${round + 1}: ${message(error)}`);
          }
        }
      }
    }

    // 2. Keystroke → stored on the device.
    for (const rate of RATES) {
      for (let round = 0; round < TYPING_ROUNDS; round++) {
        for (const variant of round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
          if (!timeLeft(45_000)) {
            figures.errors.push(`typing ${variant} ${rate}× round ${round + 1}: skipped, time budget used up`);
            continue;
          }
          progress(`device: typing, ${variant}, ${rate}×, round ${round + 1}/${TYPING_ROUNDS}`);
          try {
            const run = await typingRun(page, cdp, url, variant, rate);
            const s = summarize(run.latencies);
            progress(`device: typing, ${variant}, ${rate}×: median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms`);
            figures.typing.push(run);
          } catch (error) {
            figures.errors.push(`typing ${variant} ${rate}× round ${round + 1}: ${message(error)}`);
          }
        }
      }
    }

    // 3. The PIN's KDF, with the control.
    for (const rate of RATES) {
      await fresh(page, cdp, url, rate);
      const controlRun = async (): Promise<void> => {
        figures.control.push({ rate, ms: await page.evaluate(() => (window as unknown as { ktDevice: DeviceHarness }).ktDevice.control()) });
      };
      for (let c = 0; c < 2; c++) await controlRun();
      for (const iterations of KDF_ITERATIONS) {
        if (!timeLeft(20_000)) {
          figures.errors.push(`KDF ${iterations} at ${rate}×: skipped, time budget used up`);
          continue;
        }
        progress(`device: PBKDF2 ${iterations.toLocaleString('en')} iterations, ${rate}×`);
        try {
          const run = await page.evaluate(({ n, runs }) => (window as unknown as { ktDevice: DeviceHarness }).ktDevice.kdf(n, runs), { n: iterations, runs: KDF_RUNS });
          figures.kdf.push({ rate, iterations, ...run });
        } catch (error) {
          figures.errors.push(`KDF ${iterations} at ${rate}×: ${message(error)}`);
        }
      }
      await controlRun();
    }
  } catch (error) {
    figures.errors.push(`device: ${message(error)}`);
  } finally {
    await browser?.close().catch(() => undefined);
    server?.close();
    unregister();
    dist.remove();
  }
}
