// A mistyped or outdated link to a document (its editor, Voorbeeld or Meelezen) shows "Pagina
// niet gevonden" and never opens a document, so nothing new appears in Mijn documenten.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentListPage } from './pages/document-list-page';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { gotoAndUnlock } from './pages/lock-page';

let world: E2EWorld;

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  await world?.close();
});

describe('deep links to a document', () => {
  it('a link whose id is not a UUID shows "niet gevonden" on every document screen and stores nothing', async () => {
    const page = await signedIn(await world.newPhone(), world.baseUrl, 'veldwerker');
    const list = new DocumentListPage(page);
    const rows = await page.getByTestId('doc-row').count();
    for (const path of ['/document/brief-aan-jansen', '/document/12345/voorbeeld', '/document/..%2Fkantoor/meelezen']) {
      await gotoAndUnlock(page, `${world.baseUrl}${path}`);
      await page.getByRole('heading', { level: 1, name: 'Pagina niet gevonden' }).waitFor();
      expect(await page.getByTestId('read-along').count()).toBe(0);
    }
    await gotoAndUnlock(page, `${world.baseUrl}/`);
    await list.waitForScreen();
    expect(await page.getByTestId('doc-row').count()).toBe(rows);
  });
});
