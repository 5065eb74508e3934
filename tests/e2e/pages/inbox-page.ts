// Page object: the back office's inbox (/kantoor).
import type { Locator, Page } from 'playwright-core';

export class InboxPage {
  readonly heading: Locator;
  readonly rows: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Inbox kantoor' });
    this.rows = page.getByTestId('inbox-row');
  }

  async waitForScreen(): Promise<void> {
    await this.heading.waitFor();
  }

  row(docId: string): Locator {
    return this.page.locator(`[data-testid="inbox-row"][data-doc-id="${docId}"]`);
  }

  async filter(label: string): Promise<void> {
    // The filters are folded on a phone until asked for.
    const more = this.page.getByTestId('find-more');
    if ((await more.getAttribute('open')) === null) await more.locator('summary').click();
    await this.page.getByTestId('find-status').selectOption({ label });
  }

  async open(docId: string): Promise<void> {
    await this.row(docId).getByRole('link').click();
    await this.page.getByTestId('section-kern').waitFor();
  }
}
