// N8: a PDF link for a new tab or a PDF viewer carries a one-use ticket, never the access token,
// so what the browser's History and session files keep of it opens nothing. Real server, real HTTP.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { PdfLinkResponse, pdfLinkPath } from '../../shared/protocol/pdf-link';
import { createMemoryDms } from '../../server/dms/memory';
import { act, fetchPdf } from '../support/api';
import { writeLetter } from '../support/letter';
import { AckingClient, login, openDocument, startTestServer, type Session, type TestServer } from '../support/server';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
});

async function submitted(): Promise<{ s: TestServer; vera: Session; id: string }> {
  const s = await startTestServer({ dms: createMemoryDms() });
  servers.push(s);
  const vera = await login(s.url, 'veldwerker');
  const id = randomUUID();
  const { client } = await openDocument(s.url, vera.accessToken, id);
  clients.push(client);
  await writeLetter(client, id, vera);
  expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
  return { s, vera, id };
}

async function mint(url: string, token: string | null, id: string, version = 1): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}${pdfLinkPath(id, version)}`, { method: 'POST', headers: token === null ? {} : { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

describe('PDF links', () => {
  it('[N8] a PDF link carries a one-use ticket bound to its PDF, never the access token', async () => {
    const { s, vera, id } = await submitted();
    const minted = await mint(s.url, vera.accessToken, id);
    expect(minted.status).toBe(200);
    const link = PdfLinkResponse.parse(minted.body);
    expect(link.href).toMatch(new RegExp(`^/api/documents/${id}/submissions/1/pdf\\?ticket=[\\w-]{20,}$`));
    expect(link.href).not.toContain(vera.accessToken);
    expect(link.href).not.toContain('token=');

    // Opened once, as a new tab would (no Authorization header): the PDF.
    const first = await fetch(`${s.url}${link.href}`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/pdf');
    // What History keeps is spent.
    const again = await fetch(`${s.url}${link.href}`);
    expect(again.status).toBe(401);
    expect(await again.json()).toEqual({ error: 'ticket-invalid' });

    // Bound to its PDF: a ticket for version 1 does not open another document's or version's PDF.
    const other = PdfLinkResponse.parse((await mint(s.url, vera.accessToken, id)).body);
    const ticket = new URL(other.href, s.url).searchParams.get('ticket') ?? '';
    expect((await fetchPdf(s.url, `/api/documents/${randomUUID()}/submissions/1/pdf?ticket=${ticket}`)).status).toBe(401);
    // …and that try spent it.
    expect((await fetch(`${s.url}${other.href}`)).status).toBe(401);
    expect((await fetchPdf(s.url, `/api/documents/${id}/submissions/1/pdf?ticket=made-up`)).status).toBe(401);
  });

  it('[N8] no ticket without a bearer token, for a PDF that does not exist, or for another team', async () => {
    const { s, vera, id } = await submitted();
    expect((await mint(s.url, null, id)).status).toBe(401);
    expect((await mint(s.url, vera.accessToken, id, 2)).status).toBe(404);
    expect((await mint(s.url, vera.accessToken, randomUUID())).status).toBe(404);
    await s.store.createTeam({ id: 'noord', name: 'Wijkteam Noord' });
    const { hashPassword } = await import('../../server/auth/passwords');
    await s.store.createUser({ id: randomUUID(), username: 'noorderling', name: 'Nora Noord', teamId: 'noord', roles: ['field', 'office'], passwordHash: await hashPassword('noord-wachtwoord'), disabled: false });
    const nora = await login(s.url, 'noorderling', 'noord-wachtwoord');
    expect((await mint(s.url, nora.accessToken, id)).status).toBe(404);
  });

  it('[N8] a ticket of a device that signed out opens nothing: its token is checked at redemption', async () => {
    const { s, vera, id } = await submitted();
    const link = PdfLinkResponse.parse((await mint(s.url, vera.accessToken, id)).body);
    const out = await fetch(`${s.url}/api/auth/logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: vera.refreshToken }) });
    expect(out.status).toBeLessThan(300);
    const res = await fetch(`${s.url}${link.href}`);
    expect(res.status).toBe(401);
  });
});
