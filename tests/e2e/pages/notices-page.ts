// Page object: the header's "Meldingen" with its count (Y7) and the notice list at /meldingen (Y4).
import type { Locator, Page } from 'playwright-core';

export class NoticesPage {
  readonly heading: Locator;
  readonly link: Locator;
  readonly count: Locator;
  readonly notices: Locator;
  readonly pushState: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Meldingen' });
    this.link = page.getByTestId('notices-link');
    this.count = page.getByTestId('notices-count');
    this.notices = page.getByTestId('notice');
    this.pushState = page.getByTestId('push-state');
  }

  /** The unseen count in the header; 0 when none is shown. */
  async unseen(): Promise<number> {
    if ((await this.count.count()) === 0) return 0;
    return Number.parseInt((await this.count.locator('[aria-hidden="true"]').textContent()) ?? '0', 10);
  }

  async open(): Promise<void> {
    await this.link.click();
    await this.heading.waitFor();
  }

  notice(docId: string): Locator {
    return this.page.locator(`[data-testid="notice"][data-doc-id="${docId}"]`);
  }
}
