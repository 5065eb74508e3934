// Agreements and reading along on a phone (360×740, real Chromium): the official records the
// agreements row by row (A1), hands the phone over in read-along mode, which shows only this
// document in large type with the BSN masked (A2) and cannot be left with the back button (A3);
// the citizen signs with finger and mouse strokes, offline, and the signature is in the archived
// PDF with name and time (A4). "Afspraken worden een brief" makes the letter offline (A5).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../support/poppler';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { AgreementsEditorPage, ReadAlongPage } from './pages/read-along-page';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { setNetwork } from './support/network-cut';
import { E2E_SCREENSHOTS } from './support/paths';
import { gotoAndUnlock } from './pages/lock-page';

let world: E2EWorld;

beforeAll(async () => {
  world = await startWorld({ outbox: { pollMs: 100 } });
  mkdirSync(E2E_SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await world?.close();
});

/** A valid BSN (11-test), typed into the text where only read-along must hide it. */
const BSN = '111222333';
const SIGNER = 'Jan de Vries';

async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/** A new afsprakenverslag with everything but the agreements filled in. */
async function newRecord(page: Page): Promise<{ docId: string; editor: EditorPage }> {
  const docId = await new DocumentListPage(page).createDocument('afsprakenverslag');
  const editor = new EditorPage(page);
  await editor.section('aanleiding').waitFor();
  await editor.fillLetter({ zaak: 'ZAAK-2026-0077', naam: 'Mevrouw J. de Vries', adres: 'Dorpsstraat 12\n1234 AB Voorbeeld', onderwerp: 'Zorg voor uw moeder thuis' });
  await editor.fieldByKey('gespreksdatum').fill('2026-03-03');
  await editor.fieldByKey('aanwezigen').fill(`Jan de Vries (BSN ${BSN}), zoon en mantelzorger\nVera Veld, consulent`);
  await editor.fillSection('aanleiding', 'Jan zorgt voor zijn moeder en vroeg wat dat voor zijn uitkering betekent.');
  await editor.fillSection('situatie', `Jan woont sinds maart bij zijn moeder. Zijn BSN is ${BSN}.`);
  await expect.poll(() => editor.sectionValue('aanleiding')).toContain('Jan zorgt voor zijn moeder');
  await expect.poll(() => editor.sectionValue('situatie')).toContain(BSN);
  return { docId, editor };
}

describe('agreements and reading along', () => {
  it('[A1] [A2] [A3] [A4] agreements are recorded, read along with the BSN masked, signed offline, and printed in the PDF', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.field.url, 'veldwerker');
    const { docId, editor } = await newRecord(page);
    const agreements = new AgreementsEditorPage(page);

    // A1: an agreement without wie and wanneer is named at its row once the row is left.
    await agreements.addButton.click();
    await agreements.row(0).getByLabel('Wat', { exact: true }).fill('Huishoudelijke hulp aanvragen');
    await page.getByLabel('Onderwerp', { exact: true }).focus();
    const rowError = agreements.row(0).getByTestId('agreement-error');
    await expect.poll(() => rowError.textContent()).toBe('Vul nog in: wie, wanneer.');
    const errorId = await rowError.getAttribute('id');
    expect(await agreements.row(0).getByLabel('Wie', { exact: true }).getAttribute('aria-describedby')).toContain(errorId);
    expect(await agreements.row(0).getByLabel('Wie', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.getByTestId('checklist-errors').textContent()).toContain('Afspraak 1');
    await agreements.row(0).getByLabel('Wie', { exact: true }).fill('Jan');
    await agreements.row(0).getByLabel('Wanneer', { exact: true }).fill('2026-04-01');
    await expect.poll(() => rowError.count()).toBe(0);
    await agreements.add({ wat: 'Terugbellen over de uitkering', wie: 'Consulent', wanneer: 'volgende week' });
    // Removal is undoable.
    await agreements.add({ wat: 'Per ongeluk', wie: 'niemand', wanneer: 'nooit' });
    await agreements.row(2).getByTestId('agreement-remove').click();
    await expect.poll(() => agreements.rows.count()).toBe(2);
    await page.getByTestId('agreement-undo').click();
    await expect.poll(() => agreements.rows.count()).toBe(3);
    await agreements.row(2).getByTestId('agreement-remove').click();
    await expect.poll(() => agreements.rows.count()).toBe(2);
    await expect.poll(() => page.getByTestId('checklist').textContent()).toContain('Alles wat nodig is, staat erin.');
    await editor.waitForBadge('Opgeslagen op server');
    await page.screenshot({ path: join(E2E_SCREENSHOTS, 'a1-afspraken.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // A2: read-along shows this document only, in large type, every BSN masked.
    await page.getByTestId('read-along').click();
    const readAlong = new ReadAlongPage(page);
    await readAlong.waitForScreen();
    expect(new URL(page.url()).pathname).toBe(`/document/${docId}/meelezen`);
    const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
    expect(text).not.toContain(BSN);
    expect(text).toContain('•••••333');
    expect(text).toContain('Huishoudelijke hulp aanvragen');
    expect(text).toContain('Terugbellen over de uitkering');
    expect(text).not.toContain('Mijn documenten');
    expect(text).not.toContain('Afmelden');
    expect(await page.locator('header.kt-header, nav').count()).toBe(0);
    const fontSize = await readAlong.letter.locator('.kt-letter__paragraph').first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(20);
    await page.screenshot({ path: join(E2E_SCREENSHOTS, 'a2-meelezen.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    // A3: the back button (and swipe-back, the same history step) stays in read-along.
    await page.goBack();
    await expect.poll(() => readAlong.backBlocked.textContent()).toContain('Alleen de ambtenaar');
    expect(new URL(page.url()).pathname).toBe(`/document/${docId}/meelezen`);
    // Wait for the history step itself (popstate) and one task after it, in which the guard has
    // put its entry back, instead of a fixed pause.
    const popped = page.evaluate(
      () => new Promise<void>((resolve) => addEventListener('popstate', () => setTimeout(resolve, 0), { once: true })),
    );
    await page.goBack();
    await popped;
    expect(new URL(page.url()).pathname).toBe(`/document/${docId}/meelezen`);
    expect(await readAlong.root.isVisible()).toBe(true);
    // A tap on "Terug naar ambtenaar" does not leave either: it must be held.
    await readAlong.leaveButton.click();
    await expect.poll(() => page.getByTestId('leave-help').textContent()).toContain('Houd de knop 2 seconden ingedrukt');
    expect(new URL(page.url()).pathname).toBe(`/document/${docId}/meelezen`);

    // A4: the citizen signs, offline: one stroke with a finger, one with the mouse.
    await setNetwork(context, world.field, false);
    await readAlong.agree.click();
    await expect.poll(() => page.getByTestId('confirm-error').textContent()).toContain('handtekening');
    await readAlong.drawWithTouch(context, [[0.1, 0.7], [0.2, 0.3], [0.3, 0.6], [0.4, 0.4], [0.5, 0.65]]);
    await readAlong.drawWithMouse([[0.55, 0.5], [0.7, 0.3], [0.85, 0.6]]);
    await readAlong.confirm(SIGNER);
    await expect.poll(() => readAlong.done.textContent()).toContain(`Bedankt, ${SIGNER}`);
    const given = page.getByTestId('signature-given');
    await expect.poll(() => given.count()).toBe(1);
    expect(await given.textContent()).toMatch(new RegExp(`Voor akkoord getekend door ${SIGNER} op \\d{1,2} \\p{L}+ \\d{4} om \\d{2}:\\d{2}`, 'u'));
    expect(await page.getByTestId('signature-outdated').count()).toBe(0);
    // The letter shows the drawing as the PDF prints it: two strokes.
    expect(await readAlong.letter.getByRole('img', { name: `Handtekening van ${SIGNER}` }).locator('polyline, circle').count()).toBe(2);
    await page.screenshot({ path: join(E2E_SCREENSHOTS, 'a4-getekend.png'), fullPage: true });

    // A3: the official leaves deliberately, by holding the button.
    await readAlong.holdToLeave();
    await page.waitForURL((url) => url.pathname === `/document/${docId}`);
    await editor.section('aanleiding').waitFor();
    await expect.poll(() => page.getByTestId('agreement-signatures').textContent()).toContain(`Voor akkoord getekend door ${SIGNER}`);

    // Online again: the signature reaches the server, then the submitted PDF prints it.
    await setNetwork(context, world.field, true);
    await editor.waitForBadge('Opgeslagen op server', 30_000);
    await editor.submit();
    await editor.pdfLink.waitFor({ timeout: 60_000 });
    const href = await editor.pdfLink.getAttribute('href');
    const res = await fetch(`${world.baseUrl}${href ?? ''}`);
    expect(res.status).toBe(200);
    const pdf = pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(pdf).toContain('Huishoudelijke hulp aanvragen');
    expect(pdf).toContain('Terugbellen over de uitkering');
    expect(pdf).toMatch(new RegExp(`Voor akkoord getekend door ${SIGNER} op \\d{1,2} \\p{L}+ \\d{4} om \\d{2}:\\d{2}`, 'u'));
    // The archive keeps the real BSN: masking is for the screen beside the citizen only.
    expect(pdf).toContain(BSN);
    await context.close();
  });

  it('[A3] read-along offers a confirm step instead of holding, and a changed agreement says the signature no longer covers it', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.baseUrl, 'veldwerker');
    const { docId } = await newRecord(page);
    const agreements = new AgreementsEditorPage(page);
    await agreements.add({ wat: 'Aanvraag indienen', wie: 'Jan', wanneer: 'morgen' });
    await page.getByTestId('read-along').click();
    const readAlong = new ReadAlongPage(page);
    await readAlong.waitForScreen();
    await page.getByTestId('signature-cross').click();
    await readAlong.confirm(SIGNER);
    await expect.poll(() => page.getByTestId('signature-given').count()).toBe(1);

    // Closing the tab (or typing another address) makes the browser ask first; staying keeps it open.
    const asked = new Promise<string>((resolve) => {
      page.once('dialog', (dialog) => {
        resolve(dialog.type());
        void dialog.dismiss();
      });
    });
    await page.close({ runBeforeUnload: true });
    expect(await asked).toBe('beforeunload');
    expect(page.isClosed()).toBe(false);
    expect(await readAlong.root.isVisible()).toBe(true);

    // Keyboard: Enter on the button opens the confirm step, which leaves on "Ja".
    await readAlong.leaveButton.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('leave-confirm').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('leave-confirm-yes').click();
    await page.waitForURL((url) => url.pathname === `/document/${docId}`);

    // The official changes the agreement after the signature: both screens say so.
    await agreements.row(0).getByLabel('Wanneer', { exact: true }).fill('volgende maand');
    await expect.poll(() => page.getByTestId('agreement-signatures').textContent()).toContain('geldt daar niet meer voor');
    await gotoAndUnlock(page, `${world.baseUrl}/document/${docId}/meelezen`);
    await readAlong.waitForScreen();
    await expect.poll(() => page.getByTestId('signature-outdated').textContent()).toContain('geldt niet voor de afspraken zoals ze nu zijn');
    await context.close();
  });

  it('[A5] "Afspraken worden een brief" makes a letter with the agreements and the addressee, offline', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.field.url, 'veldwerker');
    const { docId, editor } = await newRecord(page);
    const agreements = new AgreementsEditorPage(page);
    await agreements.add({ wat: 'Huishoudelijke hulp aanvragen', wie: 'Jan', wanneer: '2026-04-01' });
    await agreements.add({ wat: 'Terugbellen', wie: 'Consulent', wanneer: 'volgende week' });
    await editor.waitForBadge('Opgeslagen op server');

    await setNetwork(context, world.field, false);
    await agreements.toLetterButton.click();
    await page.waitForURL((url) => /^\/document\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(docId));
    const letter = new EditorPage(page);
    await letter.waitForForm();
    expect(await letter.field('Naam betrokkene').inputValue()).toBe('Mevrouw J. de Vries');
    expect(await letter.field('Zaaknummer').inputValue()).toBe('ZAAK-2026-0077');
    expect(await letter.field('Onderwerp').inputValue()).toBe('Onze afspraken: Zorg voor uw moeder thuis');
    // Plain or rich body alike (sectionValue reads a rich list as '- ' lines).
    await expect.poll(() => letter.sectionValue('kern')).toContain('Dit hebben we met elkaar afgesproken:');
    const kern = await letter.sectionValue('kern');
    expect(kern).toContain('Dit hebben we met elkaar afgesproken:');
    expect(kern).toContain('- Huishoudelijke hulp aanvragen — Jan, 1 april 2026');
    expect(kern).toContain('- Terugbellen — Consulent, volgende week');
    await letter.waitForBadge('Alleen op dit apparaat');

    await setNetwork(context, world.field, true);
    await letter.waitForBadge('Opgeslagen op server', 30_000);
    await context.close();
  });
});
