// P9 and P10 on a phone: a character no embedded font has is flagged under its field while the
// official types, naming it; from 80 % of a field's limit a counter shows, marked once over; and
// a submit with both is refused by the server at the fields, in the same words.
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

describe('unprintable characters and length limits in the editor', () => {
  it('[P9] [P10] flags 😀 under its field, counts near the limit, and the server refuses both at their fields', async () => {
    const context = await world.newPhone();
    const page = await signedIn(context, world.field.url, 'veldwerker');
    await new DocumentListPage(page).createDocument('brief');
    const editor = new EditorPage(page);
    await editor.fillLetter({ zaak: 'ZAAK-2026-0042', naam: 'Familie Ünal 😀', adres: 'Kanaalweg 7\n1234 AB Voorbeeld', onderwerp: 'Uw aanvraag' });
    await editor.fillSection('kern', 'Wij helpen u met een voorschot. محمد العلي ✓ →');

    const flag = page.getByTestId('unprintable-betrokkeneNaam');
    await expect.poll(() => flag.textContent()).toBe('Het teken 😀 (U+1F600) in ‘Naam betrokkene’ kan niet worden afgedrukt. Laat het weg of vervang het.');
    // Arabic, ✓ and → print: no flag at the kern.
    expect(await page.getByTestId('unprintable-kern').count()).toBe(0);

    const onderwerp = editor.fieldByKey('onderwerp');
    await onderwerp.fill('a'.repeat(150));
    expect(await page.getByTestId('counter-onderwerp').count()).toBe(0);
    await onderwerp.fill('a'.repeat(170));
    await expect.poll(() => page.getByTestId('counter-onderwerp').textContent()).toBe('170 / 200 tekens');
    await onderwerp.fill('a'.repeat(201));
    await expect.poll(() => page.getByTestId('counter-onderwerp').textContent()).toBe('201 / 200 tekens — te lang');

    await editor.submit();
    await expect.poll(() => page.getByTestId('problem-veld-betrokkeneNaam').textContent(), { timeout: 20_000 }).toContain('Het teken 😀 (U+1F600)');
    expect(await page.getByTestId('problem-veld-onderwerp').textContent()).toContain('‘Onderwerp’ is te lang: 201 tekens, er mogen er 200 in.');
    await context.close();
  });
});
