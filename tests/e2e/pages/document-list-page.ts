// Page object: "Mijn documenten" (the field worker's list) and "Nieuw document".
import type { Locator, Page } from 'playwright-core';

export class DocumentListPage {
  readonly heading: Locator;
  readonly connectivity: Locator;
  readonly storageStatus: Locator;
  readonly progress: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Mijn documenten' });
    this.connectivity = page.getByTestId('connectivity');
    this.storageStatus = page.getByTestId('storage-status');
    this.progress = page.getByTestId('sync-progress');
  }

  async waitForScreen(): Promise<void> {
    await this.heading.waitFor();
  }

  row(docId: string): Locator {
    return this.page.locator(`[data-testid="doc-row"][data-doc-id="${docId}"]`);
  }

  badge(docId: string): Locator {
    return this.row(docId).getByTestId('badge');
  }

  /** Opens "Nieuw document", picks the template and waits for the editor; returns the new id. */
  async createDocument(templateId = 'brief'): Promise<string> {
    await this.page.getByRole('link', { name: 'Nieuw document' }).click();
    await this.page.getByTestId(`template-${templateId}`).click();
    await this.page.waitForURL(/\/document\/[0-9a-f-]{36}$/);
    const id = new URL(this.page.url()).pathname.split('/').pop()!;
    return id;
  }
}
