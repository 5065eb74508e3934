// The back office's Verzending screen against the real server with a failing memory DMS (O3):
// a failed delivery shows with its reason in Dutch and its next attempt; after the DMS recovers,
// "Opnieuw proberen" delivers it and the row shows In DMS with the DMS reference. Axe on the screen.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryDms, type MemoryDms } from '../../server/dms/memory';
import { formatFailure } from '../../shared/protocol/delivery-failure';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { act, eventually } from '../support/api';
import { writeLetter } from '../support/letter';
import { AckingClient, login, waitFor } from '../support/server';
import { OutboxPage } from './pages/outbox-page';
import { DEMO_PASSWORD } from './support/app-server';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { E2E_SCREENSHOTS } from './support/paths';

let world: E2EWorld;
let dms: MemoryDms;
const clients: AckingClient[] = [];

beforeAll(async () => {
  dms = createMemoryDms();
  dms.refuseAll = { retryable: true, reason: 'dms-unreachable: ECONNREFUSED' };
  // Retries far away: only "Opnieuw proberen" brings the delivery in during the test.
  world = await startWorld({ dms, outbox: { pollMs: 100, baseDelayMs: 10 * 60_000 } });
});

afterAll(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await world?.close();
});

async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${n.failureSummary ?? ''}`));
}

/** A letter written and submitted through the API, as a field worker's device would. */
async function submittedLetter(): Promise<string> {
  const vera = await login(world.baseUrl, 'veldwerker', DEMO_PASSWORD);
  const id = randomUUID();
  const client = new AckingClient(world.baseUrl, `doc:${id}`, vera.accessToken);
  clients.push(client);
  await waitFor(() => client.durable !== null, 10_000, 'document loaded');
  await writeLetter(client, id, vera);
  expect((await act(world.baseUrl, vera.accessToken, id, 'submit')).status).toBe(202);
  return id;
}

describe('Verzending (back office outbox)', () => {
  it('[O3] kantoor sees a failed delivery with its reason, retries after the DMS recovers, and it shows as in DMS', async () => {
    const id = await submittedLetter();
    await eventually(async () => (await world.server.store.getDocument(id))?.status === WorkflowStatus.deliveryFailed, 'levering-mislukt');

    const page = await signedIn(await world.newPhone(), world.baseUrl, 'kantoor');
    const outbox = new OutboxPage(page);
    await outbox.open();
    await outbox.row(id).waitFor();
    expect(await outbox.row(id).getAttribute('data-status')).toBe('mislukt');
    expect(await outbox.reason(id).textContent()).toBe('Het DMS is niet bereikbaar.');
    expect(await outbox.nextAttempt(id).textContent()).toMatch(/\d{4}/);
    expect(await outbox.navLink.getAttribute('aria-current')).toBe('page');
    expect(await axeViolations(page)).toEqual([]);
    mkdirSync(E2E_SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(E2E_SCREENSHOTS, '10-verzending-mislukt.png'), fullPage: true });

    dms.refuseAll = null;
    await outbox.retryButton(id).click();
    await expect.poll(() => outbox.row(id).getAttribute('data-status'), { timeout: 30_000 }).toBe('in-dms');
    expect(await outbox.reference(id).textContent()).toBe(`memory://ZAAK-2026-0042/${[...dms.filed.keys()][0] ?? ''}`);
    expect(dms.filed.size).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(E2E_SCREENSHOTS, '11-verzending-in-dms.png'), fullPage: true });
  });

  it('[Z1] [Z2] kantoor reads what is wrong and what to do, and apart from it what the DMS answered', async () => {
    const answer = '{"code":"permission_denied","detail":"Je mag geen gegevens aanpassen van een gesloten zaak."}';
    dms.refuseAll = { retryable: false, reason: formatFailure({ code: 'dms-zaak-closed', zaak: 'ZAAK-2026-0042', einddatum: '2026-11-30', details: answer }) };
    const id = await submittedLetter();
    await eventually(async () => (await world.server.store.getDocument(id))?.status === WorkflowStatus.deliveryFailed, 'levering-mislukt');

    const page = await signedIn(await world.newPhone(), world.baseUrl, 'kantoor');
    const outbox = new OutboxPage(page);
    await outbox.open();
    await outbox.row(id).waitFor();
    expect(await outbox.reason(id).textContent()).toMatch(/^Zaak ZAAK-2026-0042 is afgesloten: heropen de zaak of kies een andere/);
    expect(await outbox.details(id).textContent()).toBe(answer);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(E2E_SCREENSHOTS, '12-verzending-reden-en-antwoord-dms.png'), fullPage: true });
    dms.refuseAll = null;
  });
});
