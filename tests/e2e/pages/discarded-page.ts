// Page object: the office's "Verwijderde concepten" (/kantoor/verwijderd, E12).
import type { Locator, Page } from 'playwright-core';

export class DiscardedPage {
  readonly heading: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Verwijderde concepten' });
  }

  async open(): Promise<void> {
    await this.page.getByRole('link', { name: 'Verwijderd', exact: true }).click();
    await this.heading.waitFor();
  }

  row(docId: string): Locator {
    return this.page.getByTestId(`discarded-${docId}`);
  }

  async restore(docId: string): Promise<void> {
    await this.page.getByTestId(`restore-${docId}`).click();
  }
}
