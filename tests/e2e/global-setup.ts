// Builds the client once for the whole e2e run with Vite's build() API, into .tmp/e2e-dist, and
// fails early with a clear message when Debian's Chromium is missing. Also builds the previous
// release's client (scripts/previous-release.ts, cached by commit) for previous-release.test.ts.
import { existsSync } from 'node:fs';
import { build } from 'vite';
import { buildPreviousRelease } from '../../scripts/previous-release';
import { CHROMIUM_PATH } from './support/browser';
import { E2E_DIST } from './support/paths';

export default async function setup(): Promise<void> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`e2e needs Chromium at ${CHROMIUM_PATH}: apt-get install -y --no-install-recommends chromium`);
  }
  await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir: E2E_DIST, emptyOutDir: true } });
  await buildPreviousRelease();
}
