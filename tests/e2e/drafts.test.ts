// Drafts in Chromium (E10–E12): a concept discarded after a confirmation that says what happens
// leaves the author's list; the office sees it under "Verwijderde concepten" and restores it, and
// it is back in the author's list. A link to a document nobody has says so and creates nothing,
// neither on the device nor on the server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNKNOWN_DOCUMENT_MESSAGE } from '../../shared/protocol/drafts';
import { DiscardedPage } from './pages/discarded-page';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { gotoAndUnlock } from './pages/lock-page';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';

let world: E2EWorld;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.close();
});

describe('drafts', () => {
  it('[E11] [E12] a concept discarded after confirmation leaves the list; the office restores it and it is back', async () => {
    const field = await signedIn(await world.newPhone(), world.baseUrl, 'veldwerker');
    const list = new DocumentListPage(field);
    const docId = await list.createDocument('brief');
    const editor = new EditorPage(field);
    await editor.waitForForm();
    await editor.fillLetter({ zaak: 'ZAAK-2026-0500', naam: 'Mevrouw B. Verkeerd', adres: 'Dorpsstraat 1\n1234 AB Voorbeeld', onderwerp: 'Per ongeluk begonnen' });
    await editor.waitForBadge('Opgeslagen op server');

    // The confirmation says what happens; cancelling changes nothing.
    await field.getByTestId('discard').click();
    const confirm = field.getByTestId('discard-confirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('Het kantoor kan het');
    expect(await confirm.textContent()).toContain('definitief gewist');
    await field.getByTestId('discard-no').click();
    expect(await confirm.count()).toBe(0);
    await field.getByTestId('discard').click();
    await field.getByTestId('discard-yes').click();

    await list.waitForScreen();
    await expect.poll(() => list.row(docId).count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(async () => (await world.server.store.getDocument(docId))?.discardedAt ?? null, { timeout: 15_000 }).not.toBeNull();
    // Another look at the list (a reload) keeps it gone.
    await gotoAndUnlock(field, `${world.baseUrl}/`);
    await list.waitForScreen();
    expect(await list.row(docId).count()).toBe(0);

    // The office finds it under "Verwijderde concepten" and restores it.
    const office = await signedIn(await world.newPhone(), world.baseUrl, 'kantoor');
    const discarded = new DiscardedPage(office);
    await discarded.open();
    await discarded.row(docId).waitFor({ timeout: 15_000 });
    expect(await discarded.row(docId).textContent()).toContain('Per ongeluk begonnen');
    expect(await discarded.row(docId).textContent()).toContain('Terug te zetten tot');
    await discarded.restore(docId);
    await expect.poll(() => discarded.row(docId).count(), { timeout: 15_000 }).toBe(0);

    // Back in the author's list, and it opens and edits again.
    await expect.poll(() => list.row(docId).count(), { timeout: 15_000 }).toBe(1);
    await list.row(docId).getByRole('link').click();
    await editor.waitForForm();
    await editor.fillSection('kern', 'Toch nodig.');
    await editor.waitForBadge('Opgeslagen op server');
  });

  it('[E10] a link to an unknown document says it does not exist or is not yours, and creates nothing', async () => {
    const field = await signedIn(await world.newPhone(), world.baseUrl, 'veldwerker');
    const list = new DocumentListPage(field);
    const unknownId = randomUUID();
    await gotoAndUnlock(field, `${world.baseUrl}/document/${unknownId}`);
    const message = field.getByTestId('document-unknown');
    await message.waitFor({ timeout: 15_000 });
    expect(await message.textContent()).toContain(UNKNOWN_DOCUMENT_MESSAGE);
    expect(await field.getByTestId('section-kern').count()).toBe(0);

    expect(await world.server.store.getDocument(unknownId)).toBeNull();
    // Nothing on the device either: the device's store has no such document.
    const stored = await field.evaluate(async (id) => {
      const names = (await indexedDB.databases()).map((d) => d.name ?? '');
      let found = false;
      for (const name of names) {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(new Error(String(open.error)));
        });
        for (const table of Array.from(db.objectStoreNames)) {
          const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
            const request = db.transaction(table, 'readonly').objectStore(table).getAllKeys();
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(new Error(String(request.error)));
          });
          if (JSON.stringify(keys).includes(id)) found = true;
        }
        db.close();
      }
      return found;
    }, unknownId);
    expect(stored).toBe(false);

    await gotoAndUnlock(field, `${world.baseUrl}/`);
    await list.waitForScreen();
    await expect
      .poll(async () => (await field.getByTestId('list-empty').count()) + (await field.getByTestId('doc-row').count()), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(await list.row(unknownId).count()).toBe(0);
  });
});
