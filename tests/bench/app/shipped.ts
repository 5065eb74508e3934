// Figure 1: the JavaScript and CSS the browser really fetches for the first screen, and what
// the service worker precaches. A fresh phone context (no cache, no service worker) opens `/`
// (the sign-in screen: nobody is signed in yet) and waits for the network to go idle; every
// response of type script or stylesheet that the page itself requested is kept, its decoded
// body gzipped with zlib level 9 and summed. The service worker's own script and its precache
// fetches are not the page's requests and are counted apart. The precache figure is read back
// from Cache Storage once the worker is active: what a phone keeps for offline use.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page, type Response } from 'playwright-core';
import { SignInPage } from '../../e2e/pages/sign-in-page';
import { waitForServiceWorker } from '../../e2e/support/app';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PHONE } from './browser';

export interface ShippedFile {
  /** Path on the server, e.g. /assets/index-abc.js */
  path: string;
  type: 'script' | 'stylesheet';
  rawBytes: number;
  gzipBytes: number;
  /** Bytes of body the server actually sent (null when Chromium did not say). */
  wireBytes: number | null;
  /** The Content-Encoding the server answered with, '' for none. */
  encoding: string;
}

export interface PrecacheEntry {
  path: string;
  rawBytes: number;
  /** gzip -9 of the built file; null when it is not found in the build folder. */
  gzipBytes: number | null;
}

export interface ShippedResult {
  /** The first screen's own script and stylesheet responses. */
  files: ShippedFile[];
  /** Script and stylesheet responses from other origins (expected: none). */
  foreignFiles: number;
  /** The service worker script (registered after load; not needed to draw the first screen).
   *  Read from the build folder when Chromium did not report its fetch (wireBytes null). */
  serviceWorker: ShippedFile;
  precache: PrecacheEntry[];
  /** Whether the sign-in screen registered no worker, so the precache was read after signing in. */
  workerAfterSignIn: boolean;
  /** Heading the page showed, to prove which screen was measured. */
  screen: string;
}

const gzip = (body: Buffer): number => gzipSync(body, { level: 9 }).length;

async function describe(response: Response, type: ShippedFile['type']): Promise<ShippedFile> {
  const body = await response.body();
  const sizes = await response.request().sizes().catch(() => null);
  const headers = await response.allHeaders();
  return {
    path: new URL(response.url()).pathname,
    type,
    rawBytes: body.length,
    gzipBytes: gzip(body),
    wireBytes: sizes?.responseBodySize ?? null,
    encoding: headers['content-encoding'] ?? '',
  };
}

function fromBuild(distDir: string, path: string): ShippedFile {
  const body = readFileSync(join(distDir, path));
  return { path, type: 'script', rawBytes: body.length, gzipBytes: gzip(body), wireBytes: null, encoding: '' };
}

/** JS and CSS one screen fetched on a cold load (paths from Lighthouse), gzipped from the build. */
export interface ScreenBytes {
  screen: string;
  /** Paths of the scripts, for the notes. */
  scripts: string[];
  jsRawBytes: number;
  jsGzipBytes: number;
  cssGzipBytes: number;
  /** Files named by Lighthouse but not found in the build folder. */
  missing: number;
}

export function screenBytes(screen: string, resources: readonly { path: string; type: 'script' | 'stylesheet' }[], distDir: string): ScreenBytes {
  const result: ScreenBytes = { screen, scripts: [], jsRawBytes: 0, jsGzipBytes: 0, cssGzipBytes: 0, missing: 0 };
  const seen = new Set<string>();
  for (const { path, type } of resources) {
    if (seen.has(path)) continue;
    seen.add(path);
    let body: Buffer;
    try {
      body = readFileSync(join(distDir, path));
    } catch {
      result.missing += 1;
      continue;
    }
    if (type === 'script') {
      result.scripts.push(path);
      result.jsRawBytes += body.length;
      result.jsGzipBytes += gzip(body);
    } else result.cssGzipBytes += gzip(body);
  }
  return result;
}

/** How long the sign-in screen gets to register the service worker before the bench signs in. */
const WORKER_ON_SIGN_IN_MS = 10_000;

/** Whether a service worker is ready and controls `page` within `ms` (bounded, unlike `ready`). */
async function workerWithin(page: Page, ms: number): Promise<boolean> {
  try {
    await Promise.race([
      waitForServiceWorker(page),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}

export async function measureShipped(baseUrl: string, distDir: string, timeoutMs: number): Promise<ShippedResult> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 30_000 });
  try {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    const pageResponses: Response[] = [];
    const workerScripts: Response[] = [];
    context.on('response', (response) => {
      const request = response.request();
      if (request.serviceWorker() !== null) return; // the worker's own fetches (precache)
      const path = new URL(response.url()).pathname;
      if (path === '/sw.js') workerScripts.push(response);
      else pageResponses.push(response);
    });
    const signIn = new SignInPage(page);
    await page.goto(`${baseUrl}/`, { waitUntil: 'networkidle', timeout: timeoutMs });
    await signIn.heading.waitFor();
    const screen = (await signIn.heading.textContent())?.trim() ?? '';

    const files: ShippedFile[] = [];
    let foreignFiles = 0;
    for (const response of pageResponses) {
      const type = response.request().resourceType();
      if (type !== 'script' && type !== 'stylesheet') continue;
      if (new URL(response.url()).origin !== baseUrl) {
        foreignFiles += 1;
        continue;
      }
      files.push(await describe(response, type));
    }

    // The precache: once the worker is active, its install (which fills the cache) is done. The
    // worker is registered by the app's update prompt; where the sign-in screen has none, the
    // precache is read after signing in (the same build, the same list).
    let workerAfterSignIn = false;
    if (!(await workerWithin(page, WORKER_ON_SIGN_IN_MS))) {
      workerAfterSignIn = true;
      await signIn.signIn('veldwerker');
      if (!(await workerWithin(page, timeoutMs))) throw new Error(`no service worker controlled the page within ${timeoutMs / 1000} s of signing in`);
    }
    const cached = await page.evaluate(async () => {
      const out: { url: string; bytes: number }[] = [];
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        for (const request of await cache.keys()) {
          const response = await cache.match(request);
          if (response !== undefined) out.push({ url: request.url, bytes: (await response.arrayBuffer()).byteLength });
        }
      }
      return out;
    });
    const precache = cached.map(({ url, bytes }): PrecacheEntry => {
      const path = new URL(url).pathname;
      let gzipBytes: number | null = null;
      try {
        gzipBytes = gzip(readFileSync(join(distDir, path === '/' ? 'index.html' : path)));
      } catch {
        gzipBytes = null;
      }
      return { path, rawBytes: bytes, gzipBytes };
    });
    const worker = workerScripts[0];
    const reported = worker === undefined ? null : await describe(worker, 'script').catch(() => null);
    const serviceWorker = reported ?? fromBuild(distDir, '/sw.js');
    await context.close();
    return { files, foreignFiles, serviceWorker, precache, screen, workerAfterSignIn };
  } finally {
    await browser.close().catch(() => undefined);
  }
}
