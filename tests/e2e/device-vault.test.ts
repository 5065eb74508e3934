// Issue 13's proof on real Chromium at a phone viewport: what a citizen told the official lies on
// the device only as ciphertext (K17), and the PIN opens it again offline, complete (K18). The
// lock screens: wrong PINs count down, warn before the last one and then erase (K11, K12, K16);
// no input for the idle time locks the app (K13); a cold start always locks (K14).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { E2E_PIN, LockPage, reloadAndUnlock } from './pages/lock-page';
import { AgreementsEditorPage, ReadAlongPage } from './pages/read-along-page';
import { SignInPage } from './pages/sign-in-page';
import { databaseNames, waitForServiceWorker } from './support/app';
import { DEMO_PASSWORD } from './support/app-server';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { setNetwork } from './support/network-cut';
import { findLeaks, readOriginStorage } from './support/origin-storage';
import { E2E_SCREENSHOTS } from './support/paths';

let world: E2EWorld;

beforeAll(async () => {
  world = await startWorld({ outbox: { pollMs: 100 } });
  mkdirSync(E2E_SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await world?.close();
});

async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
}

/** What the citizen told the official: none of it may be readable on the device. */
const BSN = '111222333';
const NAME = 'Wilhelmina Zonnebloem';
const SENTENCE = 'Zij heeft een betalingsachterstand bij de energieleverancier van vierhonderd euro.';

/** An afsprakenverslag with the known values in fields, a section and an agreement, signed by NAME. */
async function signedRecord(context: BrowserContext, page: Page): Promise<{ docId: string; editor: EditorPage }> {
  const docId = await new DocumentListPage(page).createDocument('afsprakenverslag');
  const editor = new EditorPage(page);
  await editor.section('aanleiding').waitFor();
  await editor.fillLetter({ zaak: 'ZAAK-2026-0131', naam: `Mevrouw ${NAME}`, adres: 'Dorpsstraat 12\n1234 AB Voorbeeld', onderwerp: 'Afspraken over uw energierekening' });
  await editor.fieldByKey('gespreksdatum').fill('2026-03-03');
  await editor.fieldByKey('aanwezigen').fill(`${NAME} (BSN ${BSN})\nVera Veld, consulent`);
  await editor.fillSection('aanleiding', 'Mevrouw vroeg hulp bij haar rekeningen.');
  await editor.fillSection('situatie', SENTENCE);
  await new AgreementsEditorPage(page).add({ wat: 'Betalingsregeling aanvragen', wie: NAME, wanneer: 'volgende week' });
  await expect.poll(() => editor.sectionValue('situatie')).toBe(SENTENCE);
  await expect.poll(() => page.getByTestId('checklist').textContent()).toContain('Alles wat nodig is, staat erin.');

  await page.getByTestId('read-along').click();
  const readAlong = new ReadAlongPage(page);
  await readAlong.waitForScreen();
  await readAlong.drawWithTouch(context, [[0.1, 0.7], [0.2, 0.3], [0.3, 0.6], [0.4, 0.4], [0.5, 0.65]]);
  await readAlong.confirm(NAME);
  await expect.poll(() => readAlong.done.textContent()).toContain(`Bedankt, ${NAME}`);
  await readAlong.holdToLeave();
  await page.waitForURL((url) => url.pathname === `/document/${docId}`);
  await editor.section('aanleiding').waitFor();
  return { docId, editor };
}

describe('device vault', () => {
  it('[K17] [K18] [K14] no IndexedDB record or cached response holds the BSN, name or sentence in any form; offline, the PIN opens everything again', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.field.url, 'veldwerker');
    await waitForServiceWorker(page);
    const { docId, editor } = await signedRecord(context, page);
    await editor.waitForBadge('Opgeslagen op server', 30_000);

    // Offline: an edit only on this device and a submit in the queue.
    await setNetwork(context, world.field, false);
    // One input event: Yjs keeps the sentence in one piece, so a plaintext leak would be found.
    const offlineLine = 'Zij belt de leverancier zelf op maandag.';
    await editor.fillSection('aanleiding', offlineLine);
    await editor.waitForBadge('Alleen op dit apparaat');
    await editor.submit();
    await expect.poll(() => editor.submitStatus.textContent()).toContain('Indienen wacht op verbinding');

    // K17: every IndexedDB database and Cache Storage entry of the origin, read as DevTools does.
    const stored = await readOriginStorage(context, page);
    expect(stored.some((item) => item.where.startsWith(`indexeddb keukentafel-`))).toBe(true);
    expect(stored.some((item) => item.where.startsWith('cache '))).toBe(true);
    expect(findLeaks(stored, [BSN, NAME, SENTENCE, offlineLine, 'Zonnebloem', 'energierekening'])).toEqual([]);

    // K14, K18: a reload offline locks; the PIN opens the document, the signature and the queued submit.
    await page.reload();
    const lock = new LockPage(page);
    await lock.lockedHeading.waitFor();
    await page.screenshot({ path: join(E2E_SCREENSHOTS, 'k14-vergrendeld.png') });
    expect(await page.getByText(NAME).count()).toBe(0);
    await lock.unlock();
    await editor.section('situatie').waitFor();
    await expect.poll(() => editor.sectionValue('situatie')).toBe(SENTENCE);
    await expect.poll(() => editor.sectionValue('aanleiding')).toBe(offlineLine);
    expect(await editor.fieldByKey('aanwezigen').inputValue()).toContain(BSN);
    await expect.poll(() => page.getByTestId('agreement-signatures').textContent()).toContain(`Voor akkoord getekend door ${NAME}`);
    await expect.poll(() => editor.submitStatus.textContent()).toContain('Indienen wacht op verbinding');

    // Online again: the edit and the queued submit reach the server.
    await setNetwork(context, world.field, true);
    await editor.pdfLink.waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).pathname).toBe(`/document/${docId}`);
    await context.close();
  });

  it('[K11] [K12] [K16] wrong PINs count down, the last attempt is warned about first, and then the data on the device is erased', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.baseUrl, 'veldwerker');
    await page.reload();
    const lock = new LockPage(page);
    await lock.lockedHeading.waitFor();
    const max = 10;
    for (let left = max - 1; left >= 1; left--) {
      expect(await lock.lastAttemptWarning.count()).toBe(0);
      expect(await lock.wrongPin('999999')).toBe(`Deze pincode klopt niet. U kunt het nog ${left} keer proberen.`);
    }
    // K12: before the last attempt, the screen says what a wrong PIN will cost.
    await lock.lastAttemptWarning.waitFor();
    expect(await lock.lastAttemptWarning.textContent()).toContain('Wat nog niet op de server staat, gaat dan verloren.');
    await page.screenshot({ path: join(E2E_SCREENSHOTS, 'k12-laatste-poging.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    // The warning stays after a reload: the count is on the device, not in the screen.
    await page.reload();
    await lock.lastAttemptWarning.waitFor();

    await page.getByLabel('Pincode', { exact: true }).fill('999999');
    await page.getByRole('button', { name: 'Ontgrendelen' }).click();
    const gone = page.getByTestId('data-gone-destroyed');
    await gone.waitFor();
    await page.screenshot({ path: join(E2E_SCREENSHOTS, 'k16-gewist.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await expect.poll(async () => (await databaseNames(page)).filter((name) => name.startsWith('keukentafel-'))).toEqual([]);

    // Only a new sign-in helps; the right PIN of before opens nothing.
    await page.getByRole('button', { name: 'Opnieuw aanmelden' }).click();
    const signIn = new SignInPage(page);
    await signIn.heading.waitFor();
    await signIn.signIn('veldwerker', undefined, E2E_PIN);
    await new DocumentListPage(page).waitForScreen();
    await context.close();
  });

  it('[K13] [K19] no input for the idle time locks the app and takes the signed-in screens away; the PIN opens it where it was', async () => {
    const context = await world.newPhone();
    const page = await context.newPage();
    await page.clock.install();
    const signIn = new SignInPage(page);
    await signIn.goto(world.baseUrl);
    await signIn.signIn('veldwerker');
    const list = new DocumentListPage(page);
    await list.waitForScreen();
    const docId = await list.createDocument();
    const editor = new EditorPage(page);
    await editor.waitForForm();

    // Input keeps it open: four minutes, a key, four minutes more.
    await page.clock.fastForward('04:00');
    await editor.field('Onderwerp').fill('Nog bezig');
    await page.clock.fastForward('04:00');
    expect(await new LockPage(page).lockedHeading.count()).toBe(0);

    // Five minutes without input (the default policy) lock it.
    await page.clock.fastForward('01:01');
    const lock = new LockPage(page);
    await lock.lockedHeading.waitFor();
    expect(await editor.field('Onderwerp').count()).toBe(0);
    await lock.unlock();
    await editor.waitForForm();
    expect(new URL(page.url()).pathname).toBe(`/document/${docId}`);
    await expect.poll(() => editor.field('Onderwerp').inputValue()).toBe('Nog bezig');
    await context.close();
  });

  it('[K10] choosing a PIN refuses a short one and two that differ, on the numeric keypad, unremembered', async () => {
    const context = await world.newPhone();
    const page = await context.newPage();
    const signIn = new SignInPage(page);
    await signIn.goto(world.baseUrl);
    await page.getByLabel('Gebruikersnaam').fill('veldwerker');
    await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    const lock = new LockPage(page);
    await lock.choosePinHeading.waitFor();
    const pin = page.getByLabel('Nieuwe pincode');
    expect(await pin.getAttribute('inputmode')).toBe('numeric');
    expect(await pin.getAttribute('autocomplete')).toBe('off');
    expect(await pin.getAttribute('type')).toBe('password');
    await page.screenshot({ path: join(E2E_SCREENSHOTS, 'k10-pincode-kiezen.png'), fullPage: true });

    await pin.fill('2468');
    await page.getByLabel('Herhaal de pincode').fill('2468');
    await page.getByRole('button', { name: 'Pincode instellen' }).click();
    await expect.poll(() => page.getByTestId('problem-pin').textContent()).toBe('De pincode moet minstens 6 cijfers hebben.');
    await pin.fill('246810');
    await page.getByLabel('Herhaal de pincode').fill('246811');
    await page.getByRole('button', { name: 'Pincode instellen' }).click();
    await expect.poll(() => page.getByTestId('problem-pin-repeat').textContent()).toContain('niet gelijk');
    await page.screenshot({ path: join(E2E_SCREENSHOTS, 'k10-pincode-fout.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await lock.choosePin();
    await new DocumentListPage(page).waitForScreen();
    await reloadAndUnlock(page);
    await new DocumentListPage(page).waitForScreen();
    await context.close();
  });

  it('[K15] without server contact the lock screen warns days ahead, then stops unlocking until the server is reached again', async () => {
    const context = await world.newPhone();
    const page = await context.newPage();
    const start = Date.now();
    await page.clock.install({ time: start });
    const signIn = new SignInPage(page);
    await signIn.goto(world.field.url);
    await signIn.signIn('veldwerker');
    await new DocumentListPage(page).waitForScreen();
    await waitForServiceWorker(page);
    await setNetwork(context, world.field, false);
    const lock = new LockPage(page);
    const day = 24 * 60 * 60 * 1000;

    // Twelve days offline: the default policy (14 days, warned 3 days before) warns.
    await page.clock.setSystemTime(start + 12 * day);
    await page.reload();
    await lock.lockedHeading.waitFor();
    await expect.poll(() => page.getByTestId('grace-warning').textContent()).toContain('over 2 dagen kunt u de app anders niet meer ontgrendelen');
    await page.screenshot({ path: join(E2E_SCREENSHOTS, 'k15-waarschuwing.png'), fullPage: true });

    // Fifteen days: no unlocking, not even with the right PIN, until the server has been reached.
    await page.clock.setSystemTime(start + 15 * day);
    await page.reload();
    await lock.graceExpiredHeading.waitFor();
    await page.screenshot({ path: join(E2E_SCREENSHOTS, 'k15-verbinding-nodig.png'), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Opnieuw proberen' }).click();
    await page.getByTestId('grace-retry-failed').waitFor();
    expect(await lock.lockedHeading.count()).toBe(0);

    await setNetwork(context, world.field, true);
    await page.getByRole('button', { name: 'Opnieuw proberen' }).click();
    await lock.unlock(E2E_PIN);
    await new DocumentListPage(page).waitForScreen();
    await context.close();
  });

  it('[K11] "Pincode vergeten?" leads to a new sign-in; the server\'s recovery key opens the data, a new PIN is chosen, and an unsent edit is still there', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.field.url, 'veldwerker');
    await waitForServiceWorker(page);
    const docId = await new DocumentListPage(page).createDocument();
    const editor = new EditorPage(page);
    await editor.waitForBadge('Opgeslagen op server', 30_000);
    await setNetwork(context, world.field, false);
    await editor.fillSection('kern', SENTENCE);
    await editor.waitForBadge('Alleen op dit apparaat');

    await page.reload();
    const lock = new LockPage(page);
    await lock.lockedHeading.waitFor();
    await page.getByRole('button', { name: 'Pincode vergeten?' }).click();
    const signIn = new SignInPage(page);
    await signIn.heading.waitFor();
    expect(await page.getByRole('status').textContent()).toContain('Daarna kiest u een nieuwe pincode');

    await setNetwork(context, world.field, true);
    await page.getByLabel('Gebruikersnaam').fill('veldwerker');
    await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Aanmelden' }).click();
    // No old PIN asked: straight to a new one.
    await lock.choosePin('135790');
    await editor.waitForForm();
    expect(new URL(page.url()).pathname).toBe(`/document/${docId}`);
    await expect.poll(() => editor.sectionValue('kern')).toBe(SENTENCE);
    await editor.waitForBadge('Opgeslagen op server', 30_000);

    // The new PIN is the one now.
    await page.reload();
    expect(await lock.wrongPin(E2E_PIN)).toContain('Deze pincode klopt niet.');
    await lock.unlock('135790');
    await editor.waitForForm();
    await context.close();
  });
});
