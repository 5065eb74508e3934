// The app under test for the app figures: the client built fresh from the working tree with
// Vite's build() in a child process (build-child.ts), into .tmp/bench-dist (outside dist/, so a
// running `npm start` is not disturbed), and our server in a child process (server-child.ts)
// serving it on 127.0.0.1 with SQLite in a temp folder. `stop` and `start` keep the port and the data, so "the server is gone" can be
// made real for the offline start and undone again. Temp folders and children are registered
// with the bench's cleanup (tests/bench/target.ts), so every exit path removes them.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD } from '../../e2e/support/app-server';
import { freePort } from '../../support/child-server';
import { onCleanup, spawnServerChild, tempDir, type ServerChild } from '../target';

export { DEMO_PASSWORD };

export const BENCH_DIST = resolve('.tmp/bench-dist');

const SCRIPT = fileURLToPath(new URL('./server-child.ts', import.meta.url));
const BUILD_SCRIPT = fileURLToPath(new URL('./build-child.ts', import.meta.url));

/** Builds the client as `npm start` does (vite.config.ts), into BENCH_DIST, in a child process. */
export async function buildClient(timeoutMs = 180_000): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', BUILD_SCRIPT], {
    env: { ...process.env, KT_BENCH_DIST: BENCH_DIST },
    // The build's chatter goes to stderr with the progress lines; stdout is the report's.
    stdio: ['ignore', 2, 2],
  });
  const unregister = onCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  try {
    const code = await new Promise<number | string>((resolveExit, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`vite build took longer than ${timeoutMs / 1000} s`));
      }, timeoutMs);
      child.once('error', reject);
      child.once('exit', (exitCode, signal) => {
        clearTimeout(timer);
        resolveExit(exitCode ?? signal ?? 'unknown');
      });
    });
    if (code !== 0) throw new Error(`vite build failed (${code}); its output is on stderr`);
  } finally {
    unregister();
  }
  if (!existsSync(resolve(BENCH_DIST, 'index.html')) || !existsSync(resolve(BENCH_DIST, 'sw.js'))) {
    throw new Error(`the build in ${BENCH_DIST} has no index.html or sw.js`);
  }
  return BENCH_DIST;
}

/** Removes the build output again (called at the end of the app section). */
export function removeBuild(): void {
  rmSync(BENCH_DIST, { recursive: true, force: true });
}

export interface AppServer {
  /** http://127.0.0.1:<port>, the same across stop/start. */
  readonly url: string;
  readonly running: boolean;
  /** Starts the server again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops the server process (connections refused from then on). */
  stop(): Promise<void>;
  /** Stops it and removes its data folder. */
  dispose(): Promise<void>;
}

export async function startAppServer(staticDir: string): Promise<AppServer> {
  const data = tempDir('kt-bench-app-');
  const port = await freePort();
  let child: ServerChild | null = null;

  const start = async (): Promise<void> => {
    if (child !== null) return;
    const next = spawnServerChild(SCRIPT, {
      KT_BENCH_APP_SERVER: JSON.stringify({ port, dataDir: data.path, staticDir, demoPassword: DEMO_PASSWORD }),
    });
    try {
      await next.ready;
      child = next;
    } catch (error) {
      await next.stop(2_000);
      throw error;
    }
  };
  const stop = async (): Promise<void> => {
    const current = child;
    child = null;
    await current?.stop(10_000);
  };

  try {
    await start();
  } catch (error) {
    data.remove();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    get running() {
      return child !== null;
    },
    start,
    stop,
    async dispose() {
      await stop();
      data.remove();
    },
  };
}
