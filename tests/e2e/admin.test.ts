// The administration screens (/beheer, B2–B7) in real Chromium: the demo administrator creates a
// colleague, changes a role, and revokes the device the colleague signed in on, each after the
// screen said what it would do. Every screen passes axe (WCAG 2.1 AA) at 360 px and 1280 px and is
// saved as a screenshot in .tmp/e2e-screenshots/ (beheer-*) for a person to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignInPage } from './pages/sign-in-page';
import { startWorld, type E2EWorld } from './support/fixture';
import { E2E_SCREENSHOTS } from './support/paths';
import { gotoAndUnlock } from './pages/lock-page';

let world: E2EWorld;

beforeAll(async () => {
  world = await startWorld();
  mkdirSync(E2E_SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await world?.close();
});

async function check(page: Page, name: string): Promise<string[]> {
  const found: string[] = [];
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 900 });
    await page.screenshot({ path: join(E2E_SCREENSHOTS, `beheer-${name}-${width}.png`), fullPage: true });
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    found.push(...result.violations.flatMap((v) => v.nodes.map((n) => `${width}px ${v.id}: ${n.target.join(' ')} — ${n.failureSummary ?? ''}`)));
    // Nothing sticks out sideways on a phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) found.push(`${width}px: the page scrolls sideways by ${overflow}px`);
  }
  await page.setViewportSize({ width: 360, height: 740 });
  return found;
}

describe('administration screens (B)', () => {
  it('[B2] [B7] [K23] beheerder creates a colleague, changes a role and revokes a device (wipe-now), each confirmed first; every screen passes axe at 360 and 1280 px', async () => {
    const context = await world.newPhone();
    const page = await context.newPage();
    const signIn = new SignInPage(page);
    await signIn.goto(world.baseUrl);
    await signIn.signIn('beheerder');
    await page.getByRole('heading', { level: 1, name: 'Beheer: gebruikers' }).waitFor();
    await page.locator('[data-testid="admin-user"][data-username="kantoor"]').waitFor();
    expect(await check(page, 'gebruikers')).toEqual([]);

    await page.getByRole('searchbox', { name: 'Zoeken' }).fill('veld');
    await page.getByRole('status').filter({ hasText: '1 gebruiker gevonden' }).waitFor();

    await page.getByRole('link', { name: 'Nieuwe gebruiker' }).click();
    await page.getByRole('heading', { level: 1, name: 'Nieuwe gebruiker' }).waitFor();
    await page.getByLabel('Gebruikersnaam').fill('s.smit');
    await page.getByLabel('Naam', { exact: true }).fill('Sanne Smit');
    await page.getByLabel('Functie').fill('Consulent Wmo');
    await page.getByLabel('Eerste wachtwoord').fill('een-goed-wachtwoord');
    expect(await check(page, 'nieuwe-gebruiker')).toEqual([]);
    await page.getByRole('button', { name: 'Gebruiker aanmaken' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sanne Smit' }).waitFor();
    const userUrl = page.url();

    // The colleague signs in on a phone of their own (the app reports its version and storage).
    const colleague = await context.browser()?.newContext({ viewport: { width: 360, height: 740 } });
    if (colleague === undefined) throw new Error('no browser');
    const theirPage = await colleague.newPage();
    const theirSignIn = new SignInPage(theirPage);
    await theirSignIn.goto(world.baseUrl);
    await theirPage.getByLabel('Naam van dit apparaat').fill('Telefoon van Sanne');
    await theirSignIn.signIn('s.smit', 'een-goed-wachtwoord');
    await theirPage.getByRole('heading', { level: 1, name: 'Mijn documenten' }).waitFor();

    await gotoAndUnlock(page, userUrl);
    const device = page.getByTestId('admin-device').filter({ hasText: 'Telefoon van Sanne' });
    await device.waitFor();
    await expect.poll(() => device.innerText()).toContain('0.1.0');

    // A role change says what it does before it is saved.
    await page.getByRole('checkbox', { name: /Backoffice/ }).check();
    await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
    await page.getByTestId('confirm-panel').filter({ hasText: 'open verbindingen' }).waitFor();
    expect(await check(page, 'gebruiker-bevestigen')).toEqual([]);
    await page.getByRole('button', { name: 'Ja, opslaan' }).click();
    await page.getByTestId('admin-notice').filter({ hasText: 'opgeslagen' }).waitFor();

    // K23: two ways to revoke: a lost phone is wiped at once, a leaver's sends first.
    await expect.poll(() => device.getByRole('button', { name: /Vertrekt: eerst versturen, dan wissen/ }).count()).toBe(1);
    await device.getByRole('button', { name: /Kwijt of gestolen: meteen wissen/ }).click();
    const panel = device.getByTestId('confirm-panel');
    await panel.waitFor();
    expect(await panel.innerText()).toContain('niet meer verbinden');
    expect(await panel.innerText()).toContain('gaat verloren');
    expect(await check(page, 'apparaat-intrekken')).toEqual([]);
    await panel.getByRole('button', { name: 'Ja, intrekken en meteen wissen' }).click();
    await page.getByTestId('admin-notice').filter({ hasText: 'ingetrokken' }).waitFor();
    await page.locator('[data-testid="admin-device"][data-revoked="true"]').waitFor();
    expect(await device.getByTestId('admin-device-wipe').innerText()).toBe('Wordt meteen gewist');
    expect(await check(page, 'gebruiker')).toEqual([]);

    // The revoked phone hears it on its next contact and ends its sign-in (K16: wiped, or signed out).
    await theirPage.reload();
    await theirPage.getByRole('heading', { level: 1, name: /^(Aanmelden bij Keukentafel|Dit apparaat is afgemeld)$/ }).waitFor({ timeout: 30_000 });
    await colleague.close();

    await page.getByRole('link', { name: 'Gebruikers' }).first().click();
    await page.getByRole('link', { name: 'Teams' }).click();
    await page.getByRole('heading', { level: 1, name: 'Beheer: teams' }).waitFor();
    await page.getByLabel('Naam van het team').fill('Wijkteam Noord');
    await page.getByRole('button', { name: 'Team aanmaken' }).click();
    await page.getByRole('button', { name: 'Ja, aanmaken' }).click();
    await page.getByTestId('admin-team').filter({ hasText: 'Wijkteam Noord' }).waitFor();
    expect(await check(page, 'teams')).toEqual([]);
    expect(world.cspViolations()).toEqual([]);
  });
});
