// Page object: read-along mode ("Meelezen", /document/<id>/meelezen) and the agreements editor
// that feeds it: rows of wat/wie/wanneer, the signature pad (drawn with mouse or touch), the
// name, "Ik ga akkoord", and the official's hold-to-leave button.
import type { BrowserContext, Locator, Page } from 'playwright-core';

export interface AgreementInput {
  wat: string;
  wie: string;
  wanneer: string;
}

/** The agreements editor inside the editor screen. */
export class AgreementsEditorPage {
  readonly rows: Locator;
  readonly addButton: Locator;
  readonly toLetterButton: Locator;

  constructor(readonly page: Page) {
    this.rows = page.getByTestId('agreement-row');
    this.addButton = page.getByTestId('agreement-add');
    this.toLetterButton = page.getByTestId('agreements-to-letter');
  }

  row(index: number): Locator {
    return this.rows.nth(index);
  }

  /** Adds a row and types its fields like a person. */
  async add(agreement: AgreementInput): Promise<void> {
    const before = await this.rows.count();
    await this.addButton.click();
    const row = this.row(before);
    await row.getByLabel('Wat', { exact: true }).fill(agreement.wat);
    await row.getByLabel('Wie', { exact: true }).fill(agreement.wie);
    await row.getByLabel('Wanneer', { exact: true }).fill(agreement.wanneer);
  }
}

export class ReadAlongPage {
  readonly root: Locator;
  readonly letter: Locator;
  readonly canvas: Locator;
  readonly name: Locator;
  readonly agree: Locator;
  readonly done: Locator;
  readonly leaveButton: Locator;
  readonly backBlocked: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('read-along');
    this.letter = page.getByTestId('letter');
    this.canvas = page.getByTestId('signature-canvas');
    this.name = page.getByTestId('signer-name');
    this.agree = page.getByTestId('confirm-agree');
    this.done = page.getByTestId('confirm-done');
    this.leaveButton = page.getByTestId('leave-hold');
    this.backBlocked = page.getByTestId('back-blocked');
  }

  async waitForScreen(): Promise<void> {
    await this.letter.waitFor();
  }

  /** A stroke with the mouse, through points given as fractions of the canvas. */
  async drawWithMouse(points: readonly [number, number][]): Promise<void> {
    await this.canvas.scrollIntoViewIfNeeded();
    const box = await this.canvas.boundingBox();
    if (box === null) throw new Error('signature canvas not visible');
    const at = ([fx, fy]: [number, number]): [number, number] => [box.x + fx * box.width, box.y + fy * box.height];
    const [first, ...rest] = points;
    if (first === undefined) return;
    await this.page.mouse.move(...at(first));
    await this.page.mouse.down();
    for (const p of rest) await this.page.mouse.move(...at(p), { steps: 4 });
    await this.page.mouse.up();
  }

  /** A stroke with a finger: raw touch events through the DevTools protocol, as a phone sends them. */
  async drawWithTouch(context: BrowserContext, points: readonly [number, number][]): Promise<void> {
    await this.canvas.scrollIntoViewIfNeeded();
    const box = await this.canvas.boundingBox();
    if (box === null) throw new Error('signature canvas not visible');
    const cdp = await context.newCDPSession(this.page);
    const touch = ([fx, fy]: [number, number]) => [{ x: box.x + fx * box.width, y: box.y + fy * box.height, id: 1 }];
    const [first, ...rest] = points;
    if (first === undefined) return;
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: touch(first) });
    for (const p of rest) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: touch(p) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  }

  async confirm(name: string): Promise<void> {
    await this.name.fill(name);
    await this.agree.click();
  }

  /** The official's deliberate action: press and hold "Terug naar ambtenaar". */
  async holdToLeave(ms = 2400): Promise<void> {
    await this.leaveButton.scrollIntoViewIfNeeded();
    const box = await this.leaveButton.boundingBox();
    if (box === null) throw new Error('leave button not visible');
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await this.page.mouse.down();
    await this.page.waitForTimeout(ms);
    await this.page.mouse.up();
  }
}
