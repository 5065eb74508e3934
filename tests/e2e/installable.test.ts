// The PWA itself: Chromium's installability check passes on the manifest (name, icons 192/512,
// standalone, start_url) with the service worker in control. Asked over CDP from a persistent
// profile: an incognito context (`browser.newContext`) always answers "in-incognito".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app';
import { SignInPage } from './pages/sign-in-page';
import { waitForServiceWorker } from './support/app';
import { startAppServer } from './support/app-server';
import { launchPersistentPhone } from './support/browser';
import { watchCsp } from './support/fixture';

let server: RunningServer;

beforeAll(async () => {
  server = await startAppServer();
});

afterAll(async () => {
  await server?.close();
});

describe('installable PWA', () => {
  it('passes Chromium\'s installability check with a Dutch manifest', async () => {
    const { context, dispose } = await launchPersistentPhone();
    const violations: string[] = [];
    await watchCsp(context, violations);
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await new SignInPage(page).goto(server.url);
      await waitForServiceWorker(page);
      // G3: the shell, its chunks, the manifest and the service worker load under the CSP.
      await page.reload();
      await new SignInPage(page).heading.waitFor();
      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
        installabilityErrors: { errorId: string }[];
      };
      expect(installabilityErrors.map((e) => e.errorId)).toEqual([]);

      const manifest = (await (await fetch(`${server.url}/manifest.webmanifest`)).json()) as Record<string, unknown>;
      expect(manifest).toMatchObject({ name: 'Keukentafel', lang: 'nl', display: 'standalone', start_url: '/' });
      const icons = manifest.icons as { sizes: string; purpose: string }[];
      expect(icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
      expect(violations).toEqual([]);
    } finally {
      await dispose();
    }
  });

  it('the service worker never answers /api/ from a cache', async () => {
    const { context, dispose } = await launchPersistentPhone();
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await new SignInPage(page).goto(server.url);
      await waitForServiceWorker(page);
      const cached = await page.evaluate(async () => {
        const urls: string[] = [];
        for (const name of await caches.keys()) {
          for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
        }
        return urls;
      });
      expect(cached).toContain('/index.html');
      expect(cached.filter((path) => path.startsWith('/api/') || path.startsWith('/sync/'))).toEqual([]);
      // A deep link is the app's route, not the API's: served by the shell.
      const status = await page.evaluate(async () => (await fetch('/api/health')).status);
      expect(status).toBe(200);
    } finally {
      await dispose();
    }
  });
});
