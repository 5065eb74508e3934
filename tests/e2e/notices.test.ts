// Notices and connectivity in real Chromium (Y1, Y4, Y7): the header's connection state follows a
// hard cut and a silent one (requests hang) within 5 seconds, on the list and in the editor; a
// decision submitted for approval is a notice for the office, its return one for the author, each
// linking to the document, and offline the list shows what was last known.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act } from '../support/api';
import { writeDecision } from '../support/decision';
import { login, openDocument, type AckingClient } from '../support/server';
import { DocumentListPage } from './pages/document-list-page';
import { gotoAndUnlock } from './pages/lock-page';
import { NoticesPage } from './pages/notices-page';
import { DEMO_PASSWORD } from './support/app-server';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { setNetwork } from './support/network-cut';
import { E2E_SCREENSHOTS } from './support/paths';

let world: E2EWorld;
const clients: AckingClient[] = [];

beforeAll(async () => {
  world = await startWorld();
});

afterAll(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await world?.close();
});

/** The header's state within `ms` of now, polled; resolves with how long it took. */
async function stateWithin(page: import('playwright-core').Page, state: string, ms: number): Promise<number> {
  const start = Date.now();
  await page.locator(`[data-testid="connectivity"][data-state="${state}"]`).waitFor({ timeout: ms });
  return Date.now() - start;
}

describe('connectivity truth', () => {
  it('[Y1] the header follows a silent cut and a hard cut within 5 s, on the list and in the editor', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.field.url, 'veldwerker');
    const list = new DocumentListPage(page);
    await stateWithin(page, 'online', 10_000);

    // Silent: requests hang, sockets stay open and hear nothing.
    world.field.setSilent(true);
    expect(await stateWithin(page, 'offline', 5_000)).toBeLessThanOrEqual(5_000);
    world.field.setSilent(false);
    expect(await stateWithin(page, 'online', 5_000)).toBeLessThanOrEqual(5_000);

    // In the editor, the hard way (the browser offline and every socket closed).
    await list.createDocument();
    await stateWithin(page, 'online', 10_000);
    await setNetwork(context, world.field, false);
    expect(await stateWithin(page, 'offline', 5_000)).toBeLessThanOrEqual(5_000);
    await setNetwork(context, world.field, true);
    expect(await stateWithin(page, 'online', 5_000)).toBeLessThanOrEqual(5_000);

    // And the editor the silent way too.
    world.field.setSilent(true);
    expect(await stateWithin(page, 'offline', 5_000)).toBeLessThanOrEqual(5_000);
    world.field.setSilent(false);
    expect(await stateWithin(page, 'online', 5_000)).toBeLessThanOrEqual(5_000);
  });
});

describe('notices', () => {
  it('[Y4] [Y7] submitted for approval: a notice for the office; returned: one for the author, linking to the document; offline the last known', async () => {
    const fieldContext = await world.newPhone();
    const vera = await signedIn(fieldContext, world.field.url, 'veldwerker');
    const officeContext = await world.newPhone();
    const kantoor = await signedIn(officeContext, world.baseUrl, 'kantoor');
    const veraNotices = new NoticesPage(vera);
    const kantoorNotices = new NoticesPage(kantoor);
    await veraNotices.link.waitFor();
    expect(await veraNotices.unseen()).toBe(0);

    // Vera's decision, written and submitted from another device of hers (the test process).
    const veraApi = await login(world.baseUrl, 'veldwerker', DEMO_PASSWORD);
    const kantoorApi = await login(world.baseUrl, 'kantoor', DEMO_PASSWORD);
    const { id, client } = await openDocument(world.baseUrl, veraApi.accessToken, randomUUID());
    clients.push(client);
    await writeDecision(client, id, veraApi, { maatwerk: true });
    expect((await act(world.baseUrl, veraApi.accessToken, id, 'submit')).status).toBe(202);

    await expect.poll(() => kantoorNotices.unseen(), { timeout: 10_000 }).toBe(1);
    await kantoorNotices.open();
    await expect.poll(() => kantoorNotices.notice(id).getAttribute('data-kind')).toBe('awaiting-approval');
    expect(await kantoorNotices.notice(id).getAttribute('data-new')).toBe('true');
    expect(await kantoorNotices.notice(id).textContent()).toContain('wacht op uw goedkeuring');
    // The submitter is no approver of her own decision: nothing for Vera yet.
    expect(await veraNotices.unseen()).toBe(0);

    expect((await act(world.baseUrl, kantoorApi.accessToken, id, 'return', `k_${randomUUID()}`, { remark: 'Noem de ingangsdatum in het besluit.' })).status).toBe(202);
    await expect.poll(() => veraNotices.unseen(), { timeout: 10_000 }).toBe(1);
    // Returned: no longer waiting for approval, so the office's notice is gone.
    await expect.poll(() => kantoorNotices.notice(id).count()).toBe(0);

    await veraNotices.open();
    const notice = veraNotices.notice(id);
    await expect.poll(() => notice.getAttribute('data-kind')).toBe('returned');
    expect(await notice.textContent()).toContain('Noem de ingangsdatum in het besluit.');
    mkdirSync(E2E_SCREENSHOTS, { recursive: true });
    await vera.screenshot({ path: join(E2E_SCREENSHOTS, 'y-meldingen-360.png'), fullPage: true });
    await vera.setViewportSize({ width: 1280, height: 800 });
    await vera.screenshot({ path: join(E2E_SCREENSHOTS, 'y-meldingen-1280.png'), fullPage: true });
    await vera.setViewportSize({ width: 360, height: 740 });

    // The notice links to its document; opening it reads the notice.
    await notice.getByRole('link').click();
    await vera.waitForURL(new RegExp(`/document/${id}$`));
    await expect.poll(() => veraNotices.unseen()).toBe(0);

    // Offline, after a reload: the last known notices, seen stays seen.
    await setNetwork(fieldContext, world.field, false);
    await gotoAndUnlock(vera, `${world.field.url}/meldingen`);
    await veraNotices.heading.waitFor();
    await expect.poll(() => veraNotices.notice(id).getAttribute('data-new')).toBe('false');
    await vera.getByTestId('notices-offline').waitFor();
    expect(await veraNotices.unseen()).toBe(0);
    await setNetwork(fieldContext, world.field, true);
  });
});
