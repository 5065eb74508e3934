// Rich text in real Chromium at the phone viewport (360×740): the toolbar (Vet, Cursief,
// Opsomming, Genummerde lijst) and the keyboard format text, "- " starts a list, pasted HTML is
// reduced to the schema (R1); the text survives a reload without network, the lazily loaded
// editor coming from the service worker's cache (R3); two devices co-edit one rich section, both
// edits merge, each sees the other's cursor with their name, and undo takes back only one's own
// typing (R2); the archived PDF carries the rich text (R1).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../support/poppler';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { InboxPage } from './pages/inbox-page';
import { waitForServiceWorker } from './support/app';
import { newPhoneContext } from './support/browser';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { setNetwork } from './support/network-cut';
import { gotoAndUnlock, reloadAndUnlock } from './pages/lock-page';

let world: E2EWorld;
let dmsDir: string;
/** The document of the first test, opened again by the read-only test. */
let firstDocId = '';

beforeAll(async () => {
  dmsDir = mkdtempSync(join(tmpdir(), 'kt-e2e-rich-'));
  world = await startWorld({ dmsDir, outbox: { pollMs: 100 } });
});

afterAll(async () => {
  await world?.close();
  rmSync(dmsDir, { recursive: true, force: true });
});

/** The rich section's structure as tags and text, for exact checks of what was formatted. */
function structure(page: Page, key: string): Promise<string> {
  return page.getByTestId(`section-${key}`).evaluate((root) => {
    const walk = (node: Node): string => {
      if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
      if (!(node instanceof HTMLElement) || node.classList.contains('kt-rich__cursor')) return '';
      if (node.tagName === 'BR') return '';
      const inner = [...node.childNodes].map(walk).join('');
      return `<${node.tagName.toLowerCase()}>${inner}</${node.tagName.toLowerCase()}>`;
    };
    return [...root.childNodes].map(walk).join('');
  });
}

const letter = { zaak: 'ZAAK-2026-0101', naam: 'Mevrouw A. de Boer', adres: 'Molenweg 4\n1234 AB Voorbeeld', onderwerp: 'Hulp in huis' };

describe('rich text', () => {
  it('[R1] [R3] formatting with the toolbar and keyboard on a phone, "- " starts a list, paste is reduced, and the text survives an offline reload', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.field.url, 'veldwerker');
    await waitForServiceWorker(page);
    await reloadAndUnlock(page);
    await new DocumentListPage(page).waitForScreen();
    const docId = await new DocumentListPage(page).createDocument();
    const editor = new EditorPage(page);
    await editor.waitForForm();
    await editor.fillLetter(letter);

    // Accessible as a text box: labelled by the section label, with the hint, multi-line.
    const kern = editor.section('kern');
    expect(await kern.getAttribute('role')).toBe('textbox');
    expect(await kern.getAttribute('aria-multiline')).toBe('true');
    expect(await kern.getAttribute('contenteditable')).toBe('true');
    const labelId = (await kern.getAttribute('aria-labelledby')) ?? '';
    expect(await page.locator(`#${labelId}`).textContent()).toBe('Kern van de brief');
    expect(await page.locator(`#${(await kern.getAttribute('aria-describedby')) ?? ''}`).textContent()).toContain('gewone taal');
    expect(await page.getByRole('textbox', { name: 'Kern van de brief' }).count()).toBe(1);
    // Toolbar: Dutch names, thumb-sized.
    for (const [action, name] of [['bold', 'Vet'], ['italic', 'Cursief'], ['bulletList', 'Opsomming'], ['orderedList', 'Genummerde lijst']] as const) {
      const button = editor.tool('kern', action);
      expect(await page.getByRole('button', { name, exact: true }).getAttribute('data-testid')).toBe(`rich-${action}-kern`);
      const box = await button.boundingBox();
      expect(box?.width).toBeGreaterThanOrEqual(44);
      expect(box?.height).toBeGreaterThanOrEqual(44);
    }

    await kern.click();
    await editor.tool('kern', 'bold').click();
    expect(await editor.tool('kern', 'bold').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.type('Belangrijk');
    await editor.tool('kern', 'bold').click();
    expect(await editor.tool('kern', 'bold').getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.type(' en ');
    await page.keyboard.press('ControlOrMeta+i');
    await page.keyboard.type('schuin');
    expect(await editor.tool('kern', 'italic').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('ControlOrMeta+i');
    await page.keyboard.type('.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- eerste punt');
    expect(await editor.tool('kern', 'bulletList').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Enter');
    await page.keyboard.type('tweede punt');
    // Enter in an empty item leaves the list; "1. " starts a numbered one.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    expect(await editor.tool('kern', 'bulletList').getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.type('1. stap een');
    expect(await editor.tool('kern', 'orderedList').getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Enter');
    // Backspace at the start of an empty item takes it out of the list.
    await page.keyboard.press('Backspace');
    expect(await editor.tool('kern', 'orderedList').getAttribute('aria-pressed')).toBe('false');
    await page.keyboard.type('Slot.');

    const expected =
      '<p><strong>Belangrijk</strong> en <em>schuin</em>.</p>' +
      '<ul><li><p>eerste punt</p></li><li><p>tweede punt</p></li></ul>' +
      '<ol><li><p>stap een</p></li></ol>' +
      '<p>Slot.</p>';
    await expect.poll(() => structure(page, 'kern')).toBe(expected);

    // Pasted HTML keeps only paragraphs, lists, bold and italic. (A pause first: typing within
    // half a second is one undo step, and the paste should be its own.)
    await page.waitForTimeout(700);
    await kern.click();
    await page.keyboard.press('ControlOrMeta+End');
    await kern.evaluate((el) => {
      const data = new DataTransfer();
      data.setData(
        'text/html',
        '<h1>Kop</h1><p><a href="https://example.org">link</a> <u>onder</u> <span style="color:red;font-weight:bold">rood</span> <img src="x.png"></p>' +
          '<table><tr><td>cel</td></tr></table><script>alert(1)</script>',
      );
      data.setData('text/plain', 'Kop link onder rood cel');
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    // The first pasted block joins the paragraph the caret is in.
    await expect.poll(() => structure(page, 'kern')).toContain('<p>Slot.Kop</p><p>link onder <strong>rood</strong></p><p>cel</p>');
    const html = await kern.innerHTML();
    expect(html).not.toMatch(/<(a|u|img|table|td|script|h1|span)\b/);
    await page.keyboard.press('ControlOrMeta+z');
    await expect.poll(() => structure(page, 'kern')).toBe(expected);

    await editor.waitForBadge('Opgeslagen op server');

    // R3: offline, a reload brings the editor chunk from the service worker and the text back.
    await setNetwork(context, world.field, false);
    await reloadAndUnlock(page);
    await editor.waitForForm();
    await expect.poll(() => structure(page, 'kern')).toBe(expected);
    expect(await editor.tool('kern', 'bold').getAttribute('aria-disabled')).toBe('false');
    // Still editable offline.
    await kern.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.type(' Offline erbij.');
    await expect.poll(() => editor.sectionValue('kern')).toContain('Slot. Offline erbij.');
    await editor.waitForBadge('Alleen op dit apparaat');
    await setNetwork(context, world.field, true);
    await editor.waitForBadge('Opgeslagen op server', 30_000);
    firstDocId = docId;
  });

  it('[R3] until the editor chunk arrives the text shows read-only; a chunk that fails to load can be retried', async () => {
    expect(firstDocId).not.toBe('');
    // No service worker here, so the page's own requests can be held back and failed.
    const context = await newPhoneContext(world.browser, { serviceWorkers: 'block' });
    try {
      const page = await signedIn(context, world.baseUrl, 'veldwerker');
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let retried: () => void = () => undefined;
      const retryArrived = new Promise<void>((resolve) => (retried = resolve));
      let fail = true;
      // The retry asks for the chunk with a query of its own (Chromium keeps a failed module fetch).
      await page.route(/\/assets\/mount-[^/?]+\.js(\?retry=\d+)?$/, async (route) => {
        if (fail) {
          fail = false;
          await route.abort();
          return;
        }
        retried();
        await held;
        await route.continue();
      });
      await gotoAndUnlock(page, `${world.baseUrl}/document/${firstDocId}`);
      const readonly = page.getByTestId('section-kern-readonly');
      await expect.poll(() => readonly.innerHTML(), { timeout: 15_000 }).toContain('<strong>Belangrijk</strong>');
      expect(await readonly.getAttribute('aria-readonly')).toBe('true');
      expect(await page.getByTestId('section-kern').count()).toBe(0);
      await page.getByText('De opmaak kon niet worden geladen.').waitFor();
      expect(await page.getByTestId('rich-bold-kern').getAttribute('aria-disabled')).toBe('true');

      await page.getByRole('button', { name: 'Opnieuw proberen' }).click();
      // The retry's request is held back: the text stays readable meanwhile.
      await retryArrived;
      expect(await readonly.textContent()).toContain('Belangrijk');
      release();
      const editor = new EditorPage(page);
      await editor.waitForForm();
      await expect.poll(() => structure(page, 'kern')).toContain('<p><strong>Belangrijk</strong> en <em>schuin</em>.</p>');
      expect(await readonly.count()).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('[R2] two devices co-edit one rich section: both edits merge, each sees the other\'s named cursor, undo takes back only one\'s own typing', async () => {
    const fieldPage = await signedIn(await world.newPhone(), world.baseUrl, 'veldwerker');
    const docId = await new DocumentListPage(fieldPage).createDocument();
    const field = new EditorPage(fieldPage);
    await field.waitForForm();
    await field.fillLetter({ ...letter, zaak: 'ZAAK-2026-0102' });
    await field.fillSection('kern', 'Midden.');
    await field.waitForBadge('Opgeslagen op server');

    const officePage = await signedIn(await world.newPhone(), world.baseUrl, 'kantoor');
    const inbox = new InboxPage(officePage);
    await inbox.row(docId).waitFor();
    await inbox.open(docId);
    const office = new EditorPage(officePage);
    await office.waitForForm();
    await expect.poll(() => office.sectionValue('kern')).toBe('Midden.');

    await field.caretTo('kern', 'end');
    await office.caretTo('kern', 'start');
    await Promise.all([field.typeHere(' Einde van de veldwerker.', 25), office.typeHere('Begin van kantoor. ', 25)]);
    const merged = 'Begin van kantoor. Midden. Einde van de veldwerker.';
    await expect.poll(() => field.sectionValue('kern'), { timeout: 15_000 }).toBe(merged);
    await expect.poll(() => office.sectionValue('kern'), { timeout: 15_000 }).toBe(merged);

    // Both editors still have focus: each shows the other's caret with their name.
    const officeCursorOnField = field.section('kern').getByTestId('rich-cursor');
    await expect.poll(() => officeCursorOnField.textContent(), { timeout: 10_000 }).toContain('Karim Kantoor');
    expect(await officeCursorOnField.isVisible()).toBe(true);
    const fieldCursorOnOffice = office.section('kern').getByTestId('rich-cursor');
    await expect.poll(() => fieldCursorOnOffice.textContent(), { timeout: 10_000 }).toContain('Vera Veldwerker');

    // Undo on the office's device removes the office's words, never the field worker's.
    await office.section('kern').focus();
    await officePage.keyboard.press('ControlOrMeta+z');
    const undone = 'Midden. Einde van de veldwerker.';
    await expect.poll(() => office.sectionValue('kern'), { timeout: 15_000 }).toBe(undone);
    await expect.poll(() => field.sectionValue('kern'), { timeout: 15_000 }).toBe(undone);
  });

  it('[R1] the archived PDF carries the rich text after submit', async () => {
    const page = await signedIn(await world.newPhone(), world.baseUrl, 'veldwerker');
    await new DocumentListPage(page).createDocument();
    const editor = new EditorPage(page);
    await editor.waitForForm();
    await editor.fillLetter({ ...letter, zaak: 'ZAAK-2026-0103' });
    await editor.section('kern').click();
    await page.keyboard.type('U krijgt ');
    await page.keyboard.press('ControlOrMeta+b');
    await page.keyboard.type('vanaf maandag');
    await page.keyboard.press('ControlOrMeta+b');
    await page.keyboard.type(' hulp in huis.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- boodschappen doen');
    await page.keyboard.press('Enter');
    await page.keyboard.type('de was');
    await editor.waitForBadge('Opgeslagen op server');
    await editor.submit();
    await editor.waitForBadge('In DMS', 60_000);
    const href = await editor.pdfLink.getAttribute('href');
    const res = await fetch(`${world.baseUrl}${href ?? ''}`);
    expect(res.status).toBe(200);
    const text = pdfText(new Uint8Array(await res.arrayBuffer())).replace(/\s+/g, ' ');
    expect(text).toContain('U krijgt vanaf maandag hulp in huis.');
    expect(text).toContain('boodschappen doen');
    expect(text).toContain('de was');
  });
});
