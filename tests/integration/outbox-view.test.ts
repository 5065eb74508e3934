// The outbox as the back office and operators see it: GET /api/outbox (office role, the team's
// deliveries with reason and next attempt, O3) and /metrics (Prometheus text: outbox depth,
// latency, failures by reason; loopback only unless METRICS_TOKEN is set).
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { createMemoryDms, type MemoryDms } from '../../server/dms/memory';
import { isLoopback } from '../../server/metrics/metrics-route';
import { normaliseFailureReason } from '../../server/metrics/metrics';
import type { ServerOptions } from '../../server/app';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { act, eventually } from '../support/api';
import { writeLetter } from '../support/letter';
import { AckingClient, DEMO_PASSWORD, login, startTestServer, waitFor, type Session, type TestServer } from '../support/server';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
const dmsList: MemoryDms[] = [];
afterEach(async () => {
  for (const d of dmsList.splice(0)) d.release();
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
});

async function server(dms: MemoryDms, opts: Partial<ServerOptions> & { persistent?: boolean } = {}): Promise<TestServer> {
  dmsList.push(dms);
  const s = await startTestServer({ dms, ...opts });
  servers.push(s);
  return s;
}

async function letter(s: TestServer, session: Session, zaak = 'ZAAK-2026-0042'): Promise<string> {
  const id = randomUUID();
  const c = new AckingClient(s.url, `doc:${id}`, session.accessToken);
  clients.push(c);
  await waitFor(() => c.durable !== null, 10_000, 'document loaded');
  await writeLetter(c, id, session, { zaaknummer: zaak });
  return id;
}

async function outbox(s: TestServer, token: string, query = ''): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${s.url}/api/outbox${query}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

interface Row {
  docId: string;
  status: string;
  lastError: string | null;
  nextAttemptAt: number | null;
  dmsReference: string | null;
}

const statusOf = async (s: TestServer, id: string): Promise<string | undefined> => (await s.store.getDocument(id))?.status;

async function metrics(s: TestServer, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${s.url}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('GET /api/outbox', () => {
  it('[O3] a failed delivery is visible in the back office with its reason and next attempt', async () => {
    const dms = createMemoryDms();
    dms.refuseAll = { retryable: true, reason: 'dms-rate-limited: 429' };
    // SQLite, as operators run it; retries far away so the failure stays put.
    const s = await server(dms, { persistent: true, outbox: { baseDelayMs: 10 * 60_000 } });
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const failing = await letter(s, vera, 'ZAAK-2026-0001');

    const submitted = await act(s.url, vera.accessToken, failing, 'submit');
    expect(submitted.status).toBe(202);
    await eventually(async () => (await statusOf(s, failing)) === WorkflowStatus.deliveryFailed, 'levering-mislukt');

    // The field worker has no back office view.
    expect(await outbox(s, vera.accessToken)).toMatchObject({ status: 403, body: { error: 'role-required' } });
    expect((await fetch(`${s.url}/api/outbox`)).status).toBe(401);

    const list = await outbox(s, kantoor.accessToken);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      {
        docId: failing,
        title: expect.any(String) as string,
        version: 1,
        identificatie: expect.stringMatching(/^KT-20\d{2}-\d{7}$/) as string,
        zaak: 'ZAAK-2026-0001',
        status: 'mislukt',
        attempts: 1,
        lastError: 'dms-rate-limited: 429',
        nextAttemptAt: expect.any(Number) as number,
        dmsReference: null,
        submittedAt: expect.any(Number) as number,
        archivedAt: null,
        // J1, J2: a letter submitted without approval is decided that day and leaves with its delivery.
        dagtekening: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as string,
        verzending: 'delivery',
        verzenddatum: null,
        bezwaartermijnEinde: null,
      },
    ]);
    const [row] = list.body as Row[];
    expect(row?.nextAttemptAt).toBeGreaterThanOrEqual((submitted.body.at as number) + 5 * 60_000);

    // One archived next to it: pending and failed first, then the archived one with its reference.
    // (A rate limit is about the DMS's pace, not an outage: the success does not hasten it, O3.)
    dms.refuseAll = null;
    const archived = await letter(s, vera, 'ZAAK-2026-0002');
    expect((await act(s.url, vera.accessToken, archived, 'submit')).status).toBe(202);
    await eventually(async () => (await statusOf(s, archived)) === WorkflowStatus.archived, 'archived');
    const both = (await outbox(s, kantoor.accessToken)).body as Row[];
    expect(both.map((r) => [r.docId, r.status])).toEqual([
      [failing, 'mislukt'],
      [archived, 'in-dms'],
    ]);
    expect(both[1]).toMatchObject({ dmsReference: expect.stringMatching(/^memory:\/\/ZAAK-2026-0002\//) as string, nextAttemptAt: null });
    expect(((await outbox(s, kantoor.accessToken, '?status=in-dms')).body as Row[]).map((r) => r.docId)).toEqual([archived]);
    expect(((await outbox(s, kantoor.accessToken, '?status=mislukt')).body as Row[]).map((r) => r.docId)).toEqual([failing]);
    expect((await outbox(s, kantoor.accessToken, '?status=wacht-op-dms')).body).toEqual([]);
    expect((await outbox(s, kantoor.accessToken, '?status=weg')).status).toBe(400);

    // retry-delivery brings it in; the view follows.
    expect((await act(s.url, kantoor.accessToken, failing, 'retry-delivery')).status).toBe(202);
    await eventually(async () => (await statusOf(s, failing)) === WorkflowStatus.archived, 'archived after retry');
    expect(((await outbox(s, kantoor.accessToken)).body as Row[]).map((r) => r.status)).toEqual(['in-dms', 'in-dms']);
  });

  it('shows only the own team\'s deliveries (memory store)', async () => {
    const dms = createMemoryDms();
    dms.hold();
    const s = await server(dms);
    const vera = await login(s.url, 'veldwerker');
    const id = await letter(s, vera);
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);

    await s.store.createTeam({ id: 'team-elders', name: 'Elders' });
    await s.store.createUser({
      id: 'u-elders',
      username: 'elders',
      name: 'Olga Elders',
      teamId: 'team-elders',
      roles: ['office'],
      passwordHash: await hashPassword(DEMO_PASSWORD, { N: 2 ** 10, r: 8, p: 1 }),
      disabled: false,
    });
    const kantoor = await login(s.url, 'kantoor');
    const elders = await login(s.url, 'elders');
    expect((await outbox(s, kantoor.accessToken)).body).toMatchObject([{ docId: id, status: 'wacht-op-dms', lastError: null }]);
    expect((await outbox(s, elders.accessToken)).body).toEqual([]);
  });
});

describe('/metrics', () => {
  it('exposes outbox depth, failures by reason and latency in Prometheus text', async () => {
    const dms = createMemoryDms();
    dms.refuseAll = { retryable: true, reason: 'dms-server-error: 503' };
    const s = await server(dms, { outbox: { baseDelayMs: 10 * 60_000 } });
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');

    const fresh = await metrics(s);
    expect(fresh.status).toBe(200);
    expect(fresh.type).toContain('text/plain');
    expect(fresh.text).toContain('# TYPE keukentafel_outbox_deliveries gauge');
    expect(fresh.text).toContain('keukentafel_outbox_deliveries{status="mislukt"} 0');
    expect(fresh.text).toContain('keukentafel_delivery_failures_total{reason="dms-server-error"} 0');
    expect(fresh.text).toMatch(/^keukentafel_sync_open_sockets \d+$/m);
    expect(fresh.text).toMatch(/^keukentafel_sync_loaded_rooms \d+$/m);
    // The README's monitoring table charts memory under the standard names.
    expect(fresh.text).toMatch(/^process_resident_memory_bytes [1-9]\d*$/m);
    expect(fresh.text).toMatch(/^nodejs_heap_size_used_bytes [1-9]\d*$/m);

    const id = await letter(s, vera);
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    await eventually(async () => (await statusOf(s, id)) === WorkflowStatus.deliveryFailed, 'levering-mislukt');
    const failed = (await metrics(s)).text;
    expect(failed).toContain('keukentafel_outbox_deliveries{status="mislukt"} 1');
    expect(failed).toContain('keukentafel_outbox_deliveries{status="wacht-op-dms"} 0');
    expect(failed).toContain('keukentafel_delivery_failures_total{reason="dms-server-error"} 1');
    expect(failed).toContain('keukentafel_sync_open_sockets 1');
    expect(failed).toMatch(/^keukentafel_sync_loaded_rooms [1-9]\d*$/m);

    dms.refuseAll = null;
    expect((await act(s.url, kantoor.accessToken, id, 'retry-delivery')).status).toBe(202);
    await eventually(async () => (await statusOf(s, id)) === WorkflowStatus.archived, 'archived after retry');
    const delivered = (await metrics(s)).text;
    expect(delivered).toContain('keukentafel_outbox_deliveries{status="in-dms"} 1');
    expect(delivered).toContain('keukentafel_outbox_deliveries{status="mislukt"} 0');
    expect(delivered).toContain('keukentafel_delivery_latency_seconds_count{adapter="memory"} 1');
  });

  it('is loopback only without METRICS_TOKEN; a proxied request is not local', async () => {
    const s = await server(createMemoryDms());
    expect((await metrics(s)).status).toBe(200);
    expect((await metrics(s, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(403);
    expect((await metrics(s, { forwarded: 'for=203.0.113.7' })).status).toBe(403);
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
    expect(isLoopback('::ffff:192.168.1.2')).toBe(false);
  });

  it('requires the bearer token from anywhere when METRICS_TOKEN is set', async () => {
    const s = await server(createMemoryDms(), { metricsToken: 'geheim-meet-token' });
    expect((await metrics(s)).status).toBe(401);
    expect((await metrics(s, { authorization: 'Bearer fout' })).status).toBe(401);
    const ok = await metrics(s, { authorization: 'Bearer geheim-meet-token', 'x-forwarded-for': '203.0.113.7' });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('keukentafel_outbox_deliveries');
    // An app access token is not the metrics token.
    const kantoor = await login(s.url, 'kantoor');
    expect((await metrics(s, { authorization: `Bearer ${kantoor.accessToken}` })).status).toBe(401);
  });

  it('normalises failure reasons to a small set', () => {
    expect(normaliseFailureReason('dms-unreachable: ECONNREFUSED')).toBe('dms-unreachable');
    expect(normaliseFailureReason('dms-timeout')).toBe('dms-unreachable');
    expect(normaliseFailureReason('dms-server-error: 502')).toBe('dms-server-error');
    expect(normaliseFailureReason('dms-refused: 400 Het veld titel is verplicht')).toBe('refused');
    expect(normaliseFailureReason('outcome-unknown: socket hang up')).toBe('outcome-unknown');
    expect(normaliseFailureReason('lookup-failed: dms-timeout')).toBe('outcome-unknown');
    expect(normaliseFailureReason('iets-anders')).toBe('other');
  });
});
