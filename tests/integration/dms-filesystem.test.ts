// The filesystem DMS on a real disk (O1, O2): a folder per zaak and identificatie that appears
// whole or not at all, metadata the archive needs with the PDF's SHA-256, no way out of DMS_DIR
// whatever a zaaknummer says, and a second delivery of the same identificatie that files nothing.
// Ends with the whole journey through the server into DATA_DIR/dms.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFilesystemDms, DMS_TMP_DIR, safeSegment } from '../../server/dms/filesystem';
import type { Delivery } from '../../server/dms/types';
import { readDmsConfig } from '../../server/dms/config';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { act, eventually, submissionsOf } from '../support/api';
import { writeLetter } from '../support/letter';
import { pdfaId, pdfXmp } from '../support/poppler';
import { AckingClient, login, startTestServer, waitFor, type TestServer } from '../support/server';

const dirs: string[] = [];
const servers: TestServer[] = [];
const clients: AckingClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-dms-'));
  dirs.push(dir);
  return dir;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function delivery(overrides: Partial<Delivery> = {}): Delivery {
  const pdf = new TextEncoder().encode('%PDF-1.7 test');
  return {
    identificatie: 'KT-0123456789abcdef-v1',
    zaak: 'ZAAK-2026-0042',
    pdf,
    pdfSha256: sha256(pdf),
    metadata: {
      title: 'Uw aanvraag',
      author: 'Vera Veldwerker',
      creatiedatum: '2026-03-02',
      taal: 'nld',
      documenttype: 'Brief',
      vertrouwelijkheidaanduiding: 'zaakvertrouwelijk',
    },
    ...overrides,
  };
}

/** Every path under `dir`, relative, sorted. */
function tree(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => {
      const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
      return e.isDirectory() ? [`${rel}/`, ...tree(dir, rel)] : [rel];
    })
    .sort();
}

describe('filesystem DMS', () => {
  it('[O1] files DMS_DIR/<zaak>/<identificatie>/ with document.pdf and metadata.json; the reference is that folder', async () => {
    const dir = tempDir();
    const dms = createFilesystemDms({ dir, bronorganisatie: '002220647' });
    const d = delivery();
    expect(await dms.deliver(d)).toEqual({ ok: true, reference: 'ZAAK-2026-0042/KT-0123456789abcdef-v1' });

    const folder = join(dir, 'ZAAK-2026-0042', 'KT-0123456789abcdef-v1');
    expect(readFileSync(join(folder, 'document.pdf'))).toEqual(Buffer.from(d.pdf));
    // M7: the keys written before MDTO stay as they were; the ZGW names and the MDTO objects come beside them.
    const { mdto, titel, auteur, formaat, bestandsnaam, bestandsomvang, integriteit, status, ...before } = JSON.parse(
      readFileSync(join(folder, 'metadata.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect(mdto).toMatchObject({ informatieobject: { naam: 'Uw aanvraag' }, bestand: [{ naam: 'document.pdf' }] });
    expect({ titel, auteur, formaat, bestandsnaam, bestandsomvang, status }).toEqual({
      titel: 'Uw aanvraag',
      auteur: 'Vera Veldwerker',
      formaat: 'application/pdf',
      bestandsnaam: 'document.pdf',
      bestandsomvang: d.pdf.byteLength,
      status: 'definitief',
    });
    expect(integriteit).toMatchObject({ algoritme: 'sha_256', waarde: sha256(d.pdf) });
    expect(before).toEqual({
      identificatie: 'KT-0123456789abcdef-v1',
      bronorganisatie: '002220647',
      zaak: 'ZAAK-2026-0042',
      title: 'Uw aanvraag',
      author: 'Vera Veldwerker',
      creatiedatum: '2026-03-02',
      taal: 'nld',
      documenttype: 'Brief',
      vertrouwelijkheidaanduiding: 'zaakvertrouwelijk',
      format: 'application/pdf',
      pdfa: '2b',
      sha256: sha256(d.pdf),
    });
    expect(await dms.lookup(d.identificatie, d.zaak)).toEqual({ found: true, reference: 'ZAAK-2026-0042/KT-0123456789abcdef-v1' });
    expect(await dms.lookup('KT-other-v1', d.zaak)).toEqual({ found: false });
    // No temp leftovers next to the zaak folders.
    expect(tree(dir)).toEqual([
      `${DMS_TMP_DIR}/`,
      'ZAAK-2026-0042/',
      'ZAAK-2026-0042/KT-0123456789abcdef-v1/',
      'ZAAK-2026-0042/KT-0123456789abcdef-v1/document.pdf',
      'ZAAK-2026-0042/KT-0123456789abcdef-v1/document.pdf.mdto.xml',
      'ZAAK-2026-0042/KT-0123456789abcdef-v1/metadata.json',
      'ZAAK-2026-0042/KT-0123456789abcdef-v1/metadata.xml',
    ]);
  });

  it('[O5] [O7] [O8] a new version is its own folder beside the old one; metadata.json names the version it follows, the confidentiality and the approver', async () => {
    const dir = tempDir();
    const dms = createFilesystemDms({ dir });
    const v1 = delivery({ version: 1 });
    const first = await dms.deliver(v1);
    if (!first.ok) throw new Error('v1 not filed');
    const before = readFileSync(join(dir, 'ZAAK-2026-0042', 'KT-0123456789abcdef-v1', 'metadata.json'), 'utf8');
    const pdf = new TextEncoder().encode('%PDF-1.7 versie 2');
    const v2 = delivery({
      identificatie: 'KT-0123456789abcdef-v2',
      version: 2,
      pdf,
      pdfSha256: sha256(pdf),
      metadata: { ...v1.metadata, vertrouwelijkheidaanduiding: 'vertrouwelijk' },
      previous: { identificatie: v1.identificatie, version: 1, reference: first.reference },
      approvedBy: { id: 'u-karim', representation: 'Karim Kantoor', at: Date.UTC(2026, 2, 2, 9, 15) },
    });
    expect(await dms.deliver(v2)).toEqual({ ok: true, reference: 'ZAAK-2026-0042/KT-0123456789abcdef-v2' });
    expect(await dms.deliver(v2)).toEqual({ ok: true, reference: 'ZAAK-2026-0042/KT-0123456789abcdef-v2' });
    expect(JSON.parse(readFileSync(join(dir, 'ZAAK-2026-0042', 'KT-0123456789abcdef-v2', 'metadata.json'), 'utf8'))).toMatchObject({
      identificatie: 'KT-0123456789abcdef-v2',
      versie: '2',
      vorigeVersie: 'KT-0123456789abcdef-v1',
      vertrouwelijkheidaanduiding: 'vertrouwelijk',
      sha256: sha256(pdf),
      goedgekeurdDoor: 'Karim Kantoor',
      goedgekeurdOp: '2026-03-02T09:15:00.000Z',
    });
    // The earlier version is untouched.
    expect(readFileSync(join(dir, 'ZAAK-2026-0042', 'KT-0123456789abcdef-v1', 'metadata.json'), 'utf8')).toBe(before);
    expect(tree(dir).filter((p) => p.endsWith('document.pdf'))).toEqual([
      'ZAAK-2026-0042/KT-0123456789abcdef-v1/document.pdf',
      'ZAAK-2026-0042/KT-0123456789abcdef-v2/document.pdf',
    ]);
  });

  it('[O2][J9] delivering the same identificatie again files nothing new: the same bytes answer with the same reference, other bytes are refused', async () => {
    const dir = tempDir();
    const dms = createFilesystemDms({ dir });
    const first = await dms.deliver(delivery());
    const folder = join(dir, 'ZAAK-2026-0042', 'KT-0123456789abcdef-v1');
    const before = statSync(join(folder, 'document.pdf')).mtimeMs;
    expect(await dms.deliver(delivery())).toEqual(first);
    const other = new TextEncoder().encode('%PDF other bytes');
    expect(await dms.deliver(delivery({ pdf: other, pdfSha256: sha256(other) }))).toMatchObject({
      ok: false,
      retryable: false,
      reason: expect.stringMatching(/^duplicate-identificatie: /) as string,
    });
    expect(statSync(join(folder, 'document.pdf')).mtimeMs).toBe(before);
    expect(readFileSync(join(folder, 'document.pdf')).toString()).toBe('%PDF-1.7 test');
    expect(JSON.parse(readFileSync(join(folder, 'metadata.json'), 'utf8'))).not.toHaveProperty('bronorganisatie');
  });

  it('[O2] a temp folder left by a crash is removed on the first delivery after start once it is an hour old; a young one is left alone', async () => {
    const dir = tempDir();
    const stale = join(dir, DMS_TMP_DIR, 'KT-stale-v1-crashed');
    const young = join(dir, DMS_TMP_DIR, 'KT-young-v1-in-progress');
    for (const path of [stale, young]) {
      mkdirSync(path, { recursive: true });
      writeFileSync(join(path, 'document.pdf'), '%PDF half');
    }
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60_000);
    utimesSync(stale, twoHoursAgo, twoHoursAgo);
    const dms = createFilesystemDms({ dir });
    expect(await dms.deliver(delivery())).toMatchObject({ ok: true });
    expect(readdirSync(join(dir, DMS_TMP_DIR))).toEqual(['KT-young-v1-in-progress']);
  });

  it('[O2] two deliveries of one identificatie at once: one folder, both answered with it', async () => {
    const dir = tempDir();
    const dms = createFilesystemDms({ dir });
    const answers = await Promise.all([dms.deliver(delivery()), dms.deliver(delivery()), dms.deliver(delivery())]);
    for (const a of answers) expect(a).toEqual({ ok: true, reference: 'ZAAK-2026-0042/KT-0123456789abcdef-v1' });
    expect(tree(join(dir, 'ZAAK-2026-0042'))).toEqual([
      'KT-0123456789abcdef-v1/',
      'KT-0123456789abcdef-v1/document.pdf',
      'KT-0123456789abcdef-v1/document.pdf.mdto.xml',
      'KT-0123456789abcdef-v1/metadata.json',
      'KT-0123456789abcdef-v1/metadata.xml',
    ]);
    expect(readdirSync(join(dir, DMS_TMP_DIR))).toEqual([]);
  });

  it('[O1] a folder is never visible half-written: watched while a large PDF is written', async () => {
    const dir = tempDir();
    const dms = createFilesystemDms({ dir });
    const big = new Uint8Array(48 * 1024 * 1024).fill(37);
    const folder = join(dir, 'ZAAK-2026-0042', 'KT-0123456789abcdef-v1');
    let looks = 0;
    let seenWhole = 0;
    let seenHalf = 0;
    let done = false;
    const watch = async (): Promise<void> => {
      while (!done) {
        looks += 1;
        if (existsSync(folder)) {
          const pdf = join(folder, 'document.pdf');
          const whole = existsSync(pdf) && statSync(pdf).size === big.length && existsSync(join(folder, 'metadata.json'));
          if (whole) seenWhole += 1;
          else seenHalf += 1;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const watching = watch();
    const result = await dms.deliver(delivery({ pdf: big, pdfSha256: sha256(big) }));
    done = true;
    await watching;
    expect(result.ok).toBe(true);
    expect(seenHalf).toBe(0);
    expect(looks).toBeGreaterThan(2);
    expect(existsSync(folder)).toBe(true);
    expect(seenWhole + seenHalf).toBeLessThan(looks);
  });

  it('[O1] a temp folder left by a crash is not a filing; the next delivery files the whole folder', async () => {
    const dir = tempDir();
    const crashed = join(dir, DMS_TMP_DIR, 'KT-0123456789abcdef-v1-dead');
    mkdirSync(crashed, { recursive: true });
    writeFileSync(join(crashed, 'document.pdf'), 'half');
    const dms = createFilesystemDms({ dir });
    expect(await dms.lookup('KT-0123456789abcdef-v1', 'ZAAK-2026-0042')).toEqual({ found: false });
    expect((await dms.deliver(delivery())).ok).toBe(true);
    expect(readFileSync(join(dir, 'ZAAK-2026-0042', 'KT-0123456789abcdef-v1', 'document.pdf')).toString()).toBe('%PDF-1.7 test');
  });

  it('[O3] [Z3] a write that fails is a retryable failure with its reason from the union, in Dutch, and leaves no folder', async () => {
    const dir = tempDir();
    // The temp area cannot be created: a file is in its place.
    writeFileSync(join(dir, DMS_TMP_DIR), 'in the way');
    const dms = createFilesystemDms({ dir });
    const result = await dms.deliver(delivery());
    expect(result).toMatchObject({ ok: false, retryable: true, failure: { code: 'dms-write-failed' }, reason: expect.stringMatching(/^dms-write-failed: Het document kon niet in de DMS-map worden geschreven \(E[A-Z]+\)\. /) as string });
    expect(existsSync(join(dir, 'ZAAK-2026-0042'))).toBe(false);
  });

  it('[O1] no path traversal: zaak and identificatie never leave DMS_DIR', async () => {
    const outside = tempDir();
    const dir = join(outside, 'dms');
    mkdirSync(dir);
    const dms = createFilesystemDms({ dir });
    const cases: [string, string][] = [
      ['../../etc', '../passwd'],
      ['..', '..'],
      ['.', 'KT-x-v1'],
      ['ZAAK/../../x', 'KT-1-v1'],
      ['/abs/path', '\\..\\win'],
      ['.hidden', 'KT-2-v1'],
      ['', ''],
      ['ZAAK\u0000nul', 'KT-3-v1'],
    ];
    for (const [zaak, identificatie] of cases) {
      const result = await dms.deliver(delivery({ zaak, identificatie }));
      if (!result.ok) throw new Error(`refused ${zaak}: ${result.reason}`);
      expect(result.reference).not.toContain('..');
      expect(result.reference.split('/')).toHaveLength(2);
      expect(existsSync(join(dir, ...result.reference.split('/'), 'document.pdf'))).toBe(true);
      expect(await dms.lookup(identificatie, zaak)).toEqual({ found: true, reference: result.reference });
    }
    // Nothing was written beside DMS_DIR.
    expect(readdirSync(outside)).toEqual(['dms']);
    expect(readdirSync(dir).every((name) => name === DMS_TMP_DIR || !name.startsWith('.'))).toBe(true);
  });

  it('safeSegment keeps safe names and neutralises the rest', () => {
    expect(safeSegment('ZAAK-2026-0042')).toBe('ZAAK-2026-0042');
    expect(safeSegment('Z24.00123')).toBe('Z24.00123');
    expect(safeSegment('..')).toBe('_');
    expect(safeSegment('../etc')).toBe('_etc');
    expect(safeSegment('../../etc')).toBe('_._etc');
    expect(safeSegment('a/b\\c')).toBe('a_b_c');
    expect(safeSegment('')).toBe('_');
    expect(safeSegment('x'.repeat(300))).toHaveLength(100);
  });

  it('DMS configuration: filesystem by default under DATA_DIR; zgw names each missing setting', () => {
    expect(readDmsConfig({}, '/data')).toEqual({ ok: true, config: { adapter: 'filesystem', dir: '/data/dms', bronorganisatie: undefined } });
    expect(readDmsConfig({ DMS_DIR: '/srv/dms', ZGW_RSIN: '002220647' }, '/data')).toEqual({
      ok: true,
      config: { adapter: 'filesystem', dir: '/srv/dms', bronorganisatie: '002220647' },
    });
    expect(readDmsConfig({ DMS_ADAPTER: 'zgw' }, '/data')).toEqual({ ok: false, error: expect.stringContaining('ZGW_DOCUMENTEN_URL is missing') as string });
    expect(readDmsConfig({ DMS_ADAPTER: 'ftp' }, '/data').ok).toBe(false);
    expect(readDmsConfig({ ZGW_RSIN: '12' }, '/data').ok).toBe(false);
  });

  it('[O1] end to end: a submitted letter lands in DATA_DIR/dms as PDF/A with its metadata', async () => {
    const s = await startTestServer({ persistent: true, municipality: 'Gemeente Súdwest-Fryslân' });
    servers.push(s);
    const vera = await login(s.url, 'veldwerker');
    const id = randomUUID();
    const c = new AckingClient(s.url, `doc:${id}`, vera.accessToken);
    clients.push(c);
    await waitFor(() => c.durable !== null, 10_000, 'document loaded');
    await writeLetter(c, id, vera);
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    await eventually(async () => (await s.store.getDocument(id))?.status === WorkflowStatus.archived, 'archived');

    const [archived] = await submissionsOf(s.url, vera.accessToken, id);
    if (archived === undefined || s.dataDir === null) throw new Error('not archived');
    expect(archived.dmsReference).toBe(`ZAAK-2026-0042/${archived.identificatie}`);
    const folder = join(s.dataDir, 'dms', 'ZAAK-2026-0042', archived.identificatie);
    const pdf = new Uint8Array(readFileSync(join(folder, 'document.pdf')));
    expect(sha256(pdf)).toBe(archived.pdfSha256);
    expect(pdfaId(pdfXmp(pdf))).toEqual({ part: '2', conformance: 'B' });
    expect(JSON.parse(readFileSync(join(folder, 'metadata.json'), 'utf8'))).toMatchObject({
      identificatie: archived.identificatie,
      zaak: 'ZAAK-2026-0042',
      sha256: archived.pdfSha256,
      taal: 'nld',
      pdfa: '2b',
    });
  });
});
