// Page object: Afmelden, with the warning about unsent documents and "Toch afmelden".
import type { Locator, Page } from 'playwright-core';

export class SignOutPage {
  readonly blocked: Locator;

  constructor(readonly page: Page) {
    this.blocked = page.getByTestId('signout-blocked');
  }

  async open(): Promise<void> {
    await this.page.getByRole('link', { name: /^Afmelden/ }).click();
    await this.page.getByRole('heading', { level: 1, name: 'Afmelden' }).waitFor();
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('button', { name: 'Afmelden', exact: true }).click();
  }

  async forceSignOut(): Promise<void> {
    await this.page.getByRole('button', { name: /Toch afmelden/ }).click();
  }
}
