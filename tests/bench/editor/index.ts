// The editor section of `npm run bench` (KT_BENCH_ONLY=editor): (1) the size of the lazily
// loaded rich-text chunk in the real app build, gzipped, and whether the service worker
// precaches it and the first screen leaves it out; (2) typing latency in a 20-page document in
// Debian's Chromium (playwright-core), ours (the app's rich editor) against a peer in the same
// run (a textarea bound to Y.Text with the app's own binding), runs alternating. Nothing is
// asserted. Builds go to temp folders that every exit path removes; the whole section stays
// within `deadline` (about a minute here).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PHONE } from '../../e2e/support/browser';
import { onCleanup, tempDir } from '../target';
import type { ChunkSize, EditorFigures, TypingRun } from './figures';

const ROUNDS = 3;
const WARMUP_KEYS = 20;
const MEASURED_KEYS = 150;
const KEY_DELAY_MS = 30;
const CSS = fileURLToPath(new URL('../../../client/app/editor/rich/rich.css', import.meta.url));

const message = (error: unknown): string => (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));

/** Runs a build script in a child (Vite's bundler writes to fd 1, which the report owns). */
export async function buildInChild(script: string, env: Record<string, string>, timeoutMs = 120_000): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', 2, 2] });
  const unregister = onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  try {
    const code = await new Promise<number | string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`build took longer than ${timeoutMs / 1000} s`));
      }, timeoutMs);
      child.once('error', reject);
      child.once('exit', (exitCode, signal) => {
        clearTimeout(timer);
        resolve(exitCode ?? signal ?? 'unknown');
      });
    });
    if (code !== 0) throw new Error(`build failed (${code}); its output is on stderr`);
  } finally {
    unregister();
  }
}

function sizeOf(dist: string, file: string): ChunkSize {
  const body = readFileSync(join(dist, 'assets', file));
  const sw = readFileSync(join(dist, 'sw.js'), 'utf8');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  return { file, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length, precached: sw.includes(file), inFirstScreen: html.includes(file) };
}

/** The app build's lazy rich-text chunk (ProseMirror inside) and the editor screen's chunk. */
async function measureChunk(figures: EditorFigures): Promise<void> {
  const dist = tempDir('kt-bench-editor-app-');
  try {
    await buildInChild(fileURLToPath(new URL('../app/build-child.ts', import.meta.url)), { KT_BENCH_DIST: dist.path });
    const files = readdirSync(join(dist.path, 'assets')).filter((f) => f.endsWith('.js'));
    const rich = files.find((f) => /^mount-/.test(f)) ?? files.find((f) => readFileSync(join(dist.path, 'assets', f), 'utf8').includes('ProseMirror-'));
    if (rich === undefined) figures.errors.push('no chunk with ProseMirror found in the build');
    else figures.chunk = sizeOf(dist.path, rich);
    const screen = files.find((f) => /^Editor-/.test(f));
    if (screen !== undefined) figures.editorScreen = sizeOf(dist.path, screen);
  } finally {
    dist.remove();
  }
}

async function typingRun(browser: Browser, script: string, variant: TypingRun['variant']): Promise<TypingRun> {
  const context = await browser.newContext({ ...PHONE, serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.setContent('<!doctype html><html lang="nl"><body><main id="host"></main></body></html>');
    await page.addStyleTag({ path: CSS });
    await page.addScriptTag({ path: script });
    const setup = await page.evaluate((v) => {
      const bench = (window as unknown as { ktBench: { setupRich(): { mountMs: number; characters: number }; setupTextarea(): { mountMs: number; characters: number } } }).ktBench;
      return v === 'rich' ? bench.setupRich() : bench.setupTextarea();
    }, variant);
    const take = () => page.evaluate(() => (window as unknown as { ktBench: { take(): { latencies: number[]; missing: number } } }).ktBench.take());
    const words = 'en dan schrijven we verder aan de brief ';
    const text = (n: number): string => words.repeat(Math.ceil(n / words.length)).slice(0, n);
    await page.keyboard.type(text(WARMUP_KEYS), { delay: KEY_DELAY_MS });
    await page.waitForTimeout(200);
    await take();
    await page.keyboard.type(text(MEASURED_KEYS), { delay: KEY_DELAY_MS });
    await page.waitForTimeout(300);
    const measured = await take();
    return { variant, ...measured, ...setup };
  } finally {
    await context.close().catch(() => undefined);
  }
}

export async function runEditorSection(figures: EditorFigures, deadline: number, progress: (message: string) => void): Promise<void> {
  progress('editor: building the app (vite build) for the chunk size');
  try {
    await measureChunk(figures);
  } catch (error) {
    figures.errors.push(`chunk size: ${message(error)}`);
  }
  const harness = tempDir('kt-bench-editor-harness-');
  let browser: Browser | null = null;
  const unregisterBrowser = onCleanup(() => void browser?.close().catch(() => undefined));
  try {
    progress('editor: bundling the typing harness');
    await buildInChild(fileURLToPath(new URL('./build-child.ts', import.meta.url)), { KT_BENCH_EDITOR_DIST: harness.path });
    const script = join(harness.path, 'harness.js');
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    for (let round = 0; round < ROUNDS; round++) {
      const order: TypingRun['variant'][] = round % 2 === 0 ? ['rich', 'textarea'] : ['textarea', 'rich'];
      for (const variant of order) {
        if (Date.now() + 30_000 > deadline) {
          figures.errors.push(`${variant} round ${round + 1}: skipped, time budget used up`);
          continue;
        }
        progress(`editor typing round ${round + 1}/${ROUNDS}: ${variant}`);
        try {
          figures.runs.push(await typingRun(browser, script, variant));
        } catch (error) {
          figures.errors.push(`${variant} round ${round + 1}: ${message(error)}`);
        }
      }
    }
  } catch (error) {
    figures.errors.push(`typing: ${message(error)}`);
  } finally {
    await browser?.close().catch(() => undefined);
    unregisterBrowser();
    harness.remove();
  }
}
