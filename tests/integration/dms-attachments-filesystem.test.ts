// F40–F44: the filesystem DMS files a submission's attachments beside document.pdf, in the same
// folder and the same atomic rename, lists them in metadata.json and in MDTO (validated against
// the MDTO JSON Schema in tests/fixtures/mdto), covers them with J9's same-bytes check, and leaves
// no half folder when the writing process is killed between two files.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { afterEach, describe, expect, it } from 'vitest';
import { attachmentFileName } from '../../server/dms/attachment-files';
import { attachmentMetadataXml, createFilesystemDms, DMS_TMP_DIR, type AttachmentEntry } from '../../server/dms/filesystem';
import type { MdtoInformatieobject } from '../../server/dms/mdto';
import { attachmentsOf, crashDelivery, fileBytes, letterDelivery, sha256 } from '../support/attachment-delivery';
import { PROJECT_ROOT } from '../support/zgw-prism';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kt-dms-att-'));
  dirs.push(dir);
  return dir;
}

const schema = JSON.parse(readFileSync(new URL('../fixtures/mdto/mdto-1.0.schema.json', import.meta.url), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
function mdtoErrors(value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

const FOLDER = ['ZAAK-2026-0042', 'KT-2026-0000042'] as const;
const TWO = [
  { name: 'Foto 3 december 14.05.jpg', caption: 'Vochtplek boven het aanrecht' },
  { name: 'Brief deurwaarder.pdf', mediaType: 'application/pdf' as const },
];

function metadataOf(dir: string): { sha256: string; bijlagen?: AttachmentEntry[]; mdto: { informatieobject: MdtoInformatieobject } } {
  return JSON.parse(readFileSync(join(dir, ...FOLDER, 'metadata.json'), 'utf8')) as { sha256: string; bijlagen?: AttachmentEntry[]; mdto: { informatieobject: MdtoInformatieobject } };
}

describe('filesystem DMS: attachments', () => {
  it('[F40] each attachment lies beside document.pdf as bijlage-NN-<safe name>.<ext>, with exactly its bytes', async () => {
    const dir = tempDir();
    const d = letterDelivery({}, TWO);
    expect(await createFilesystemDms({ dir }).deliver(d)).toEqual({ ok: true, reference: FOLDER.join('/') });
    const folder = join(dir, ...FOLDER);
    expect(readdirSync(folder).sort()).toEqual([
      'bijlage-01-Foto_3_december_14.05.jpg',
      'bijlage-01-Foto_3_december_14.05.jpg.mdto.xml',
      'bijlage-01-Foto_3_december_14.05.metadata.xml',
      'bijlage-02-Brief_deurwaarder.metadata.xml',
      'bijlage-02-Brief_deurwaarder.pdf',
      'bijlage-02-Brief_deurwaarder.pdf.mdto.xml',
      'document.pdf',
      'document.pdf.mdto.xml',
      'metadata.json',
      'metadata.xml',
    ]);
    for (const [i, a] of (d.attachments ?? []).entries()) {
      expect(sha256(new Uint8Array(readFileSync(join(folder, attachmentFileName(i, a)))))).toBe(a.sha256);
    }
  });

  it('[F40] a name from a device cannot leave the folder, hide, collide or pick its own extension', () => {
    const names = ['../../etc/passwd', '.verborgen.jpg', 'Café foto.JPG', 'Café foto.JPG', '', 'scan.png', 'a'.repeat(300), '..', 'C:\\temp\\x.jpeg', 'IMG_0001.HEIC'];
    const files = names.map((name, i) => attachmentFileName(i, { name, mediaType: 'image/jpeg' }));
    expect(files.slice(0, 4)).toEqual(['bijlage-01-etc_passwd.jpg', 'bijlage-02-verborgen.jpg', 'bijlage-03-Cafe_foto.jpg', 'bijlage-04-Cafe_foto.jpg']);
    expect(files[4]).toBe('bijlage-05-bijlage.jpg');
    // A PNG's name on a JPEG keeps its words, never its extension.
    expect(files[5]).toBe('bijlage-06-scan.png.jpg');
    expect(files[9]).toBe('bijlage-10-IMG_0001.jpg');
    for (const f of files) {
      expect(f).toMatch(/^bijlage-\d{2}-[A-Za-z0-9][A-Za-z0-9._-]*\.jpg$/);
      expect(f).not.toContain('..');
      expect(f.length).toBeLessThanOrEqual(80);
    }
    expect(new Set(files).size).toBe(files.length);
    expect(attachmentFileName(0, { name: 'x.pdf', mediaType: 'application/pdf' })).toBe('bijlage-01-x.pdf');
    expect(attachmentFileName(0, { name: 'x', mediaType: 'image/png' })).toBe('bijlage-01-x.png');
  });

  it('[F41] metadata.json lists each attachment: identificatie, name, caption, media type, size, SHA-256 (also under the Documenten API names)', async () => {
    const dir = tempDir();
    const d = letterDelivery({}, TWO);
    await createFilesystemDms({ dir, now: () => Date.UTC(2026, 2, 4, 10) }).deliver(d);
    const [photo, pdf] = d.attachments ?? [];
    const { bijlagen } = metadataOf(dir);
    expect(bijlagen?.map(({ mdto: _mdto, ...rest }) => rest)).toEqual([
      {
        identificatie: 'KT-2026-0000042-B01',
        bestandsnaam: 'bijlage-01-Foto_3_december_14.05.jpg',
        name: 'Foto 3 december 14.05.jpg',
        caption: 'Vochtplek boven het aanrecht',
        mediaType: 'image/jpeg',
        size: photo?.bytes.byteLength,
        sha256: photo?.sha256,
        titel: 'Vochtplek boven het aanrecht',
        formaat: 'image/jpeg',
        bestandsomvang: photo?.bytes.byteLength,
        integriteit: { algoritme: 'sha_256', waarde: photo?.sha256, datum: '2026-03-04' },
      },
      {
        identificatie: 'KT-2026-0000042-B02',
        bestandsnaam: 'bijlage-02-Brief_deurwaarder.pdf',
        name: 'Brief deurwaarder.pdf',
        caption: '',
        mediaType: 'application/pdf',
        size: pdf?.bytes.byteLength,
        sha256: pdf?.sha256,
        titel: 'Brief deurwaarder.pdf',
        formaat: 'application/pdf',
        bestandsomvang: pdf?.bytes.byteLength,
        integriteit: { algoritme: 'sha_256', waarde: pdf?.sha256, datum: '2026-03-04' },
      },
    ]);
    // A letter alone is filed as before: no `bijlagen` key at all.
    const alone = tempDir();
    await createFilesystemDms({ dir: alone }).deliver(letterDelivery());
    expect(metadataOf(alone)).not.toHaveProperty('bijlagen');
  });

  it('[F41] a folder whose listed attachment file is missing is not whole: the look-up says "not there"', async () => {
    const dir = tempDir();
    const d = letterDelivery({}, TWO);
    const dms = createFilesystemDms({ dir });
    await dms.deliver(d);
    expect(await dms.lookup(d.identificatie, d.zaak, d)).toEqual({ found: true, reference: FOLDER.join('/') });
    rmSync(join(dir, ...FOLDER, 'bijlage-02-Brief_deurwaarder.pdf'));
    expect(await dms.lookup(d.identificatie, d.zaak, d)).toEqual({ found: false });
    expect(await dms.lookup(d.identificatie, d.zaak)).toEqual({ found: false });
    // A metadata.json (touched by hand, or hostile) naming a file outside the folder: not whole either.
    const metadataPath = join(dir, ...FOLDER, 'metadata.json');
    const meta = JSON.parse(readFileSync(metadataPath, 'utf8')) as { bijlagen: { bestandsnaam: string }[] };
    for (const name of ['../../../etc/passwd', 'a\u0000b', '.verborgen', '']) {
      meta.bijlagen[1]!.bestandsnaam = name;
      writeFileSync(metadataPath, JSON.stringify(meta));
      expect(await dms.lookup(d.identificatie, d.zaak), name).toEqual({ found: false });
    }
  });

  it('[F42] J9 covers attachments: the same delivery again is the same folder; other attachment bytes under the identificatie are refused, nothing overwritten', async () => {
    const dir = tempDir();
    const dms = createFilesystemDms({ dir });
    const d = letterDelivery({}, TWO);
    const first = await dms.deliver(d);
    expect(await dms.deliver(d)).toEqual(first);
    const before = readFileSync(join(dir, ...FOLDER, 'metadata.json'), 'utf8');

    const otherPhoto = letterDelivery({}, [{ ...TWO[0]!, bytes: fileBytes('image/jpeg', 'another photo') }, TWO[1]!]);
    expect(await dms.lookup(d.identificatie, d.zaak, otherPhoto)).toEqual({ found: false });
    expect(await dms.deliver(otherPhoto)).toMatchObject({ ok: false, retryable: false, failure: { code: 'duplicate-identificatie', identificatie: d.identificatie } });
    // One attachment fewer, or none, is not this folder either.
    expect(await dms.deliver(letterDelivery({}, TWO.slice(0, 1)))).toMatchObject({ ok: false, failure: { code: 'duplicate-identificatie' } });
    expect(await dms.deliver(letterDelivery())).toMatchObject({ ok: false, failure: { code: 'duplicate-identificatie' } });
    expect(readFileSync(join(dir, ...FOLDER, 'metadata.json'), 'utf8')).toBe(before);
  });

  it('[F42] attachment bytes that are not the ones frozen at submit are refused for good and nothing is filed', async () => {
    const dir = tempDir();
    const d = letterDelivery({}, TWO);
    const [photo, pdf] = d.attachments ?? [];
    if (photo === undefined || pdf === undefined) throw new Error('no attachments');
    const swapped = { ...d, attachments: [{ ...photo, bytes: fileBytes('image/jpeg', 'not the submitted photo', photo.size) }, pdf] };
    const result = await createFilesystemDms({ dir }).deliver(swapped);
    expect(result).toMatchObject({ ok: false, retryable: false, failure: { code: 'dms-attachment-mismatch', name: photo.name, identificatie: photo.identificatie } });
    expect(result.ok ? '' : result.reason).toMatch(/^dms-attachment-mismatch: De bijlage "Foto 3 december 14\.05\.jpg" \(KT-2026-0000042-B01\) klopt niet/);
    const truncated = { ...d, attachments: [photo, { ...pdf, bytes: pdf.bytes.slice(0, 10) }] };
    expect(await createFilesystemDms({ dir }).deliver(truncated)).toMatchObject({ ok: false, failure: { code: 'dms-attachment-mismatch', name: pdf.name } });
    expect(existsSync(join(dir, 'ZAAK-2026-0042'))).toBe(false);
  });

  it('[F43] MDTO: each attachment is an informatieobject with its bestand (valid MDTO), related to the letter both ways, also as XML', async () => {
    const dir = tempDir();
    const d = letterDelivery({}, TWO);
    await createFilesystemDms({ dir, archiefvormer: 'Gemeente Voorbeeld', bronorganisatie: '002220647' }).deliver(d);
    const meta = metadataOf(dir);
    const related = meta.mdto.informatieobject.gerelateerdInformatieobject ?? [];
    expect(related.map((r) => [r.gerelateerdInformatieobjectTypeRelatie.begripLabel, r.gerelateerdInformatieobjectVerwijzing.verwijzingIdentificatie?.identificatieKenmerk])).toEqual([
      ['Heeft bijlage', 'KT-2026-0000042-B01'],
      ['Heeft bijlage', 'KT-2026-0000042-B02'],
    ]);
    expect(mdtoErrors({ informatieobject: meta.mdto.informatieobject })).toEqual([]);
    for (const [i, entry] of (meta.bijlagen ?? []).entries()) {
      const { informatieobject, bestand } = entry.mdto;
      expect(mdtoErrors({ informatieobject })).toEqual([]);
      expect(mdtoErrors({ bestand: [bestand] })).toEqual([]);
      expect(informatieobject.identificatie[0]?.identificatieKenmerk).toBe(entry.identificatie);
      expect(informatieobject.naam).toBe(i === 0 ? 'Vochtplek boven het aanrecht' : 'Brief deurwaarder.pdf');
      expect(informatieobject.isOnderdeelVan).toEqual(meta.mdto.informatieobject.isOnderdeelVan);
      expect(informatieobject.waardering).toEqual(meta.mdto.informatieobject.waardering);
      expect(informatieobject.gerelateerdInformatieobject?.[0]).toMatchObject({
        gerelateerdInformatieobjectVerwijzing: { verwijzingIdentificatie: { identificatieKenmerk: d.identificatie } },
        gerelateerdInformatieobjectTypeRelatie: { begripLabel: 'Bijlage bij' },
      });
      expect(bestand).toMatchObject({ naam: entry.bestandsnaam, omvang: entry.size, bestandsformaat: { begripLabel: entry.mediaType }, checksum: [{ checksumWaarde: entry.sha256 }] });
      const xmlBestand = readFileSync(join(dir, ...FOLDER, `${entry.bestandsnaam}.mdto.xml`), 'utf8');
      expect(xmlBestand).toContain(`<checksumWaarde>${entry.sha256}</checksumWaarde>`);
      const xmlObject = readFileSync(join(dir, ...FOLDER, attachmentMetadataXml(entry.bestandsnaam)), 'utf8');
      expect(xmlObject).toContain(`<identificatieKenmerk>${entry.identificatie}</identificatieKenmerk>`);
    }
    // The schema bites on an attachment's objects too.
    const broken = { ...meta.bijlagen![0]!.mdto.bestand, omvang: -1 };
    expect(mdtoErrors({ bestand: [broken] })).not.toEqual([]);
  });

  it('[F44] a process killed between two writes leaves no half folder; the next delivery files it whole', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/fs-dms-writer.ts', dir], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const tmp = join(dir, DMS_TMP_DIR);
    const zaak = join(dir, FOLDER[0]);
    let exitedEarly = false;
    void exited.then(() => (exitedEarly = true));
    // Kill it once the letter is written and an attachment is being written: between two files.
    let seenHalfFolder = false;
    for (;;) {
      if (exitedEarly) throw new Error(`the writer finished before it could be cut: ${output}`);
      const inTmp = existsSync(tmp) ? readdirSync(tmp) : [];
      const writing = inTmp.length === 1 ? readdirSync(join(tmp, inTmp[0]!)) : [];
      if (writing.includes('document.pdf') && writing.some((f) => f.startsWith('bijlage-01-'))) {
        child.kill('SIGKILL');
        break;
      }
      if (existsSync(zaak)) seenHalfFolder = true;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await exited;
    expect(output).not.toContain('filed');
    expect(seenHalfFolder).toBe(false);
    // Nothing in the zaak's place: the half-written folder is only in the temp area.
    expect(existsSync(zaak)).toBe(false);
    const d = crashDelivery();
    const dms = createFilesystemDms({ dir });
    expect(await dms.lookup(d.identificatie, d.zaak, d)).toEqual({ found: false });
    expect(await dms.deliver(d)).toEqual({ ok: true, reference: FOLDER.join('/') });
    const folder = join(dir, ...FOLDER);
    for (const [i, a] of (d.attachments ?? []).entries()) {
      expect(sha256(new Uint8Array(readFileSync(join(folder, attachmentFileName(i, a)))))).toBe(a.sha256);
    }
    expect(await dms.lookup(d.identificatie, d.zaak, d)).toEqual({ found: true, reference: FOLDER.join('/') });
  }, 60_000);

  it('[F44] watched while it writes, the folder never shows the letter without all its attachments', async () => {
    const dir = tempDir();
    const d = letterDelivery({}, [
      { name: 'a.jpg', size: 8 * 1024 * 1024 },
      { name: 'b.jpg', size: 8 * 1024 * 1024 },
    ]);
    const folder = join(dir, ...FOLDER);
    const names = (d.attachments ?? []).map((a, i) => attachmentFileName(i, a));
    let half = 0;
    let looks = 0;
    let done = false;
    const watch = (async () => {
      while (!done) {
        looks += 1;
        if (existsSync(folder)) {
          const files = readdirSync(folder);
          if (!files.includes('document.pdf') || !names.every((n) => files.includes(n))) half += 1;
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const result = await createFilesystemDms({ dir }).deliver(d);
    done = true;
    await watch;
    expect(result.ok).toBe(true);
    expect(looks).toBeGreaterThan(2);
    expect(half).toBe(0);
  });

  it('[F40] attachmentsOf gives the identificaties the outbox gives: the letter\'s with -B01, -B02', () => {
    expect(attachmentsOf('KT-2026-0000042', [{ name: 'a.jpg' }, { name: 'b.jpg' }]).map((a) => a.identificatie)).toEqual(['KT-2026-0000042-B01', 'KT-2026-0000042-B02']);
  });
});
