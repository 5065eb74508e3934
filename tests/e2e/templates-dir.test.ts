// A municipality's own template (TEMPLATES_DIR) on a phone: it is offered next to the built-ins,
// the device keeps it for offline use, and a document started on it offline survives an offline
// reload. A broken file beside it is refused at start with a message naming the file and the
// problem, and never reaches the device.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { waitForServiceWorker } from './support/app';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { setNetwork } from './support/network-cut';
import { gotoAndUnlock, reloadAndUnlock } from './pages/lock-page';

let world: E2EWorld;
let dir: string;
const log: string[] = [];

const wmoTemplate = {
  id: 'wmo-keukentafelgesprek',
  version: 1,
  kind: 'verslag',
  title: 'Verslag Wmo-keukentafelgesprek',
  description: 'Het gesprek over ondersteuning thuis, in de woorden van de inwoner.',
  titleField: 'onderwerp',
  fields: [
    { key: 'onderwerp', type: 'text', label: 'Onderwerp', required: true },
    { key: 'betrokkeneNaam', type: 'text', label: 'Naam inwoner', required: true },
  ],
  sections: [{ key: 'kern', kind: 'plain', label: 'Wat de inwoner vertelde', required: true }],
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kt-e2e-templates-'));
  writeFileSync(join(dir, 'wmo-keukentafelgesprek.json'), JSON.stringify(wmoTemplate));
  // Broken on purpose: a section kind the schema does not know.
  writeFileSync(join(dir, 'kapot.json'), JSON.stringify({ ...wmoTemplate, id: 'kapot', sections: [{ key: 'kern', kind: 'video', label: 'x', required: true }] }));
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      log.push(chunk.toString('utf8'));
      done();
    },
  });
  world = await startWorld({ templatesDir: dir, logLevel: 'warn', logStream });
});

afterAll(async () => {
  await world?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('templates from TEMPLATES_DIR', () => {
  it('[T2] a broken file is refused at start with its name and the problem', () => {
    const refusal = log.find((line) => line.includes('kapot.json'));
    expect(refusal).toBeDefined();
    expect(refusal).toContain('Sjabloon kapot.json geweigerd');
    expect(refusal).toContain('sections.0.kind');
  });

  it('[T2] [T3] a municipality template shows up on the device, works offline and a draft on it survives an offline reload', async () => {
    const field = await world.newPhone();
    const page = await signedIn(field, world.field.url, 'veldwerker');
    const list = new DocumentListPage(page);
    await waitForServiceWorker(page);
    // Visit "Nieuw document" once online: the device caches the templates it was served.
    await page.getByRole('link', { name: 'Nieuw document' }).click();
    await page.getByTestId('template-wmo-keukentafelgesprek').waitFor();
    expect(await page.getByTestId('template-kapot').count()).toBe(0);

    await setNetwork(field, world.field, false);
    await gotoAndUnlock(page, `${world.field.url}/`);
    await list.waitForScreen();
    await expect.poll(() => list.connectivity.getAttribute('data-state')).toBe('offline');
    const docId = await list.createDocument('wmo-keukentafelgesprek');
    const editor = new EditorPage(page);
    await editor.waitForForm();
    await editor.field('Onderwerp').fill('Hulp bij het huishouden');
    await editor.field('Naam inwoner').fill('Mevrouw A. Smit');
    const kern = 'Mevrouw Smit kan sinds haar val in januari niet meer stofzuigen.';
    await editor.section('kern').fill(kern);
    await editor.waitForBadge('Alleen op dit apparaat');

    await reloadAndUnlock(page);
    await editor.waitForForm();
    await expect.poll(() => editor.section('kern').inputValue()).toBe(kern);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Hulp bij het huishouden');

    // Back online, the server keeps it under the template version it was started on (T3).
    await setNetwork(field, world.field, true);
    await editor.waitForBadge('Opgeslagen op server', 30_000);
    expect(docId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
