// The zaak field against the ZGW fake, in Chromium on a phone (X8–X10): typing words of the
// omschrijving suggests zaken, picking one fills the field and shows its omschrijving, status and
// zaaktype; a closed zaak and an unknown one are flagged in the checklist; offline the device
// shows what it remembered, and nothing of it lies in IndexedDB in plaintext.
import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryDms } from '../../server/dms/memory';
import { createZgwZaakLookup } from '../../server/zaken/zaak-lookup';
import { fakeZgwConfig, startFakeZgw, type FakeZgw } from '../support/zgw-fake';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { setNetwork } from './support/network-cut';
import { waitForServiceWorker } from './support/app';
import { reloadAndUnlock } from './pages/lock-page';
import { E2E_SCREENSHOTS } from './support/paths';

const SECRET = 'zaak-e2e-secret-zaak-e2e-secret';
const RSIN = '002220647';

let world: E2EWorld;
let fake: FakeZgw;

beforeAll(async () => {
  fake = await startFakeZgw(SECRET);
  fake.nameZaaktype(fake.defaultZaaktype, 'Aanvraag omgevingsvergunning');
  fake.addZaak('ZAAK-2026-0042', RSIN, { omschrijving: 'Verbouwing schuur Molenweg 12' });
  fake.addZaak('ZAAK-2026-0420', RSIN, { omschrijving: 'Uitweg Dorpsstraat' });
  fake.addZaak('ZAAK-2025-0007', RSIN, { omschrijving: 'Kapvergunning eik Molenweg' });
  fake.closeZaak('ZAAK-2025-0007', '2026-11-02');
  world = await startWorld({
    dms: createMemoryDms(),
    zaakLookup: createZgwZaakLookup({ config: fakeZgwConfig(fake, SECRET, RSIN), timeoutMs: 2_000 }),
  });
  mkdirSync(E2E_SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await world?.close();
  await fake?.close();
});

describe('zaak look-up in the editor', () => {
  it('[X9] [X10] [X11] [X8] suggests, confirms, flags closed and unknown zaken, and remembers offline', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.field.url, 'veldwerker');
    // The service worker serves the app, so a reload without network works (X8 below).
    await waitForServiceWorker(page);
    await reloadAndUnlock(page);
    await new DocumentListPage(page).createDocument();
    const editor = new EditorPage(page);
    const zaakField = editor.field('Zaaknummer');

    // Words of the omschrijving suggest both zaken on the Molenweg.
    await zaakField.fill('Molenweg');
    const suggestions = page.getByTestId('zaak-suggestion');
    await expect.poll(() => suggestions.count(), { timeout: 10_000 }).toBe(2);
    expect(await page.getByTestId('zaak-suggestions').textContent()).toContain('Verbouwing schuur Molenweg 12');
    // The suggestions are reachable and named for assistive technology (WCAG 2.1 AA, as the other screens).
    const axe = await new AxeBuilder({ page }).include('[data-testid="zaak-lookup"]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`))).toEqual([]);
    const gegevens = page.locator('fieldset').first();
    await gegevens.screenshot({ path: join(E2E_SCREENSHOTS, 'zaak-1-suggesties-360.png') });

    // Picking one fills the field and shows what the zaak is.
    await page.locator('[data-testid="zaak-suggestion"][data-zaak="ZAAK-2026-0042"]').click();
    await expect.poll(() => zaakField.inputValue()).toBe('ZAAK-2026-0042');
    await expect.poll(() => page.getByTestId('zaak-omschrijving').textContent(), { timeout: 10_000 }).toBe('Verbouwing schuur Molenweg 12');
    expect(await page.getByTestId('zaak-found').textContent()).toContain('Open · In behandeling · Aanvraag omgevingsvergunning');
    await gegevens.screenshot({ path: join(E2E_SCREENSHOTS, 'zaak-2-gekozen-360.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(E2E_SCREENSHOTS, 'zaak-2-gekozen-1280.png') });
    await page.setViewportSize({ width: 360, height: 740 });

    // A closed zaak is flagged where it is typed and in the checklist.
    await zaakField.fill('ZAAK-2025-0007');
    await expect.poll(() => page.getByTestId('zaak-status').textContent(), { timeout: 10_000 }).toBe('Afgesloten sinds 2 november 2026');
    await expect.poll(() => page.getByTestId('checklist-errors').textContent()).toContain('Zaak ZAAK-2025-0007 is afgesloten (sinds 2 november 2026). Kies een open zaak.');
    await gegevens.screenshot({ path: join(E2E_SCREENSHOTS, 'zaak-3-gesloten-360.png') });
    await page.getByTestId('checklist').screenshot({ path: join(E2E_SCREENSHOTS, 'zaak-3-controlelijst-360.png') });

    // An identificatie the DMS does not know.
    await zaakField.fill('ZAAK-2026-9999');
    await page.getByTestId('zaak-unknown').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.getByTestId('checklist-errors').textContent()).toContain('Zaak ZAAK-2026-9999 is niet gevonden in het zaaksysteem.');

    // X11: a DMS that is down: said in Dutch, and the typed zaaknummer stays.
    fake.failNext(50, 503);
    await zaakField.fill('ZAAK-2026-0777');
    await expect.poll(() => page.getByTestId('zaak-message').textContent(), { timeout: 10_000 }).toBe(
      'Het zaaksysteem is nu niet bereikbaar. Probeer het later opnieuw; het zaaknummer blijft staan.',
    );
    expect(await zaakField.inputValue()).toBe('ZAAK-2026-0777');
    fake.failNext(0);

    // Offline, after a reload: the remembered answer, said to be remembered.
    await zaakField.fill('ZAAK-2026-0042');
    await expect.poll(() => page.getByTestId('zaak-omschrijving').textContent(), { timeout: 10_000 }).toBe('Verbouwing schuur Molenweg 12');
    await editor.waitForBadge('Opgeslagen op server');
    await setNetwork(context, world.field, false);
    await reloadAndUnlock(page);
    await editor.waitForForm();
    await expect.poll(() => zaakField.inputValue(), { timeout: 10_000 }).toBe('ZAAK-2026-0042');
    await expect.poll(() => page.getByTestId('zaak-omschrijving').textContent(), { timeout: 10_000 }).toBe('Verbouwing schuur Molenweg 12');
    await page.getByTestId('zaak-cached').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('zaak-cached').textContent()).toContain('Bewaard op dit apparaat');
    await zaakField.fill('Molen');
    await expect.poll(() => page.getByTestId('zaak-suggestions').textContent(), { timeout: 10_000 }).toContain('ZAAK-2026-0042');
    expect(await page.getByTestId('zaak-lookup').textContent()).toContain('Eerder opgezochte zaken op dit apparaat');
    await gegevens.screenshot({ path: join(E2E_SCREENSHOTS, 'zaak-4-offline-360.png') });
    await setNetwork(context, world.field, true);

    // X8: the remembered answers are in IndexedDB only through the vault's codec (encrypted).
    const plain = await page.evaluate(async (needle) => {
      const hits: string[] = [];
      for (const info of await indexedDB.databases()) {
        if (info.name === undefined) continue;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open(info.name!);
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(new Error(String(open.error)));
        });
        for (const name of [...db.objectStoreNames]) {
          const all = await new Promise<unknown[]>((resolve, reject) => {
            const request = db.transaction(name, 'readonly').objectStore(name).getAll();
            request.onsuccess = () => resolve(request.result as unknown[]);
            request.onerror = () => reject(new Error(String(request.error)));
          });
          const text = JSON.stringify(all, (_k, v: unknown) => (v instanceof Uint8Array || v instanceof ArrayBuffer ? new TextDecoder().decode(v) : v));
          if (text.includes(needle)) hits.push(`${info.name}/${name}`);
        }
        db.close();
      }
      return hits;
    }, 'Verbouwing schuur');
    expect(plain).toEqual([]);
  });

  it('[X7] [X10] a submit with a closed zaak, flagged beforehand, is refused by the server at the zaak field', async () => {
    const page = await signedIn(await world.newPhone(), world.baseUrl, 'veldwerker');
    await new DocumentListPage(page).createDocument();
    const editor = new EditorPage(page);
    await editor.fillLetter({ zaak: 'ZAAK-2025-0007', naam: 'Mevrouw J. de Vries', adres: 'Dorpsstraat 12\n1234 AB Voorbeeld', onderwerp: 'Uw eik' });
    await editor.fillSection('kern', 'Wij hebben uw melding over de eik ontvangen.');
    // Before submit, the checklist already says what is wrong, and nothing else.
    await expect.poll(() => page.getByTestId('checklist-errors').textContent(), { timeout: 10_000 }).toBe(
      'Zaak ZAAK-2025-0007 is afgesloten (sinds 2 november 2026). Kies een open zaak.',
    );
    await editor.waitForBadge('Opgeslagen op server');
    await editor.submit();
    await editor.problemAt('zaaknummer', 'veld').waitFor({ timeout: 15_000 });
    expect(await editor.problemAt('zaaknummer', 'veld').textContent()).toContain('Zaak ZAAK-2025-0007 is afgesloten (sinds 2 november 2026)');
    expect(await editor.submitStatus.textContent()).toContain('Niet ingediend');
  });

  it('[G3] no page reported a Content-Security-Policy violation', () => {
    expect(world.cspViolations()).toEqual([]);
  });
});

describe('zaak field without a look-up', () => {
  it('[X1] without ZGW the zaak field stays free text: the server says so once and nothing is shown or flagged', async () => {
    const plain = await startWorld({ dms: createMemoryDms() });
    try {
      const page = await signedIn(await plain.newPhone(), plain.baseUrl, 'veldwerker');
      await new DocumentListPage(page).createDocument();
      const editor = new EditorPage(page);
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/zaken/zoek'));
      await editor.field('Zaaknummer').fill('ZAAK-2026-9999');
      const answer = await answered;
      expect(await answer.json()).toEqual({ available: false });
      await editor.waitForBadge('Opgeslagen op server');
      expect(await page.getByTestId('zaak-lookup').count()).toBe(0);
      expect(await page.getByTestId('checklist').textContent()).not.toContain('ZAAK-2026-9999');
      // Remembered: typing on asks the server no more (for an hour). An absence can only be shown
      // by waiting for it: ten times the app's 350 ms pause, for a request that must not come.
      const asked = page.waitForRequest((r) => r.url().endsWith('/api/zaken/zoek'), { timeout: 3_500 }).then(
        () => true,
        () => false,
      );
      await editor.field('Zaaknummer').fill('ZAAK-2026-0042');
      expect(await asked).toBe(false);
      expect(plain.cspViolations()).toEqual([]);
    } finally {
      await plain.close();
    }
  });
});
