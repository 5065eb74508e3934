// J9: an identificatie that cannot collide. Two teams submitting at once on a real server with
// SQLite each get their own number of the installation's year sequence (also for documents whose
// ids share the 16 hex digits the old form used), printed as the kenmerk; a DMS that already
// holds the identificatie for another document refuses the delivery with a Dutch reason (O4),
// never a duplicate, never an overwrite, never a 500. The filesystem and ZGW adapters check it too.
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { createFilesystemDms } from '../../server/dms/filesystem';
import { createMemoryDms, type MemoryDms } from '../../server/dms/memory';
import type { Delivery } from '../../server/dms/types';
import { createZgwDms } from '../../server/dms/zgw/adapter';
import { amsterdamYear, formatIdentificatie } from '../../server/submit/identificatie';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { act, eventually, fetchPdf, submissionsOf } from '../support/api';
import { writeLetter } from '../support/letter';
import { pdfText } from '../support/poppler';
import { AckingClient, login, startTestServer, waitFor, type Session, type TestServer } from '../support/server';
import { fakeZgwConfig, startFakeZgw, type FakeZgw } from '../support/zgw-fake';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
  for (const f of cleanups.splice(0)) await f();
});

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function letter(s: TestServer, session: Session, id: string = randomUUID()): Promise<string> {
  const c = new AckingClient(s.url, `doc:${id}`, session.accessToken);
  clients.push(c);
  await waitFor(() => c.durable !== null, 10_000, 'document loaded');
  await writeLetter(c, id, session);
  return id;
}

async function secondTeam(s: TestServer): Promise<Session> {
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
  return login(s.url, 'noorderling', 'noord-wachtwoord');
}

describe('identificatie on the server', () => {
  it('[J9] two teams submitting at once: each submission its own number, printed as the kenmerk; no 500', async () => {
    const dms = createMemoryDms();
    const s = await startTestServer({ dms, persistent: true });
    servers.push(s);
    const vera = await login(s.url, 'veldwerker');
    const nora = await secondTeam(s);
    // The old form took 16 hex digits of the document id: these two would have had one identificatie.
    const clashing = ['abcdefab-cdef-4bcd-8000-000000000001', 'abcdefab-cdef-4bcd-9000-000000000002'];
    const ids = [
      await letter(s, vera, clashing[0]),
      await letter(s, nora, clashing[1]),
      ...(await Promise.all([letter(s, vera), letter(s, vera), letter(s, nora), letter(s, nora)])),
    ];
    const sessions = [vera, nora, vera, vera, nora, nora];

    const answers = await Promise.all(ids.map((id, i) => act(s.url, sessions[i]?.accessToken ?? '', id, 'submit')));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202, 202]);
    const identificaties = answers.map((a) => (a.body.submission as { identificatie: string }).identificatie);
    const year = amsterdamYear(Date.now());
    expect([...identificaties].sort()).toEqual([1, 2, 3, 4, 5, 6].map((n) => formatIdentificatie(year, n)));

    for (const [i, id] of ids.entries()) {
      const [listed] = await submissionsOf(s.url, sessions[i]?.accessToken ?? '', id);
      expect(listed?.identificatie).toBe(identificaties[i]);
      const text = pdfText((await fetchPdf(s.url, listed?.pdf ?? '', { bearer: sessions[i]?.accessToken })).bytes);
      expect(text).toContain(identificaties[i]);
    }
    await eventually(async () => (await Promise.all(ids.map((id) => s.store.getDocument(id)))).every((d) => d?.status === WorkflowStatus.archived), 'all archived');
    expect([...dms.filed.keys()].sort()).toEqual([...identificaties].sort());
    expect(dms.duplicates).toBe(0);
  }, 60_000);

  it('[J9][O4] the DMS holds the identificatie for another document: failed at once with a Dutch reason, nothing overwritten', async () => {
    const dms: MemoryDms = createMemoryDms();
    const year = amsterdamYear(Date.now());
    const theirs = formatIdentificatie(year, 1);
    // Someone else's document under the number this installation hands out first (a restored
    // database, a second installation writing to the same DMS, …).
    const foreignPdf = Uint8Array.of(37, 80, 68, 70, 9);
    await dms.deliver({
      identificatie: theirs,
      zaak: 'ZAAK-ANDERS',
      pdf: foreignPdf,
      pdfSha256: sha256(foreignPdf),
      metadata: { title: 'Ander', author: 'Iemand', creatiedatum: '2026-01-02', taal: 'nld', documenttype: 'Brief', vertrouwelijkheidaanduiding: 'openbaar' },
    });
    const s = await startTestServer({ dms, persistent: true });
    servers.push(s);
    const vera = await login(s.url, 'veldwerker');
    const id = await letter(s, vera);

    const answer = await act(s.url, vera.accessToken, id, 'submit');
    expect(answer.status).toBe(202);
    expect((answer.body.submission as { identificatie: string }).identificatie).toBe(theirs);
    await eventually(async () => (await s.store.getDocument(id))?.status === WorkflowStatus.deliveryFailed, 'levering-mislukt');
    const [listed] = await submissionsOf(s.url, vera.accessToken, id);
    expect(listed).toMatchObject({ status: 'mislukt', attempts: 1, nextAttemptAt: null });
    expect(listed?.lastError).toMatch(new RegExp(`^duplicate-identificatie: In het DMS staat al een ander document met identificatie ${theirs} \\(SHA-256 [0-9a-f]{12}…\\)\\. Dit document is niet gearchiveerd`));
    expect(dms.filed.get(theirs)?.delivery.pdfSha256).toBe(sha256(foreignPdf));
    expect(dms.duplicates).toBe(0);
  }, 60_000);
});

function delivery(pdf: Uint8Array, identificatie = 'KT-2026-0000001'): Delivery {
  return {
    identificatie,
    zaak: 'ZAAK-1',
    pdf,
    pdfSha256: sha256(pdf),
    metadata: { title: 'Brief', author: 'Vera', creatiedatum: '2026-03-02', taal: 'nld', documenttype: 'Brief', vertrouwelijkheidaanduiding: 'zaakvertrouwelijk' },
  };
}

describe('the DMS adapters check the identificatie against what they hold', () => {
  it('[J9] filesystem: a folder with other bytes is not ours: look-up says absent, delivery is refused for good', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-dms-j9-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const folder = join(dir, 'ZAAK-1', 'KT-2026-0000001');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'document.pdf'), 'iets anders');
    writeFileSync(join(folder, 'metadata.json'), JSON.stringify({ identificatie: 'KT-2026-0000001', sha256: 'c'.repeat(64) }));
    const dms = createFilesystemDms({ dir });
    const ours = delivery(Uint8Array.of(37, 80, 68, 70, 1));

    expect(await dms.lookup(ours.identificatie, ours.zaak, ours)).toEqual({ found: false });
    const refused = await dms.deliver(ours);
    expect(refused).toMatchObject({ ok: false, retryable: false });
    expect(!refused.ok && refused.reason).toMatch(/^duplicate-identificatie: In de DMS-map ZAAK-1\/KT-2026-0000001 staat al een ander document met identificatie KT-2026-0000001 \(SHA-256 cccccccccccc…\)/);
    expect(readFileSync(join(folder, 'document.pdf'), 'utf8')).toBe('iets anders');

    // Our own earlier delivery (same bytes) is still recognised: O2 unchanged.
    const second = delivery(Uint8Array.of(37, 80, 68, 70, 2), 'KT-2026-0000002');
    const filed = await dms.deliver(second);
    expect(filed).toEqual({ ok: true, reference: 'ZAAK-1/KT-2026-0000002' });
    expect(await dms.deliver(second)).toEqual(filed);
    expect(await dms.lookup(second.identificatie, second.zaak, second)).toEqual({ found: true, reference: 'ZAAK-1/KT-2026-0000002' });
  });

  it('[J9] ZGW: a document with other bytes under our identificatie is refused for good and left alone', async () => {
    const secret = 'identificatie-test-secret-identificatie';
    const rsin = '002220647';
    const fake: FakeZgw = await startFakeZgw(secret);
    cleanups.push(() => fake.close());
    fake.addZaak('ZAAK-1', rsin);
    const dms = createZgwDms({ config: fakeZgwConfig(fake, secret, rsin, { clientId: 'keukentafel', informatieobjecttype: `${fake.catalogiUrl}/informatieobjecttypen/1` }) });
    const foreign = delivery(Uint8Array.of(37, 80, 68, 70, 7));
    expect(await dms.deliver({ ...foreign, zaak: '' })).toMatchObject({ ok: true });
    const ours = delivery(Uint8Array.of(37, 80, 68, 70, 8));

    expect(await dms.lookup(ours.identificatie, ours.zaak, ours)).toEqual({ found: false });
    const refused = await dms.deliver(ours);
    expect(refused).toMatchObject({ ok: false, retryable: false });
    expect(!refused.ok && refused.reason).toMatch(/^duplicate-identificatie: In het DMS \(bronorganisatie 002220647, .*\) staat al een ander document met identificatie KT-2026-0000001/);
    expect(fake.documents).toHaveLength(1);
    expect((fake.documents[0]?.body.integriteit as { waarde: string }).waarde).toBe(foreign.pdfSha256);
  });
});
