// Submit as an action (W1) from a phone without network: it waits on the device, and once the
// network is back the server validates, freezes, renders and delivers it to the filesystem DMS
// exactly once (O1, O2), also after a double tap; the badge ends at "In DMS".
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../support/poppler';
import { E2E_SCREENSHOTS } from './support/paths';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { setNetwork } from './support/network-cut';

let world: E2EWorld;
let dmsDir: string;

beforeAll(async () => {
  dmsDir = mkdtempSync(join(tmpdir(), 'kt-e2e-dms-'));
  world = await startWorld({ dmsDir, outbox: { pollMs: 100 } });
});

afterAll(async () => {
  await world?.close();
  rmSync(dmsDir, { recursive: true, force: true });
});

/** Every delivered folder: DMS_DIR/<zaak>/<identificatie>/ with its files. */
function deliveries(): { path: string; files: string[] }[] {
  const found: { path: string; files: string[] }[] = [];
  for (const zaak of readdirSync(dmsDir, { withFileTypes: true })) {
    if (!zaak.isDirectory() || zaak.name.startsWith('.')) continue;
    for (const id of readdirSync(join(dmsDir, zaak.name), { withFileTypes: true })) {
      if (id.isDirectory()) found.push({ path: join(dmsDir, zaak.name, id.name), files: readdirSync(join(dmsDir, zaak.name, id.name)).sort() });
    }
  }
  return found;
}

describe('submit to the DMS', () => {
  it('[W1] [O1] a submit tapped twice offline waits, then lands in the DMS exactly once with the letter\'s text', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.field.url, 'veldwerker');
    await new DocumentListPage(page).createDocument();
    const editor = new EditorPage(page);
    await editor.fillLetter({ zaak: 'ZAAK-2026-0042', naam: 'Mevrouw J. de Vries', adres: 'Dorpsstraat 12\n1234 AB Voorbeeld', onderwerp: 'Zorg voor uw moeder' });
    await editor.waitForBadge('Opgeslagen op server');

    await setNetwork(context, world.field, false);
    const kern = 'U woont sinds maart bij uw moeder en zorgt voor haar. Dat spaart zorg uit.';
    await editor.fillSection('kern', kern);
    await editor.waitForBadge('Alleen op dit apparaat');
    await editor.submitButton.dblclick();
    await editor.confirmYes.dblclick();
    await expect.poll(() => editor.submitStatus.textContent()).toContain('Indienen wacht op verbinding');
    expect(deliveries()).toEqual([]);
    mkdirSync(E2E_SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(E2E_SCREENSHOTS, '7-indienen-wacht.png') });

    await setNetwork(context, world.field, true);
    await editor.waitForBadge('In DMS', 60_000);
    await page.screenshot({ path: join(E2E_SCREENSHOTS, '8-in-dms.png'), fullPage: true });
    const delivered = deliveries();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.files).toEqual(['document.pdf', 'document.pdf.mdto.xml', 'metadata.json', 'metadata.xml']);
    expect(pdfText(readFileSync(join(delivered[0]!.path, 'document.pdf')))).toContain('Dat spaart zorg uit.');

    // The link to the submitted PDF opens it without an Authorization header (a new tab).
    const href = await editor.pdfLink.getAttribute('href');
    const pdf = await fetch(`${world.baseUrl}${href ?? ''}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
  });

  it('[W3] a refused submit shows the server\'s reasons at their fields and sections, and the letter stays editable', async () => {
    const page = await signedIn(await world.newPhone(), world.baseUrl, 'veldwerker');
    await new DocumentListPage(page).createDocument();
    const editor = new EditorPage(page);
    await editor.field('Zaaknummer').fill('ZAAK-2026-0043');
    await editor.waitForBadge('Opgeslagen op server');
    await editor.submit();
    await editor.problemAt('kern', 'sectie').waitFor({ timeout: 15_000 });
    expect(await editor.problemAt('onderwerp', 'veld').textContent()).not.toBe('');
    expect(await editor.submitStatus.textContent()).toContain('Niet ingediend');
    await page.screenshot({ path: join(E2E_SCREENSHOTS, '9-geweigerd.png'), fullPage: true });
    await editor.fillSection('kern', 'Nu wel een kern.');
    await editor.waitForBadge('Opgeslagen op server');
  });
  it('[G3] no page reported a Content-Security-Policy violation', () => {
    expect(world.cspViolations()).toEqual([]);
  });
});
