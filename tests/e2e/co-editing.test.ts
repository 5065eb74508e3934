// Two devices in one document at once: the field worker and the back office type in the same
// section simultaneously and both end with the same merged text, each word where it was typed;
// each sees the other in the presence list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { InboxPage } from './pages/inbox-page';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';

let world: E2EWorld;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.close();
});

describe('co-editing', () => {
  it('[S2] two devices typing in the same section at once end with the same merged text', async () => {
    const fieldPage = await signedIn(await world.newPhone(), world.baseUrl, 'veldwerker');
    const docId = await new DocumentListPage(fieldPage).createDocument();
    const field = new EditorPage(fieldPage);
    await field.fillLetter({ zaak: 'ZAAK-2026-0007', naam: 'Familie Bakker', adres: 'Kerkweg 3\n1234 CD Voorbeeld', onderwerp: 'Voorschot' });
    await field.fillSection('kern', 'Midden.');
    await field.waitForBadge('Opgeslagen op server');

    const officePage = await signedIn(await world.newPhone(), world.baseUrl, 'kantoor');
    const inbox = new InboxPage(officePage);
    await inbox.row(docId).waitFor();
    await inbox.open(docId);
    const office = new EditorPage(officePage);
    await expect.poll(() => office.sectionValue('kern')).toBe('Midden.');

    await expect.poll(() => field.presence.textContent()).toContain('Karim Kantoor');
    await expect.poll(() => office.presence.textContent()).toContain('Vera Veldwerker');

    // Each puts the caret first, then both type at once.
    await field.caretTo('kern', 'end');
    await office.caretTo('kern', 'start');
    await Promise.all([field.typeHere(' Einde van de veldwerker.', 25), office.typeHere('Begin van kantoor. ', 25)]);

    const expected = 'Begin van kantoor. Midden. Einde van de veldwerker.';
    await expect.poll(() => field.sectionValue('kern'), { timeout: 15_000 }).toBe(expected);
    await expect.poll(() => office.sectionValue('kern'), { timeout: 15_000 }).toBe(expected);
    await field.waitForBadge('Opgeslagen op server');
  });
});
