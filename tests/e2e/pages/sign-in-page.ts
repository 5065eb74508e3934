// Page object: the sign-in screen (username, password, device name).
import type { Locator, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../support/app-server';

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

  async signIn(username: string, password = DEMO_PASSWORD): Promise<void> {
    await this.page.getByLabel('Gebruikersnaam').fill(username);
    await this.page.getByLabel('Wachtwoord').fill(password);
    await this.page.getByRole('button', { name: 'Aanmelden' }).click();
    await this.heading.waitFor({ state: 'detached' });
  }
}
