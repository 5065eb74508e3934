// Four eyes on a phone (W4): a maatwerkbesluit without its reasoning is refused with the reason at
// that section (W3); with it and maatwerk 'ja', what the field worker submits waits for approval; the back office returns it with a remark at a section, the field worker
// sees the remark there, fixes it and submits again, the back office approves, and it lands in
// the filesystem DMS folder (with who approved it in metadata.json).
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
  dmsDir = mkdtempSync(join(tmpdir(), 'kt-e2e-approval-'));
  world = await startWorld({ dmsDir, outbox: { pollMs: 100 } });
});

afterAll(async () => {
  await world?.close();
  rmSync(dmsDir, { recursive: true, force: true });
});

/** Every delivered folder: DMS_DIR/<zaak>/<identificatie>/. */
function deliveries(): string[] {
  const found: string[] = [];
  for (const zaak of readdirSync(dmsDir, { withFileTypes: true })) {
    if (!zaak.isDirectory() || zaak.name.startsWith('.')) continue;
    for (const id of readdirSync(join(dmsDir, zaak.name), { withFileTypes: true })) {
      if (id.isDirectory()) found.push(join(dmsDir, zaak.name, id.name));
    }
  }
  return found;
}

describe('four eyes', () => {
  it('[W3] [W4] a decision without reasoning is refused at that section; with maatwerk it is returned with a remark, fixed, approved and lands in the DMS', async () => {
    const field = await signedIn(await world.newPhone(), world.baseUrl, 'veldwerker');
    const list = new DocumentListPage(field);
    const docId = await list.createDocument('maatwerkbesluit');
    const editor = new EditorPage(field);
    await editor.section('motivering').waitFor();
    await editor.fillDecision({ zaak: 'ZAAK-2026-0077', naam: 'De heer P. Bakker', adres: 'Molenweg 4\n1234 AB Voorbeeld', onderwerp: 'Uw bijstandsuitkering', maatwerk: true });

    // W3/T5: without its reasoning the decision is refused, with the reason at that section.
    const motivering = await editor.sectionValue('motivering');
    await editor.fillSection('motivering', '');
    await editor.waitForBadge('Opgeslagen op server');
    await editor.submit();
    await editor.problemAt('motivering', 'sectie').waitFor({ timeout: 15_000 });
    expect(await editor.problemAt('motivering', 'sectie').textContent()).toContain('Waarom wij zo besluiten');
    await editor.fillSection('motivering', motivering);
    await expect.poll(() => field.getByTestId('checklist-ready').count(), { timeout: 10_000 }).toBe(1);
    await editor.waitForBadge('Opgeslagen op server');
    await editor.submit();
    await editor.waitForBadge('Ter goedkeuring', 30_000);

    // The back office sees it waiting in the inbox and returns it with a remark at a section.
    const office = await signedIn(await world.newPhone(), world.baseUrl, 'kantoor');
    const inbox = new InboxPage(office);
    await expect.poll(() => inbox.row(docId).getByTestId('badge').textContent(), { timeout: 15_000 }).toBe('Ter goedkeuring');
    await inbox.row(docId).getByRole('link').click();
    const review = new EditorPage(office);
    await review.reviewPanel.waitFor({ timeout: 15_000 });
    const remark = 'Noem bij de normale regel ook het artikel: artikel 22a van de Participatiewet.';
    await review.returnWithRemark(remark, 'normaleRegel');
    await expect.poll(() => office.getByTestId('review-status').textContent(), { timeout: 15_000 }).toContain('Teruggestuurd');
    expect(deliveries()).toEqual([]);

    // The field worker sees the remark at its section, fixes it and submits again.
    await editor.waitForBadge('Teruggestuurd', 30_000);
    await expect.poll(() => editor.remarkAt('normaleRegel').textContent(), { timeout: 15_000 }).toBe(`Opmerking van Karim Kantoor: ${remark}`);
    await editor.fillSection('normaleRegel', 'Normaal geldt de kostendelersnorm van artikel 22a van de Participatiewet.');
    await editor.waitForBadge('Teruggestuurd');
    await editor.submit();
    await editor.waitForBadge('Ter goedkeuring', 30_000);
    await expect.poll(() => editor.remarkAt('normaleRegel').count(), { timeout: 15_000 }).toBe(0);

    // The back office approves; the decision lands in the DMS folder.
    await review.reviewPanel.waitFor({ timeout: 15_000 });
    await review.approve();
    await editor.waitForBadge('In DMS', 60_000);
    const delivered = deliveries();
    expect(delivered).toHaveLength(1);
    // The folder is the version's identificatie (J9: KT-<jaar>-<7 cijfers>); the approved one is version 2.
    expect(delivered[0]).toMatch(/KT-\d{4}-\d{7}$/);
    const metadata = JSON.parse(readFileSync(join(delivered[0]!, 'metadata.json'), 'utf8')) as Record<string, string>;
    expect(metadata).toMatchObject({ zaak: 'ZAAK-2026-0077', documenttype: 'Beschikking', goedgekeurdDoor: 'Karim Kantoor', versie: '2' });
    const text = pdfText(readFileSync(join(delivered[0]!, 'document.pdf')));
    expect(text).toContain('artikel 22a van de Participatiewet');
    // The field worker sees where it was archived (issue 5: each document shows its DMS reference).
    const folder = delivered[0]!.split('/').slice(-2).join('/');
    await expect.poll(() => field.getByTestId('dms-reference').textContent(), { timeout: 15_000 }).toContain(folder);
  });
  it('[G3] no page reported a Content-Security-Policy violation', () => {
    expect(world.cspViolations()).toEqual([]);
  });
});
