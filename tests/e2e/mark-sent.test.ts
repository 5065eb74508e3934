// J2 in the back office: a burgemeester's horeca decision (sent by the municipality itself) is
// archived after approval without a verzenddatum; on Kantoor → Verzending the office presses
// "Verzonden" and the row shows the date and the end of the objection term. Axe on the screen.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { dutchDateOf } from '../../shared/templates/fill';
import { act, eventually } from '../support/api';
import { writeHoreca } from '../support/horeca';
import { AckingClient, login, waitFor } from '../support/server';
import { OutboxPage } from './pages/outbox-page';
import { DEMO_PASSWORD } from './support/app-server';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { E2E_SCREENSHOTS } from './support/paths';

let world: E2EWorld;
const clients: AckingClient[] = [];

beforeAll(async () => {
  world = await startWorld({ outbox: { pollMs: 100 } });
});

afterAll(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await world?.close();
});

describe('Verzonden (mark-sent)', () => {
  it('[J2] the office marks a posted decision as sent; the row shows the verzenddatum and the objection term', async () => {
    const vera = await login(world.baseUrl, 'veldwerker', DEMO_PASSWORD);
    const kantoor = await login(world.baseUrl, 'kantoor', DEMO_PASSWORD);
    const id = randomUUID();
    const client = new AckingClient(world.baseUrl, `doc:${id}`, vera.accessToken);
    clients.push(client);
    await waitFor(() => client.durable !== null, 10_000, 'document loaded');
    await writeHoreca(client, id, vera);
    expect((await act(world.baseUrl, vera.accessToken, id, 'submit')).body.status).toBe(WorkflowStatus.awaitingApproval);
    expect((await act(world.baseUrl, kantoor.accessToken, id, 'approve')).status).toBe(202);
    await eventually(async () => (await world.server.store.getDocument(id))?.status === WorkflowStatus.archived, 'in-dms');

    const page = await signedIn(await world.newPhone(), world.baseUrl, 'kantoor');
    const outbox = new OutboxPage(page);
    await outbox.open();
    await outbox.markSentButton(id).waitFor();
    mkdirSync(E2E_SCREENSHOTS, { recursive: true });
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: join(E2E_SCREENSHOTS, `20-verzonden-${width}.png`), fullPage: true });
    }
    await outbox.markSentButton(id).click();
    await outbox.sent(id).waitFor({ timeout: 30_000 });
    const [decided] = await world.server.store.listDecisions(id);
    const sent = decided?.dispatch;
    expect(sent).toMatchObject({ how: 'manual', by: kantoor.user.id });
    expect(await outbox.sent(id).textContent()).toBe(
      `${dutchDateOf(sent?.verzenddatum ?? '')} (bezwaar tot en met ${dutchDateOf(sent?.bezwaartermijnEinde ?? '')})`,
    );
    expect(await outbox.markSentButton(id).count()).toBe(0);
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: join(E2E_SCREENSHOTS, `21-verzonden-na-${width}.png`), fullPage: true });
    }
  });
});
