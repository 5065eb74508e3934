// A new version of the app: the service worker finds it, the page offers "Nieuwe versie
// beschikbaar — vernieuwen", and updating loses none of the text typed just before (S1).
// Two builds that differ in their theme colour stand for two deployments on one origin.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import type { RunningServer } from '../../server/app';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { unlockAfterLoad } from './pages/lock-page';
import { waitForServiceWorker } from './support/app';
import { startAppServer } from './support/app-server';
import { launchChromium, newPhoneContext } from './support/browser';
import { signedIn } from './support/fixture';
import { E2E_DIST } from './support/paths';

const NEXT_DIST = join(E2E_DIST, '..', 'e2e-dist-next');
const NEXT_COLOUR = '#0b3d2e';

const servers: RunningServer[] = [];
// One database for both deployments: the same server, a new version of the app.
const dataDir = mkdtempSync(join(tmpdir(), 'kt-e2e-update-'));

beforeAll(async () => {
  process.env.VITE_THEME_COLOR = NEXT_COLOUR;
  try {
    await build({ configFile: 'vite.config.ts', logLevel: 'warn', build: { outDir: NEXT_DIST, emptyOutDir: true } });
  } finally {
    delete process.env.VITE_THEME_COLOR;
  }
});

afterAll(async () => {
  await Promise.allSettled(servers.map((s) => s.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('app update', () => {
  it('[S1] offers the new version, and updating keeps the text typed just before', async () => {
    const first = await startAppServer({ dataDir });
    servers.push(first);
    const browser = await launchChromium();
    try {
      const context = await newPhoneContext(browser);
      const page = await signedIn(context, first.url, 'veldwerker');
      await waitForServiceWorker(page);
      const docId = await new DocumentListPage(page).createDocument();
      const editor = new EditorPage(page);
      await editor.fillSection('kern', 'Eerste versie van de brief.');
      await editor.waitForBadge('Opgeslagen op server');

      // The next deployment, on the same address (and so the same service worker scope).
      await first.close();
      const next = await startAppServer({ dataDir, port: first.port, staticDir: NEXT_DIST });
      servers.push(next);

      await editor.typeAtEnd('kern', ' Nog een zin.');
      await page.evaluate(async () => {
        await (await navigator.serviceWorker.getRegistration())?.update();
      });
      const prompt = page.getByTestId('update-prompt');
      await prompt.waitFor({ timeout: 30_000 });
      expect(await prompt.textContent()).toContain('Nieuwe versie beschikbaar');

      await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), prompt.getByRole('button', { name: 'Vernieuwen' }).click()]);
      // K14: the new version starts cold, so locked.
      await unlockAfterLoad(page);
      await editor.waitForForm();
      expect(new URL(page.url()).pathname).toBe(`/document/${docId}`);
      await expect.poll(() => editor.sectionValue('kern')).toBe('Eerste versie van de brief. Nog een zin.');
      await editor.waitForBadge('Opgeslagen op server');
      expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe(NEXT_COLOUR);
    } finally {
      await browser.close();
    }
  });
});
