// Frozen versions, review and history on real Chromium (V2, V4, V7, V8): the field worker submits
// (the confirmation lists what goes out) and finds the decision read-only; the back office
// returns it; the field worker's phone shows Teruggestuurd with the remark, the decision is
// corrected and submitted again; the approver sees what changed and the PDF, confirms, and both
// versions' PDFs open from the history.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { InboxPage } from './pages/inbox-page';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';
import { E2E_SCREENSHOTS } from './support/paths';
import { gotoAndUnlock } from './pages/lock-page';

let world: E2EWorld;

beforeAll(async () => {
  world = await startWorld({ outbox: { pollMs: 100 } });
});

afterAll(async () => {
  await world?.close();
});

describe('frozen versions, review and history', () => {
  it('[V2] [V4] [V7] [V8] submit, read-only, return, Teruggestuurd on the phone, correct, resubmit, approve with the diff, both PDFs from the history', async () => {
    const field = await signedIn(await world.newPhone(), world.baseUrl, 'veldwerker');
    const list = new DocumentListPage(field);
    const docId = await list.createDocument('maatwerkbesluit');
    const editor = new EditorPage(field);
    await editor.section('motivering').waitFor();
    await editor.fillDecision({ zaak: 'ZAAK-2026-0123', naam: 'De heer P. Bakker', adres: 'Molenweg 4\n1234 AB Voorbeeld', onderwerp: 'Uw bijstandsuitkering', maatwerk: true });
    await editor.waitForBadge('Opgeslagen op server');

    // V4: submit asks first and lists what goes out.
    await editor.submitButton.click();
    await editor.confirm.waitFor();
    expect(await editor.confirm.textContent()).toContain('naar een collega met mandaat');
    expect(await field.getByTestId('submit-summary').textContent()).toContain('Onderwerp');
    await editor.confirmYes.click();
    await editor.waitForBadge('Ter goedkeuring', 30_000);

    // V2: read-only, with why.
    await editor.frozenNotice.waitFor({ timeout: 15_000 });
    await expect.poll(() => editor.frozenNotice.textContent(), { timeout: 15_000 }).toContain('door Vera Veldwerker; wacht op goedkeuring');
    expect(await field.locator('#veld-onderwerp').isDisabled()).toBe(true);
    expect(await field.locator('[contenteditable="true"]').count()).toBe(0);
    expect(await editor.submitButton.count()).toBe(0);

    // The back office returns it with a remark at a section.
    const office = await signedIn(await world.newPhone(), world.baseUrl, 'kantoor');
    const inbox = new InboxPage(office);
    await expect.poll(() => inbox.row(docId).getByTestId('badge').textContent(), { timeout: 15_000 }).toBe('Ter goedkeuring');
    await inbox.row(docId).getByRole('link').click();
    const review = new EditorPage(office);
    await review.reviewPanel.waitFor({ timeout: 15_000 });
    await office.getByTestId('review-pdf').waitFor({ timeout: 15_000 });
    const remark = 'Noem bij de normale regel ook het artikel: artikel 22a van de Participatiewet.';
    await office.getByTestId('review-return').click();
    await office.getByTestId('review-remark').fill(remark);
    await office.getByTestId('review-section').selectOption('normaleRegel');
    await office.getByTestId('review-return-confirm').click();
    expect(await review.confirm.textContent()).toContain('gaat als concept terug naar Vera Veldwerker');
    await review.confirmYes.click();
    await expect.poll(() => office.getByTestId('review-status').textContent(), { timeout: 15_000 }).toContain('Teruggestuurd');

    // V8: Teruggestuurd with the remark on the author's phone, in the list and the editor.
    await gotoAndUnlock(field, `${world.baseUrl}/`);
    await list.waitForScreen();
    await expect.poll(() => list.badge(docId).textContent(), { timeout: 15_000 }).toBe('Teruggestuurd');
    await expect.poll(() => list.row(docId).getByTestId('returned-note').textContent(), { timeout: 15_000 }).toContain(remark);
    await list.row(docId).getByRole('link').click();
    await editor.waitForBadge('Teruggestuurd', 30_000);
    expect(await field.getByTestId('returned-notice').textContent()).toContain(remark);
    await editor.fillSection('normaleRegel', 'Normaal geldt de kostendelersnorm van artikel 22a van de Participatiewet.');
    await editor.waitForBadge('Teruggestuurd');
    await editor.submit();
    await editor.waitForBadge('Ter goedkeuring', 30_000);

    // V4: the approver sees what changed since the returned version, and the PDF.
    await review.reviewPanel.waitFor({ timeout: 15_000 });
    await office.getByTestId('diff-normaleRegel').waitFor({ timeout: 15_000 });
    expect(await office.getByTestId('diff-normaleRegel').locator('ins').first().textContent()).toContain('22a');
    mkdirSync(E2E_SCREENSHOTS, { recursive: true });
    await office.screenshot({ path: join(E2E_SCREENSHOTS, 'v-goedkeuren-360.png'), fullPage: true });
    await office.setViewportSize({ width: 1280, height: 900 });
    await office.screenshot({ path: join(E2E_SCREENSHOTS, 'v-goedkeuren-1280.png'), fullPage: true });
    await office.getByTestId('review-approve').click();
    expect(await review.confirm.textContent()).toMatch(/Goedkeuren: het besluit \(versie 2\) wordt op \d+ \w+ \d{4} genomen en naar het DMS gestuurd/);
    await review.confirmYes.click();
    await editor.waitForBadge('In DMS', 60_000);

    // V7: both versions with their PDFs in the history.
    await editor.history.waitFor({ timeout: 15_000 });
    await expect.poll(() => editor.history.textContent(), { timeout: 15_000 }).toContain('Goedgekeurd door Karim Kantoor');
    expect(await editor.history.textContent()).toContain(`Teruggestuurd door Karim Kantoor`);
    for (const version of [1, 2]) {
      const href = await field.getByTestId(`history-pdf-${version}`).getAttribute('href');
      const answer = await field.request.get(`${world.baseUrl}${href ?? ''}`);
      expect(answer.status()).toBe(200);
      expect(answer.headers()['content-type']).toBe('application/pdf');
    }
    await field.getByTestId('history-compare').click();
    await field.getByTestId('diff-normaleRegel').waitFor({ timeout: 15_000 });
    await field.screenshot({ path: join(E2E_SCREENSHOTS, 'v-geschiedenis-360.png'), fullPage: true });
    await field.setViewportSize({ width: 1280, height: 900 });
    await field.screenshot({ path: join(E2E_SCREENSHOTS, 'v-geschiedenis-1280.png'), fullPage: true });
  });
});
