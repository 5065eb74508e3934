// WCAG 2.1 AA on every screen of the journey (axe-core in real Chromium at 360×740): sign-in,
// Mijn documenten, the editor, the preview and the back office's inbox. Each screen is also
// saved as a screenshot in .tmp/e2e-screenshots/ for a person to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { InboxPage } from './pages/inbox-page';
import { SignInPage } from './pages/sign-in-page';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { E2E_SCREENSHOTS } from './support/paths';
import { gotoAndUnlock } from './pages/lock-page';

let world: E2EWorld;

beforeAll(async () => {
  world = await startWorld();
  mkdirSync(E2E_SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await world?.close();
});

/** Violations of WCAG 2.0/2.1 A and AA, as "rule: target" lines for a readable failure. */
async function violations(page: Page, name: string): Promise<string[]> {
  await page.screenshot({ path: join(E2E_SCREENSHOTS, `${name}.png`), fullPage: true });
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary ?? ''}`));
}

describe('accessibility (WCAG 2.1 AA)', () => {
  it('sign-in, list, editor, preview and inbox have no axe violations', async () => {
    const fieldContext = await world.newPhone();
    const signInPage = await fieldContext.newPage();
    await new SignInPage(signInPage).goto(world.baseUrl);
    expect(await violations(signInPage, '1-aanmelden')).toEqual([]);
    await signInPage.close();

    const page = await signedIn(fieldContext, world.baseUrl, 'veldwerker');
    const list = new DocumentListPage(page);
    const docId = await list.createDocument();
    const editor = new EditorPage(page);
    await editor.fillLetter({ zaak: 'ZAAK-2026-0042', naam: 'Mevrouw J. de Vries', adres: 'Dorpsstraat 12\n1234 AB Voorbeeld', onderwerp: 'Zorg voor uw moeder' });
    await editor.fillSection('kern', 'U woont sinds maart bij uw moeder en zorgt voor haar.\n\nWe spraken af dat u de zorgafspraken opschrijft.');
    await editor.waitForBadge('Opgeslagen op server');
    expect(await violations(page, '3-editor')).toEqual([]);

    await editor.openPreview();
    expect(await violations(page, '4-voorbeeld')).toEqual([]);

    await gotoAndUnlock(page, `${world.baseUrl}/`);
    await list.waitForScreen();
    await list.row(docId).waitFor();
    expect(await violations(page, '2-mijn-documenten')).toEqual([]);

    await gotoAndUnlock(page, `${world.baseUrl}/nieuw`);
    await page.getByTestId('template-brief').waitFor();
    expect(await violations(page, '2b-nieuw-document')).toEqual([]);

    const officePage = await signedIn(await world.newPhone(), world.baseUrl, 'kantoor');
    const inbox = new InboxPage(officePage);
    await inbox.row(docId).waitFor();
    expect(await violations(officePage, '5-inbox')).toEqual([]);

    // With the field worker in the document, the back office sees them there.
    await editor.goto(world.baseUrl, docId);
    await inbox.open(docId);
    await new EditorPage(officePage).presence.waitFor();
    expect(await violations(officePage, '6-kantoor-editor')).toEqual([]);
  });
});
