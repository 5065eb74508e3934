// Figure 3: from opening the app to "Mijn documenten" being usable, cold and offline, against a
// warm online start in the same run. One persistent Chromium profile (a temp folder) signs in
// online once and writes SEED_DOCUMENTS letters; the browser is closed. Then, COLD_START_RUNS times, in
// alternating order:
//   cold offline  the server process is stopped (connections refused, WebSockets included) and
//                 Chromium is started again on the profile with the context offline
//                 (context.setOffline): the app can only come from the service worker's cache
//                 and the list only from IndexedDB;
//   cold online   the server runs again; Chromium started again on the profile, online;
//   warm online   in that same browser, the page is closed and a new one opened at `/`.
// What is timed: a script added before any page script runs checks on every animation frame
// whether the list is usable (h1 "Mijn documenten" and all letter rows laid out and visible,
// nothing aria-busy, and a hit test on "Nieuw document" and on the first row if it is on screen
// reaches the link) and records performance.now() of the first such frame: milliseconds since
// the navigation started, which includes starting the service worker but not Chromium's own
// start. Preact renders on the client with its handlers attached (no hydration step), so a row
// that is drawn and hit-testable is one a tap works on. Every run is bounded in time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { onCleanup } from '../target';
import { CHROMIUM_ARGS, CHROMIUM_PATH, PHONE, SEED_DOCUMENTS, settleOnline, showsList, signInAndWriteLetters } from './browser';
import type { AppServer } from './server';

export type StartKind = 'cold offline' | 'cold online' | 'warm online';

export interface StartSample {
  kind: StartKind;
  /** ms from navigation start until the shell's HTML arrived (responseEnd). */
  shellMs: number;
  /** ms from navigation start until the heading "Mijn documenten" showed. */
  headingMs: number;
  /** ms from navigation start until the list was usable. */
  usableMs: number;
  /** Whether the service worker answered the navigation. */
  fromServiceWorker: boolean;
}

export interface ColdStartResult {
  samples: StartSample[];
  errors: string[];
  /** Runs planned; fewer happen when the time budget runs out. */
  planned: number;
}

export const COLD_START_RUNS = 10;
const MEASURE_TIMEOUT_MS = 20_000;

interface Marks {
  heading?: number;
  usable?: number;
}

/**
 * Runs in the page before its own scripts: records the first animation frames at which the
 * heading showed and the list was usable. A string, not a function: tsx's transform wraps
 * named inner functions in a helper (`__name`) that does not exist in the page.
 */
function watchForList(expectedRows: number): string {
  return `(() => {
  const marks = {};
  window.__ktMarks = marks;
  const shown = (el) => {
    if (!(el instanceof HTMLElement)) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const reachable = (el) => {
    const box = el.getBoundingClientRect();
    const x = box.left + box.width / 2;
    const y = box.top + box.height / 2;
    if (y < 0 || y > innerHeight || x < 0 || x > innerWidth) return true; // off screen: scrolls into reach
    const hit = document.elementFromPoint(x, y);
    return hit !== null && el.contains(hit);
  };
  const check = () => {
    if (document.body === null) return;
    const heading = Array.from(document.querySelectorAll('h1')).find((h) => h.textContent.trim() === 'Mijn documenten');
    if (marks.heading === undefined && shown(heading)) marks.heading = performance.now();
    if (marks.heading === undefined) return;
    const rows = Array.from(document.querySelectorAll('[data-testid="doc-row"]'));
    if (rows.length < ${expectedRows} || !rows.every(shown)) return;
    if (document.querySelector('[aria-busy="true"]') !== null) return;
    const create = Array.from(document.querySelectorAll('a')).find((a) => a.textContent.trim() === 'Nieuw document');
    const firstLink = rows[0].querySelector('a');
    if (!shown(create) || !reachable(create) || !shown(firstLink) || !reachable(firstLink)) return;
    marks.usable = performance.now();
  };
  const frame = () => {
    check();
    if (marks.usable === undefined) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;
}

async function readMarks(page: Page, kind: StartKind): Promise<StartSample> {
  await page.waitForFunction(() => (window as unknown as { __ktMarks?: Marks }).__ktMarks?.usable !== undefined, undefined, {
    timeout: MEASURE_TIMEOUT_MS,
    polling: 100,
  });
  return page.evaluate((k) => {
    const marks = (window as unknown as { __ktMarks: Required<Marks> }).__ktMarks;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return {
      kind: k,
      shellMs: nav?.responseEnd ?? Number.NaN,
      headingMs: marks.heading,
      usableMs: marks.usable,
      fromServiceWorker: (nav?.workerStart ?? 0) > 0,
    };
  }, kind);
}

interface Profile {
  dir: string;
  launch(offline: boolean): Promise<BrowserContext>;
  remove(): void;
}

function makeProfile(): Profile {
  const dir = mkdtempSync(join(tmpdir(), 'kt-bench-profile-'));
  const open = new Set<BrowserContext>();
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  const unregister = onCleanup(remove);
  return {
    dir,
    async launch(offline) {
      const context = await chromium.launchPersistentContext(dir, {
        ...PHONE,
        executablePath: CHROMIUM_PATH,
        args: CHROMIUM_ARGS,
        offline,
        timeout: 30_000,
      });
      open.add(context);
      context.on('close', () => open.delete(context));
      await context.addInitScript({ content: watchForList(SEED_DOCUMENTS) });
      return context;
    },
    remove() {
      for (const context of open) void context.close().catch(() => undefined);
      unregister();
      remove();
    },
  };
}

async function firstPage(context: BrowserContext): Promise<Page> {
  return context.pages()[0] ?? (await context.newPage());
}

async function coldOffline(profile: Profile, server: AppServer): Promise<StartSample> {
  await server.stop();
  const context = await profile.launch(true);
  try {
    await context.setOffline(true);
    const page = await firstPage(context);
    await page.goto(`${server.url}/`, { waitUntil: 'commit', timeout: MEASURE_TIMEOUT_MS });
    return await readMarks(page, 'cold offline');
  } finally {
    await context.close().catch(() => undefined);
  }
}

async function coldAndWarmOnline(profile: Profile, server: AppServer): Promise<StartSample[]> {
  await server.start();
  const context = await profile.launch(false);
  try {
    const samples: StartSample[] = [];
    const page = await firstPage(context);
    await page.goto(`${server.url}/`, { waitUntil: 'commit', timeout: MEASURE_TIMEOUT_MS });
    samples.push(await readMarks(page, 'cold online'));
    // Close only once the app is connected: a token refresh cut off halfway would end the sign-in.
    await settleOnline(page);
    await page.close();
    const warm = await context.newPage();
    await warm.goto(`${server.url}/`, { waitUntil: 'commit', timeout: MEASURE_TIMEOUT_MS });
    samples.push(await readMarks(warm, 'warm online'));
    await settleOnline(warm);
    return samples;
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** After a failed run: does the profile still open on the list (online)? */
async function stillShowsList(profile: Profile, server: AppServer): Promise<boolean> {
  try {
    await server.start();
    const context = await profile.launch(false);
    try {
      const page = await firstPage(context);
      await page.goto(`${server.url}/`, { timeout: MEASURE_TIMEOUT_MS });
      const ok = await showsList(page);
      await settleOnline(page);
      return ok;
    } finally {
      await context.close().catch(() => undefined);
    }
  } catch {
    return false;
  }
}

/** Measures the starts; stops starting runs when `deadline` (Date.now()) is near. */
export function emptyColdStartResult(): ColdStartResult {
  return { samples: [], errors: [], planned: COLD_START_RUNS };
}

/** Fills `out` start by start (so a cut-off run still reports what was measured). */
export async function measureColdStart(
  server: AppServer,
  deadline: number,
  progress: (message: string) => void,
  out: ColdStartResult,
): Promise<void> {
  const { samples, errors } = out;
  const profile = makeProfile();
  try {
    progress('cold start: signing in once online, writing letters');
    await server.start();
    const setup = await profile.launch(false);
    try {
      await signInAndWriteLetters(await firstPage(setup), server.url);
      await settleOnline(await firstPage(setup));
    } finally {
      await setup.close().catch(() => undefined);
    }
    for (let run = 0; run < COLD_START_RUNS; run += 1) {
      // One run (three starts, two browser launches, a server stop and start) takes ~5–15 s.
      if (Date.now() + 25_000 > deadline) {
        errors.push(`stopped after ${run} of ${COLD_START_RUNS} runs: the app section's time budget was used up`);
        break;
      }
      progress(`cold start run ${run + 1}/${COLD_START_RUNS}`);
      try {
        // Alternate which comes first, so a slow phase of the machine hits both.
        if (run % 2 === 0) {
          samples.push(await coldOffline(profile, server));
          samples.push(...(await coldAndWarmOnline(profile, server)));
        } else {
          samples.push(...(await coldAndWarmOnline(profile, server)));
          samples.push(await coldOffline(profile, server));
        }
      } catch (error) {
        errors.push(`run ${run + 1}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        // A lost sign-in would make every further run fail the same way.
        if (!(await stillShowsList(profile, server))) {
          errors.push('the profile no longer shows the list (sign-in lost?): stopped');
          break;
        }
      }
    }
  } catch (error) {
    errors.push(error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error));
  } finally {
    profile.remove();
    await server.start().catch(() => undefined);
  }
}
