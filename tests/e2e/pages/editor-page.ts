// Page object: the editor (fields, plain and rich sections, badge, presence, Voorbeeld, Indienen). The
// submit helpers are ready for the submit→DMS test that follows the server pipeline; the review
// helpers are the approver's "Goedkeuren" / "Terugsturen" and the remarks they leave (W4).
import type { Locator, Page } from 'playwright-core';
import { gotoAndUnlock } from './lock-page';

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

  /** A full page load: the cold start locks the app (K14), so it unlocks with E2E_PIN first. */
  async goto(baseUrl: string, docId: string): Promise<void> {
    await gotoAndUnlock(this.page, `${baseUrl}/document/${docId}`);
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

  /** Whether a section is a rich one (a contenteditable ProseMirror editor) rather than a textarea. */
  async isRich(key: string): Promise<boolean> {
    return (await this.section(key).getAttribute('contenteditable')) !== null;
  }

  /**
   * Replaces a section's text, in a textarea or a rich section alike. `fill` cannot type line
   * breaks into a rich section: there a blank line is Enter (a new paragraph), as a person types.
   */
  async fillSection(key: string, text: string): Promise<void> {
    const section = this.section(key);
    if (!(await this.isRich(key))) {
      await section.fill(text);
      return;
    }
    await section.click();
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.press('Backspace');
    const paragraphs = text.split(/\n\s*\n/);
    for (const [i, paragraph] of paragraphs.entries()) {
      if (i > 0) await this.page.keyboard.press('Enter');
      await this.page.keyboard.insertText(paragraph);
    }
  }

  /**
   * A section's text: a textarea's value, or a rich section's paragraphs separated by a blank
   * line and list items as '- ' / '1. ' lines (as the rules read it), without co-editors' cursors.
   */
  async sectionValue(key: string): Promise<string> {
    const section = this.section(key);
    if (!(await this.isRich(key))) return section.inputValue();
    return section.evaluate((root) => {
      const copy = root.cloneNode(true) as HTMLElement;
      for (const cursor of copy.querySelectorAll('.kt-rich__cursor')) cursor.remove();
      return [...copy.children]
        .map((block) => {
          if (block.tagName === 'UL' || block.tagName === 'OL') {
            return [...block.children].map((li, i) => `${block.tagName === 'OL' ? `${i + 1}.` : '-'} ${(li.textContent ?? '').trim()}`).join('\n');
          }
          return (block.textContent ?? '').trim();
        })
        .filter((t) => t.length > 0)
        .join('\n\n');
    });
  }

  /** A rich section's toolbar button: 'bold' (Vet), 'italic' (Cursief), 'bulletList', 'orderedList'. */
  tool(key: string, action: 'bold' | 'italic' | 'bulletList' | 'orderedList'): Locator {
    return this.page.getByTestId(`rich-${action}-${key}`);
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

  /** A template field by its key (labels of optional fields carry "(niet verplicht)"). */
  fieldByKey(key: string): Locator {
    return this.page.locator(`#veld-${key}`);
  }

  /** Fills a maatwerkbesluit so it passes the T-rules; with maatwerk also its two justifications. */
  async fillDecision(values: { zaak: string; naam: string; adres: string; onderwerp: string; maatwerk: boolean }): Promise<void> {
    await this.fieldByKey('zaaknummer').fill(values.zaak);
    await this.fieldByKey('betrokkeneNaam').fill(values.naam);
    await this.fieldByKey('betrokkeneAdres').fill(values.adres);
    await this.fieldByKey('onderwerp').fill(values.onderwerp);
    await this.fieldByKey('uitkomst').selectOption('toekenning');
    await this.fieldByKey('maatwerk').selectOption(values.maatwerk ? 'ja' : 'nee');
    await this.fieldByKey('ingangsdatum').fill('2026-03-01');
    await this.fillSection('aanvraag', 'U heeft ons gevraagd om een bijstandsuitkering.');
    await this.fillSection('besluit', 'U krijgt vanaf 1 maart 2026 een bijstandsuitkering.');
    await this.fillSection('motivering', 'U zorgt voor uw moeder. Wij stemmen de uitkering af op grond van artikel 18 van de Participatiewet.');
    if (values.maatwerk) {
      await this.fillSection('normaleRegel', 'Normaal geldt de kostendelersnorm.');
      await this.fillSection('waaromNietPassend', 'U woont alleen tijdelijk bij uw moeder om voor haar te zorgen.');
    }
  }

  /** The approver's panel (W4), shown while the document waits for approval. */
  get reviewPanel(): Locator {
    return this.page.getByTestId('review');
  }

  /** "Goedkeuren" and its confirmation (V4). */
  async approve(): Promise<void> {
    await this.page.getByTestId('review-approve').click();
    await this.confirmYes.click();
  }

  /** The confirmation that says what an action will do (V4). */
  get confirm(): Locator {
    return this.page.getByTestId('confirm');
  }

  get confirmYes(): Locator {
    return this.page.getByTestId('confirm-yes');
  }

  /** The notice of a submitted (frozen) document (V2), and of edits kept on the device (V3). */
  get frozenNotice(): Locator {
    return this.page.getByTestId('frozen-notice');
  }

  /** V7: the versions list. */
  get history(): Locator {
    return this.page.getByTestId('history');
  }

  /** "Terugsturen" with a remark, optionally at a field or section key. */
  async returnWithRemark(remark: string, section?: string): Promise<void> {
    await this.page.getByTestId('review-return').click();
    await this.page.getByTestId('review-remark').fill(remark);
    if (section !== undefined) await this.page.getByTestId('review-section').selectOption(section);
    await this.page.getByTestId('review-return-confirm').click();
    await this.confirmYes.click();
  }

  /** The open remarks shown at a field or section ('document' for the whole document). */
  remarkAt(key: string): Locator {
    return this.page.getByTestId(`remark-${key}`);
  }

  /**
   * Puts the caret at the start or end of a section and lets the editor take it in, before
   * anyone types: a rich editor reads the caret a moment after the keypress, and a co-editor's
   * change arriving in between would put it back.
   */
  async caretTo(key: string, where: 'start' | 'end'): Promise<void> {
    const section = this.section(key);
    await section.click();
    await this.page.keyboard.press(where === 'start' ? 'ControlOrMeta+Home' : 'ControlOrMeta+End');
    await this.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
  }

  /** Types key by key where the caret is. */
  async typeHere(text: string, delayMs = 0): Promise<void> {
    await this.page.keyboard.type(text, { delay: delayMs });
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

  /** "Indienen" and its confirmation, which lists what goes out (V4). */
  async submit(): Promise<void> {
    await this.submitButton.click();
    await this.confirmYes.click();
  }

  async openPreview(): Promise<void> {
    await this.page.getByRole('link', { name: 'Voorbeeld' }).click();
    await this.page.getByTestId('letter').waitFor();
  }
}
