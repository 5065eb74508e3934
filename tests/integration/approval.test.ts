// Four eyes against the real server (W4): a decision that needs approval is frozen at submit but
// waits in ter-goedkeuring without a delivery; another official approves it (then exactly that
// submission goes to the DMS) or returns it with a remark at a section (back to concept). The
// submitter cannot approve their own decision, and every review is kept as history.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { metadataJson } from '../../server/dms/filesystem';
import { createMemoryDms, type MemoryDms } from '../../server/dms/memory';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { act, eventually, getDocument, newKey, submissionsOf } from '../support/api';
import { writeDecision, writeSection } from '../support/decision';
import { AckingClient, login, openDocument, startTestServer, type Session, type TestServer } from '../support/server';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
const dmsList: MemoryDms[] = [];
afterEach(async () => {
  for (const d of dmsList.splice(0)) d.release();
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
});

async function server(): Promise<TestServer & { dms: MemoryDms }> {
  const dms = createMemoryDms();
  dmsList.push(dms);
  const s = await startTestServer({ dms });
  servers.push(s);
  return { ...s, dms };
}

async function open(s: TestServer, session: Session, id = randomUUID()): Promise<{ id: string; client: AckingClient }> {
  const opened = await openDocument(s.url, session.accessToken, id);
  clients.push(opened.client);
  return opened;
}

/** A second approver in the demo team, so the submitter and the approver can differ. */
async function secondApprover(s: TestServer): Promise<Session> {
  await s.store.createUser({
    id: randomUUID(),
    username: 'tweede',
    name: 'Tamara Tweede',
    teamId: 'centrum',
    roles: ['office', 'approver'],
    passwordHash: await hashPassword('tweede-wachtwoord'),
    disabled: false,
  });
  return login(s.url, 'tweede', 'tweede-wachtwoord');
}

describe('four eyes (W4)', () => {
  it('[W4] a maatwerk decision goes to ter-goedkeuring and is delivered only after approval', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const { id, client } = await open(s, vera);
    await writeDecision(client, id, vera, { maatwerk: true });

    const submitted = await act(s.url, vera.accessToken, id, 'submit');
    expect(submitted).toMatchObject({ status: 202, body: { status: WorkflowStatus.awaitingApproval, submission: { version: 1 } } });
    const sha256 = (submitted.body.submission as { sha256: string }).sha256;
    expect((await s.store.getDocument(id))?.status).toBe(WorkflowStatus.awaitingApproval);
    // Frozen now, but not queued: nothing reaches the DMS while it waits.
    expect(await submissionsOf(s.url, vera.accessToken, id)).toMatchObject([{ version: 1, sha256, status: 'wacht-op-goedkeuring', approvedBy: null }]);
    // A pass over the outbox finds nothing due: it is not queued.
    expect(await s.outbox.runOnce()).toBe(0);
    expect(s.dms.calls).toEqual([]);

    // A field worker has no mandate to approve.
    expect(await act(s.url, vera.accessToken, id, 'approve')).toMatchObject({ status: 409, body: { error: 'role-required' } });

    // Edits after submit are refused (V1) and do not change what is approved and delivered (W2).
    writeSection(client.doc, 'besluit', 'Na indienen gewijzigd.');
    await eventually(() => Promise.resolve(client.closes.length > 0), 'edit refused');
    expect(client.closes[0]?.code).toBe(4409);

    const k = newKey();
    const approved = await act(s.url, kantoor.accessToken, id, 'approve', k);
    expect(approved).toMatchObject({ status: 202, body: { id, status: WorkflowStatus.submitted, action: 'approve', version: 1 } });
    expect((await act(s.url, kantoor.accessToken, id, 'approve', k)).text).toBe(approved.text);

    await eventually(async () => (await s.store.getDocument(id))?.status === WorkflowStatus.archived, 'archived after approval');
    const [listed] = await submissionsOf(s.url, vera.accessToken, id);
    expect(listed).toMatchObject({ version: 1, sha256, status: 'in-dms', approvedBy: kantoor.user.id, approvedByName: 'Karim Kantoor' });
    const filed = s.dms.filed.get(listed?.identificatie ?? '');
    expect(filed?.delivery.approvedBy).toMatchObject({ id: kantoor.user.id, representation: 'Karim Kantoor' });
    expect(filed && metadataJson(filed.delivery)).toMatchObject({ goedgekeurdDoor: 'Karim Kantoor', goedgekeurdOp: expect.stringMatching(/^\d{4}-/) as string });
    expect((await s.store.getSubmission(id, 1))?.contentSha256).toBe(sha256);
    expect(s.dms.calls.map((c) => c.op)).toEqual(['deliver']);

    const doc = await getDocument(s.url, vera.accessToken, id);
    expect(doc.body.history).toEqual([
      { action: 'submit', by: vera.user.id, byName: 'Vera Veldwerker', at: expect.any(Number) as number, version: 1 },
      { action: 'approve', by: kantoor.user.id, byName: 'Karim Kantoor', at: approved.body.at, version: 1 },
    ]);
    expect(doc.body.remarks).toEqual([]);
  });

  it('[W4] a decision without maatwerk goes straight to ingediend', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await open(s, vera);
    await writeDecision(client, id, vera, { maatwerk: false });
    expect(await act(s.url, vera.accessToken, id, 'submit')).toMatchObject({ status: 202, body: { status: WorkflowStatus.submitted } });
    await eventually(async () => (await s.store.getDocument(id))?.status === WorkflowStatus.archived, 'archived');
  });

  it('[W4] the submitter cannot approve their own decision', async () => {
    const s = await server();
    const kantoor = await login(s.url, 'kantoor');
    const tweede = await secondApprover(s);
    const { id, client } = await open(s, kantoor);
    await writeDecision(client, id, kantoor, { maatwerk: true });
    expect((await act(s.url, kantoor.accessToken, id, 'submit')).body.status).toBe(WorkflowStatus.awaitingApproval);

    const k = newKey();
    const own = await act(s.url, kantoor.accessToken, id, 'approve', k);
    expect(own).toMatchObject({ status: 409, body: { error: 'same-person', status: WorkflowStatus.awaitingApproval } });
    // Stored like every refusal: the key replays the refusal, also after someone else approved.
    expect((await s.store.getDocument(id))?.status).toBe(WorkflowStatus.awaitingApproval);
    expect(await s.store.listReviews(id)).toEqual([]);

    const approved = await act(s.url, tweede.accessToken, id, 'approve');
    expect(approved).toMatchObject({ status: 202, body: { status: WorkflowStatus.submitted } });
    expect((await act(s.url, kantoor.accessToken, id, 'approve', k)).text).toBe(own.text);
    await eventually(async () => (await s.store.getDocument(id))?.status === WorkflowStatus.archived, 'archived');
    expect((await s.store.listReviews(id)).map((r) => [r.kind, r.byName])).toEqual([['approved', 'Tamara Tweede']]);
  });

  it('[W4] return needs a remark and brings the document back to concept with the remark at its section', async () => {
    const s = await server();
    s.dms.hold();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const { id, client } = await open(s, vera);
    await writeDecision(client, id, vera, { maatwerk: true });
    expect((await act(s.url, vera.accessToken, id, 'submit')).body.status).toBe(WorkflowStatus.awaitingApproval);

    // Without a remark (missing, empty, blank, too long): 400, nothing stored, nothing changed.
    for (const payload of [{}, { remark: '' }, { remark: '   ' }, { remark: 'x'.repeat(2001) }] as Record<string, string>[]) {
      const refused = await act(s.url, kantoor.accessToken, id, 'return', newKey(), payload);
      expect(refused).toMatchObject({ status: 400, body: { error: 'bad-request' } });
    }
    expect((await s.store.getDocument(id))?.status).toBe(WorkflowStatus.awaitingApproval);

    const remark = 'Noem ook het artikel van de beleidsregel die normaal geldt.';
    const returned = await act(s.url, kantoor.accessToken, id, 'return', newKey(), { remark, section: 'normaleRegel' });
    expect(returned).toMatchObject({ status: 202, body: { status: WorkflowStatus.concept, action: 'return', version: 1 } });
    const after = await getDocument(s.url, vera.accessToken, id);
    expect(after.body).toMatchObject({
      status: WorkflowStatus.concept,
      remarks: [{ by: kantoor.user.id, byName: 'Karim Kantoor', at: returned.body.at, section: 'normaleRegel', text: remark, resolved: false }],
      submissions: [{ version: 1, status: 'teruggestuurd' }],
    });

    // Fixed and submitted again: version 2 waits for approval, the remark is resolved.
    writeSection(client.doc, 'normaleRegel', 'Normaal geldt de kostendelersnorm (artikel 22a van de Participatiewet, beleidsregel 4).');
    await client.waitSaved();
    expect(await act(s.url, vera.accessToken, id, 'submit')).toMatchObject({ status: 202, body: { status: WorkflowStatus.awaitingApproval, submission: { version: 2 } } });
    const again = await getDocument(s.url, vera.accessToken, id);
    expect(again.body.remarks).toMatchObject([{ text: remark, resolved: true }]);
    expect(s.dms.calls).toEqual([]);

    expect((await act(s.url, kantoor.accessToken, id, 'approve')).status).toBe(202);
    const history = (await getDocument(s.url, vera.accessToken, id)).body.history as { action: string; version: number; byName: string }[];
    expect(history.map((h) => [h.action, h.version, h.byName])).toEqual([
      ['submit', 1, 'Vera Veldwerker'],
      ['return', 1, 'Karim Kantoor'],
      ['submit', 2, 'Vera Veldwerker'],
      ['approve', 2, 'Karim Kantoor'],
    ]);
    // Only the approved version 2 is queued; version 1 never goes to the DMS.
    expect((await submissionsOf(s.url, vera.accessToken, id)).map((x) => [x.version, x.status])).toEqual([
      [1, 'teruggestuurd'],
      [2, 'wacht-op-dms'],
    ]);
  });
});
