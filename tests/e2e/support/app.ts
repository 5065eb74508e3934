// Browser-side helpers shared by the e2e tests: waiting for the service worker to control the
// page (so a reload offline is served from its cache) and listing IndexedDB databases (D1).
import type { Page } from 'playwright-core';

export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

export async function databaseNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
}

/** The signed-in user's id, as the app remembers it for resuming. */
export async function rememberedUserId(page: Page): Promise<string | null> {
  return page.evaluate(() => localStorage.getItem('keukentafel.lastUserId'));
}
