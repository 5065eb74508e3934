// The editor with a decision template on a phone: the new field types render as their controls
// (choice as select, date as a date input, BSN with a numeric keyboard, address as a textarea),
// the objection clause and mandate line are fixed and filled in, and the live checklist shows
// what still blocks submitting (T5) and plain-language hints (T8) as the official types; no axe
// violations.
import { AxeBuilder } from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentListPage } from './pages/document-list-page';
import { EditorPage } from './pages/editor-page';
import { signedIn, startWorld, type E2EWorld } from './support/fixture';

let world: E2EWorld;

beforeAll(async () => {
  world = await startWorld({});
});

afterAll(async () => {
  await world?.close();
});

describe('decision editor', () => {
  it('[T5] [T8] a maatwerkbesluit shows its controls, fixed texts and a live checklist', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.field.url, 'veldwerker');
    await new DocumentListPage(page).createDocument('maatwerkbesluit');
    const editor = new EditorPage(page);

    expect(await page.locator('#veld-maatwerk').evaluate((el) => el.tagName)).toBe('SELECT');
    expect(await page.locator('#veld-ingangsdatum').getAttribute('type')).toBe('date');
    expect(await page.locator('#veld-bsn').getAttribute('inputmode')).toBe('numeric');
    expect(await page.locator('#veld-betrokkeneAdres').evaluate((el) => el.tagName)).toBe('TEXTAREA');

    const clause = page.getByTestId('fixed-rechtsmiddelen');
    await expect.poll(() => clause.textContent()).toMatch(/binnen zes weken\. .*uiterlijk een week na de laatste dag ontvangen/u);
    expect(await page.getByTestId('fixed-ondertekening').textContent()).toContain('namens het college van burgemeester en wethouders');
    expect(await clause.locator('textarea, input').count()).toBe(0);

    const errors = page.getByTestId('checklist-errors');
    await expect.poll(() => errors.textContent()).toContain('‘Waarom wij zo besluiten’ is nog leeg');
    await editor.fillSection('motivering', 'Middels deze brief leggen wij uit dat dit redelijk is.');
    await expect.poll(() => errors.textContent()).toContain('wettelijke grondslag');
    await expect.poll(() => page.getByTestId('checklist-hints').textContent()).toContain('‘middels’ (schrijf: met)');
    await editor.fillSection('motivering', 'Dit besluit rust op artikel 18 van de Participatiewet.');
    await expect.poll(() => errors.textContent()).not.toContain('wettelijke grondslag');

    // WCAG 2.1 AA, as the other screens (accessibility.test.ts).
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await context.close();
  });
});
