// Page object: the back office's deliveries to the DMS (/kantoor/verzending), reached through
// the "Verzending" link in the navigation.
import type { Locator, Page } from 'playwright-core';

export class OutboxPage {
  readonly heading: Locator;
  readonly navLink: Locator;
  readonly state: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Verzending naar het DMS' });
    this.navLink = page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Verzending' });
    this.state = page.getByTestId('outbox-state');
  }

  async open(): Promise<void> {
    await this.navLink.click();
    await this.heading.waitFor();
  }

  row(docId: string): Locator {
    return this.page.locator(`[data-testid="outbox-row"][data-doc-id="${docId}"]`);
  }

  reason(docId: string): Locator {
    return this.row(docId).getByTestId('outbox-reason');
  }

  /** Z2: what the DMS itself answered, shown apart under the reason. */
  details(docId: string): Locator {
    return this.row(docId).getByTestId('outbox-details');
  }

  nextAttempt(docId: string): Locator {
    return this.row(docId).getByTestId('outbox-next-attempt');
  }

  reference(docId: string): Locator {
    return this.row(docId).getByTestId('outbox-reference');
  }

  /** J2: "Verzonden" for a letter the municipality posts itself, and the date once recorded. */
  markSentButton(docId: string): Locator {
    return this.row(docId).getByRole('button', { name: 'Verzonden' });
  }

  sent(docId: string): Locator {
    return this.row(docId).getByTestId('outbox-sent');
  }

  retryButton(docId: string): Locator {
    return this.row(docId).getByRole('button', { name: 'Opnieuw proberen' });
  }
}
