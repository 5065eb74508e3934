// Submit against the real server (W2, W3): the content a device wrote is validated as committed,
// refusals name every broken rule and leave the document editable, an accepted submit freezes
// an immutable snapshot with its SHA-256 and PDF/A, and later edits lead to a new version.
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { hashPassword } from '../../server/auth/passwords';
import { createMemoryDms, type MemoryDms } from '../../server/dms/memory';
import { readSection, sectionText } from '../../shared/model/document';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { bodyText } from '../support/body-text';
import { act, eventually, fetchPdf, getDocument, newKey, submissionsOf } from '../support/api';
import { sampleLetter, writeLetter } from '../support/letter';
import { pdfaId, pdfFonts, pdfText, pdfXmp } from '../support/poppler';
import { AckingClient, login, openDocument, startTestServer, waitFor, type Session, type TestServer } from '../support/server';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
const dmsList: MemoryDms[] = [];
afterEach(async () => {
  for (const d of dmsList.splice(0)) d.release();
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
});

/** A server whose in-memory DMS holds deliveries until `dms.release()`, unless `deliver`. */
async function server(opts: { deliver?: boolean; persistent?: boolean; idleMs?: number } = {}): Promise<TestServer & { dms: MemoryDms }> {
  const dms = createMemoryDms();
  if (!opts.deliver) dms.hold();
  dmsList.push(dms);
  const s = await startTestServer({ dms, persistent: opts.persistent, idleMs: opts.idleMs });
  servers.push(s);
  return { ...s, dms };
}

async function open(s: TestServer, session: Session, id = randomUUID()): Promise<{ id: string; client: AckingClient }> {
  const opened = await openDocument(s.url, session.accessToken, id);
  clients.push(opened.client);
  return opened;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function kernOf(content: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, content);
  return readSection(doc, 'kern');
}

describe('submit', () => {
  it('[W3] a letter without a kern is refused with a reason per section and stays editable', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await open(s, vera);
    await writeLetter(client, id, vera, { kern: '   ', onderwerp: '', zaaknummer: 'ZAAK 2026/42' });

    const k = newKey();
    const refused = await act(s.url, vera.accessToken, id, 'submit', k);
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({
      problems: [
        { section: 'zaaknummer', rule: 'zaaknummer-format', message: expect.stringContaining('zaaknummer') as string },
        { section: 'onderwerp', rule: 'required-field', message: 'Vul het veld ‘Onderwerp’ in.' },
        { section: 'kern', rule: 'required-section', message: expect.stringContaining('Kern van de brief') as string },
      ],
    });
    // Stored with its key like every answer: a replay gets the same refusal, byte for byte.
    expect((await act(s.url, vera.accessToken, id, 'submit', k)).text).toBe(refused.text);

    const doc = await getDocument(s.url, vera.accessToken, id);
    expect(doc.body).toMatchObject({ status: WorkflowStatus.concept, submissions: [] });
    expect(await s.store.latestSubmissionVersion(id)).toBe(0);
    expect(s.dms.calls).toEqual([]);

    // Still editable: the device fixes it and a new submit is accepted.
    const kern = sectionText(client.doc, 'kern');
    kern?.delete(0, kern.length);
    kern?.insert(0, 'Wij helpen u met een voorschot.');
    client.doc.getMap('fields').set('onderwerp', 'Voorschot');
    client.doc.getMap('fields').set('zaaknummer', 'ZAAK-2026-0042');
    await client.waitSaved();
    const accepted = await act(s.url, vera.accessToken, id, 'submit');
    expect(accepted).toMatchObject({ status: 202, body: { status: WorkflowStatus.submitted, submission: { version: 1 } } });
  });

  it('[W3] a document without a template the server knows is refused', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await open(s, vera);
    bodyText(client.doc).insert(0, 'los van een sjabloon');
    await client.waitSaved();
    const refused = await act(s.url, vera.accessToken, id, 'submit');
    expect(refused).toMatchObject({ status: 422, body: { problems: [{ section: 'meta', rule: 'unknown-template' }] } });
    expect((await getDocument(s.url, vera.accessToken, id)).body.status).toBe(WorkflowStatus.concept);
  });

  it('[W3] what is validated is what the server committed, also when the room is not in memory', async () => {
    const s = await server({ idleMs: 50 });
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await open(s, vera);
    await writeLetter(client, id, vera);
    client.destroy();
    // Let the room leave memory: the submit must load it from the store.
    await waitFor(() => s.rooms.peek(`doc:${id}`) === undefined, 5_000, 'room unloaded');
    const accepted = await act(s.url, vera.accessToken, id, 'submit');
    expect(accepted.status).toBe(202);
    const stored = await s.store.getSubmission(id, 1);
    expect(stored && kernOf(stored.content)).toBe(sampleLetter.kern);
  });

  it('[W2] a submission is an immutable snapshot: later edits make version 2', async () => {
    const s = await server({ persistent: true });
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const { id, client } = await open(s, vera);
    await writeLetter(client, id, vera);

    const first = await act(s.url, vera.accessToken, id, 'submit');
    expect(first.status).toBe(202);
    const v1 = (first.body.submission as { version: number; identificatie: string; sha256: string });
    expect(v1.version).toBe(1);
    // J9: the installation's year sequence; this server's first submission.
    expect(v1.identificatie).toMatch(/^KT-\d{4}-0000001$/);
    const frozen = await s.store.getSubmission(id, 1);
    if (frozen === null) throw new Error('no submission stored');
    expect(sha256(frozen.content)).toBe(v1.sha256);
    expect(frozen.contentSha256).toBe(v1.sha256);
    expect(sha256(frozen.pdf)).toBe(frozen.pdfSha256);

    // An edit after submit is refused (V1): it stays on the device, not in the submission.
    sectionText(client.doc, 'kern')?.insert(0, 'Aanvulling na indienen. ');
    await eventually(() => Promise.resolve(client.closes.length > 0), 'edit refused');
    expect(client.closes[0]?.code).toBe(4409);
    const after = await s.store.getSubmission(id, 1);
    expect(after && sha256(after.content)).toBe(v1.sha256);
    expect(after && kernOf(after.content)).toBe(sampleLetter.kern);
    expect(after?.pdfSha256).toBe(frozen.pdfSha256);

    // Returned by the back office, then submitted again: version 2 with the edit.
    expect((await act(s.url, kantoor.accessToken, id, 'return', newKey(), { remark: 'Graag aanvullen.' })).status).toBe(202);
    // A concept again: the device's kept edit goes in when it reconnects (V3).
    client.provider.connect();
    await client.waitSaved();
    const second = await act(s.url, vera.accessToken, id, 'submit');
    expect(second).toMatchObject({ status: 202, body: { submission: { version: 2 } } });
    const v2 = await s.store.getSubmission(id, 2);
    expect(v2 && kernOf(v2.content)).toBe(`Aanvulling na indienen. ${sampleLetter.kern}`);
    expect(v2?.identificatie).toBe(v1.identificatie.replace(/0000001$/, '0000002'));
    expect(v2?.contentSha256).not.toBe(v1.sha256);

    const listed = await submissionsOf(s.url, vera.accessToken, id);
    expect(listed.map((x) => [x.version, x.sha256, x.status])).toEqual([
      [1, v1.sha256, 'wacht-op-dms'],
      [2, v2?.contentSha256, 'wacht-op-dms'],
    ]);
    // The first version's PDF still prints the first text; the second prints the edit.
    expect(pdfText(frozen.pdf)).not.toContain('Aanvulling');
    expect(pdfText(v2?.pdf ?? new Uint8Array())).toContain('Aanvulling na indienen.');

    // And it survives a restart unchanged (SQLite).
    const dataDir = s.dataDir;
    s.dms.release();
    await s.close();
    const again = await startTestServer({ dataDir, dms: createMemoryDms() });
    // Closed before the first server's dispose removes the folder.
    servers.unshift(again);
    expect((await again.store.getSubmission(id, 1))?.contentSha256).toBe(v1.sha256);
  });

  it('[W2] the archived PDF is PDF/A-2b with the letter, served to the team only', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await open(s, vera);
    await writeLetter(client, id, vera);
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    const [listed] = await submissionsOf(s.url, vera.accessToken, id);
    if (listed === undefined) throw new Error('no submission listed');
    expect(listed.pdf).toBe(`/api/documents/${id}/submissions/1/pdf`);

    const pdf = await fetchPdf(s.url, listed.pdf, { bearer: vera.accessToken });
    expect(pdf.status).toBe(200);
    expect(pdf.contentType).toBe('application/pdf');
    expect(sha256(pdf.bytes)).toBe(listed.pdfSha256);
    const text = pdfText(pdf.bytes);
    for (const part of ['Gemeente Voorbeeld', 'Mevrouw A. de Boer', 'Molenweg 12', listed.identificatie, 'ZAAK-2026-0042', sampleLetter.onderwerp, 'U zorgt voor uw moeder.', 'Vera Veldwerker', 'pagina 1 van 1']) {
      expect(text).toContain(part);
    }
    expect(pdfFonts(pdf.bytes).every((f) => f.embedded)).toBe(true);
    expect(pdfaId(pdfXmp(pdf.bytes))).toEqual({ part: '2', conformance: 'B' });

    // A plain link for the back office: ?token= works too.
    const byQuery = await fetchPdf(s.url, listed.pdf, { query: vera.accessToken });
    expect(byQuery.status).toBe(200);
    expect(sha256(byQuery.bytes)).toBe(listed.pdfSha256);
    expect((await fetchPdf(s.url, listed.pdf)).status).toBe(401);
    expect((await fetchPdf(s.url, listed.pdf, { query: 'not-a-token' })).status).toBe(401);
    expect((await fetchPdf(s.url, `/api/documents/${id}/submissions/2/pdf`, { bearer: vera.accessToken })).status).toBe(404);
    expect((await fetchPdf(s.url, `/api/documents/${id}/submissions/0/pdf`, { bearer: vera.accessToken })).status).toBe(404);

    // Another team: the same 404 as for a document that does not exist.
    await s.store.createTeam({ id: 'noord', name: 'Wijkteam Noord' });
    await s.store.createUser({
      id: randomUUID(),
      username: 'noorderling',
      name: 'Nora Noord',
      teamId: 'noord',
      roles: ['field', 'office'],
      passwordHash: await hashPassword('noord-wachtwoord'),
      disabled: false,
    });
    const nora = await login(s.url, 'noorderling', 'noord-wachtwoord');
    expect((await fetchPdf(s.url, listed.pdf, { bearer: nora.accessToken })).status).toBe(404);
    expect((await fetchPdf(s.url, listed.pdf, { query: nora.accessToken })).status).toBe(404);
  });

  it('[T3] GET /api/templates lists the built-in letter template (among the other built-ins) for a signed-in user', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const response = await fetch(`${s.url}/api/templates`, { headers: { authorization: `Bearer ${vera.accessToken}` } });
    expect(response.status).toBe(200);
    const templates = (await response.json()) as Record<string, unknown>[];
    expect(templates.length).toBeGreaterThanOrEqual(8);
    // The newest version: 2, whose kern is rich text (version 1 stays available by id and version).
    expect(templates.filter((t) => t.id === 'brief')).toEqual([
      {
        id: 'brief',
        version: 2,
        kind: 'brief',
        title: 'Brief',
        description: expect.any(String) as string,
        titleField: 'onderwerp',
        zaakField: 'zaaknummer',
        fields: [
          { key: 'zaaknummer', type: 'zaaknummer', label: 'Zaaknummer', required: true, hint: 'Bijvoorbeeld ZAAK-2026-0042', print: 'always' },
          { key: 'betrokkeneNaam', type: 'text', label: 'Naam betrokkene', required: true, print: 'always' },
          { key: 'betrokkeneAdres', type: 'multiline', label: 'Adres betrokkene', required: true, hint: expect.any(String) as string, print: 'always' },
          { key: 'onderwerp', type: 'text', label: 'Onderwerp', required: true, print: 'always' },
          // P5/P6: the citizen's own reference, printed as "Uw kenmerk" when typed.
          { key: 'uwKenmerk', type: 'text', label: 'Uw kenmerk', required: false, role: 'uwKenmerk', hint: expect.any(String) as string, print: 'always' },
        ],
        sections: [
          { key: 'aanhef', kind: 'plain', label: 'Aanhef', required: true, initial: 'Geachte heer, mevrouw,' },
          { key: 'kern', kind: 'rich', label: 'Kern van de brief', required: true, hint: expect.any(String) as string },
          { key: 'afsluiting', kind: 'plain', label: 'Afsluiting', required: true, initial: 'Met vriendelijke groet,' },
        ],
        rules: [],
        approval: 'never',
        dms: {
          documentType: 'Brief',
          confidentiality: 'zaakvertrouwelijk',
          // M2: the archive block travels with the template like the rest of `dms`.
          archive: { archiefnominatie: 'vernietigen', bewaartermijn: 'P10Y', selectielijstklasse: { omschrijving: expect.any(String) as string } },
        },
      },
    ]);
    expect((await fetch(`${s.url}/api/templates`)).status).toBe(401);
  });

  it('[W2] the DMS gets the metadata frozen with the submission and the PDF with its SHA-256', async () => {
    const s = await server({ deliver: true });
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await open(s, vera);
    await writeLetter(client, id, vera);
    const answer = await act(s.url, vera.accessToken, id, 'submit');
    expect(answer.status).toBe(202);
    await eventually(async () => (await s.store.getDocument(id))?.status === WorkflowStatus.archived, 'archived');
    const filed = s.dms.filed.get((answer.body.submission as { identificatie: string }).identificatie);
    expect(filed?.delivery).toMatchObject({
      zaak: 'ZAAK-2026-0042',
      metadata: {
        title: sampleLetter.onderwerp,
        author: 'Vera Veldwerker',
        creatiedatum: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) as string,
        taal: 'nld',
        documenttype: 'Brief',
        vertrouwelijkheidaanduiding: 'zaakvertrouwelijk',
      },
    });
    expect(filed && sha256(filed.delivery.pdf)).toBe(filed?.delivery.pdfSha256);
  });
});
