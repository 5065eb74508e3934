// P9, P10 at the server: a submit whose committed content holds a character no embedded font has,
// or a value over its limit, is refused with 422 at the field (W3), naming the character or the
// count; Arabic, Greek, Cyrillic, Polish, Turkish and ✓ → are accepted and printed.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { act } from '../support/api';
import { writeLetter } from '../support/letter';
import { pdfText } from '../support/poppler';
import { AckingClient, login, openDocument, startTestServer, type TestServer } from '../support/server';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
});

async function letterWith(content: { betrokkeneNaam?: string; onderwerp?: string }) {
  const s = await startTestServer({});
  servers.push(s);
  const vera = await login(s.url, 'veldwerker');
  const id = randomUUID();
  const opened = await openDocument(s.url, vera.accessToken, id);
  clients.push(opened.client);
  await writeLetter(opened.client, id, vera, content);
  return { s, vera, id };
}

describe('submit: printable and bounded', () => {
  it('[P9] [P10] an emoji in the name and an over-long subject are refused at their fields', async () => {
    const { s, vera, id } = await letterWith({ betrokkeneNaam: 'Familie 😀', onderwerp: 'x'.repeat(201) });
    const refused = await act(s.url, vera.accessToken, id, 'submit');
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({
      problems: [
        { section: 'betrokkeneNaam', rule: 'unprintable-character', message: expect.stringContaining('Het teken 😀 (U+1F600)') as string },
        { section: 'onderwerp', rule: 'too-long', message: expect.stringContaining('201 tekens, er mogen er 200 in') as string },
      ],
    });
  }, 60_000);

  it('[P9] names in Arabic, Greek, Cyrillic, Polish and Turkish with ✓ → are accepted and in the archived PDF', async () => {
    const name = 'محمد العلي / Αλέξανδρος / Олександр / Łukasz / Şükrü ✓ →';
    const { s, vera, id } = await letterWith({ betrokkeneNaam: name });
    const accepted = await act(s.url, vera.accessToken, id, 'submit');
    expect(accepted.status).toBe(202);
    const stored = await s.store.getSubmission(id, 1);
    const text = pdfText(stored?.pdf ?? new Uint8Array()).replace(/[\u200e\u200f\u202a-\u202e]/g, '');
    for (const part of ['Αλέξανδρος', 'Олександр', 'Łukasz', 'Şükrü', '✓', '→', 'محمد', 'العلي']) expect(text).toContain(part);
  }, 60_000);
});
