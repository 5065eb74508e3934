// Figure 3: from opening the app to "Mijn documenten" being usable, cold and offline, against a
// warm online start in the same run. Every full page load of a signed-in app shows the lock
// screen first (K14), so a start is two steps a user sees: the lock screen until it is usable,
// then, once the PIN is in, the unlock (PBKDF2, unwrapping the data key, opening the encrypted
// store) until the list is usable. One persistent Chromium profile (a temp folder) signs in
// online once, chooses the PIN and writes SEED_DOCUMENTS letters; the browser is closed. Then,
// COLD_START_RUNS times, in alternating order:
//   cold offline  the server process is stopped (connections refused, WebSockets included) and
//                 Chromium is started again on the profile with the context offline
//                 (context.setOffline): the app can only come from the service worker's cache
//                 and the list only from IndexedDB;
//   cold online   the server runs again; Chromium started again on the profile, online;
//   warm online   in that same browser, the page is closed and a new one opened at `/` (a new
//                 tab is a cold start of the app too: it locks).
// What is timed: a script added before any page script runs checks on every animation frame
// whether the lock screen is usable (h1 "Keukentafel is vergrendeld", the PIN field and
// "Ontgrendelen" visible and hit-testable, nothing aria-busy), then whether the list is usable
// (h1 "Mijn documenten" and all letter rows laid out and visible, nothing aria-busy, and a hit
// test on "Nieuw document" and on the first row if it is on screen reaches the link), and records
// performance.now() of the first such frames: milliseconds since the navigation started, which
// includes starting the service worker but not Chromium's own start. The harness types the PIN as
// soon as the lock screen is usable; the script also records when the form was submitted, so
// the unlock is timed from the submit to the list being usable and the harness's own reaction
// (Playwright's round trips, typing) is not counted: total = lock usable + unlock. Preact renders
// on the client with its handlers attached (no hydration step), so what is drawn and
// hit-testable is what a tap works on. Every run is bounded in time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { onCleanup } from '../target';
import { BENCH_PIN, CHROMIUM_ARGS, CHROMIUM_PATH, PHONE, SEED_DOCUMENTS, settleOnline, signInAndWriteLetters, unlocksToList } from './browser';
import type { AppServer } from './server';

export type StartKind = 'cold offline' | 'cold online' | 'warm online';

export interface StartSample {
  kind: StartKind;
  /** ms from navigation start until the shell's HTML arrived (responseEnd). */
  shellMs: number;
  /** ms from navigation start until the lock screen was usable (PIN field and button). */
  lockMs: number;
  /** ms from lock usable until the harness had typed the PIN and submitted (not counted). */
  typingMs: number;
  /** ms from the PIN's submit until the list was usable: the unlock as a user waits for it. */
  unlockMs: number;
  /** lockMs + unlockMs: the start as if the PIN were typed the instant the field is usable. */
  totalMs: number;
  /** ms from the submit until the heading "Mijn documenten" showed. */
  headingAfterSubmitMs: number;
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
  lock?: number;
  submit?: number;
  heading?: number;
  usable?: number;
}

/**
 * Runs in the page before its own scripts: records the first animation frames at which the lock
 * screen was usable, the PIN form's submit, and the frames at which the heading showed and the
 * list was usable. A string, not a function: tsx's transform wraps named inner functions in a
 * helper (`__name`) that does not exist in the page.
 */
function watchForList(expectedRows: number): string {
  return `(() => {
  const marks = {};
  window.__ktMarks = marks;
  // Capture phase on window: before Preact's onSubmit (which starts the unlock) runs.
  window.addEventListener('submit', (event) => {
    if (marks.lock !== undefined && marks.submit === undefined && event.target instanceof HTMLFormElement && event.target.closest('.kt-lock') !== null) {
      marks.submit = performance.now();
    }
  }, true);
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
  const usable = (el) => shown(el) && reachable(el);
  const h1 = (text) => Array.from(document.querySelectorAll('h1')).find((h) => h.textContent.trim() === text);
  const checkLock = () => {
    if (!shown(h1('Keukentafel is vergrendeld'))) return;
    if (document.querySelector('[aria-busy="true"]') !== null) return;
    const pin = document.getElementById('unlock-pin');
    const button = Array.from(document.querySelectorAll('.kt-lock button[type="submit"]')).find((b) => b.textContent.trim() === 'Ontgrendelen');
    if (!usable(pin) || !usable(button)) return;
    marks.lock = performance.now();
  };
  const checkList = () => {
    const heading = h1('Mijn documenten');
    if (marks.heading === undefined && shown(heading)) marks.heading = performance.now();
    if (marks.heading === undefined) return;
    const rows = Array.from(document.querySelectorAll('[data-testid="doc-row"]'));
    if (rows.length < ${expectedRows} || !rows.every(shown)) return;
    if (document.querySelector('[aria-busy="true"]') !== null) return;
    const create = Array.from(document.querySelectorAll('a')).find((a) => a.textContent.trim() === 'Nieuw document');
    const firstLink = rows[0].querySelector('a');
    if (!usable(create) || !usable(firstLink)) return;
    marks.usable = performance.now();
  };
  const frame = () => {
    if (document.body !== null) {
      if (marks.lock === undefined) checkLock();
      else if (marks.submit !== undefined) checkList();
    }
    if (marks.usable === undefined) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;
}

/** Waits until the lock screen is usable, types the PIN at once and submits it. */
async function unlockWhenUsable(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { __ktMarks?: Marks }).__ktMarks?.lock !== undefined, undefined, {
    timeout: MEASURE_TIMEOUT_MS,
    polling: 'raf',
  });
  await page.locator('#unlock-pin').fill(BENCH_PIN, { timeout: MEASURE_TIMEOUT_MS });
  await page.locator('.kt-lock button[type="submit"]').click({ timeout: MEASURE_TIMEOUT_MS });
}

async function readMarks(page: Page, kind: StartKind): Promise<StartSample> {
  await unlockWhenUsable(page);
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
      lockMs: marks.lock,
      typingMs: marks.submit - marks.lock,
      unlockMs: marks.usable - marks.submit,
      totalMs: marks.lock + (marks.usable - marks.submit),
      headingAfterSubmitMs: marks.heading - marks.submit,
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

/** After a failed run: does the profile still open on the lock screen and, with the PIN, the list (online)? */
async function stillShowsList(profile: Profile, server: AppServer): Promise<boolean> {
  try {
    await server.start();
    const context = await profile.launch(false);
    try {
      const page = await firstPage(context);
      await page.goto(`${server.url}/`, { timeout: MEASURE_TIMEOUT_MS });
      const ok = await unlocksToList(page);
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
