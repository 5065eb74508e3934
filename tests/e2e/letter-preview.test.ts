// P6 on the device (P1: one layout model): the preview's letterhead shows the same contact block
// and reference lines as the PDF, from GET /api/municipality, also offline from the device's copy.
// Screenshots at 360 and 1280 px land in .tmp/e2e-screenshots/ for a person to look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { waitForServiceWorker } from './support/app';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { E2E_SCREENSHOTS } from './support/paths';
import { reloadAndUnlock } from './pages/lock-page';

let world: E2EWorld;

beforeAll(async () => {
  world = await startWorld({
    contact: {
      address: ['Raadhuisplein 1', '1234 AB Voorbeeld'],
      postalAddress: ['Postbus 100', '1230 AA Voorbeeld'],
      phone: '14 0123',
      website: 'www.voorbeeld.nl',
    },
  });
  mkdirSync(E2E_SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await world?.close();
});

describe('the preview letterhead', () => {
  it('[P6] shows the contact block, the official and the reference lines as the PDF does, also offline', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.baseUrl, 'veldwerker');
    await new DocumentListPage(page).createDocument();
    const editor = new EditorPage(page);
    await editor.fillLetter({ zaak: 'ZAAK-2026-0042', naam: 'Mevrouw J. de Vries', adres: 'Dorpsstraat 12\n1234 AB Voorbeeld', onderwerp: 'Zorg voor uw moeder' });
    await editor.fillSection('kern', 'U woont sinds maart bij uw moeder en zorgt voor haar.');
    await editor.waitForBadge('Opgeslagen op server');
    await editor.openPreview();

    const contact = page.getByTestId('letter-contact');
    await contact.getByText('Postbus 100').waitFor();
    const text = (await contact.innerText()).replace(/\s+/g, ' ');
    for (const part of ['Bezoekadres Raadhuisplein 1 1234 AB Voorbeeld', 'Postadres Postbus 100', 'Telefoon 14 0123', 'www.voorbeeld.nl', 'Contactpersoon Vera Veldwerker']) {
      expect(text).toContain(part);
    }
    const letter = (await page.getByTestId('letter').innerText()).replace(/\s+/g, ' ');
    expect(letter).toContain('Ons kenmerk volgt bij indienen');
    expect(letter).toContain('Zaaknummer ZAAK-2026-0042');
    expect(letter).toContain('Onderwerp Zorg voor uw moeder');
    await page.screenshot({ path: join(E2E_SCREENSHOTS, 'letter-preview-360.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(E2E_SCREENSHOTS, 'letter-preview-1280.png'), fullPage: true });

    // Offline the device's copy still fills the letterhead.
    await waitForServiceWorker(page);
    await context.setOffline(true);
    await reloadAndUnlock(page);
    await page.getByTestId('letter-contact').getByText('Postbus 100').waitFor();
    await context.setOffline(false);
  }, 120_000);
});
