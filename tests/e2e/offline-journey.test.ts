// The journey the product exists for, in real Chromium at a phone viewport: open the app once,
// lose the network, write a letter, reload without network, and see it reach the server and the
// back office's inbox live when the network returns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';
import { readSection } from '../../shared/model/document';
import { docRoom } from '../../shared/protocol/rooms';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { InboxPage } from './pages/inbox-page';
import { waitForServiceWorker } from './support/app';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { setNetwork } from './support/network-cut';
import { E2E_SCREENSHOTS } from './support/paths';
import { gotoAndUnlock, reloadAndUnlock } from './pages/lock-page';

let world: E2EWorld;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.close();
});

async function serverText(docId: string, section: string): Promise<string> {
  const doc = new Y.Doc();
  // The server stores a document's log under its room name.
  const { updates } = await world.server.store.loadUpdates(docRoom(docId));
  for (const update of updates) Y.applyUpdate(doc, update);
  // Plain (Y.Text) or rich (Y.XmlFragment) alike, as the rules read it.
  return readSection(doc, section);
}

describe('offline first', () => {
  it('[S1] [S2] [S8] a letter written offline survives an offline reload, is saved on the server once online, and appears live in the inbox', async () => {
    const field = await world.newPhone();
    const fieldUrl = world.field.url;
    const page = await signedIn(field, fieldUrl, 'veldwerker');
    const list = new DocumentListPage(page);
    await waitForServiceWorker(page);
    await reloadAndUnlock(page);
    await list.waitForScreen();

    // The back office is watching its inbox the whole time, online.
    const office = await world.newPhone();
    const inboxPage = await signedIn(office, world.baseUrl, 'kantoor');
    const inbox = new InboxPage(inboxPage);

    await setNetwork(field, world.field, false);
    await reloadAndUnlock(page);
    await list.waitForScreen();
    await expect.poll(() => list.connectivity.getAttribute('data-state')).toBe('offline');

    const docId = await list.createDocument();
    const editor = new EditorPage(page);
    await editor.fillLetter({ zaak: 'ZAAK-2026-0042', naam: 'Mevrouw J. de Vries', adres: 'Dorpsstraat 12\n1234 AB Voorbeeld', onderwerp: 'Zorg voor uw moeder' });
    const kern = 'U woont sinds maart bij uw moeder en zorgt voor haar.';
    await editor.fillSection('kern', kern);
    await editor.waitForBadge('Alleen op dit apparaat');

    // S1: what the badge calls stored survives a reload, without a network.
    await reloadAndUnlock(page);
    await editor.waitForForm();
    await expect.poll(() => editor.sectionValue('kern')).toBe(kern);
    await expect.poll(() => editor.field('Onderwerp').inputValue()).toBe('Zorg voor uw moeder');
    await editor.waitForBadge('Alleen op dit apparaat');

    // Deep links and the list work offline too; the letter is listed before the server knows it.
    await gotoAndUnlock(page, `${fieldUrl}/`);
    await list.waitForScreen();
    await expect.poll(() => list.badge(docId).textContent()).toBe('Alleen op dit apparaat');
    await expect.poll(() => list.progress.textContent()).toContain('0 van 1 verzonden');
    expect(await list.storageStatus.textContent()).toMatch(/Gegevens blijven bewaard op dit apparaat|Installeer de\s+app/);
    mkdirSync(E2E_SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(E2E_SCREENSHOTS, '2c-mijn-documenten-offline.png'), fullPage: true });
    expect(await inbox.row(docId).count()).toBe(0);

    await gotoAndUnlock(page, `${fieldUrl}/document/${docId}`);
    await editor.waitForForm();
    await setNetwork(field, world.field, true);
    await editor.waitForBadge('Opgeslagen op server', 30_000);
    // S2: "saved" only once the server's database holds the text.
    expect(await serverText(docId, 'kern')).toBe(kern);

    // S8: the inbox shows the new document without a reload.
    await inbox.row(docId).waitFor({ timeout: 15_000 });
    expect(await inbox.row(docId).textContent()).toContain('Zorg voor uw moeder');
  });
  it('[G3] no page reported a Content-Security-Policy violation', () => {
    expect(world.cspViolations()).toEqual([]);
  });
});
