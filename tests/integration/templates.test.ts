// T2 and T3 against the real server: GET /api/templates serves the built-ins and the
// municipality's TEMPLATES_DIR (newest version per id), skips an invalid file, and an older
// version stays available by id and version for drafts started on it. A decision is refused for
// its T5 errors only, never for hints, and its PDF carries the objection clause and mandate line.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { initDocument, sectionText, writeFields } from '../../shared/model/document';
import { voorschotbesluitTemplate as besluit } from '../../shared/templates/builtin/voorschotbesluit';
import { Template } from '../../shared/templates/schema';
import { act, fetchPdf, submissionsOf } from '../support/api';
import { pdfText } from '../support/poppler';
import { AckingClient, login, startTestServer, waitFor, type TestServer } from '../support/server';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const own = {
  id: 'gemeente-uitnodiging',
  version: 1,
  kind: 'brief',
  title: 'Uitnodiging voor een gesprek',
  fields: [{ key: 'naam', type: 'text', label: 'Naam', required: true }],
  sections: [{ key: 'kern', kind: 'fixed', label: 'Kern', required: true, text: 'Beste {naam}, de gemeente {gemeente} nodigt u uit.' }],
};

async function get(url: string, token: string, path: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

describe('templates', () => {
  it('[T2][T3] serves built-ins and TEMPLATES_DIR, newest version per id, older ones by id and version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-tpl-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'v1.json'), JSON.stringify(own));
    writeFileSync(join(dir, 'v2.json'), JSON.stringify({ ...own, version: 2, title: 'Uitnodiging (nieuw)' }));
    writeFileSync(join(dir, 'kapot.json'), JSON.stringify({ ...own, id: 'kapot', fields: [] }));
    const s = await startTestServer({ templatesDir: dir });
    servers.push(s);
    const vera = await login(s.url, 'veldwerker');

    const list = await get(s.url, vera.accessToken, '/api/templates');
    expect(list.status).toBe(200);
    const items = list.body as { id: string; version: number }[];
    expect(items.filter((t) => t.id === own.id).map((t) => t.version)).toEqual([2]);
    expect(items.map((t) => t.id)).toEqual(expect.arrayContaining(['brief', 'maatwerkbesluit', 'afsprakenverslag']));
    expect(items.map((t) => t.id)).not.toContain('kapot');
    // What the server sends is what a device accepts (after dropping explicit nulls).
    for (const item of items) {
      const clean = JSON.parse(JSON.stringify(item, (_k, v: unknown) => (v === null ? undefined : v))) as unknown;
      expect(Template.safeParse(clean).success).toBe(true);
    }

    const old = await get(s.url, vera.accessToken, `/api/templates/${own.id}/1`);
    expect(old).toMatchObject({ status: 200, body: { id: own.id, version: 1, title: own.title } });
    expect((await get(s.url, vera.accessToken, `/api/templates/${own.id}/3`)).status).toBe(404);
    expect((await get(s.url, vera.accessToken, `/api/templates/${own.id}/abc`)).status).toBe(404);
    expect((await fetch(`${s.url}/api/templates/${own.id}/1`)).status).toBe(401);
  });
});

describe('a decision through submit', () => {
  it('[T5][T8][W3] refuses a motivering without legal basis, accepts it with one despite hints, and prints the clause', async () => {
    const s = await startTestServer({});
    servers.push(s);
    const vera = await login(s.url, 'veldwerker');
    const id = randomUUID();
    const client = new AckingClient(s.url, `doc:${id}`, vera.accessToken);
    clients.push(client);
    await waitFor(() => client.durable !== null, 10_000, 'document loaded');
    const doc = client.doc;
    initDocument(doc, besluit, { id, teamId: vera.user.teamId, createdBy: vera.user.id, createdAt: 1 });
    writeFields(doc, besluit, {
      zaaknummer: 'ZAAK-2026-0003',
      betrokkeneNaam: 'Familie Yilmaz',
      betrokkeneAdres: 'Kanaalstraat 8\n1234 AB Voorbeeld',
      onderwerp: 'Voorschot op uw bijstandsuitkering',
      bedrag: '€ 850 per maand',
      ingangsdatum: '2026-03-01',
    });
    const motivering = sectionText(doc, 'motivering');
    if (motivering === null) throw new Error('no motivering');
    motivering.delete(0, motivering.length);
    motivering.insert(0, 'Wij vinden een voorschot redelijk.');
    await client.waitSaved();

    const refused = await act(s.url, vera.accessToken, id, 'submit');
    expect(refused).toMatchObject({
      status: 422,
      body: { problems: [{ section: 'motivering', rule: 'besluit-grondslag', message: expect.stringContaining('grondslag') as string }] },
    });

    motivering.insert(motivering.length, ' Derhalve geven wij het op grond van artikel 52 van de Participatiewet.');
    await client.waitSaved();
    const accepted = await act(s.url, vera.accessToken, id, 'submit');
    expect(accepted.status).toBe(202);
    const [listed] = await submissionsOf(s.url, vera.accessToken, id);
    if (listed === undefined) throw new Error('no submission');
    const text = pdfText((await fetchPdf(s.url, listed.pdf, { bearer: vera.accessToken })).bytes).replace(/\s+/g, ' ');
    // J7: Awb 6:9 in words, no end date counted from the wrong day.
    expect(text).toContain('uiterlijk een week na de laatste dag ontvangen');
    expect(text).not.toContain('bij ons binnen');
    // The mandate line is printed once, above the signature, in the template's words.
    expect(text.match(/namens het college van burgemeester en wethouders van de gemeente Voorbeeld, Vera Veldwerker/gi)).toHaveLength(1);
    expect(text.match(/namens het college/gi)).toHaveLength(1);
    expect(text).toContain('Het besluit geldt vanaf 1 maart 2026');
  });
});
