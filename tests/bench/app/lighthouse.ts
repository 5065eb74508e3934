// Figure 2: Lighthouse 12 on the mobile preset (its default config: Moto G Power screen,
// simulated slow 4G and 4× CPU slowdown), each page LIGHTHOUSE_RUNS times with the pages in
// rotating order, the median reported. Two Chromiums started by chrome-launcher with the team's
// flags and a temp profile each: one never signed in, one in which Playwright, connected over the
// same remote-debugging port, signed in, chose the PIN and wrote letters before Lighthouse.
//
// A signed-in app locks on every full page load (K14: a reload, a typed address, a new tab), and
// Lighthouse's navigation mode is a full load in a new tab, so a cold load of "Mijn documenten"
// or of the editor is the lock screen; keeping the app unlocked in the profile is not possible
// (a reload locks). So the figure reports what a user meets:
//   sign-in  navigation of `/` in the fresh profile (performance and accessibility);
//   lock     navigation of `/` in the signed-in profile: the lock screen, the first screen of a
//            signed-in app (performance and accessibility). Lighthouse clears the origin's service
//            worker, Cache Storage and HTTP cache first (its default clearStorageTypes) but not
//            IndexedDB, so the vault survives and every run is a cold network load;
//   list, editor  Lighthouse snapshot mode (accessibility only: snapshot mode has no load
//            metrics) in a tab Puppeteer opened at `/`, unlocked with the PIN and then, for the
//            editor, moved to the first letter by clicking its row (in-app navigation; a full load
//            would lock again). How fast the unlock reaches the list is figure 3's.
// A check after the runs opens `/` again and proves the lock screen showed and the PIN still
// unlocked the list.
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { launch, type LaunchedChrome } from 'chrome-launcher';
import lighthouse, { snapshot } from 'lighthouse';
import { chromium } from 'playwright-core';
import puppeteer, { type Page as PuppeteerPage } from 'puppeteer-core';
import { onCleanup } from '../target';
import { BENCH_PIN, CHROMIUM_ARGS, CHROMIUM_PATH, SEED_DOCUMENTS, signInAndWriteLetters, unlocksToList } from './browser';

export type LighthousePage = 'sign-in' | 'lock' | 'list' | 'editor';
/** Navigation: a cold load, both categories. Snapshot: the screen as it stands, accessibility only. */
export type LighthouseMode = 'navigation' | 'snapshot';

export interface LighthouseRun {
  page: LighthousePage;
  mode: LighthouseMode;
  performance: number | null;
  accessibility: number | null;
  fcpMs: number | null;
  lcpMs: number | null;
  tbtMs: number | null;
  cls: number | null;
  speedIndexMs: number | null;
  /** Lighthouse's own CPU benchmark of this machine (it warns under 1,000). */
  benchmarkIndex: number | null;
  /** Accessibility audits that did not pass (id), for the notes. */
  failedA11y: string[];
  /** Performance audits Lighthouse scored below 0.9 (id), for the notes. */
  weakPerf: string[];
  /** Lighthouse's estimated saving of each opportunity among weakPerf, ms (overallSavingsMs). */
  savingsMs: Record<string, number>;
  warnings: string[];
  /**
   * Scripts and stylesheets the page itself fetched from our origin: Lighthouse's network records
   * (navigation), or what the tab requested from its load through the unlock to this screen (snapshot).
   */
  resources: { path: string; type: 'script' | 'stylesheet' }[];
  /** Audits of the two categories Lighthouse could not compute, with their weight in the score. */
  errored: { id: string; weight: number }[];
  finalUrl: string;
  wallMs: number;
}

export interface LighthouseResult {
  runs: LighthouseRun[];
  errors: string[];
  /** How the signed-in pages were reached, and whether the sign-in held to the end. */
  signedInCheck: string;
  chromeVersion: string;
}

/** Runs per page; the median of these is reported. */
export const LIGHTHOUSE_RUNS = 3;
const RUN_TIMEOUT_MS = 90_000;

interface Chrome {
  chrome: LaunchedChrome;
  close(): Promise<void>;
}

/** Chromium keeps its profile lock's socket in /tmp/org.chromium.Chromium.*; a killed one leaves it. */
function singletonDir(profile: string): string | null {
  try {
    const target = dirname(readlinkSync(join(profile, 'SingletonSocket')));
    return basename(target).startsWith('org.chromium.Chromium.') ? target : null;
  } catch {
    return null;
  }
}

async function startChrome(label: string): Promise<Chrome> {
  const dir = mkdtempSync(join(tmpdir(), `kt-bench-lh-${label}-`));
  let lockDir: string | null = null;
  const removeDirs = (): void => {
    lockDir ??= singletonDir(dir);
    rmSync(dir, { recursive: true, force: true });
    if (lockDir !== null) rmSync(lockDir, { recursive: true, force: true });
  };
  let chrome: LaunchedChrome;
  try {
    chrome = await launch({
      chromePath: CHROMIUM_PATH,
      chromeFlags: CHROMIUM_ARGS,
      userDataDir: dir,
      handleSIGINT: false,
      logLevel: 'silent',
      maxConnectionRetries: 100,
    });
  } catch (error) {
    removeDirs();
    throw error;
  }
  lockDir = singletonDir(dir);
  // On any exit path: SIGKILL to Chromium's process group (chrome-launcher's kill), then the folders.
  const kill = (): void => {
    try {
      chrome.kill();
    } catch {
      // already gone
    }
    removeDirs();
  };
  const unregister = onCleanup(kill);
  return {
    chrome,
    async close() {
      unregister();
      // Ask first (SIGTERM lets Chromium shut down and drop its lock), then make sure.
      const child = chrome.process;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      }
      kill();
    },
  };
}

function numeric(lhr: { audits: Record<string, { numericValue?: number } | undefined> }, id: string): number | null {
  const value = lhr.audits[id]?.numericValue;
  return value === undefined || !Number.isFinite(value) ? null : value;
}

/** The minimal shape of the network-requests audit's rows that is read here. */
interface NetworkRow {
  url?: unknown;
  resourceType?: unknown;
  sessionTargetType?: unknown;
}

function pageResources(details: unknown, origin: string): LighthouseRun['resources'] {
  const items = (details as { items?: NetworkRow[] } | undefined)?.items ?? [];
  const out: LighthouseRun['resources'] = [];
  for (const row of items) {
    // The service worker's precache fetches are its own session's, not the page's.
    if (row.sessionTargetType !== undefined && row.sessionTargetType !== 'page') continue;
    if (typeof row.url !== 'string' || !row.url.startsWith(origin)) continue;
    const type = row.resourceType === 'Script' ? 'script' : row.resourceType === 'Stylesheet' ? 'stylesheet' : null;
    if (type !== null) out.push({ path: new URL(row.url).pathname, type });
  }
  return out;
}

/** A run that did not finish in time: it may still be driving its tab, so no further run may start. */
class LighthouseHung extends Error {}

type LighthouseResultJson = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];

function toRun(page: LighthousePage, mode: LighthouseMode, lhr: LighthouseResultJson, origin: string, started: number): LighthouseRun {
  if (lhr.runtimeError !== undefined) throw new Error(`lighthouse ${page}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  const score = (id: string): number | null => {
    const value = lhr.categories[id]?.score;
    return value === null || value === undefined ? null : Math.round(value * 100);
  };
  const failing = (category: string, below: number): string[] =>
    (lhr.categories[category]?.auditRefs ?? [])
      .filter((ref) => {
        const audit = lhr.audits[ref.id];
        return audit !== undefined && audit.score !== null && audit.score < below && audit.scoreDisplayMode !== 'informative';
      })
      .map((ref) => ref.id);
  return {
    page,
    mode,
    resources: pageResources(lhr.audits['network-requests']?.details, origin),
    performance: score('performance'),
    accessibility: score('accessibility'),
    fcpMs: numeric(lhr, 'first-contentful-paint'),
    lcpMs: numeric(lhr, 'largest-contentful-paint'),
    tbtMs: numeric(lhr, 'total-blocking-time'),
    cls: numeric(lhr, 'cumulative-layout-shift'),
    speedIndexMs: numeric(lhr, 'speed-index'),
    benchmarkIndex: lhr.environment.benchmarkIndex ?? null,
    failedA11y: failing('accessibility', 1),
    weakPerf: failing('performance', 0.9),
    savingsMs: Object.fromEntries(
      failing('performance', 0.9).flatMap((id) => {
        const audit = lhr.audits[id];
        return audit?.details?.type === 'opportunity' && audit.numericUnit === 'millisecond' && audit.numericValue !== undefined
          ? [[id, audit.numericValue]]
          : [];
      }),
    ),
    warnings: lhr.runWarnings.map((w) => String(w)),
    errored: ['performance', 'accessibility'].flatMap((category) =>
      (lhr.categories[category]?.auditRefs ?? [])
        .filter((ref) => lhr.audits[ref.id]?.scoreDisplayMode === 'error')
        .map((ref) => ({ id: ref.id, weight: ref.weight })),
    ),
    finalUrl: lhr.finalDisplayedUrl,
    wallMs: performance.now() - started,
  };
}

/** Rejects after RUN_TIMEOUT_MS with LighthouseHung; `clear` stops the timer. */
function deadlineFor(what: string): { timeout: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LighthouseHung(`lighthouse ${what}: no result in ${RUN_TIMEOUT_MS / 1000} s`)), RUN_TIMEOUT_MS);
  });
  return { timeout, clear: () => clearTimeout(timer) };
}

async function runOnce(port: number, page: LighthousePage, url: string): Promise<LighthouseRun> {
  const started = performance.now();
  const limit = deadlineFor(page);
  const run = lighthouse(url, {
    port,
    hostname: '127.0.0.1',
    logLevel: 'silent',
    output: 'json',
    onlyCategories: ['performance', 'accessibility'],
  });
  // After a timeout the browser is closed under it; its late rejection must not go unhandled.
  run.catch(() => undefined);
  try {
    const result = await Promise.race([run, limit.timeout]);
    if (result === undefined) throw new Error(`lighthouse ${page}: no result`);
    return toRun(page, 'navigation', result.lhr, new URL(url).origin, started);
  } finally {
    limit.clear();
  }
}

async function snapshotOnce(tab: PuppeteerPage, page: LighthousePage, origin: string, resources: LighthouseRun['resources']): Promise<LighthouseRun> {
  const started = performance.now();
  const limit = deadlineFor(`${page} snapshot`);
  const run = snapshot(tab, { flags: { logLevel: 'silent', onlyCategories: ['accessibility'] } });
  run.catch(() => undefined);
  try {
    const result = await Promise.race([run, limit.timeout]);
    if (result === undefined) throw new Error(`lighthouse ${page} snapshot: no result`);
    return { ...toRun(page, 'snapshot', result.lhr, origin, started), resources: [...resources] };
  } finally {
    limit.clear();
  }
}

/**
 * Opens `/` in a new tab of the signed-in profile, unlocks it with the PIN, snapshots "Mijn
 * documenten", clicks the letter `docId` and snapshots the editor. Pushes each run as it lands.
 */
async function snapshotsAfterUnlock(port: number, baseUrl: string, docId: string, out: LighthouseRun[]): Promise<void> {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}`, defaultViewport: { width: 360, height: 740 } });
  const origin = new URL(baseUrl).origin;
  try {
    const tab = await browser.newPage();
    tab.setDefaultTimeout(30_000);
    const resources: LighthouseRun['resources'] = [];
    tab.on('request', (request) => {
      const type = request.resourceType();
      if ((type === 'script' || type === 'stylesheet') && request.url().startsWith(origin)) {
        resources.push({ path: new URL(request.url()).pathname, type });
      }
    });
    await tab.goto(`${baseUrl}/`);
    await tab.waitForSelector('#unlock-pin', { visible: true });
    await tab.type('#unlock-pin', BENCH_PIN);
    await tab.click('.kt-lock button[type="submit"]');
    await tab.waitForFunction((rows: number) => document.querySelectorAll('[data-testid="doc-row"]').length >= rows, {}, SEED_DOCUMENTS);
    out.push(await snapshotOnce(tab, 'list', origin, resources));
    await tab.click(`[data-testid="doc-row"] a[href="/document/${docId}"]`);
    await tab.waitForSelector('[data-testid="section-kern"]', { visible: true });
    out.push(await snapshotOnce(tab, 'editor', origin, resources));
    await tab.close();
  } finally {
    await browser.disconnect();
  }
}

/** Signs in through Playwright connected to `chrome`'s debugging port; returns the editor's document id. */
async function signInOver(port: number, baseUrl: string): Promise<string> {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 30_000 });
  try {
    const context = browser.contexts()[0];
    if (context === undefined) throw new Error('no default browser context over CDP');
    const page = await context.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    const ids = await signInAndWriteLetters(page, baseUrl);
    await page.close();
    const first = ids[0];
    if (first === undefined) throw new Error('no letter written');
    return first;
  } finally {
    // Disconnects Playwright; the browser and its default context keep running.
    await browser.close().catch(() => undefined);
  }
}

async function stillSignedIn(port: number, baseUrl: string): Promise<boolean> {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`, { timeout: 30_000 });
  try {
    const context = browser.contexts()[0];
    if (context === undefined) return false;
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`, { timeout: 30_000 });
    const ok = await unlocksToList(page);
    await page.close();
    return ok;
  } finally {
    await browser.close().catch(() => undefined);
  }
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

export function emptyLighthouseResult(): LighthouseResult {
  return { runs: [], errors: [], signedInCheck: 'sign-in not checked (run cut short)', chromeVersion: 'Chromium (version unknown)' };
}

/**
 * Runs Lighthouse on the three pages, filling `out` run by run (so a cut-off run still reports
 * what was measured); starts no run when `deadline` (Date.now()) is near.
 */
export async function measureLighthouse(
  baseUrl: string,
  deadline: number,
  progress: (message: string) => void,
  out: LighthouseResult,
): Promise<void> {
  const { runs, errors } = out;
  const fresh = await startChrome('fresh');
  let signed: Chrome | null = null;
  try {
    signed = await startChrome('signed-in');
    const version = (await fetch(`http://127.0.0.1:${fresh.chrome.port}/json/version`).then((r) => r.json())) as { Browser?: string };
    out.chromeVersion = version.Browser ?? out.chromeVersion;
    progress('lighthouse: signing in through Playwright over CDP, writing letters');
    const docId = await signInOver(signed.chrome.port, baseUrl);
    const targets: Partial<Record<LighthousePage, { port: number; url: string }>> = {
      'sign-in': { port: fresh.chrome.port, url: `${baseUrl}/` },
      lock: { port: signed.chrome.port, url: `${baseUrl}/` },
    };
    // 'list' stands for the unlocked tab: its snapshots of the list and then the editor.
    const pages: LighthousePage[] = ['sign-in', 'lock', 'list'];
    outer: for (let round = 0; round < LIGHTHOUSE_RUNS; round += 1) {
      for (const page of rotate(pages, round)) {
        // A run takes ~7–10 s here (RUN_TIMEOUT_MS at most); start none that would end past the deadline.
        if (Date.now() + 30_000 > deadline) {
          errors.push(`stopped after ${runs.length} runs: the app section's time budget was used up`);
          break outer;
        }
        progress(`lighthouse round ${round + 1}/${LIGHTHOUSE_RUNS}: ${page === 'list' ? 'unlock, list and editor (snapshots)' : page}`);
        const target = targets[page];
        try {
          if (target === undefined) await snapshotsAfterUnlock(signed.chrome.port, baseUrl, docId, runs);
          else runs.push(await runOnce(target.port, page, target.url));
        } catch (error) {
          errors.push(error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error));
          if (error instanceof LighthouseHung) break outer;
        }
      }
    }
    const held = await stillSignedIn(signed.chrome.port, baseUrl).catch(() => false);
    out.signedInCheck = held
      ? 'signed in and PIN chosen through Playwright (connectOverCDP) in the profile Lighthouse used; after the last run a load of / ' +
        'still showed the lock screen and the PIN still opened "Mijn documenten" with its rows'
      : 'WARNING: after the runs a load of / in the signed-in profile did not show the lock screen or the PIN did not open ' +
        '"Mijn documenten": lock figures may be of another screen';
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  } finally {
    await fresh.close();
    await signed?.close();
  }
}
