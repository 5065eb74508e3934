// Page object: the editor (fields, plain sections, badge, presence, Voorbeeld, Indienen). The
// submit helpers are ready for the submit→DMS test that follows the server pipeline.
import type { Locator, Page } from 'playwright-core';

export class EditorPage {
  readonly badge: Locator;
  readonly submitButton: Locator;
  readonly submitStatus: Locator;
  readonly presence: Locator;
  readonly pdfLink: Locator;

  constructor(readonly page: Page) {
    this.badge = page.locator('.kt-editor__status').getByTestId('badge');
    this.submitButton = page.getByTestId('submit');
    this.submitStatus = page.getByTestId('submit-status');
    this.presence = page.getByTestId('presence');
    this.pdfLink = page.getByTestId('submitted-pdf');
  }

  async goto(baseUrl: string, docId: string): Promise<void> {
    await this.page.goto(`${baseUrl}/document/${docId}`);
    await this.waitForForm();
  }

  async waitForForm(): Promise<void> {
    await this.section('kern').waitFor();
  }

  field(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  section(key: string): Locator {
    return this.page.getByTestId(`section-${key}`);
  }

  /** The error shown at a field or section after a refused submit (W3). */
  problemAt(key: string, kind: 'veld' | 'sectie'): Locator {
    return this.page.getByTestId(`problem-${kind}-${key}`);
  }

  /** Fills the letter's fields (zaaknummer, betrokkene, onderwerp). */
  async fillLetter(values: { zaak: string; naam: string; adres: string; onderwerp: string }): Promise<void> {
    await this.field('Zaaknummer').fill(values.zaak);
    await this.field('Naam betrokkene').fill(values.naam);
    await this.field('Adres betrokkene').fill(values.adres);
    await this.field('Onderwerp').fill(values.onderwerp);
  }

  /** Types like a person: key by key, at the end of the section. */
  async typeAtEnd(key: string, text: string, delayMs = 0): Promise<void> {
    const section = this.section(key);
    await section.click();
    await section.press('End');
    await this.page.keyboard.press('Control+End');
    await section.pressSequentially(text, { delay: delayMs });
  }

  async typeAtStart(key: string, text: string, delayMs = 0): Promise<void> {
    const section = this.section(key);
    await section.click();
    await this.page.keyboard.press('Control+Home');
    await section.pressSequentially(text, { delay: delayMs });
  }

  async waitForBadge(text: string, timeout = 15_000): Promise<void> {
    await this.page.waitForFunction(
      (expected) => document.querySelector('.kt-editor__status [data-testid="badge"]')?.textContent === expected,
      text,
      { timeout },
    );
  }

  async submit(): Promise<void> {
    await this.submitButton.click();
  }

  async openPreview(): Promise<void> {
    await this.page.getByRole('link', { name: 'Voorbeeld' }).click();
    await this.page.getByTestId('letter').waitFor();
  }
}
