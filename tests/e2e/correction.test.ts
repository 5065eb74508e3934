// Correcting an archived letter on phones (W4, O5): the field worker's letter is in the DMS; the
// back office finds an error and sends it back "voor correctie" with a remark; the field worker
// sees the remark at its section, corrects it and submits again; version 2 lands in the DMS
// folder beside version 1, its metadata.json naming the version it follows.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pdfText } from '../support/poppler';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { InboxPage } from './pages/inbox-page';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';

let world: E2EWorld;
let dmsDir: string;

beforeAll(async () => {
  dmsDir = mkdtempSync(join(tmpdir(), 'kt-e2e-correction-'));
  world = await startWorld({ dmsDir, outbox: { pollMs: 100 } });
});

afterAll(async () => {
  await world?.close();
  rmSync(dmsDir, { recursive: true, force: true });
});

describe('a correction after archiving', () => {
  it('[W4] [O5] kantoor sends an archived letter back for a correction; version 2 lands in the DMS beside version 1', async () => {
    const field = await signedIn(await world.newPhone(), world.baseUrl, 'veldwerker');
    const docId = await new DocumentListPage(field).createDocument();
    const editor = new EditorPage(field);
    await editor.fillLetter({ zaak: 'ZAAK-2026-0099', naam: 'Mevrouw J. de Vries', adres: 'Dorpsstraat 12\n1234 AB Voorbeeld', onderwerp: 'Zorg voor uw moeder' });
    await editor.fillSection('kern', 'U woont sinds maart bij uw moeder.');
    await editor.waitForBadge('Opgeslagen op server');
    await editor.submit();
    await editor.waitForBadge('In DMS', 60_000);

    const office = await signedIn(await world.newPhone(), world.baseUrl, 'kantoor');
    const inbox = new InboxPage(office);
    await expect.poll(() => inbox.row(docId).getByTestId('badge').textContent(), { timeout: 15_000 }).toBe('In DMS');
    await inbox.row(docId).getByRole('link').click();
    const review = new EditorPage(office);
    await review.reviewPanel.waitFor({ timeout: 15_000 });
    expect(await review.reviewPanel.textContent()).toContain('Correctie');
    expect(await office.getByTestId('review-approve').count()).toBe(0);
    const remark = 'Uw moeder woont sinds april bij u, niet sinds maart.';
    await review.returnWithRemark(remark, 'kern');
    await expect.poll(() => office.getByTestId('review-status').textContent(), { timeout: 15_000 }).toContain('Teruggestuurd');

    await expect.poll(() => editor.remarkAt('kern').textContent(), { timeout: 15_000 }).toBe(`Opmerking van Karim Kantoor: ${remark}`);
    await editor.fillSection('kern', 'U woont sinds april bij uw moeder.');
    await editor.waitForBadge('Teruggestuurd');
    await editor.submit();
    await editor.waitForBadge('In DMS', 60_000);

    const zaak = join(dmsDir, 'ZAAK-2026-0099');
    const folders = readdirSync(zaak).sort();
    expect(folders).toHaveLength(2);
    // Each version's folder is its own identificatie (J9), numbered in the order they were submitted.
    expect(folders.every((f) => /^KT-\d{4}-\d{7}$/.test(f))).toBe(true);
    expect(JSON.parse(readFileSync(join(zaak, folders[0]!, 'metadata.json'), 'utf8'))).toMatchObject({ versie: '1' });
    const metadata = JSON.parse(readFileSync(join(zaak, folders[1]!, 'metadata.json'), 'utf8')) as Record<string, string>;
    expect(metadata).toMatchObject({ versie: '2', vorigeVersie: folders[0] });
    expect(pdfText(readFileSync(join(zaak, folders[1]!, 'document.pdf')))).toContain('sinds april');
    expect(pdfText(readFileSync(join(zaak, folders[0]!, 'document.pdf')))).toContain('sinds maart');
  });
});
