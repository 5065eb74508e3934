// The audit trail in the browser (U6–U8): a document's editor shows its own log under the
// versions; an admin reads the trail at /beheer/logboek, filters it and downloads CSV. Both pass
// axe at 360 px, the admin screen also at 1280 px; screenshots in .tmp/e2e-screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { DocumentListPage } from './pages/document-list-page';
import { SignInPage } from './pages/sign-in-page';
import { DEMO_PASSWORD } from './support/app-server';
import { newPhoneContext } from './support/browser';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { E2E_SCREENSHOTS } from './support/paths';
import { gotoAndUnlock } from './pages/lock-page';

let world: E2EWorld;

beforeAll(async () => {
  world = await startWorld();
  mkdirSync(E2E_SCREENSHOTS, { recursive: true });
  await world.server.store.createUser({
    id: 'u-beheer',
    username: 'beheer-e2e',
    name: 'Bea Beheer',
    teamId: 'centrum',
    roles: ['admin'],
    passwordHash: await hashPassword(DEMO_PASSWORD),
    disabled: false,
  });
});

afterAll(async () => {
  await world?.close();
});

async function violations(page: Page, name: string): Promise<string[]> {
  await page.screenshot({ path: join(E2E_SCREENSHOTS, `${name}.png`), fullPage: true });
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary ?? ''}`));
}

describe('audit trail in the app', () => {
  it('[U8] the editor shows the document\'s own log; [U6] an admin filters the trail at 360 and 1280 px', async () => {
    const page = await signedIn(await world.newPhone(), world.baseUrl, 'veldwerker');
    const docId = await new DocumentListPage(page).createDocument();
    const log = page.getByTestId('document-log');
    await log.waitFor({ timeout: 15_000 });
    await expect.poll(() => log.innerText(), { timeout: 15_000 }).toMatch(/Document aangemaakt door Vera Veldwerker/);
    expect(await violations(page, 'u8-editor-logboek')).toEqual([]);

    for (const [width, height] of [
      [360, 740],
      [1280, 800],
    ] as const) {
      const context = width === 360 ? await world.newPhone() : await newPhoneContext(world.browser, { viewport: { width, height }, isMobile: false, hasTouch: false });
      const admin = await context.newPage();
      const signIn = new SignInPage(admin);
      await signIn.goto(world.baseUrl);
      await signIn.signIn('beheer-e2e');
      await gotoAndUnlock(admin, `${world.baseUrl}/beheer/logboek`);
      await admin.getByRole('heading', { level: 1, name: 'Logboek' }).waitFor();
      await admin.getByLabel('Document (id)').fill(docId);
      await admin.getByRole('button', { name: 'Zoeken' }).click();
      const entries = admin.getByTestId('audit-entries');
      await entries.waitFor();
      expect(await entries.innerText()).toContain('Document aangemaakt');
      expect(await entries.innerText()).toContain('Vera Veldwerker');
      expect(await violations(admin, `u6-logboek-${width}`)).toEqual([]);

      const download = admin.waitForEvent('download');
      await admin.getByRole('button', { name: 'CSV downloaden (met dit filter)' }).click();
      expect((await download).suggestedFilename()).toBe('logboek.csv');
      await context.close();
    }
    expect(world.cspViolations()).toEqual([]);
  });
});
