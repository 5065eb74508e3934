// I1, I2, I3 in a real browser: the sign-in screen offers the municipal sign-in, Chromium goes
// through a real OpenID provider's login and consent pages (oidc-provider in-process on
// 127.0.0.1) and lands signed in, with the ticket gone from the address bar; signing out ends
// the IdP's session too (I6); a refused sign-in comes back with its reason in Dutch.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readIdentityConfig } from '../../server/identity/oidc/config';
import { OIDC_FAILURES } from '../../shared/protocol/sign-in-options';
import { startTestIdp, type TestIdp } from '../support/test-idp';
import { DocumentListPage } from './pages/document-list-page';
import { pinAfterSignIn, SignInPage } from './pages/sign-in-page';
import { SignOutPage } from './pages/sign-out-page';
import { rememberedUserId } from './support/app';
import { startWorld, type E2EWorld } from './support/fixture';
import { E2E_SCREENSHOTS } from './support/paths';
import { reloadAndUnlock } from './pages/lock-page';

let world: E2EWorld;
let idp: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp();
  const read = readIdentityConfig({
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_ROLE_MAP: 'Keukentafel.Veld=field',
  });
  if (!read.ok) throw new Error(read.error);
  world = await startWorld({ oidc: read.config.oidc, localLogin: read.config.localLogin });
  idp.registerApp(world.baseUrl);
  idp.accounts.set('sub-anna', { name: 'Anna de Vries', preferred_username: 'a.devries', roles: ['Keukentafel.Veld'], groups: ['centrum'] });
  idp.accounts.set('sub-geen-rol', { name: 'Geen Rol', preferred_username: 'geen.rol', roles: [], groups: ['centrum'] });
});

afterAll(async () => {
  await world?.close();
  await idp?.close();
});

/** The provider's own dev pages: any password, then "Continue" on the consent page. */
async function signInAtIdp(page: Page, login: string): Promise<void> {
  await page.getByRole('button', { name: 'Aanmelden met de gemeente-account' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('wat-dan-ook');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('municipal sign-in in the browser', () => {
  it('[I1][I2][I6] "Aanmelden met de gemeente-account" signs in through the IdP and lands on the list; "Afmelden" ends the IdP session too', async () => {
    const page = await (await world.newPhone()).newPage();
    const signIn = new SignInPage(page);
    await signIn.goto(world.baseUrl);
    // Local sign-in stays on offer next to it.
    await expect(page.getByLabel('Wachtwoord').count()).resolves.toBe(1);
    await signIn.deviceName().fill('Telefoon Anna');
    await signInAtIdp(page, 'sub-anna');
    // K10: the municipal sign-in asks for a PIN like the password sign-in.
    await pinAfterSignIn(page);

    await new DocumentListPage(page).waitForScreen();
    expect(await page.locator('.kt-header').innerText()).toContain('Anna de Vries');
    // The one-time ticket is gone from the address bar and the history.
    expect(new URL(page.url()).hash).toBe('');
    const user = await world.server.store.findUserByIdentity(idp.issuer, 'sub-anna');
    expect(await rememberedUserId(page)).toBe(user?.id);
    // A reload resumes the session from the device, as after a password sign-in.
    await reloadAndUnlock(page);
    await new DocumentListPage(page).waitForScreen();

    // I6: "Afmelden" signs out here, then at the IdP, which sends the browser back to the app.
    const signOut = new SignOutPage(page);
    await signOut.open();
    await signOut.signOut();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await signIn.heading.waitFor();
    expect(new URL(page.url()).origin).toBe(world.baseUrl);
    expect(await rememberedUserId(page)).toBeNull();
    // The IdP's session is gone too: the next municipal sign-in asks for the login again.
    await page.getByRole('button', { name: 'Aanmelden met de gemeente-account' }).click();
    await page.locator('input[name="login"]').waitFor();
    expect(world.cspViolations()).toEqual([]);
  });

  it('[I3] a sign-in the app refuses comes back to the sign-in screen with the reason in Dutch (axe-clean)', async () => {
    const page = await (await world.newPhone()).newPage();
    const signIn = new SignInPage(page);
    await signIn.goto(world.baseUrl);
    await signInAtIdp(page, 'sub-geen-rol');
    await signIn.error.waitFor();
    expect((await signIn.error.innerText()).trim()).toBe(OIDC_FAILURES['no-role']);
    expect(new URL(page.url()).search).toBe('');
    // The screen with both sign-ins and the refusal passes axe (WCAG 2.1 AA) at phone width.
    mkdirSync(E2E_SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(E2E_SCREENSHOTS, 'aanmelden-gemeente.png'), fullPage: true });
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`))).toEqual([]);
  });
});
