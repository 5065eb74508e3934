// Logs an operator can use (OP22, issue 19 item 5): the server's JSON lines of a full journey (sign
// in, a new letter typed over a real y-websocket client, submit, delivery to the DMS, reading it
// back) carry the request id, user id, device id and document id, and never the citizen's name,
// address, BSN, the letter's text, the password or a token.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { act, eventually, fetchPdf, getDocument, submissionsOf } from '../support/api';
import { writeLetter } from '../support/letter';
import { DEMO_PASSWORD, login, openDocument, startTestServer, type TestServer } from '../support/server';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The server's log stream as an operator's collector would receive it: one JSON object a line. */
function captureLog(): { stream: Writable; text: () => string; lines: () => Record<string, unknown>[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return {
    stream,
    text: () => text,
    lines: () =>
      text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const citizen = {
  name: 'Henriëtte Zwanenburg-Oosterhout',
  bsn: '123456782',
  street: 'Kievitslaan 77',
  body: 'Vertrouwelijk: mevrouw ontvangt mantelzorg van haar dochter op dinsdag.',
};

describe('operator log', () => {
  it('[OP22] a full journey logs request, user, device and document ids and no citizen data, letter text or secret', async () => {
    const log = captureLog();
    const dataDir = mkdtempSync(join(tmpdir(), 'kt-log-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const s: TestServer = await startTestServer({ dataDir, logLevel: 'info', logStream: log.stream });
    cleanups.push(() => s.close());

    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await openDocument(s.url, vera.accessToken);
    cleanups.push(() => client.destroy());
    await writeLetter(client, id, vera, {
      betrokkeneNaam: citizen.name,
      betrokkeneAdres: `${citizen.street}\n1234 AB Voorbeeld`,
      onderwerp: `Besluit voor ${citizen.name}`,
      kern: `${citizen.body} BSN ${citizen.bsn}.`,
    });
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    await eventually(async () => (await s.store.getDocument(id))?.status === WorkflowStatus.archived, 'in the DMS');
    expect((await getDocument(s.url, vera.accessToken, id)).status).toBe(200);
    const [submission] = await submissionsOf(s.url, vera.accessToken, id);
    expect((await fetchPdf(s.url, submission?.pdf ?? '', { bearer: vera.accessToken })).status).toBe(200);
    client.destroy();
    await s.close();

    const text = log.text();
    const lines = log.lines();
    // Never: the citizen's data, the letter's text, the password, a token.
    for (const secret of [citizen.name, 'Zwanenburg', citizen.bsn, citizen.street, 'mantelzorg', 'Vertrouwelijk', DEMO_PASSWORD, vera.accessToken, vera.refreshToken]) {
      expect(text, `the log holds "${secret.slice(0, 20)}"`).not.toContain(secret);
    }
    // Always: every request line has its request id; the authenticated ones say who and on which
    // device; the document's requests and its sync socket name the document.
    const requests = lines.filter((l) => l.msg === 'request completed');
    expect(requests.length).toBeGreaterThan(3);
    expect(requests.every((l) => typeof l.reqId === 'string' && l.reqId !== '')).toBe(true);
    const authenticated = requests.filter((l) => l.userId !== undefined);
    expect(authenticated.length).toBeGreaterThan(0);
    expect(authenticated.every((l) => l.userId === vera.user.id && typeof l.deviceId === 'string')).toBe(true);
    const signIn = requests.find((l) => l.reqId === lines.find((x) => (x.req as { url?: string } | undefined)?.url === '/api/auth/login')?.reqId);
    expect(signIn).toMatchObject({ userId: vera.user.id });
    const deviceIds = new Set(authenticated.map((l) => l.deviceId));
    expect(deviceIds.size).toBe(1);
    const aboutDoc = requests.filter((l) => l.docId === id);
    expect(aboutDoc.length).toBeGreaterThanOrEqual(3); // the submit and the reads
    expect(aboutDoc.every((l) => l.userId === vera.user.id)).toBe(true);
    // The sync socket's lines: who, which device, which document.
    const socket = lines.find((l) => l.msg === 'sync socket opened' && l.docId === id);
    expect(socket).toMatchObject({ userId: vera.user.id, reqId: expect.any(String) as unknown });
    expect(deviceIds.has(socket?.deviceId)).toBe(true);
    // The delivery, logged by the outbox with the document's id.
    expect(lines.some((l) => l.msg === 'delivered to the DMS' && l.docId === id)).toBe(true);
  });
});
