// Page object: the sign-in screen (username, password, device name). `signIn` goes on through
// the PIN the device asks for next (K10), so every e2e test has a PIN: E2E_PIN.
import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../support/app-server';
import { E2E_PIN, LockPage } from './lock-page';

export class SignInPage {
  readonly heading: Locator;
  readonly error: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Aanmelden bij Keukentafel' });
    this.error = page.getByTestId('signin-error');
  }

  async goto(baseUrl: string): Promise<void> {
    await this.page.goto(baseUrl);
    await this.heading.waitFor();
  }

  deviceName(): Locator {
    return this.page.getByLabel('Naam van dit apparaat');
  }

  /** A sign-in the server refuses: resolves with the message the screen shows. */
  async failedAttempt(username: string, password: string): Promise<string> {
    await this.page.getByLabel('Gebruikersnaam').fill(username);
    await this.page.getByLabel('Wachtwoord').fill(password);
    await this.page.getByRole('button', { name: 'Aanmelden' }).click();
    // The answer is in once the button is free again (the same refusal twice keeps its text).
    await this.page.waitForFunction(() => !document.querySelector('.kt-signin button[aria-disabled="true"]'));
    await this.error.waitFor();
    return (await this.error.innerText()).trim();
  }

  /** Signs in and chooses E2E_PIN (or, when this device still holds the user's data, unlocks with it). */
  async signIn(username: string, password = DEMO_PASSWORD, pin = E2E_PIN): Promise<void> {
    await this.page.getByLabel('Gebruikersnaam').fill(username);
    await this.page.getByLabel('Wachtwoord').fill(password);
    await this.page.getByRole('button', { name: 'Aanmelden' }).click();
    await this.heading.waitFor({ state: 'detached' });
    await pinAfterSignIn(this.page, pin);
  }
}

/**
 * K10: after any sign-in (password or municipal) the device asks for a PIN: a new one, or the
 * old one when it still holds this user's data. Resolves once the app is unlocked.
 */
export async function pinAfterSignIn(page: Page, pin = E2E_PIN): Promise<void> {
  const lock = new LockPage(page);
  await lock.choosePinHeading.or(lock.lockedHeading).waitFor();
  if (await lock.choosePinHeading.isVisible()) await lock.choosePin(pin);
  else await lock.unlock(pin);
}
