// F40, F45, F48 end to end: photos uploaded through the real routes, listed in the document,
// submitted, and delivered by the server's own outbox — into the filesystem DMS (beside
// document.pdf, listed in metadata.json) and into ZGW (the stateful fake: each attachment its own
// informatieobject linked to the zaak once), also when the DMS lost the answer to an attachment's
// create: the outbox looks up, finds the letter without all attachments, and finishes it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { attachmentFileName } from '../../server/dms/attachment-files';
import { createZgwDms } from '../../server/dms/zgw/adapter';
import { addAttachment } from '../../shared/model/attachments';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { act, eventually, submissionsOf } from '../support/api';
import { declaration, fileBytes, sha256, upload, type Declared } from '../support/attachments';
import { writeLetter } from '../support/letter';
import { AckingClient, login, openDocument, startTestServer, type Session, type TestServer } from '../support/server';
import { fakeZgwConfig, startFakeZgw, type FakeZgw } from '../support/zgw-fake';

const SECRET = 'een-geheim-van-minstens-32-tekens-lang!';
const RSIN = '002220647';
const ZAAK = 'ZAAK-2026-0042';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
const fakes: FakeZgw[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
  for (const f of fakes.splice(0)) await f.close();
});

const FAST = { baseDelayMs: 100, maxDelayMs: 400, attemptTimeoutMs: 10_000 };

let clock = 1_800_000_000_000;
/** Writes a letter with two photos uploaded whole and listed (caption on the first); its id and the photos. */
async function letterWithPhotos(s: TestServer, vera: Session): Promise<{ id: string; photos: { d: Declared; bytes: Uint8Array }[] }> {
  const { id, client } = await openDocument(s.url, vera.accessToken);
  clients.push(client);
  await writeLetter(client, id, vera);
  const photos = [fileBytes('image/jpeg', 40_000), fileBytes('image/jpeg', 25_000)].map((bytes, i) => ({ bytes, d: declaration(bytes, 'image/jpeg', `Foto ${i + 1}.jpg`) }));
  for (const [i, p] of photos.entries()) {
    expect((await upload(s.url, vera.accessToken, id, p.bytes, p.d)).body).toMatchObject({ complete: true });
    clock += 1000;
    addAttachment(client.doc, { id: p.d.attachmentId, name: p.d.name, mediaType: p.d.mediaType, size: p.d.size, sha256: p.d.sha256, caption: i === 0 ? 'Voordeur' : '', addedBy: vera.user.id, addedAt: clock });
  }
  await client.waitSaved();
  return { id, photos };
}

describe('attachments through the server to the DMS', () => {
  it('[F40] [F41] submitted photos land beside document.pdf in the DMS folder, byte for byte, listed in metadata.json', async () => {
    const s = await startTestServer({ persistent: true, outbox: FAST });
    servers.push(s);
    const vera = await login(s.url, 'veldwerker');
    const { id, photos } = await letterWithPhotos(s, vera);
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    await eventually(async () => (await s.store.getDocument(id))?.status === WorkflowStatus.archived, 'archived');
    const [archived] = await submissionsOf(s.url, vera.accessToken, id);
    if (archived === undefined || s.dataDir === null) throw new Error('not archived');
    const folder = join(s.dataDir, 'dms', ZAAK, archived.identificatie);
    for (const [i, p] of photos.entries()) {
      const file = attachmentFileName(i, { name: p.d.name, mediaType: p.d.mediaType });
      expect(sha256(new Uint8Array(readFileSync(join(folder, file))))).toBe(p.d.sha256);
    }
    const meta = JSON.parse(readFileSync(join(folder, 'metadata.json'), 'utf8')) as { bijlagen: { identificatie: string; name: string; caption: string; sha256: string }[] };
    expect(meta.bijlagen.map(({ identificatie, name, caption, sha256: sha }) => ({ identificatie, name, caption, sha }))).toEqual([
      { identificatie: `${archived.identificatie}-B01`, name: 'Foto 1.jpg', caption: 'Voordeur', sha: photos[0]!.d.sha256 },
      { identificatie: `${archived.identificatie}-B02`, name: 'Foto 2.jpg', caption: '', sha: photos[1]!.d.sha256 },
    ]);
  });

  it('[F45] [F48] [F50] through ZGW: the first photo\'s create is filed but its answer never comes; the outbox gives up, looks up, finds the letter without all photos, and finishes: each photo once, linked to the zaak', async () => {
    const fake = await startFakeZgw(SECRET);
    fakes.push(fake);
    fake.addZaak(ZAAK, RSIN);
    let s: TestServer | null = null;
    let docId = '';
    /** The outbox gave up on the attempt in flight (an unknown outcome, O2). */
    const outboxGaveUp = async (): Promise<boolean> => {
      const row = s === null ? undefined : (await s.store.listSubmissions(docId))[0]?.delivery;
      return row?.lastError != null;
    };
    // The DMS files the first attachment's create; its answer is held until the outbox gave up, then lost.
    let creates = 0;
    const losing: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === 'POST' && String(input).endsWith('/enkelvoudiginformatieobjecten')) {
        creates += 1;
        if (creates === 2) {
          await response.arrayBuffer();
          await eventually(outboxGaveUp, 'the outbox gave up on the attempt', 20_000);
          throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
        }
      }
      return response;
    };
    const dms = createZgwDms({ config: fakeZgwConfig(fake, SECRET, RSIN, { timeoutMs: 30_000 }), fetch: losing });
    s = await startTestServer({ dms, outbox: { ...FAST, attemptTimeoutMs: 3_000 } });
    servers.push(s);
    const vera = await login(s.url, 'veldwerker');
    const { id, photos } = await letterWithPhotos(s, vera);
    docId = id;
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    const server = s;
    await eventually(async () => (await server.store.getDocument(id))?.status === WorkflowStatus.archived, 'archived', 30_000);

    const [archived] = await submissionsOf(s.url, vera.accessToken, id);
    if (archived === undefined) throw new Error('not archived');
    // Letter, photo 1 (answer lost), photo 2: the retry found photo 1 and never created it again.
    expect(creates).toBe(3);
    const byId = (identificatie: string) => fake.documents.filter((doc) => doc.body.identificatie === identificatie);
    expect(fake.documents).toHaveLength(3);
    const letter = byId(archived.identificatie);
    expect(letter).toHaveLength(1);
    expect(archived.dmsReference).toBe(letter[0]?.url);
    for (const [i, p] of photos.entries()) {
      const [doc, ...more] = byId(`${archived.identificatie}-B0${i + 1}`);
      expect(more).toEqual([]);
      expect(sha256(doc?.content ?? new Uint8Array())).toBe(p.d.sha256);
      expect(doc?.body).toMatchObject({ formaat: 'image/jpeg', bestandsnaam: p.d.name, titel: i === 0 ? 'Voordeur' : p.d.name });
    }
    const zaakUrl = fake.zaak(ZAAK)?.url;
    for (const doc of fake.documents) expect(fake.links.filter((l) => l.informatieobject === doc.url)).toEqual([expect.objectContaining({ zaak: zaakUrl })]);
    expect(archived.attempts).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
