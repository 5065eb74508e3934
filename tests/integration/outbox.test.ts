// From submit to the DMS against the real server (O1–O3): archived only with the DMS's
// reference, one delivery however often a device submits, a look-up before retrying an unknown
// outcome, and a failing DMS that keeps the delivery with its reason until it is taken; after
// OUTBOX_MAX_ATTEMPTS (or at once for a refusal) it is marked failed until retry-delivery (O4).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryDms, type MemoryDms } from '../../server/dms/memory';
import type { OutboxTiming } from '../../server/outbox/outbox-worker';
import { INDEX_MAP, WorkflowStatus, type IndexEntry } from '../../shared/model/index-entry';
import { act, eventually, getDocument, newKey, submissionsOf } from '../support/api';
import { writeLetter } from '../support/letter';
import { AckingClient, login, startTestServer, waitFor, type Session, type TestServer } from '../support/server';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
const dmsList: MemoryDms[] = [];
afterEach(async () => {
  for (const d of dmsList.splice(0)) d.release();
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
});

async function server(
  dms: MemoryDms,
  opts: { outbox?: Partial<OutboxTiming>; persistent?: boolean; dataDir?: string | null } = {},
): Promise<TestServer> {
  dmsList.push(dms);
  const s = await startTestServer({ dms, outbox: opts.outbox, persistent: opts.persistent, ...(opts.dataDir === undefined ? {} : { dataDir: opts.dataDir }) });
  servers.push(s);
  return s;
}

function client(s: TestServer, room: string, session: Session): AckingClient {
  const c = new AckingClient(s.url, room, session.accessToken);
  clients.push(c);
  return c;
}

async function letter(s: TestServer, session: Session): Promise<string> {
  const id = randomUUID();
  const c = client(s, `doc:${id}`, session);
  await waitFor(() => c.durable !== null, 10_000, 'document loaded');
  await writeLetter(c, id, session);
  return id;
}

function teamIndex(s: TestServer, session: Session): (id: string) => IndexEntry | undefined {
  const index = client(s, `index:team:${session.user.teamId}`, session);
  return (id) => index.doc.getMap<IndexEntry>(INDEX_MAP).get(id);
}

const statusOf = async (s: TestServer, id: string): Promise<string | undefined> => (await s.store.getDocument(id))?.status;

describe('outbox to the DMS', () => {
  it('[O1] archived only after the DMS returned its reference', async () => {
    const dms = createMemoryDms();
    dms.hold();
    const s = await server(dms);
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const entry = teamIndex(s, kantoor);
    const id = await letter(s, vera);

    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    await waitFor(() => dms.calls.some((c) => c.op === 'deliver'), 10_000, 'delivery started');
    // The DMS has the document in hand but has not answered: not archived.
    const waiting = await getDocument(s.url, kantoor.accessToken, id);
    expect(waiting.body.status).toBe(WorkflowStatus.submitted);
    expect(waiting.body.submissions).toMatchObject([{ status: 'wacht-op-dms', dmsReference: null, lastError: null }]);
    await waitFor(() => entry(id)?.status === WorkflowStatus.submitted, 10_000, 'ingediend in the team index');

    dms.release();
    await eventually(async () => (await statusOf(s, id)) === WorkflowStatus.archived, 'archived');
    const [archived] = await submissionsOf(s.url, kantoor.accessToken, id);
    expect(archived).toMatchObject({
      status: 'in-dms',
      dmsReference: `memory://ZAAK-2026-0042/${archived?.identificatie}`,
      lastError: null,
      nextAttemptAt: null,
      attempts: 1,
    });
    await waitFor(() => entry(id)?.status === WorkflowStatus.archived, 10_000, 'in-dms in the team index');
  });

  it('[O2] submitting twice (same key, and double tap with two keys) gives one delivery', async () => {
    const dms = createMemoryDms();
    const s = await server(dms);
    const vera = await login(s.url, 'veldwerker');
    const id = await letter(s, vera);

    const k = newKey();
    const sameKey = await Promise.all([1, 2, 3].map(() => act(s.url, vera.accessToken, id, 'submit', k)));
    expect(sameKey.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(new Set(sameKey.map((a) => a.text)).size).toBe(1);
    // A double tap: two keys at once. One submits, the other finds it submitted.
    const doubleTap = await Promise.all([act(s.url, vera.accessToken, id, 'submit'), act(s.url, vera.accessToken, id, 'submit')]);
    expect(doubleTap.map((a) => a.status)).toEqual([409, 409]);

    await eventually(async () => (await statusOf(s, id)) === WorkflowStatus.archived, 'archived');
    expect(await submissionsOf(s.url, vera.accessToken, id)).toHaveLength(1);
    expect(dms.filed.size).toBe(1);
    expect(dms.calls.filter((c) => c.op === 'deliver')).toHaveLength(1);
    expect(dms.duplicates).toBe(0);
  });

  it('[O2] two keys tapped at once on a concept: one submission, one refusal', async () => {
    const dms = createMemoryDms();
    const s = await server(dms);
    const vera = await login(s.url, 'veldwerker');
    const id = await letter(s, vera);
    const answers = await Promise.all([act(s.url, vera.accessToken, id, 'submit'), act(s.url, vera.accessToken, id, 'submit')]);
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    await eventually(async () => (await statusOf(s, id)) === WorkflowStatus.archived, 'archived');
    expect(dms.filed.size).toBe(1);
    expect(dms.duplicates).toBe(0);
  });

  it('[O2] after an unknown outcome the worker looks up before it retries', async () => {
    const dms = createMemoryDms();
    // The DMS files the document, then the connection drops before its answer arrives.
    dms.faults.push({ kind: 'drop-after-filing' });
    const s = await server(dms, { outbox: { baseDelayMs: 30, maxDelayMs: 100 } });
    const vera = await login(s.url, 'veldwerker');
    const id = await letter(s, vera);

    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    await eventually(async () => (await statusOf(s, id)) === WorkflowStatus.archived, 'archived');
    const [archived] = await submissionsOf(s.url, vera.accessToken, id);
    expect(dms.calls.map((c) => c.op)).toEqual(['deliver', 'lookup']);
    expect(dms.duplicates).toBe(0);
    expect(dms.filed.size).toBe(1);
    expect(archived).toMatchObject({ status: 'in-dms', attempts: 2, dmsReference: `memory://ZAAK-2026-0042/${archived?.identificatie}` });
  });

  it('[O3] a failing DMS keeps the delivery with its reason and next attempt; retry-delivery delivers it', async () => {
    const dms = createMemoryDms();
    dms.refuseAll = { retryable: true, reason: 'dms-unreachable' };
    // Retries are far away, so only retry-delivery can bring it in during the test.
    const s = await server(dms, { outbox: { baseDelayMs: 10 * 60_000 } });
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const entry = teamIndex(s, kantoor);
    const id = await letter(s, vera);

    const submitted = await act(s.url, vera.accessToken, id, 'submit');
    expect(submitted.status).toBe(202);
    await eventually(async () => (await statusOf(s, id)) === WorkflowStatus.deliveryFailed, 'levering-mislukt');
    const [failed] = await submissionsOf(s.url, kantoor.accessToken, id);
    expect(failed).toMatchObject({ status: 'mislukt', lastError: 'dms-unreachable', dmsReference: null, attempts: 1 });
    expect(failed?.nextAttemptAt).toBeGreaterThanOrEqual((submitted.body.at as number) + 5 * 60_000);
    await waitFor(() => entry(id)?.status === WorkflowStatus.deliveryFailed, 10_000, 'levering-mislukt in the team index');

    // Only the back office may push it; the field worker is told so.
    expect(await act(s.url, vera.accessToken, id, 'retry-delivery')).toMatchObject({ status: 409, body: { error: 'role-required' } });
    dms.refuseAll = null;
    const retried = await act(s.url, kantoor.accessToken, id, 'retry-delivery');
    expect(retried).toMatchObject({ status: 202, body: { status: WorkflowStatus.submitted, action: 'retry-delivery' } });
    await eventually(async () => (await statusOf(s, id)) === WorkflowStatus.archived, 'archived after retry');
    expect(await submissionsOf(s.url, kantoor.accessToken, id)).toMatchObject([{ status: 'in-dms', lastError: null, attempts: 2 }]);
    expect(dms.filed.size).toBe(1);
    await waitFor(() => entry(id)?.status === WorkflowStatus.archived, 10_000, 'in-dms in the team index');
  });

  it('[O3] the worker keeps retrying a failing DMS with backoff until it takes the delivery', async () => {
    const dms = createMemoryDms();
    for (let i = 0; i < 3; i++) dms.faults.push({ kind: 'refuse', retryable: true, reason: 'dms-busy' });
    const s = await server(dms, { outbox: { baseDelayMs: 20, maxDelayMs: 80 } });
    const vera = await login(s.url, 'veldwerker');
    const id = await letter(s, vera);
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    await eventually(async () => (await statusOf(s, id)) === WorkflowStatus.archived, 'archived after retries');
    expect(await submissionsOf(s.url, vera.accessToken, id)).toMatchObject([{ status: 'in-dms', attempts: 4 }]);
    expect(dms.calls.filter((c) => c.op === 'deliver')).toHaveLength(4);
  });

  it('[O3] a delivery that failed before a restart is delivered after it', async () => {
    const down = createMemoryDms();
    down.refuseAll = { retryable: true, reason: 'dms-unreachable' };
    // Retrying every 10 ms must not reach O4's bound before the restart on a slow machine: that
    // would mark it failed for good (O4), which the worker rightly leaves alone after the restart.
    const first = await server(down, { persistent: true, outbox: { baseDelayMs: 10, maxDelayMs: 10, maxAttempts: 1_000_000 } });
    const vera = await login(first.url, 'veldwerker');
    const id = await letter(first, vera);
    expect((await act(first.url, vera.accessToken, id, 'submit')).status).toBe(202);
    await eventually(async () => (await statusOf(first, id)) === WorkflowStatus.deliveryFailed, 'failed before restart');
    for (const c of clients.splice(0)) c.destroy();
    await first.close();

    const up = createMemoryDms();
    const second = await server(up, { dataDir: first.dataDir });
    servers.splice(servers.indexOf(second), 1);
    servers.unshift(second);
    await eventually(async () => (await statusOf(second, id)) === WorkflowStatus.archived, 'archived after restart');
    expect(up.filed.size).toBe(1);
  });

  it('[O4] a delivery that keeps failing is marked failed after OUTBOX_MAX_ATTEMPTS; the back office sees it; retry-delivery starts it over', async () => {
    const dms = createMemoryDms();
    dms.refuseAll = { retryable: true, reason: 'dms-unreachable: ECONNREFUSED' };
    const s = await server(dms, { outbox: { baseDelayMs: 20, maxDelayMs: 40, maxAttempts: 3 } });
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const id = await letter(s, vera);
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);

    await eventually(async () => (await submissionsOf(s.url, kantoor.accessToken, id))[0]?.attempts === 3, 'three attempts');
    // Given up: a pass over the outbox finds nothing due, so there is no fourth attempt, ever.
    expect(await s.outbox.runOnce()).toBe(0);
    expect(dms.calls.filter((c) => c.op === 'deliver')).toHaveLength(3);
    expect(await statusOf(s, id)).toBe(WorkflowStatus.deliveryFailed);
    expect(await submissionsOf(s.url, kantoor.accessToken, id)).toMatchObject([
      { status: 'mislukt', attempts: 3, lastError: 'dms-unreachable: ECONNREFUSED', nextAttemptAt: null, dmsReference: null },
    ]);
    const outbox = await fetch(`${s.url}/api/outbox?status=mislukt`, { headers: { Authorization: `Bearer ${kantoor.accessToken}` } });
    expect(await outbox.json()).toMatchObject([{ docId: id, status: 'mislukt', attempts: 3, nextAttemptAt: null, lastError: 'dms-unreachable: ECONNREFUSED' }]);

    dms.refuseAll = null;
    expect(await act(s.url, kantoor.accessToken, id, 'retry-delivery')).toMatchObject({ status: 202, body: { status: WorkflowStatus.submitted } });
    await eventually(async () => (await statusOf(s, id)) === WorkflowStatus.archived, 'archived after retry-delivery');
    expect(await submissionsOf(s.url, kantoor.accessToken, id)).toMatchObject([{ status: 'in-dms', attempts: 1, lastError: null }]);
    expect(dms.filed.size).toBe(1);
  });

  it('[O4] a refusal that retrying cannot fix is failed at once', async () => {
    const dms = createMemoryDms();
    dms.faults.push({ kind: 'refuse', retryable: false, reason: 'dms-refused: 400 Het DMS weigert het document: titel: te lang' });
    const s = await server(dms, { outbox: { baseDelayMs: 20, maxDelayMs: 40 } });
    const vera = await login(s.url, 'veldwerker');
    const id = await letter(s, vera);
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    await eventually(async () => (await statusOf(s, id)) === WorkflowStatus.deliveryFailed, 'levering-mislukt');
    // Failed at once: a pass over the outbox finds nothing due.
    expect(await s.outbox.runOnce()).toBe(0);
    expect(dms.calls).toHaveLength(1);
    expect(await submissionsOf(s.url, vera.accessToken, id)).toMatchObject([{ status: 'mislukt', attempts: 1, nextAttemptAt: null }]);
  });

  it('[O4] an invalid OUTBOX_MAX_ATTEMPTS stops the server at start with a message naming it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kt-outbox-env-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        env: { ...process.env, PORT: '0', DATA_DIR: dataDir, OUTBOX_MAX_ATTEMPTS: 'veel', LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      expect(code).toBe(2);
      expect(out).toContain('OUTBOX_MAX_ATTEMPTS must be a whole number of attempts between 1 and 10000, got "veel"');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
