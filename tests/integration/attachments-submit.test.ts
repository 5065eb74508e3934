// Attachments at submit and on the way to the DMS (F9, F14–F16): a submit reads the committed
// document's list; any attachment not stored whole on the server refuses it in Dutch with nothing
// frozen; otherwise the list is frozen with the version, the letter names it under "Bijlagen", and
// the outbox hands each attachment's bytes to the DMS with its own identificatie.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryDms, type MemoryDms } from '../../server/dms/memory';
import { addAttachment, setAttachmentCaption } from '../../shared/model/attachments';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { act, eventually, getDocument } from '../support/api';
import { declaration, declare, fileBytes, sendChunk, sha256, upload, type Declared } from '../support/attachments';
import { writeLetter } from '../support/letter';
import { pdfText } from '../support/poppler';
import { AckingClient, login, openDocument, startTestServer, type Session, type TestServer } from '../support/server';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
});

async function server(options: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer & { dms: MemoryDms }> {
  const dms = createMemoryDms();
  const s = await startTestServer({ dms, ...options });
  servers.push(s);
  return { ...s, dms };
}

async function letter(s: TestServer, vera: Session): Promise<{ id: string; client: AckingClient }> {
  const opened = await openDocument(s.url, vera.accessToken, randomUUID());
  clients.push(opened.client);
  await writeLetter(opened.client, opened.id, vera);
  return opened;
}

let clock = 1_800_000_000_000;
async function list(client: AckingClient, d: Declared, session: Session, caption = ''): Promise<void> {
  clock += 1000;
  addAttachment(client.doc, { id: d.attachmentId, name: d.name, mediaType: d.mediaType, size: d.size, sha256: d.sha256, caption, addedBy: session.user.id, addedAt: clock });
  await client.waitSaved();
}

describe('attachments at submit', () => {
  it('[F14] a listed attachment that is not stored whole refuses the submit in Dutch; nothing is frozen', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await letter(s, vera);
    const sent = fileBytes('image/jpeg', 30_000);
    const ds = declaration(sent, 'image/jpeg', 'voordeur.jpg');
    const half = fileBytes('application/pdf', 30_000);
    const dh = declaration(half, 'application/pdf', 'brief deurwaarder.pdf');
    const never = fileBytes('image/png', 2000);
    const dn = declaration(never, 'image/png', 'schets.png');
    for (const d of [ds, dh, dn]) await list(client, d, vera);
    expect((await upload(s.url, vera.accessToken, id, sent, ds)).body).toMatchObject({ complete: true });
    await declare(s.url, vera.accessToken, id, dh);
    await sendChunk(s.url, vera.accessToken, id, dh.attachmentId, 0, half.subarray(0, 10_000));

    const refused = await act(s.url, vera.accessToken, id, 'submit');
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({
      problems: [
        { section: 'attachments', rule: 'attachment-not-sent', message: expect.stringMatching(/^Bijlage ‘brief deurwaarder\.pdf’ is nog niet verzonden\./) as string },
        { section: 'attachments', rule: 'attachment-not-sent', message: expect.stringMatching(/^Bijlage ‘schets\.png’ is nog niet verzonden\./) as string },
      ],
    });
    expect(await s.store.latestSubmissionVersion(id)).toBe(0);
    expect((await getDocument(s.url, vera.accessToken, id)).body.status).toBe(WorkflowStatus.concept);
    // Still a concept: the uploads finish and the submit goes through.
    await sendChunk(s.url, vera.accessToken, id, dh.attachmentId, 10_000, half.subarray(10_000));
    expect((await upload(s.url, vera.accessToken, id, never, dn)).body).toMatchObject({ complete: true });
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
  });

  it('[F14] an upload with other bytes than the list names (another sha256) does not count as sent', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await letter(s, vera);
    const listed = fileBytes('image/jpeg', 4000);
    const d = declaration(listed);
    await list(client, { ...d, sha256: sha256(fileBytes('image/jpeg', 4000)) }, vera);
    await upload(s.url, vera.accessToken, id, listed, d);
    expect(await act(s.url, vera.accessToken, id, 'submit')).toMatchObject({ status: 422, body: { problems: [{ rule: 'attachment-not-sent' }] } });
  });

  it('[F9] the listed attachments are frozen with the version in the document\'s order; removed ones are not; it survives a restart', async () => {
    const s = await server({ persistent: true });
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await letter(s, vera);
    const files = [fileBytes('image/jpeg', 5000), fileBytes('application/pdf', 7000), fileBytes('image/png', 3000)];
    const ds = [declaration(files[0]!, 'image/jpeg', 'voordeur.jpg'), declaration(files[1]!, 'application/pdf', 'brief.pdf'), declaration(files[2]!, 'image/png', 'weg.png')];
    for (const [i, d] of ds.entries()) {
      await list(client, d, vera, i === 0 ? 'Vochtplek naast de voordeur' : '');
      await upload(s.url, vera.accessToken, id, files[i]!, d);
    }
    client.doc.getMap('attachments').delete(ds[2]!.attachmentId);
    setAttachmentCaption(client.doc, ds[1]!.attachmentId, 'Brief van de deurwaarder');
    await client.waitSaved();
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    const expected = [
      { id: ds[0]!.attachmentId, name: 'voordeur.jpg', mediaType: 'image/jpeg', size: 5000, sha256: ds[0]!.sha256, caption: 'Vochtplek naast de voordeur' },
      { id: ds[1]!.attachmentId, name: 'brief.pdf', mediaType: 'application/pdf', size: 7000, sha256: ds[1]!.sha256, caption: 'Brief van de deurwaarder' },
    ];
    expect((await s.store.getSubmission(id, 1))?.attachments).toEqual(expected);
    expect((await s.store.listSubmissions(id))[0]?.attachments).toEqual(expected);
    // The document's view lists them with each version, with where the bytes are.
    const view = (await getDocument(s.url, vera.accessToken, id)).body.submissions as { attachments: unknown[] }[];
    expect(view[0]?.attachments).toEqual(expected.map((a) => ({ ...a, href: `/api/documents/${id}/attachments/${a.id}` })));
    const dataDir = s.dataDir;
    s.dms.release();
    await s.close();
    const again = await startTestServer({ dataDir, dms: createMemoryDms() });
    servers.unshift(again);
    expect((await again.store.getSubmission(id, 1))?.attachments).toEqual(expected);
  });

  it('[F15] the outbox hands each frozen attachment to the DMS with its bytes and identificatie <letter>-Bnn', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await letter(s, vera);
    const files = [fileBytes('image/jpeg', 40_000), fileBytes('application/pdf', 9000)];
    const ds = [declaration(files[0]!, 'image/jpeg', 'voordeur.jpg'), declaration(files[1]!, 'application/pdf', 'brief.pdf')];
    for (const [i, d] of ds.entries()) {
      await list(client, d, vera, i === 0 ? 'Vochtplek' : '');
      await upload(s.url, vera.accessToken, id, files[i]!, d, 16_000);
    }
    const submitted = await act(s.url, vera.accessToken, id, 'submit');
    expect(submitted.status).toBe(202);
    const identificatie = (submitted.body.submission as { identificatie: string }).identificatie;
    await eventually(() => Promise.resolve(s.dms.filed.has(identificatie)), 'delivered');
    const delivery = s.dms.filed.get(identificatie)?.delivery;
    expect(delivery?.attachments?.map((a) => ({ identificatie: a.identificatie, name: a.name, caption: a.caption, sha: sha256(a.bytes) }))).toEqual([
      { identificatie: `${identificatie}-B01`, name: 'voordeur.jpg', caption: 'Vochtplek', sha: ds[0]!.sha256 },
      { identificatie: `${identificatie}-B02`, name: 'brief.pdf', caption: '', sha: ds[1]!.sha256 },
    ]);
  });

  it('[F15] a frozen attachment whose bytes are gone fails the delivery for good with a reason, never half', async () => {
    const s = await server({ outbox: { baseDelayMs: 200, maxDelayMs: 400, pollMs: 100 } });
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await letter(s, vera);
    const bytes = fileBytes('image/jpeg', 4000);
    const d = declaration(bytes);
    await list(client, d, vera);
    await upload(s.url, vera.accessToken, id, bytes, d);
    // The first attempt fails before anything is filed; before the next one the bytes are gone.
    s.dms.faults.push({ kind: 'throw' });
    const submitted = await act(s.url, vera.accessToken, id, 'submit');
    const identificatie = (submitted.body.submission as { identificatie: string }).identificatie;
    await eventually(() => Promise.resolve(s.dms.calls.length > 0), 'first attempt');
    await s.store.deleteAttachments(id);
    const lastError = async (): Promise<string | null> => ((await getDocument(s.url, vera.accessToken, id)).body.submissions as { lastError: string | null }[])[0]?.lastError ?? null;
    await eventually(async () => (await lastError()) === 'attachment-missing', 'failed for good', 20_000);
    expect((await getDocument(s.url, vera.accessToken, id)).body.status).toBe(WorkflowStatus.deliveryFailed);
    // O4: refused for good at once (not retried): the office sees it and can retry once repaired.
    expect((await s.store.listSubmissions(id))[0]?.delivery?.state).toBe('failed');
    expect(s.dms.filed.has(identificatie)).toBe(false);
    expect(s.dms.calls.filter((c) => c.op === 'deliver')).toHaveLength(1);
  });

  it('[F16] the letter lists its attachments under "Bijlagen" (caption, else name), in the PDF', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await letter(s, vera);
    const files = [fileBytes('image/jpeg', 3000), fileBytes('application/pdf', 3000)];
    const ds = [declaration(files[0]!, 'image/jpeg', 'IMG_2041.jpg'), declaration(files[1]!, 'application/pdf', 'brief-deurwaarder.pdf')];
    await list(client, ds[0]!, vera, 'Foto van de vochtplek in de slaapkamer');
    await list(client, ds[1]!, vera);
    for (const [i, d] of ds.entries()) await upload(s.url, vera.accessToken, id, files[i]!, d);
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    const text = pdfText((await s.store.getSubmission(id, 1))!.pdf);
    expect(text).toMatch(/Bijlagen\s+1\. Foto van de vochtplek in de slaapkamer\s+2\. brief-deurwaarder\.pdf/);
    expect(text).not.toContain('IMG_2041');
  });
});
