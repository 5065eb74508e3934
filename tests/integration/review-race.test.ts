// Two approvers at once (V5) and the versions' text for the diff (V6), against the real server
// over real HTTP: a second approver account lives in this fixture (not the demo seed); both
// officials act on the same waiting version with their own idempotency keys, at the same time.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { createMemoryDms, type MemoryDms } from '../../server/dms/memory';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { diffVersions } from '../../shared/model/version-diff';
import { VersionTextAnswer } from '../../shared/protocol/version-text';
import { act, newKey, type Answer } from '../support/api';
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

async function server(): Promise<TestServer> {
  const dms = createMemoryDms();
  dmsList.push(dms);
  const s = await startTestServer({ dms });
  servers.push(s);
  return s;
}

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

/** A maatwerk decision by the field worker, submitted and waiting for approval. */
async function waitingDecision(s: TestServer): Promise<{ id: string; vera: Session; client: AckingClient }> {
  const vera = await login(s.url, 'veldwerker');
  const id = randomUUID();
  const { client } = await openDocument(s.url, vera.accessToken, id);
  clients.push(client);
  await writeDecision(client, id, vera, { maatwerk: true });
  expect((await act(s.url, vera.accessToken, id, 'submit')).body.status).toBe(WorkflowStatus.awaitingApproval);
  return { id, vera, client };
}

const review = (s: TestServer, who: Session, id: string, type: 'approve' | 'return', version: number): Promise<Answer> =>
  act(s.url, who.accessToken, id, type, newKey(), {
    fromStatus: WorkflowStatus.awaitingApproval,
    version,
    ...(type === 'return' ? { remark: 'Dit moet anders.' } : {}),
  } as unknown as Record<string, string>);

async function versionText(s: TestServer, token: string, id: string, version: number): Promise<Answer> {
  const response = await fetch(`${s.url}/api/documents/${id}/submissions/${version}/text`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

describe('two approvers at once (V5)', () => {
  for (const [first, second] of [
    ['approve', 'approve'],
    ['approve', 'return'],
    ['return', 'approve'],
  ] as const) {
    it(`[V5] ${first} and ${second} by two approvers at once: exactly one 202, the other is told who decided`, async () => {
      const s = await server();
      const { id } = await waitingDecision(s);
      const kantoor = await login(s.url, 'kantoor');
      const tweede = await secondApprover(s);
      const answers = await Promise.all([review(s, kantoor, id, first, 1), review(s, tweede, id, second, 1)]);
      expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
      const winner = answers.findIndex((a) => a.status === 202);
      const loser = answers[1 - winner]!;
      const winnerName = winner === 0 ? 'Karim Kantoor' : 'Tamara Tweede';
      const winnerKind = (winner === 0 ? first : second) === 'approve' ? 'approved' : 'returned';
      expect(loser.body).toMatchObject({ error: 'already-decided', decided: { kind: winnerKind, byName: winnerName, version: 1 } });
      // One review, and the status the winner chose.
      const reviews = await s.store.listReviews(id);
      expect(reviews).toHaveLength(1);
      expect(reviews[0]).toMatchObject({ kind: winnerKind, byName: winnerName });
    });
  }

  it('[V5] a review decided on an older version is refused after a resubmit', async () => {
    const s = await server();
    const { id, vera, client } = await waitingDecision(s);
    const kantoor = await login(s.url, 'kantoor');
    expect((await review(s, kantoor, id, 'return', 1)).status).toBe(202);
    writeSection(client.doc, 'besluit', 'U krijgt vanaf 1 april 2026 een uitkering.');
    await client.waitSaved();
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    const stale = await review(s, kantoor, id, 'approve', 1);
    expect(stale).toMatchObject({ status: 409, body: { error: 'already-decided' } });
    expect((await review(s, kantoor, id, 'approve', 2)).status).toBe(202);
  });
});

describe('versions as text (V6)', () => {
  it('[V6] each frozen version reads back as its fields and sections; the diff shows what changed', async () => {
    const s = await server();
    const { id, vera, client } = await waitingDecision(s);
    const kantoor = await login(s.url, 'kantoor');
    expect((await review(s, kantoor, id, 'return', 1)).status).toBe(202);
    writeSection(client.doc, 'besluit', 'U krijgt vanaf 1 april 2026 een uitkering.');
    await client.waitSaved();
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);

    const v1 = await versionText(s, kantoor.accessToken, id, 1);
    const v2 = await versionText(s, vera.accessToken, id, 2);
    expect(v1.status).toBe(200);
    const one = VersionTextAnswer.parse(v1.body);
    const two = VersionTextAnswer.parse(v2.body);
    expect(one.parts.find((p) => p.key === 'besluit')?.text).toBe('U krijgt vanaf 1 maart 2026 een uitkering.');
    const changed = diffVersions(one.parts, two.parts).filter((d) => d.change !== 'unchanged');
    expect(changed.map((d) => d.key)).toEqual(['besluit']);
    expect(changed[0]?.ops).toEqual([
      { op: 'same', text: 'U krijgt vanaf 1 ' },
      { op: 'removed', text: 'maart' },
      { op: 'added', text: 'april' },
      { op: 'same', text: ' 2026 een uitkering.' },
    ]);
    // Unknown versions and other teams get 404.
    expect((await versionText(s, kantoor.accessToken, id, 3)).status).toBe(404);
  });
});
