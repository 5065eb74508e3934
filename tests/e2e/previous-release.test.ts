// Issue 19 item 4 with the previous release's real build (OP21, OP24–OP26): today's server serves
// the app of PREVIOUS_RELEASE (scripts/previous-release.ts) to Chromium at a phone viewport; the
// device edits online, goes offline, edits on and makes a new document; the operator upgrades
// (stop, new app in place, start on the same database and address); back online the old app
// syncs what it can, the service worker offers the new version, and the new app (its vault, its
// PIN) holds and sends everything the old one left on the device.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { buildPreviousRelease, PREVIOUS_RELEASE } from '../../scripts/previous-release';
import type { RunningServer } from '../../server/app';
import { initDocument, readSection } from '../../shared/model/document';
import { builtinTemplates } from '../../shared/templates/builtin/index';
import { AckingClient, login } from '../support/server';
import { docRoom } from '../../shared/protocol/rooms';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { LockPage } from './pages/lock-page';
import { SignInPage } from './pages/sign-in-page';
import { databaseNames, waitForServiceWorker } from './support/app';
import { DEMO_PASSWORD, startAppServer } from './support/app-server';
import { launchChromium, newPhoneContext } from './support/browser';
import { NetworkCut, setNetwork } from './support/network-cut';
import { findLeaks, readOriginStorage } from './support/origin-storage';
import { E2E_DIST, E2E_SCREENSHOTS } from './support/paths';

/**
 * A template the previous release can read from today's server: its schema does not know the
 * field role `ingangsdatum`, so it leaves out (silently) every template that has one (README,
 * "Upgrading"); those it had cached before the upgrade stay usable.
 */
const TEMPLATE = 'adviesbrief-bouwplan';
const SECTION = 'plan';

let previousDist = '';
const servers: RunningServer[] = [];
const dataDirs: string[] = [];

beforeAll(async () => {
  // Built by the global setup already; this only finds the cached folder.
  previousDist = (await buildPreviousRelease()).dist;
  mkdirSync(E2E_SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await Promise.allSettled(servers.map((s) => s.close()));
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** A section's text as the server's database holds it ('' when the server has no such document). */
async function serverText(server: RunningServer, docId: string, section: string): Promise<string> {
  const doc = new Y.Doc();
  const { updates } = await server.store.loadUpdates(docRoom(docId));
  for (const update of updates) Y.applyUpdate(doc, update);
  return readSection(doc, section);
}

/**
 * A document the device's user made before the upgrade (the old app made it against the old
 * server, which needed no intent): made here by a stock client with E9's intent, from a template
 * the old app reads, and acknowledged. The old app cannot make one against today's server (OP27).
 */
async function documentFromBefore(server: RunningServer): Promise<string> {
  const session = await login(server.url, 'veldwerker', DEMO_PASSWORD);
  const template = builtinTemplates.find((t) => t.id === TEMPLATE);
  if (template === undefined) throw new Error(`no built-in template ${TEMPLATE}`);
  const id = crypto.randomUUID();
  const doc = new Y.Doc();
  initDocument(doc, template, { id, teamId: session.user.teamId, createdBy: session.user.id, createdAt: Date.now() });
  const client = new AckingClient(server.url, docRoom(id), session.accessToken, doc);
  try {
    await expect.poll(async () => (await server.store.loadUpdates(docRoom(id))).updates.length, { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => client.durable !== null, { timeout: 15_000 }).toBe(true);
  } finally {
    client.destroy();
  }
  return id;
}

/** The previous release's sign-in: username, password, "Aanmelden"; no PIN existed then. */
async function oldAppSignIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const signIn = new SignInPage(page);
  await signIn.heading.waitFor();
  await page.getByLabel('Gebruikersnaam').fill('veldwerker');
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  await new DocumentListPage(page).waitForScreen();
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(E2E_SCREENSHOTS, `previous-release-${name}.png`), fullPage: true });
}

/** One installation: a database folder, today's server on a fixed port behind a network cut. */
async function installation(): Promise<{ dataDir: string; server: RunningServer; field: NetworkCut }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kt-e2e-previous-'));
  dataDirs.push(dataDir);
  const server = await startAppServer({ dataDir, staticDir: previousDist });
  servers.push(server);
  const field = await NetworkCut.start({ host: '127.0.0.1', port: server.port });
  return { dataDir, server, field };
}

/** The operator's upgrade (README "Upgrading"): stop, the new app in place, start on the same database and port. */
async function upgrade(old: RunningServer, dataDir: string): Promise<RunningServer> {
  await old.close();
  const next = await startAppServer({ dataDir, port: old.port, staticDir: E2E_DIST });
  servers.push(next);
  return next;
}

/** The old app's service worker finds the new version; "Vernieuwen" loads it. */
async function followUpdatePrompt(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())?.update();
  });
  const prompt = page.getByTestId('update-prompt');
  await prompt.waitFor({ timeout: 30_000 });
  expect(await prompt.textContent()).toContain('Nieuwe versie beschikbaar');
  await shot(page, '3-update-prompt');
  const loaded = page.waitForEvent('load', { timeout: 30_000 });
  // By keyboard: the old app's list is wider than 360 px with the refusal's badge (the page
  // zooms out), and a pointer at the button's centre then lands on the prompt's own box.
  await prompt.getByRole('button', { name: 'Vernieuwen' }).press('Enter');
  await loaded;
}

/**
 * The new app's first start on this device: the old app left a plain database and no vault, so it
 * asks for a sign-in (K7) and then a PIN, which seals what was there (OP25).
 */
async function newAppTakesOver(page: Page): Promise<void> {
  const signIn = new SignInPage(page);
  await signIn.heading.waitFor({ timeout: 30_000 });
  await shot(page, '4-new-app-sign-in');
  await page.getByLabel('Gebruikersnaam').fill('veldwerker');
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
  const lock = new LockPage(page);
  await lock.choosePinHeading.waitFor();
  await shot(page, '5-new-app-choose-pin');
  await lock.choosePin();
}

describe(`the previous release (${PREVIOUS_RELEASE.slice(0, 7)}) against today's server`, () => {
  let context: BrowserContext;

  it('[OP21] [OP24] [OP25] [OP26] an old-app device keeps syncing, is offered the update, and loses no unsent edit or offline-made document in it', async () => {
    const { dataDir, server: oldServer, field } = await installation();
    const browser = await launchChromium();
    try {
      context = await newPhoneContext(browser);
      const page = await context.newPage();
      const docId = await documentFromBefore(oldServer);
      await oldAppSignIn(page, field.url);
      await waitForServiceWorker(page);
      // The old app, before any upgrade: no PIN screen, no vault.
      expect(await new LockPage(page).choosePinHeading.count()).toBe(0);

      // OP24: online, the old app edits a document made before the upgrade on today's server.
      const list = new DocumentListPage(page);
      await list.row(docId).waitFor({ timeout: 30_000 });
      await list.row(docId).getByRole('link').first().click();
      const editor = new EditorPage(page);
      await editor.section(SECTION).waitFor();
      const online = 'Eerste zin, online geschreven.';
      await editor.fillSection(SECTION, online);
      await editor.waitForBadge('Opgeslagen op server', 30_000);
      expect(await serverText(oldServer, docId, SECTION)).toBe(online);
      await shot(page, '1-old-app-saved');

      // Offline: an edit of that document and a new document, both only on this device.
      await setNetwork(context, field, false);
      const offline = ' Tweede zin, zonder netwerk.';
      await editor.typeAtEnd(SECTION, offline);
      await editor.waitForBadge('Alleen op dit apparaat');
      await page.getByRole('link', { name: 'Terug naar Mijn documenten' }).click();
      await list.waitForScreen();
      const madeOffline = await list.createDocument(TEMPLATE);
      await editor.section(SECTION).waitFor();
      const madeOfflineText = 'Dit document is zonder netwerk gemaakt.';
      await editor.fillSection(SECTION, madeOfflineText);
      await editor.waitForBadge('Alleen op dit apparaat');
      await page.getByRole('link', { name: 'Terug naar Mijn documenten' }).click();
      await list.waitForScreen();
      await shot(page, '2-old-app-offline');

      // The operator upgrades while the device is away.
      const server = await upgrade(oldServer, dataDir);

      // OP24: back online, the old app sends its offline edit of the existing document.
      await setNetwork(context, field, true);
      await expect.poll(() => serverText(server, docId, SECTION), { timeout: 30_000 }).toBe(online + offline);
      // OP21: the document it made offline is refused (no intent=create), nothing is created,
      // and the old app keeps it on the device.
      // What its list says (the old app's words; the update prompt below is the plain part).
      await expect.poll(() => list.badge(madeOffline).textContent(), { timeout: 30_000 }).toBe('Fout: geen toegang tot dit document');
      expect(await serverText(server, madeOffline, SECTION)).toBe('');
      await shot(page, '2b-old-app-online-after-upgrade');

      // OP25: the update prompt; the new app takes over the old app's data (sign-in, PIN).
      await followUpdatePrompt(page);
      await newAppTakesOver(page);
      await list.waitForScreen();
      await shot(page, '6-new-app-list');

      // OP26: the offline-made document arrives, with its text, and both edits are on screen.
      await expect.poll(() => serverText(server, madeOffline, SECTION), { timeout: 30_000 }).toBe(madeOfflineText);
      await expect.poll(() => list.badge(madeOffline).textContent(), { timeout: 30_000 }).toBe('Opgeslagen op server');
      await list.row(docId).getByRole('link').first().click();
      await editor.section(SECTION).waitFor();
      await expect.poll(() => editor.sectionValue(SECTION)).toBe(online + offline);
      await editor.waitForBadge('Opgeslagen op server', 30_000);
      await shot(page, '7-new-app-editor');
      expect(await serverText(server, docId, SECTION)).toBe(online + offline);
      // OP25: the old app's plain rows were sealed in place (K7): no text of either document is
      // readable in the origin's IndexedDB or caches any more, and no second database was made.
      expect((await databaseNames(page)).filter((name) => name.startsWith('keukentafel-'))).toHaveLength(1);
      const stored = await readOriginStorage(context, page);
      expect(stored.some((item) => item.where.startsWith('indexeddb keukentafel-'))).toBe(true);
      expect(findLeaks(stored, [online, offline.trim(), madeOfflineText])).toEqual([]);
    } catch (error) {
      // What the device showed when it went wrong, for the report.
      for (const open of context.pages()) await shot(open, 'failed').catch(() => undefined);
      throw error;
    } finally {
      await browser.close();
    }
  });
});
