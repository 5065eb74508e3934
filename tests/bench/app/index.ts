// The app section of `npm run bench`: the three figures of issue 3 measured on the client built
// fresh from the working tree and served by our server (child process, 127.0.0.1), printed as
// tables with their budgets (figures.ts, report.ts); nothing is asserted. run.ts imports this
// file only when the app section runs.
//   1 shipped.ts     JS and CSS the first screen fetches, gzipped; the service worker's precache
//   2 lighthouse.ts  Lighthouse 12 mobile: performance and accessibility of sign-in and the lock
//                    screen (cold loads); accessibility of the list and editor after the PIN
//   3 cold-start.ts  cold offline start: lock screen usable, then PIN → list usable, against a
//                    warm online start
// Everything runs before `deadline`; each part gets a share and stops starting runs when its
// share is used up. Results land in `figures` as they come, so the bench's watchdog can print a
// partial section. Build output, profiles, data and browsers are removed on every exit path.
import { onCleanup } from '../target';
import { emptyColdStartResult, measureColdStart } from './cold-start';
import type { AppFigures } from './figures';
import { emptyLighthouseResult, measureLighthouse } from './lighthouse';
import { buildClient, removeBuild, startAppServer, type AppServer } from './server';
import { measureShipped, screenBytes } from './shipped';

/** Below this the section is skipped: a build plus one Lighthouse round needs about this much. */
export const APP_MIN_MS = 150_000;
/** Kept for the cold start runs when Lighthouse decides whether to start another run. */
const COLD_START_SHARE_MS = 110_000;

const message = (error: unknown): string => (error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error));

export async function runAppSection(figures: AppFigures, deadline: number, progress: (message: string) => void): Promise<void> {
  if (deadline - Date.now() < APP_MIN_MS) {
    figures.shippedErrors.push('app section skipped: time budget used up');
    return;
  }
  const unregisterBuild = onCleanup(removeBuild);
  let server: AppServer | null = null;
  try {
    progress('app: building the client (vite build → .tmp/bench-dist)');
    const dist = await buildClient();
    server = await startAppServer(dist);

    progress('app: first-screen JS/CSS and precache');
    try {
      figures.shipped = await measureShipped(server.url, dist, 60_000);
    } catch (error) {
      figures.shippedErrors.push(message(error));
    }

    figures.lighthouse = emptyLighthouseResult();
    await measureLighthouse(server.url, deadline - COLD_START_SHARE_MS, progress, figures.lighthouse);
    for (const page of ['sign-in', 'lock', 'list', 'editor'] as const) {
      // Every run of a page fetches the same files; the first run's list stands for all.
      const run = figures.lighthouse.runs.find((r) => r.page === page);
      if (run !== undefined) figures.screens.push(screenBytes(page, run.resources, dist));
    }

    figures.coldStart = emptyColdStartResult();
    await measureColdStart(server, deadline - 5_000, progress, figures.coldStart);
  } catch (error) {
    figures.shippedErrors.push(`app section stopped: ${message(error)}`);
  } finally {
    await server?.dispose().catch(() => undefined);
    unregisterBuild();
    removeBuild();
  }
}
