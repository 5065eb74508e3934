// Browser copies (issue 18): what Chromium itself keeps of the app's screens, outside the app's
// own (encrypted, issue 13) store. A persistent profile, as on a phone: sign in, write a document
// whose title, fields and sections hold a known name, BSN and sentence, a second one with a rich
// section, read along with a citizen who signs with their name; close the browser and search
// every file of the profile (History, Sessions, Web Data, Preferences, Local Storage, the HTTP
// cache, …) for those values in UTF-8, UTF-16LE and base64 (N6). Also: titles (N1), form memory
// and spell check (N2, N5), the manifest (N4) and the cover for the task switcher (N3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/app';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { gotoAndUnlock } from './pages/lock-page';
import { AgreementsEditorPage, ReadAlongPage } from './pages/read-along-page';
import { startAppServer } from './support/app-server';
import { launchPersistentPhone } from './support/browser';
import { signedIn } from './support/fixture';
import { scanProfile } from './support/profile-scan';

/** The citizen, as typed into the documents. A BSN that passes the 11-test. */
const NAME = 'Hendrikje Vlasblom';
const BSN = '628194821';
const ADDRESS = 'Kwartelpad 17';
const SENTENCE = 'Zij fokt blauwe kanaries in de schuur';
const RICH_SENTENCE = 'Haar buurman Gerolf repareert fietsen op zondag';
const SIGNER = 'Teunis Brakkenstein';
const VALUES = [NAME, BSN, ADDRESS, SENTENCE, RICH_SENTENCE, SIGNER];

let server: RunningServer;

beforeAll(async () => {
  server = await startAppServer();
});

afterAll(async () => {
  await server?.close();
});

describe('browser copies (N)', () => {
  it('[N1] [N2] [N5] [N6] a closed browser keeps no name, BSN or sentence of a citizen in any file of its profile', async () => {
    const phone = await launchPersistentPhone();
    try {
      const { context } = phone;
      const page = await signedIn(context, server.url, 'veldwerker');
      const list = new DocumentListPage(page);

      // A rich section (contenteditable) in a letter whose title is the citizen's name.
      const letterId = await list.createDocument('brief');
      const letter = new EditorPage(page);
      await letter.waitForForm();
      await letter.fillLetter({ zaak: 'ZAAK-2026-0418', naam: NAME, adres: `${ADDRESS}\n1234 AB Voorbeeld`, onderwerp: `Voorschot voor ${NAME}` });
      await letter.fillSection('kern', `${RICH_SENTENCE}. Uw BSN is ${BSN}.`);
      await expect.poll(() => letter.sectionValue('kern')).toContain(RICH_SENTENCE);
      await expect.poll(() => page.evaluate(() => document.title)).toBe('Document bewerken — Keukentafel');
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Voorschot voor ${NAME}`);
      // N5: the rich section keeps the browser's spell check.
      expect(await letter.section('kern').evaluate((el: HTMLElement) => el.isContentEditable && el.spellcheck)).toBe(true);
      await letter.waitForBadge('Opgeslagen op server');

      // Plain sections (textareas), fields and an agreement, then reading along.
      await gotoAndUnlock(page, `${server.url}/`);
      await list.waitForScreen();
      expect(await page.evaluate(() => document.title)).toBe('Mijn documenten — Keukentafel');
      const recordId = await list.createDocument('afsprakenverslag');
      const record = new EditorPage(page);
      await record.section('aanleiding').waitFor();
      await record.fillLetter({ zaak: 'ZAAK-2026-0419', naam: NAME, adres: `${ADDRESS}\n1234 AB Voorbeeld`, onderwerp: `Zorg voor ${NAME}` });
      await record.fieldByKey('gespreksdatum').fill('2026-03-03');
      await record.fieldByKey('aanwezigen').fill(`${NAME} (BSN ${BSN})\nVera Veld, consulent`);
      await record.fillSection('aanleiding', SENTENCE);
      await record.fillSection('situatie', `${NAME} woont aan ${ADDRESS}. Haar BSN is ${BSN}.`);
      await new AgreementsEditorPage(page).add({ wat: `${SENTENCE} en zoekt een koper`, wie: NAME, wanneer: 'volgende week' });
      await expect.poll(() => record.sectionValue('situatie')).toContain(BSN);

      // N2: every form control on the editor says autocomplete="off"; N5: spell check stays on
      // where officials write (textareas and the rich sections).
      const controls = await page.evaluate(() =>
        [...document.querySelectorAll('input, textarea, select')].map((el) => `${el.id || el.tagName}:${el.getAttribute('autocomplete') ?? '(none)'}`),
      );
      expect(controls.length).toBeGreaterThan(8);
      expect(controls.filter((c) => !c.endsWith(':off'))).toEqual([]);
      const noSpelling = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('textarea, [contenteditable="true"]')].filter((el) => !el.spellcheck).map((el) => el.id),
      );
      expect(noSpelling).toEqual([]);
      await record.waitForBadge('Opgeslagen op server');

      // Read along: the citizen types their name and agrees.
      await page.getByTestId('read-along').click();
      const readAlong = new ReadAlongPage(page);
      await readAlong.waitForScreen();
      expect(await page.evaluate(() => document.title)).toBe('Meelezen — Keukentafel');
      expect(await readAlong.name.getAttribute('autocomplete')).toBe('off');
      await page.getByTestId('signature-cross').click();
      await readAlong.confirm(SIGNER);
      await expect.poll(() => readAlong.done.textContent()).toContain(`Bedankt, ${SIGNER}`);
      await readAlong.leaveButton.focus();
      await page.keyboard.press('Enter');
      await page.getByTestId('leave-confirm-yes').click();
      await page.waitForURL((url) => url.pathname === `/document/${recordId}`);
      await record.waitForBadge('Opgeslagen op server');

      // Back to the letter in a fresh load (a history entry with its own page state), then the
      // record again: the browser closes with a filled-in editor open, as a phone is put away.
      await letter.goto(server.url, letterId);
      await gotoAndUnlock(page, `${server.url}/document/${recordId}`);
      await record.section('aanleiding').waitFor();
      await expect.poll(() => record.sectionValue('aanleiding')).toContain(SENTENCE);
      await context.close();

      const { hits, scanned } = scanProfile(phone.dir, VALUES);
      // The places the issue names were on disk and read (the search is not vacuous).
      for (const expected of ['Default/History', 'Default/Web Data', 'Default/Preferences']) expect(scanned).toContain(expected);
      expect(scanned.some((f) => f.startsWith('Default/Sessions/'))).toBe(true);
      expect(scanned.some((f) => f.startsWith('Default/Local Storage/'))).toBe(true);
      // … and they hold what the app showed, in neutral words: the search finds what is there.
      const neutral = scanProfile(phone.dir, ['Document bewerken — Keukentafel', letterId]);
      expect(neutral.hits.some((h) => h.file === 'Default/History' && h.value === 'Document bewerken — Keukentafel')).toBe(true);
      expect(neutral.hits.some((h) => h.file.startsWith('Default/Sessions/') && h.value === letterId)).toBe(true);
      expect(hits.map((h) => `${h.file}: ${h.value} (${h.encoding})`)).toEqual([]);
    } finally {
      await phone.dispose();
    }
  });

  it('[N3] the page is covered by a neutral screen within the visibilitychange event, before any frame and any other listener', async () => {
    const phone = await launchPersistentPhone();
    try {
      const page = await signedIn(phone.context, server.url, 'veldwerker');
      const list = new DocumentListPage(page);
      await list.createDocument('brief');
      const editor = new EditorPage(page);
      await editor.waitForForm();
      await editor.fillLetter({ zaak: 'ZAAK-2026-0420', naam: NAME, adres: ADDRESS, onderwerp: `Voorschot voor ${NAME}` });
      const cover = page.getByTestId('privacy-cover');
      expect(await cover.isVisible()).toBe(false);

      // Headless Chromium never hides a page (no window to minimise, every tab stays visible), so
      // the test plays the browser's part: visibilityState reads 'hidden' and the event fires at
      // the document, as Chromium fires it. What the app does with it is real.
      const seen = await page.evaluate(async () => {
        const coverEl = document.querySelector<HTMLElement>('[data-testid="privacy-cover"]')!;
        const covering = (): boolean => {
          if (coverEl.hidden || getComputedStyle(coverEl).display === 'none') return false;
          const points = [
            [1, 1],
            [innerWidth / 2, innerHeight / 2],
            [innerWidth - 2, innerHeight - 2],
            [innerWidth / 2, 80],
          ];
          return points.every(([x, y]) => {
            const hit = document.elementFromPoint(x!, y!);
            return hit !== null && coverEl.contains(hit);
          });
        };
        let state: DocumentVisibilityState = 'hidden';
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' });
        // A listener of the app's own kind (the lock of issue 13 listens here): the cover is already up.
        let atOtherListener = false;
        document.addEventListener('visibilitychange', () => {
          if (state === 'hidden') atOtherListener = covering();
        });
        document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
        const atOnce = covering();
        const textWhileCovered = coverEl.innerText;
        const inNextFrame = await new Promise<boolean>((resolve) => requestAnimationFrame(() => resolve(covering())));
        state = 'visible';
        document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
        const afterReturn = covering();
        return { atOtherListener, atOnce, inNextFrame, afterReturn, textWhileCovered };
      });
      expect(seen).toEqual({ atOtherListener: true, atOnce: true, inNextFrame: true, afterReturn: false, textWhileCovered: 'Keukentafel' });
      expect(await cover.isVisible()).toBe(false);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`Voorschot voor ${NAME}`);

      // pagehide (the page goes into the back/forward cache, or away) covers too.
      const onPageHide = await page.evaluate(() => {
        dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
        const el = document.querySelector<HTMLElement>('[data-testid="privacy-cover"]')!;
        const shown = !el.hidden;
        dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
        return { shown, afterShow: !el.hidden };
      });
      expect(onPageHide).toEqual({ shown: true, afterShow: false });
    } finally {
      await phone.dispose();
    }
  });

  it('[N4] the web app manifest carries no personal data: fixed names, no shortcuts, share targets or handlers', async () => {
    const manifest = (await (await fetch(`${server.url}/manifest.webmanifest`)).json()) as Record<string, unknown>;
    const allowed = ['id', 'name', 'short_name', 'description', 'lang', 'dir', 'start_url', 'scope', 'display', 'orientation', 'background_color', 'theme_color', 'categories', 'icons'];
    expect(Object.keys(manifest).filter((k) => !allowed.includes(k))).toEqual([]);
    expect(manifest.name).toBe('Keukentafel');
    expect(manifest.short_name).toBe('Keukentafel');
    expect(manifest.start_url).toBe('/');
  });
});
