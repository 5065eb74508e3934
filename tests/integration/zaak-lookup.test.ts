// The zaak look-up against the real server and the stateful ZGW fake (X1–X5, X7, X12): the route
// answers identificatie, omschrijving, status and zaaktype name from the Zaken API; a slow, down or
// nonsensical DMS gets a clear reason within the time limit; a user typing fast is rate-limited;
// a submit with an unknown or closed zaak is refused with a Dutch problem at the zaak field when the
// DMS answers, and goes through when it cannot know.
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryDms } from '../../server/dms/memory';
import { createZgwZaakLookup } from '../../server/zaken/zaak-lookup';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { ZAAK_SEARCH_PATH } from '../../shared/protocol/zaken';
import { act, getDocument } from '../support/api';
import { writeLetter } from '../support/letter';
import { login, openDocument, startTestServer, type AckingClient, type TestServer } from '../support/server';
import { fakeZgwConfig, startFakeZgw, type FakeZgw } from '../support/zgw-fake';

const SECRET = 'zaak-lookup-secret-zaak-lookup-secret';
const RSIN = '002220647';
const OTHER_RSIN = '001234560';

let fake: FakeZgw;
const servers: TestServer[] = [];
const clients: AckingClient[] = [];
let logLines: string[] = [];

beforeEach(async () => {
  fake = await startFakeZgw(SECRET);
  fake.nameZaaktype(fake.defaultZaaktype, 'Aanvraag omgevingsvergunning');
  fake.addZaak('ZAAK-2026-0042', RSIN, { omschrijving: 'Verbouwing schuur Molenweg 12' });
  fake.addZaak('ZAAK-2026-0420', RSIN, { omschrijving: 'Uitweg Dorpsstraat' });
  fake.addZaak('ZAAK-2026-00421', RSIN, { omschrijving: 'Bezwaar uitweg' });
  fake.addZaak('ZAAK-2025-0007', RSIN, { omschrijving: 'Kapvergunning eik Molenweg' });
  fake.closeZaak('ZAAK-2025-0007', '2026-11-02');
  fake.addZaak('ZAAK-2026-0043', OTHER_RSIN, { omschrijving: 'Zaak van een andere gemeente Molenweg' });
  logLines = [];
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
  await fake.close();
});

async function server(options: { lookup?: boolean; timeoutMs?: number; perMinute?: number } = {}): Promise<TestServer> {
  const config = fakeZgwConfig(fake, SECRET, RSIN);
  const s = await startTestServer({
    dms: createMemoryDms(),
    zaakLookup: options.lookup === false ? null : createZgwZaakLookup({ config, timeoutMs: options.timeoutMs ?? 2_000 }),
    ...(options.perMinute === undefined ? {} : { zaakLookupPerMinute: options.perMinute }),
    logLevel: 'info',
    logStream: new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    }),
  });
  servers.push(s);
  return s;
}

async function search(s: TestServer, token: string | null, body: unknown): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${s.url}${ZAAK_SEARCH_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

describe('zaak look-up route', () => {
  it('[X1] without a look-up the answer says so, and the zaak field stays free text', async () => {
    const s = await server({ lookup: false });
    const vera = await login(s.url, 'veldwerker');
    expect(await search(s, vera.accessToken, { q: 'ZAAK-2026-0042' })).toMatchObject({ status: 200, body: { available: false } });
    expect(fake.requests.filter((r) => r.path.startsWith('/zaken/'))).toEqual([]);
  });

  it('[X1] a bearer token and a document role are required; the body is checked', async () => {
    const s = await server();
    expect((await search(s, null, { q: 'ZAAK' })).status).toBe(401);
    const beheer = await login(s.url, 'beheerder');
    expect(await search(s, beheer.accessToken, { q: 'ZAAK' })).toMatchObject({ status: 403, body: { error: 'role-required' } });
    const vera = await login(s.url, 'veldwerker');
    expect((await search(s, vera.accessToken, { q: '' })).status).toBe(400);
    expect((await search(s, vera.accessToken, { q: 'x'.repeat(101) })).status).toBe(400);
    expect((await search(s, vera.accessToken, { query: 'ZAAK' })).status).toBe(400);
    expect((await search(s, vera.accessToken, '{"q":')).status).toBe(400);
    // X12: a body far beyond a query is refused before it is read.
    expect((await search(s, vera.accessToken, { q: 'ZAAK', pad: 'x'.repeat(10_000) })).status).toBe(413);
  });

  it('[X1] a device revoked to drain (K24) cannot look zaken up: it may only send its own work', async () => {
    const s = await server();
    const vera = (await login(s.url, 'veldwerker')) as Awaited<ReturnType<typeof login>> & { refreshToken: string; device: { deviceId: string } };
    const beheer = await login(s.url, 'beheerder');
    const revoke = await fetch(`${s.url}/api/admin/devices/${vera.device.deviceId}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${beheer.accessToken}` },
      body: JSON.stringify({ wipe: 'send-then-wipe' }),
    });
    expect(revoke.status).toBe(200);
    const refreshed = await fetch(`${s.url}/api/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: vera.refreshToken }) });
    expect(refreshed.status).toBe(200);
    const draining = ((await refreshed.json()) as { accessToken: string }).accessToken;
    expect((await search(s, draining, { q: 'ZAAK-2026-0042' })).status).toBe(401);
  });

  it('[X2] an exact identificatie comes first, with its omschrijving, status and zaaktype name', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const answer = await search(s, vera.accessToken, { q: 'ZAAK-2026-0042' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ available: true, more: false });
    const results = answer.body.results as Record<string, unknown>[];
    expect(results[0]).toEqual({
      identificatie: 'ZAAK-2026-0042',
      omschrijving: 'Verbouwing schuur Molenweg 12',
      status: 'open',
      statusName: 'In behandeling',
      einddatum: null,
      zaaktype: 'Aanvraag omgevingsvergunning',
    });
    // ZAAK-2026-00421 contains the text too; it comes after the exact one.
    expect(results.map((r) => r.identificatie)).toEqual(['ZAAK-2026-0042', 'ZAAK-2026-00421']);
    // The calls carried the municipality's RSIN and the official's name (JWT-ZGW).
    const searches = fake.requests.filter((r) => r.path.startsWith('/zaken/api/v1/zaken'));
    expect(searches.length).toBeGreaterThan(0);
    for (const r of searches) expect(r.claims?.user_representation).toBe(vera.user.name);
  });

  it('[X2] part of an identificatie and words of the omschrijving find zaken of this municipality only', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const byPart = await search(s, vera.accessToken, { q: '2026-042' });
    expect((byPart.body.results as { identificatie: string }[]).map((r) => r.identificatie)).toEqual(['ZAAK-2026-0420']);
    const byWords = await search(s, vera.accessToken, { q: 'molenweg' });
    const ids = (byWords.body.results as { identificatie: string }[]).map((r) => r.identificatie).sort();
    // ZAAK-2026-0043 is another bronorganisatie's: never shown.
    expect(ids).toEqual(['ZAAK-2025-0007', 'ZAAK-2026-0042']);
    // The words went in a body (POST /zaken/_zoek), not in a URL.
    expect(fake.requests.some((r) => r.path.toLowerCase().includes('molenweg'))).toBe(false);
    expect(fake.requests.some((r) => r.method === 'POST' && r.path.startsWith('/zaken/api/v1/zaken/_zoek'))).toBe(true);
  });

  it('[X2] a DMS that does not expand gets the zaaktype name from the Catalogi API, read once', async () => {
    fake.expandZaken = false;
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    for (let i = 0; i < 2; i += 1) {
      const answer = await search(s, vera.accessToken, { q: 'ZAAK-2026-0042' });
      expect((answer.body.results as Record<string, unknown>[])[0]).toMatchObject({ zaaktype: 'Aanvraag omgevingsvergunning', status: 'open', statusName: null });
    }
    expect(fake.requests.filter((r) => r.path.startsWith('/catalogi/api/v1/zaaktypen/')).length).toBe(1);
  });

  it('[X3] a closed zaak says closed, since when, and its status', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const answer = await search(s, vera.accessToken, { q: 'ZAAK-2025-0007' });
    expect((answer.body.results as Record<string, unknown>[])[0]).toMatchObject({ identificatie: 'ZAAK-2025-0007', status: 'closed', einddatum: '2026-11-02', statusName: 'Afgehandeld' });
  });

  it('[X4] a slow DMS is answered 504 within the time limit, not waited for', async () => {
    fake.zaakSearchDelayMs = 5_000;
    const s = await server({ timeoutMs: 300 });
    const vera = await login(s.url, 'veldwerker');
    const started = Date.now();
    const answer = await search(s, vera.accessToken, { q: 'ZAAK-2026-0042' });
    expect(answer).toMatchObject({ status: 504, body: { error: 'zaak-lookup-timeout' } });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('[X4] a DMS that is down or answers nonsense gives 502 with the reason, never a 500', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    fake.failNext(3, 503);
    expect(await search(s, vera.accessToken, { q: 'ZAAK-2026-0042' })).toMatchObject({ status: 502, body: { error: 'zaak-lookup-unreachable' } });
    fake.failNext(0);
    fake.nonsenseNextZaakSearches(3);
    expect(await search(s, vera.accessToken, { q: 'ZAAK-2026-0042' })).toMatchObject({ status: 502, body: { error: 'zaak-lookup-bad-answer' } });
    const closed = await startFakeZgw(SECRET);
    await closed.close();
    const gone = await startTestServer({ dms: createMemoryDms(), zaakLookup: createZgwZaakLookup({ config: fakeZgwConfig(closed, SECRET, RSIN), timeoutMs: 1_000 }) });
    servers.push(gone);
    const veraThere = await login(gone.url, 'veldwerker');
    expect(await search(gone, veraThere.accessToken, { q: 'ZAAK-2026-0042' })).toMatchObject({ status: 502, body: { error: 'zaak-lookup-unreachable' } });
  });

  it('[X5] a user past ZAAK_LOOKUP_PER_MINUTE gets 429 with Retry-After; another user does not', async () => {
    const s = await server({ perMinute: 3 });
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    for (let i = 0; i < 3; i += 1) expect((await search(s, vera.accessToken, { q: 'ZAAK' })).status).toBe(200);
    const refused = await search(s, vera.accessToken, { q: 'ZAAK' });
    expect(refused).toMatchObject({ status: 429, body: { error: 'rate-limited' } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await search(s, kantoor.accessToken, { q: 'ZAAK' })).status).toBe(200);
  });

  it('[X12] what the DMS answers is clamped, and a zaak whose identificatie is no zaaknummer is dropped', async () => {
    fake.addZaak('ZAAK-2026-0500', RSIN, { omschrijving: `Lange omschrijving ${'x'.repeat(400)}`, statusName: `Status ${'y'.repeat(400)}` });
    fake.addZaak(`ZAAK-${'9'.repeat(120)}`, RSIN, { omschrijving: 'Lange omschrijving met te lang nummer' });
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const answer = await search(s, vera.accessToken, { q: 'lange omschrijving' });
    const results = answer.body.results as { identificatie: string; omschrijving: string; statusName: string }[];
    expect(results.map((r) => r.identificatie)).toEqual(['ZAAK-2026-0500']);
    expect(results[0]?.omschrijving).toHaveLength(200);
    expect(results[0]?.statusName).toHaveLength(200);
  });

  it('[X12] what an official searches for is not written to the server log', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    await search(s, vera.accessToken, { q: 'Molenweg de Boer' });
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain('de Boer');
  });
});

describe('submit with a zaak the DMS knows, or not', () => {
  async function letterWithZaak(s: TestServer, zaaknummer: string): Promise<{ id: string; token: string }> {
    const vera = await login(s.url, 'veldwerker');
    const id = randomUUID();
    const opened = await openDocument(s.url, vera.accessToken, id);
    clients.push(opened.client);
    await writeLetter(opened.client, id, vera, { zaaknummer });
    return { id, token: vera.accessToken };
  }

  it('[X7] an unknown zaak is refused with a Dutch problem at the zaak field; nothing is frozen', async () => {
    const s = await server();
    const { id, token } = await letterWithZaak(s, 'ZAAK-2026-9999');
    const refused = await act(s.url, token, id, 'submit');
    expect(refused).toMatchObject({ status: 422, body: { problems: [{ section: 'zaaknummer', rule: 'zaak-unknown', message: expect.stringContaining('ZAAK-2026-9999 is niet gevonden') as string }] } });
    expect((await getDocument(s.url, token, id)).body.status).toBe(WorkflowStatus.concept);
    expect(await s.store.latestSubmissionVersion(id)).toBe(0);
  });

  it('[X7] a closed zaak is refused, saying since when', async () => {
    const s = await server();
    const { id, token } = await letterWithZaak(s, 'ZAAK-2025-0007');
    const refused = await act(s.url, token, id, 'submit');
    expect(refused).toMatchObject({ status: 422, body: { problems: [{ section: 'zaaknummer', rule: 'zaak-closed', message: expect.stringContaining('afgesloten (sinds 2 november 2026)') as string }] } });
    expect(await s.store.latestSubmissionVersion(id)).toBe(0);
  });

  it('[X7] an open zaak goes through; a DMS that cannot answer refuses nothing', async () => {
    const s = await server({ timeoutMs: 300 });
    const open = await letterWithZaak(s, 'ZAAK-2026-0042');
    expect((await act(s.url, open.token, open.id, 'submit')).status).toBe(202);
    fake.zaakSearchDelayMs = 3_000;
    const unknowable = await letterWithZaak(s, 'ZAAK-2026-9999');
    expect((await act(s.url, unknowable.token, unknowable.id, 'submit')).status).toBe(202);
  });

  it('[X7] without a look-up an unknown zaak is not checked at submit', async () => {
    const s = await server({ lookup: false });
    const { id, token } = await letterWithZaak(s, 'ZAAK-2026-9999');
    expect((await act(s.url, token, id, 'submit')).status).toBe(202);
  });
});
