// P6 against the real server: the municipality's contact settings reach the device
// (GET /api/municipality, with an ETag for its offline copy) and every submitted letter's PDF/A
// (the contact block, the official, "Ons kenmerk" with the identificatie); a malformed setting
// stops `npm start` with its name.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryDms } from '../../server/dms/memory';
import { MunicipalityInfo } from '../../shared/protocol/municipality';
import { act, fetchPdf, submissionsOf } from '../support/api';
import { writeLetter } from '../support/letter';
import { pdfText } from '../support/poppler';
import { login, openDocument, startTestServer, type AckingClient, type TestServer } from '../support/server';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
});

const contact = {
  address: ['Raadhuisplein 1', '1234 AB Voorbeeld'],
  postalAddress: ['Postbus 100', '1230 AA Voorbeeld'],
  phone: '14 0123',
  website: 'www.voorbeeld.nl',
};

describe('the letterhead from the municipality settings', () => {
  it('[P6] devices get the contact details; the submitted PDF prints them with the official and Ons kenmerk', async () => {
    const s = await startTestServer({ dms: createMemoryDms(), contact, pdfRendering: 'in-process' });
    servers.push(s);
    const info = await fetch(`${s.url}/api/municipality`);
    expect(info.status).toBe(200);
    const body = MunicipalityInfo.parse(await info.json());
    expect(body).toEqual({ name: 'Gemeente Voorbeeld', contact });
    const etag = info.headers.get('etag') ?? '';
    expect((await fetch(`${s.url}/api/municipality`, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const vera = await login(s.url, 'veldwerker');
    const opened = await openDocument(s.url, vera.accessToken, randomUUID());
    clients.push(opened.client);
    await writeLetter(opened.client, opened.id, vera);
    expect((await act(s.url, vera.accessToken, opened.id, 'submit')).status).toBe(202);
    const [listed] = await submissionsOf(s.url, vera.accessToken, opened.id);
    if (listed === undefined) throw new Error('no submission');
    const pdf = await fetchPdf(s.url, listed.pdf, { bearer: vera.accessToken });
    const text = pdfText(pdf.bytes);
    for (const part of [
      'Bezoekadres Raadhuisplein 1 1234 AB Voorbeeld',
      'Postadres Postbus 100 1230 AA Voorbeeld',
      'Telefoon 14 0123',
      'www.voorbeeld.nl',
      'Contactpersoon Vera Veldwerker',
      `Ons kenmerk ${listed.identificatie}`,
    ]) {
      expect(text, part).toContain(part);
    }
    expect(text).not.toContain('Uw kenmerk');
  }, 60_000);

  it('[P6] a malformed MUNICIPALITY_PHONE stops the server at start with a message naming it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kt-letter-env-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        env: { ...process.env, PORT: '0', DATA_DIR: dataDir, MUNICIPALITY_PHONE: 'bel ons', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(code).toBe(2);
      expect(out).toContain('MUNICIPALITY_PHONE must be a telephone number');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
