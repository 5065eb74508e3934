// J1–J4 against the real server with a clock the test moves: the dagtekening is the day the
// decision is taken (approval, or submit without approval) and the archived PDF is printed then,
// signed by the official who took it under the template's mandate line; the verzenddatum and the
// end of the objection term are recorded when the letter leaves (delivery, or mark-sent).
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { metadataJson } from '../../server/dms/filesystem';
import { createMemoryDms, type MemoryDms } from '../../server/dms/memory';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { bezwaartermijnEinde } from '../../shared/validate/rules';
import { act, eventually, fetchPdf, getDocument, newKey, submissionsOf } from '../support/api';
import { writeDecision } from '../support/decision';
import { writeHoreca } from '../support/horeca';
import { pdfText } from '../support/poppler';
import { AckingClient, login, openDocument, startTestServer, type Session, type TestServer } from '../support/server';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
const dmsList: MemoryDms[] = [];
afterEach(async () => {
  for (const d of dmsList.splice(0)) d.release();
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
});

/** 10:00 in Amsterdam (CET) on 2026-03-(1 + day): day 1 is Monday 2 March 2026. */
const dayAt = (day: number): number => Date.UTC(2026, 2, 1 + day, 9, 0, 0);

interface Clocked extends TestServer {
  dms: MemoryDms;
  /** Moves the server's clock to `day` (never back). */
  setDay(day: number): void;
}

async function server(): Promise<Clocked> {
  const dms = createMemoryDms();
  dmsList.push(dms);
  let now = dayAt(1);
  const s = await startTestServer({ dms, now: () => now, pdfRendering: 'in-process' });
  servers.push(s);
  return { ...s, dms, setDay: (day) => (now = dayAt(day)) };
}

async function open(s: TestServer, session: Session): Promise<{ id: string; client: AckingClient }> {
  const opened = await openDocument(s.url, session.accessToken, randomUUID());
  clients.push(opened.client);
  return opened;
}

async function submissionOf(s: TestServer, token: string, id: string): Promise<Record<string, unknown>> {
  const [only] = (await getDocument(s.url, token, id)).body.submissions as Record<string, unknown>[];
  if (only === undefined) throw new Error('no submission');
  return only;
}

async function pdfOf(s: TestServer, token: string, id: string, version = 1): Promise<string> {
  const answer = await fetchPdf(s.url, `/api/documents/${id}/submissions/${version}/pdf`, { bearer: token });
  expect(answer.status).toBe(200);
  return pdfText(answer.bytes);
}

describe('dates of a decision (J1, J2) and who signs it (J3, J4)', () => {
  it('[J1] submit on day 1, approve on day 3: the archived letter is dated day 3 and signed by the approver with his function', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await open(s, vera);
    await writeDecision(client, id, vera, { maatwerk: true });
    const submitted = await act(s.url, vera.accessToken, id, 'submit');
    expect(submitted.body).toMatchObject({ status: WorkflowStatus.awaitingApproval });
    const sha256 = (submitted.body.submission as { sha256: string }).sha256;
    expect(await submissionOf(s, vera.accessToken, id)).toMatchObject({ dagtekening: null, signer: null, verzenddatum: null });

    s.setDay(3);
    const kantoor = await login(s.url, 'kantoor');
    const vera3 = await login(s.url, 'veldwerker');
    // The approver decides on what will be archived: the PDF as it reads when he approves today.
    const preview = await pdfOf(s, kantoor.accessToken, id);
    expect(preview).toContain('4 maart 2026');
    expect(preview).not.toContain('2 maart 2026');
    expect(preview).toContain('Karim Kantoor Teamleider Wijkteam Centrum');
    // Anyone else sees the version as submitted (dated day 1, the author's name under it).
    const asSubmitted = await pdfOf(s, vera3.accessToken, id);
    expect(asSubmitted).toContain('2 maart 2026');

    expect((await act(s.url, kantoor.accessToken, id, 'approve')).status).toBe(202);
    await eventually(async () => (await s.store.getDocument(id))?.status === WorkflowStatus.archived, 'archived');

    const decided = await pdfOf(s, vera3.accessToken, id);
    expect(decided).toContain('Datum 4 maart 2026');
    expect(decided).toContain('Namens het college van burgemeester en wethouders van de gemeente Voorbeeld, Karim Kantoor Teamleider Wijkteam Centrum');
    // The author stays the letterhead's contact (P6); the signature block is the approver's alone.
    expect(decided).toContain('Contactpersoon Vera Veldwerker Consulent Wmo');
    expect(decided.slice(decided.lastIndexOf('Namens '))).not.toContain('Vera Veldwerker');
    expect(await submissionOf(s, vera3.accessToken, id)).toMatchObject({
      sha256,
      dagtekening: '2026-03-04',
      decidedBy: kantoor.user.id,
      signer: { name: 'Karim Kantoor', functionTitle: 'Teamleider Wijkteam Centrum' },
    });
    // W2: the submitted version stays as it was: same content hash, its own PDF of day 1.
    const frozen = await s.store.getSubmission(id, 1);
    expect(frozen?.contentSha256).toBe(sha256);
    expect(pdfText(frozen?.pdf ?? new Uint8Array())).toContain('2 maart 2026');
    // What the DMS got is the decided PDF, with the dagtekening in its metadata.
    const decision = await s.store.getDecision(id, 1);
    const filed = [...s.dms.filed.values()][0];
    expect(filed?.delivery.pdfSha256).toBe(decision?.pdfSha256);
    expect(filed && metadataJson(filed.delivery)).toMatchObject({ dagtekening: '2026-03-04', creatiedatum: '2026-03-04' });
  });

  it('[J1] without approval the submit is the decision: dated and signed by the submitter that day', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await open(s, vera);
    await writeDecision(client, id, vera, { maatwerk: false });
    expect((await act(s.url, vera.accessToken, id, 'submit')).body).toMatchObject({ status: WorkflowStatus.submitted });
    expect(await submissionOf(s, vera.accessToken, id)).toMatchObject({
      dagtekening: '2026-03-02',
      decidedBy: vera.user.id,
      signer: { name: 'Vera Veldwerker', functionTitle: 'Consulent Wmo' },
    });
    expect(await pdfOf(s, vera.accessToken, id)).toContain('Vera Veldwerker Consulent Wmo');
  });

  it('[J2] the verzenddatum is the day the DMS took the letter, with the end of the objection term from it', async () => {
    const s = await server();
    s.dms.refuseAll = { retryable: false, reason: 'dms-refused: test' };
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await open(s, vera);
    await writeDecision(client, id, vera, { maatwerk: false });
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    await eventually(async () => (await s.store.getDocument(id))?.status === WorkflowStatus.deliveryFailed, 'refused on day 1');
    expect(await submissionOf(s, vera.accessToken, id)).toMatchObject({ dagtekening: '2026-03-02', verzending: 'delivery', verzenddatum: null });

    s.setDay(2);
    s.dms.refuseAll = null;
    const kantoor = await login(s.url, 'kantoor');
    expect((await act(s.url, kantoor.accessToken, id, 'retry-delivery')).status).toBe(202);
    await eventually(async () => (await s.store.getDocument(id))?.status === WorkflowStatus.archived, 'archived on day 2');

    const end = bezwaartermijnEinde('2026-03-03');
    expect(end).toBe('2026-04-14');
    expect(await submissionOf(s, kantoor.accessToken, id)).toMatchObject({ dagtekening: '2026-03-02', verzenddatum: '2026-03-03', bezwaartermijnEinde: end });
    const filed = [...s.dms.filed.values()][0];
    expect(filed && metadataJson(filed.delivery)).toMatchObject({ dagtekening: '2026-03-02', verzenddatum: '2026-03-03', bezwaartermijnEinde: end });
    // Sent with the delivery: the office cannot mark it sent again.
    expect(await act(s.url, kantoor.accessToken, id, 'mark-sent')).toMatchObject({ status: 409, body: { error: 'sent-on-delivery' } });
  });

  it('[J2] [J3] a burgemeester decision prints its mandate line, waits for mark-sent, and the office records the verzenddatum once', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await open(s, vera);
    await writeHoreca(client, id, vera, dayAt(1));
    expect((await act(s.url, vera.accessToken, id, 'submit')).body).toMatchObject({ status: WorkflowStatus.awaitingApproval });

    s.setDay(2);
    const kantoor = await login(s.url, 'kantoor');
    // Nothing decided yet: nothing to mark as sent.
    expect(await act(s.url, kantoor.accessToken, id, 'mark-sent')).toMatchObject({ status: 409, body: { error: 'not-allowed-in-status' } });
    expect((await act(s.url, kantoor.accessToken, id, 'approve')).status).toBe(202);
    await eventually(async () => (await s.store.getDocument(id))?.status === WorkflowStatus.archived, 'archived');

    const text = await pdfOf(s, kantoor.accessToken, id);
    expect(text).toContain('Namens de burgemeester van de gemeente Voorbeeld, Karim Kantoor Teamleider Wijkteam Centrum');
    expect(text).toContain('Stuur uw bezwaar naar de burgemeester van de gemeente Voorbeeld');
    expect(text).not.toContain('burgemeester en wethouders');
    // Archived, but not sent: the municipality posts it itself.
    expect(await submissionOf(s, kantoor.accessToken, id)).toMatchObject({ dagtekening: '2026-03-03', verzending: 'manual', verzenddatum: null, bezwaartermijnEinde: null });
    const filed = [...s.dms.filed.values()][0];
    expect(filed && metadataJson(filed.delivery)).toMatchObject({ dagtekening: '2026-03-03' });
    expect(filed && metadataJson(filed.delivery)).not.toHaveProperty('verzenddatum');

    const outbox = async (token: string): Promise<unknown> => ((await (await fetch(`${s.url}/api/outbox`, { headers: { authorization: `Bearer ${token}` } })).json()) as unknown[])[0];
    expect(await outbox(kantoor.accessToken)).toMatchObject({ dagtekening: '2026-03-03', verzending: 'manual', verzenddatum: null });

    s.setDay(5);
    const vera5 = await login(s.url, 'veldwerker');
    const k5 = await login(s.url, 'kantoor');
    expect(await act(s.url, vera5.accessToken, id, 'mark-sent')).toMatchObject({ status: 409, body: { error: 'role-required' } });
    const key = newKey();
    const sent = await act(s.url, k5.accessToken, id, 'mark-sent', key);
    const end = bezwaartermijnEinde('2026-03-06');
    expect(sent).toMatchObject({ status: 202, body: { status: WorkflowStatus.archived, verzenddatum: '2026-03-06', bezwaartermijnEinde: end } });
    expect((await act(s.url, k5.accessToken, id, 'mark-sent', key)).text).toBe(sent.text);
    expect(await act(s.url, k5.accessToken, id, 'mark-sent')).toMatchObject({ status: 409, body: { error: 'already-sent', verzenddatum: '2026-03-06' } });
    expect(await submissionsOf(s.url, vera5.accessToken, id)).toMatchObject([{ verzenddatum: '2026-03-06', bezwaartermijnEinde: end, status: 'in-dms' }]);
    expect((await s.store.getDocument(id))?.status).toBe(WorkflowStatus.archived);
    expect(await outbox(k5.accessToken)).toMatchObject({ verzending: 'manual', verzenddatum: '2026-03-06', bezwaartermijnEinde: end });
  });
});
