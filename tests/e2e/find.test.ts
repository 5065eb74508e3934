// Q8, Q9, Q10 in real Chromium: search, filters and sort over 300 documents on the device,
// offline (the list from the index room the device keeps, the words from its own copies), and
// the office's work list at 360 and 1280 px with the document beside it on the wide screen.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { InboxPage } from './pages/inbox-page';
import { gotoAndUnlock, reloadAndUnlock } from './pages/lock-page';
import { waitForServiceWorker } from './support/app';
import { newPhoneContext } from './support/browser';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { setNetwork } from './support/network-cut';
import { E2E_SCREENSHOTS } from './support/paths';

const DAY = 86_400_000;
const SEEDED = 300;
let world: E2EWorld;
const extraContexts: BrowserContext[] = [];
let seededAt = 0;
/** The field worker's own letter, made in the first test. */
let ownDocId = '';

/** Status of seeded document i: every third waits for approval, every fifth is in the DMS. */
const statusOf = (i: number): WorkflowStatus =>
  i % 3 === 0 ? WorkflowStatus.awaitingApproval : i % 5 === 0 ? WorkflowStatus.archived : WorkflowStatus.concept;
const zaakOf = (i: number): string => `ZAAK-2026-${String(i).padStart(4, '0')}`;
/** Spread over 60 days, newest first by index. */
const updatedOf = (i: number): number => seededAt - i * (60 * DAY) / SEEDED - 60_000;

beforeAll(async () => {
  world = await startWorld();
  // Seeded server-side through the store before any index room loads: the rooms reconcile from it.
  const vera = await world.server.store.findUserByUsername('veldwerker');
  if (vera === null) throw new Error('demo user veldwerker missing');
  seededAt = Date.now();
  for (let i = 0; i < SEEDED; i++) {
    const at = updatedOf(i);
    await world.server.store.createDocument({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      teamId: vera.teamId,
      createdBy: vera.id,
      createdAt: at - DAY,
      updatedAt: at,
      title: `Gesprek ${i % 2 === 0 ? 'keukentafel' : 'schuldhulp'} ${i}`,
      templateId: i % 4 === 0 ? 'afsprakenverslag' : 'brief',
      kind: i % 4 === 0 ? 'verslag' : 'brief',
      zaak: zaakOf(i),
      status: WorkflowStatus.concept,
    });
    const status = statusOf(i);
    if (status !== WorkflowStatus.concept) await world.server.store.updateDocument(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, { status, updatedAt: at });
  }
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(extraContexts.map((c) => c.close()));
  await world?.close();
});

const rowsOf = (page: Page) => page.locator('[data-testid="doc-row"]');

async function search(page: Page, text: string): Promise<void> {
  await page.getByTestId('find-text').fill(text);
}

/** The filters are folded on a phone until asked for: open them as a person would. */
async function openFilters(page: Page): Promise<void> {
  const more = page.getByTestId('find-more');
  if ((await more.getAttribute('open')) === null) await more.locator('summary').click();
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(E2E_SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(E2E_SCREENSHOTS, `${name}.png`), fullPage: false });
}

describe('find things (Q8–Q10)', () => {
  it('[Q8] [Q13] search, filters and sort work offline over 300 documents, including a citizen\'s name from the device\'s own copy; the query outlives a visit to a document, not a reload', async () => {
    const field = await world.newPhone();
    const page = await signedIn(field, world.field.url, 'veldwerker');
    const list = new DocumentListPage(page);
    await waitForServiceWorker(page);
    await expect.poll(() => rowsOf(page).count(), { timeout: 30_000 }).toBe(SEEDED);

    // One letter of the device's own, with a citizen's name that is in no list row.
    const docId = await list.createDocument();
    ownDocId = docId;
    const editor = new EditorPage(page);
    await editor.fillLetter({ zaak: 'ZAAK-2026-9999', naam: 'Fatima El Amrani', adres: 'Dorpsstraat 12\n1234 AB Voorbeeld', onderwerp: 'Afspraken' });
    await editor.fillSection('kern', 'Wij spraken over de huurachterstand.');
    await editor.waitForBadge('Opgeslagen op server');

    // Offline from here on: the list is what the device kept.
    await setNetwork(field, world.field, false);
    await gotoAndUnlock(page, `${world.field.url}/`);
    await list.waitForScreen();
    await expect.poll(() => list.connectivity.getAttribute('data-state')).toBe('offline');
    await expect.poll(() => rowsOf(page).count(), { timeout: 20_000 }).toBe(SEEDED + 1);

    // Zaak, diacritics and case do not matter; the name and the text come from the device's copy.
    await search(page, 'zaak-2026-0123');
    await expect.poll(() => rowsOf(page).count()).toBe(1);
    await expect.poll(() => rowsOf(page).first().getAttribute('data-doc-id')).toBe('00000000-0000-4000-8000-000000000123');
    await search(page, 'AMRÁNI');
    await expect.poll(() => rowsOf(page).count()).toBe(1);
    await expect.poll(() => rowsOf(page).first().getAttribute('data-doc-id')).toBe(docId);
    await search(page, 'huurachterstand');
    await expect.poll(() => rowsOf(page).count()).toBe(1);
    await search(page, 'niets-dat-bestaat');
    await expect.poll(() => page.getByTestId('find-none').isVisible()).toBe(true);

    // Filters narrow together; the count says how many of how many.
    await search(page, 'keukentafel');
    await openFilters(page);
    await page.getByTestId('find-status').selectOption({ label: 'Ter goedkeuring' });
    await page.getByTestId('find-period').selectOption({ label: 'Afgelopen 30 dagen' });
    const expected = Array.from({ length: SEEDED }, (_, i) => i).filter(
      (i) => i % 2 === 0 && statusOf(i) === WorkflowStatus.awaitingApproval && updatedOf(i) >= Date.now() - 30 * DAY,
    );
    await expect.poll(() => rowsOf(page).count()).toBe(expected.length);
    await expect.poll(() => page.getByTestId('find-count').textContent()).toContain(`${expected.length} van ${SEEDED + 1}`);
    await page.getByTestId('find-template').selectOption({ label: 'Afsprakenverslag keukentafelgesprek' });
    await expect.poll(() => rowsOf(page).count()).toBe(expected.filter((i) => i % 4 === 0).length);
    await shot(page, 'q8-zoeken-offline-360');

    // Sort by zaak: ascending, the device's own letter (ZAAK-2026-9999) last.
    await page.getByTestId('find-clear').click();
    await expect.poll(() => rowsOf(page).count()).toBe(SEEDED + 1);
    await openFilters(page);
    await page.getByTestId('find-sort').selectOption({ label: 'Zaaknummer' });
    await expect.poll(() => rowsOf(page).first().getAttribute('data-doc-id')).toBe('00000000-0000-4000-8000-000000000000');
    await expect.poll(() => rowsOf(page).last().getAttribute('data-doc-id')).toBe(docId);

    // The query is kept while the official opens a document and comes back (in memory only).
    await search(page, 'amrani');
    await rowsOf(page).first().getByRole('link').click();
    await editor.waitForForm();
    await page.getByRole('link', { name: 'Terug naar Mijn documenten' }).click();
    await list.waitForScreen();
    await expect.poll(() => page.getByTestId('find-text').inputValue()).toBe('amrani');
    await expect.poll(() => rowsOf(page).count()).toBe(1);
    await reloadAndUnlock(page);
    await list.waitForScreen();
    await expect.poll(() => page.getByTestId('find-text').inputValue()).toBe('');
  }, 240_000);

  it('[Q9] [Q10] the office inbox is a work list; on a wide screen the document opens beside it', async () => {
    const narrow = await world.newPhone();
    const phone = await signedIn(narrow, world.baseUrl, 'kantoor');
    const inbox = new InboxPage(phone);
    await expect.poll(() => inbox.rows.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(SEEDED);
    const first = inbox.row('00000000-0000-4000-8000-000000000003');
    await expect.poll(() => first.getByTestId('work-author').textContent()).toBe('Vera Veldwerker');
    await expect.poll(() => first.getByTestId('work-zaak').textContent()).toBe('ZAAK-2026-0003');
    await expect.poll(() => first.getByTestId('work-type').textContent()).toBe('Brief');
    await expect.poll(() => first.getByTestId('work-since').textContent()).toMatch(/\(\d+ (uur|dagen|dag)\)|minder dan een uur/);
    // The order of work: waiting for approval before concepts, longest waiting first.
    await expect.poll(() => inbox.rows.first().getAttribute('data-doc-id')).toBe(`00000000-0000-4000-8000-${String(297).padStart(12, '0')}`);
    await shot(phone, 'q9-werklijst-360');
    // Narrow: a row opens the document's own screen.
    await first.getByRole('link').click();
    await phone.waitForURL(/\/document\/00000000-0000-4000-8000-000000000003$/);

    const wideContext = await newPhoneContext(world.browser, { viewport: { width: 1280, height: 900 }, isMobile: false, hasTouch: false });
    extraContexts.push(wideContext);
    const wide = await signedIn(wideContext, world.baseUrl, 'kantoor');
    const wideInbox = new InboxPage(wide);
    await expect.poll(() => wideInbox.rows.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(SEEDED);
    await expect.poll(() => wide.getByTestId('inbox-pane-empty').isVisible()).toBe(true);
    expect(ownDocId).not.toBe('');
    const own = wideInbox.row(ownDocId);
    await own.getByRole('link').click();
    await expect.poll(() => new URL(wide.url()).searchParams.get('document')).not.toBeNull();
    const pane = wide.getByTestId('inbox-pane');
    await pane.getByTestId('section-kern').waitFor();
    // Side by side: the list's right edge is left of the pane's left edge, both on screen.
    const listBox = await wide.locator('.kt-workspace__list').boundingBox();
    const paneBox = await pane.boundingBox();
    expect(listBox).not.toBeNull();
    expect(paneBox).not.toBeNull();
    expect((listBox?.x ?? 0) + (listBox?.width ?? 0)).toBeLessThanOrEqual(paneBox?.x ?? 0);
    expect(paneBox?.y ?? 9999).toBeLessThan(400);
    // The approve panel beside the letter, not below it.
    const review = pane.getByTestId('review');
    if ((await review.count()) > 0) {
      const formBox = await pane.locator('.kt-editor__form').boundingBox();
      const reviewBox = await review.boundingBox();
      expect((formBox?.x ?? 0) + (formBox?.width ?? 0)).toBeLessThanOrEqual(reviewBox?.x ?? 0);
    }
    await shot(wide, 'q10-werklijst-1280');
    await pane.getByTestId('pane-close').click();
    await expect.poll(() => wide.getByTestId('inbox-pane-empty').isVisible()).toBe(true);
  }, 240_000);
});
