// Browser steps the app figures share: Debian's Chromium with the e2e flags (STACK.md), signing
// in as the demo field worker through the e2e page objects (which choose E2E_PIN, K10), and
// writing a few letters so "Mijn documenten" has rows and the editor has a document to open.
// Every full page load of a signed-in app shows the lock screen first (K14), so each one here is
// followed by the PIN. Every wait is bounded.
import type { Page } from 'playwright-core';
import { DocumentListPage } from '../../e2e/pages/document-list-page';
import { EditorPage } from '../../e2e/pages/editor-page';
import { E2E_PIN, LockPage, unlockAfterLoad } from '../../e2e/pages/lock-page';
import { SignInPage } from '../../e2e/pages/sign-in-page';
import { waitForServiceWorker } from '../../e2e/support/app';

export { CHROMIUM_ARGS, CHROMIUM_PATH, PHONE } from '../../e2e/support/browser';
/** The PIN every sign-in here chooses (the e2e page objects' own). */
export const BENCH_PIN = E2E_PIN;

/** Letters written before the figures are taken: the list shows this many rows. */
export const SEED_DOCUMENTS = 3;

const STEP_TIMEOUT_MS = 30_000;

/**
 * Signs in as `veldwerker` on `page` (a fresh profile, at the sign-in screen), writes
 * `documents` letters and waits until the server has stored each of them, then returns to the
 * list. Returns the new documents' ids.
 */
export async function signInAndWriteLetters(page: Page, baseUrl: string, documents = SEED_DOCUMENTS): Promise<string[]> {
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  const signIn = new SignInPage(page);
  await signIn.goto(baseUrl);
  await signIn.signIn('veldwerker');
  const list = new DocumentListPage(page);
  await list.waitForScreen();
  await waitForServiceWorker(page);
  const ids: string[] = [];
  for (let i = 0; i < documents; i += 1) {
    const id = await list.createDocument();
    const editor = new EditorPage(page);
    await editor.waitForForm();
    await editor.fillLetter({
      zaak: `ZAAK-2026-${String(100 + i).padStart(4, '0')}`,
      naam: 'Mevrouw J. de Vries',
      adres: 'Dorpsstraat 12\n1234 AB Voorbeeld',
      onderwerp: `Benchmarkbrief ${i + 1}`,
    });
    await editor.fillSection('kern', 'U woont sinds maart bij uw moeder en zorgt voor haar. '.repeat(8).trim());
    await editor.waitForBadge('Opgeslagen op server', STEP_TIMEOUT_MS);
    ids.push(id);
    await page.goto(`${baseUrl}/`);
    await unlockAfterLoad(page);
    await list.waitForScreen();
  }
  await page.locator('[data-testid="doc-row"]').nth(documents - 1).waitFor();
  return ids;
}

/**
 * After a full page load of a signed-in app: whether `page` shows the lock screen (K14) and,
 * once E2E_PIN is entered, "Mijn documenten" with at least `rows` rows.
 */
export async function unlocksToList(page: Page, rows = SEED_DOCUMENTS): Promise<boolean> {
  const list = new DocumentListPage(page);
  try {
    await new LockPage(page).unlock();
    await list.heading.waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="doc-row"]').nth(rows - 1).waitFor({ timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}

/** Waits (bounded) until the app says it is online, so closing it interrupts no token refresh. */
export async function settleOnline(page: Page, timeoutMs = 10_000): Promise<boolean> {
  try {
    await page.locator('[data-testid="connectivity"][data-state="online"]').waitFor({ state: 'attached', timeout: timeoutMs });
    return true;
  } catch {
    return false;
  }
}
