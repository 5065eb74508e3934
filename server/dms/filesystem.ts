// The embedded DMS adapter: a drop folder per zaak, `DMS_DIR/<zaak>/<identificatie>/` holding
// `document.pdf` and `metadata.json` (with the letter's MDTO metadata, also as MDTO XML in
// `metadata.xml` and `document.pdf.mdto.xml`, M3–M9), for an import job or a person to pick up. A folder appears
// whole or not at all: it is written under DMS_DIR/.keukentafel-tmp and renamed into place.
// A new version of a document (O5) is its own folder beside the earlier one (under its own
// identificatie), with the same guarantees; its metadata.json names the version it follows,
// so an import can chain them. Earlier folders are never touched. A write cut off by a crash
// leaves its temp folder behind; the first delivery after start removes those older than an hour
// (younger ones may be another process's write in progress).
// F40–F44: a submission's attachments lie beside document.pdf in the same folder
// (`bijlage-01-<name>.<ext>`), listed in metadata.json (`bijlagen`) and described in MDTO (an
// informatieobject and a bestand each, also as XML); they are written in the same temp folder and
// appear with the letter in the one rename, so a folder holds the letter and all its attachments
// or is not there. J9's same-bytes check covers them: a folder is ours only when it lists these
// attachments with these SHA-256s.
import { createHash, randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { formatFailure, type DeliveryFailure } from '../../shared/protocol/delivery-failure';
import { foreignIdentificatie } from './conflict';
import { amsterdamDate } from '../submit/hashing';
import { attachmentFileName, attachmentTitle } from './attachment-files';
import { mdtoOf, mdtoOfAttachment, type MdtoBestand, type MdtoInformatieobject } from './mdto';
import { mdtoXml } from './mdto-xml';
import type { Delivery, DeliverResult, DmsAdapter, LookupResult } from './types';

export interface FilesystemDmsOptions {
  dir: string;
  /** RSIN of the municipality; written as `bronorganisatie` when set. */
  bronorganisatie?: string;
  /** The municipality's name (MUNICIPALITY_NAME): the archiefvormer in the MDTO metadata (M3). */
  archiefvormer?: string;
  newId?: () => string;
  /** Temp folders older than this are left-overs of a crash (default one hour). */
  staleTempMs?: number;
  now?: () => number;
}

export const DMS_TMP_DIR = '.keukentafel-tmp';
/**
 * What makes a folder whole for the look-up (O2). Folders filed before M8 have no MDTO XML, so
 * the XML files are written with the rest (inside the same atomic rename) but not asked for.
 */
const FILES = ['document.pdf', 'metadata.json'] as const;
/** M8: the MDTO XML documents beside metadata.json. */
export const MDTO_XML_FILES = { informatieobject: 'metadata.xml', bestand: 'document.pdf.mdto.xml' } as const;

/**
 * One safe path segment: letters, digits, dot, dash, underscore; no `..` anywhere and no leading
 * dot (so never `.`, `..` or a hidden folder), at most 100 characters, never empty. Validation already keeps
 * zaaknummers to this alphabet; this is the last line against path traversal.
 */
export function safeSegment(value: string): string {
  const cleaned = value
    .normalize('NFKC')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^\.+/, '')
    .slice(0, 100);
  return cleaned.length === 0 ? '_' : cleaned;
}

export function createFilesystemDms(options: FilesystemDmsOptions): DmsAdapter {
  const root = resolve(options.dir);
  const newId = options.newId ?? randomUUID;
  const now = options.now ?? Date.now;
  let swept: Promise<void> | null = null;
  const sweepOnce = (): Promise<void> => {
    swept ??= sweepStaleTemp(join(root, DMS_TMP_DIR), now() - (options.staleTempMs ?? 60 * 60_000));
    return swept;
  };

  const folderOf = (zaak: string, identificatie: string): { path: string; reference: string } | null => {
    const path = join(root, safeSegment(zaak), safeSegment(identificatie));
    const rel = relative(root, path);
    // Belt and braces: whatever safeSegment lets through must stay two levels below the root.
    if (rel.startsWith('..') || rel.split(sep).length !== 2) return null;
    return { path, reference: rel.split(sep).join('/') };
  };

  /**
   * J9, F42: what a filed folder's metadata.json says it holds: the letter's SHA-256 ('' when it
   * names none or cannot be read) and its attachments (files and SHA-256s, in order).
   */
  const filed = async (folderPath: string): Promise<FiledFolder> => {
    try {
      return filedFolderOf(JSON.parse(await readFile(join(folderPath, 'metadata.json'), 'utf8')) as unknown);
    } catch {
      return { sha256: '', attachments: [] };
    }
  };

  /** Whole folders only; with `delivery`, only one holding its bytes and attachments (another document's folder is not ours, J9). */
  const lookup = async (identificatie: string, zaak: string, delivery?: Delivery): Promise<LookupResult> => {
    const folder = folderOf(zaak, identificatie);
    if (folder === null) return { ok: false, reason: formatFailure({ code: 'unsafe-path', zaak }) };
    try {
      await Promise.all(FILES.map((f) => access(join(folder.path, f), constants.R_OK)));
      const there = await filed(folder.path);
      // F41: every attachment the folder lists is there too (a name that is no plain file name in it never is).
      if (!there.attachments.every((a) => SAFE_FILE.test(a.file))) return { found: false };
      await Promise.all(there.attachments.map((a) => access(join(folder.path, a.file), constants.R_OK)));
      if (delivery !== undefined && !holds(there, delivery)) return { found: false };
      return { found: true, reference: folder.reference };
    } catch (error) {
      if (codeOf(error) === 'ENOENT' || codeOf(error) === 'ENOTDIR') return { found: false };
      return { ok: false, reason: formatFailure({ code: 'dms-unreadable', cause: codeOf(error) ?? 'onbekend' }) };
    }
  };

  return {
    name: 'filesystem',
    lookup,
    async deliver(delivery): Promise<DeliverResult> {
      /** A whole folder under this identificatie counts as delivered only when it holds these bytes (J9). */
      const ours = async (path: string, reference: string): Promise<DeliverResult> => {
        const theirs = await filed(path);
        return holds(theirs, delivery)
          ? { ok: true, reference }
          : foreignIdentificatie(delivery.identificatie, theirs.sha256, `In de DMS-map ${reference}`);
      };
      const folder = folderOf(delivery.zaak, delivery.identificatie);
      if (folder === null) return failed(false, { code: 'unsafe-path', zaak: delivery.zaak });
      const before = await lookup(delivery.identificatie, delivery.zaak);
      if ('found' in before && before.found) return ours(folder.path, before.reference);

      // M6: the checksum the archive keeps is computed over the bytes written, now; bytes that
      // do not match the SHA-256 frozen at submit are refused, never filed under it.
      const written = createHash('sha256').update(delivery.pdf).digest('hex');
      if (written !== delivery.pdfSha256) {
        return failed(false, { code: 'dms-checksum-mismatch', written, submitted: delivery.pdfSha256 });
      }
      // F42: the same for every attachment: exactly the bytes frozen with the submission.
      const attachments = delivery.attachments ?? [];
      for (const a of attachments) {
        if (a.bytes.byteLength !== a.size || createHash('sha256').update(a.bytes).digest('hex') !== a.sha256) {
          return failed(false, { code: 'dms-attachment-mismatch', name: a.name, identificatie: a.identificatie });
        }
      }
      const metadata = metadataJson(delivery, {
        ...(options.bronorganisatie === undefined ? {} : { bronorganisatie: options.bronorganisatie }),
        ...(options.archiefvormer === undefined ? {} : { archiefvormer: options.archiefvormer }),
        checksumAt: new Date(now()),
      });
      const pdfFile = metadata.mdto.bestand[0];
      if (pdfFile === undefined) throw new Error('metadataJson wrote no bestand');

      await sweepOnce();
      const tmp = join(root, DMS_TMP_DIR, `${safeSegment(delivery.identificatie)}-${newId()}`);
      try {
        await mkdir(tmp, { recursive: true });
        await writeDurably(join(tmp, PDF_NAME), delivery.pdf);
        await writeDurably(join(tmp, 'metadata.json'), Buffer.from(`${JSON.stringify(metadata, null, 2)}\n`));
        // M8: the same metadata in MDTO's XML form, one document per object, for an e-depot.
        await writeDurably(join(tmp, MDTO_XML_FILES.informatieobject), Buffer.from(mdtoXml({ informatieobject: metadata.mdto.informatieobject })));
        await writeDurably(join(tmp, MDTO_XML_FILES.bestand), Buffer.from(mdtoXml({ bestand: pdfFile })));
        // F40, F43: each attachment beside the letter, with its MDTO objects, in the same temp folder.
        for (const [i, entry] of (metadata.bijlagen ?? []).entries()) {
          const bytes = attachments[i]?.bytes;
          if (bytes === undefined) throw new Error('metadataJson listed an attachment the delivery does not have');
          await writeDurably(join(tmp, entry.bestandsnaam), bytes);
          await writeDurably(join(tmp, `${entry.bestandsnaam}.mdto.xml`), Buffer.from(mdtoXml({ bestand: entry.mdto.bestand })));
          await writeDurably(join(tmp, attachmentMetadataXml(entry.bestandsnaam)), Buffer.from(mdtoXml({ informatieobject: entry.mdto.informatieobject })));
        }
        await syncDir(tmp);
        const parent = join(folder.path, '..');
        await mkdir(parent, { recursive: true });
        await rename(tmp, folder.path);
        await syncDir(parent);
        return { ok: true, reference: folder.reference };
      } catch (error) {
        await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
        const code = codeOf(error);
        if (code === 'EEXIST' || code === 'ENOTEMPTY') {
          // Someone filed it between our look-up and the rename: that copy counts, if it is whole.
          const after = await lookup(delivery.identificatie, delivery.zaak);
          if ('found' in after && after.found) return ours(folder.path, after.reference);
          return failed(false, { code: 'dms-folder-incomplete', folder: folder.reference });
        }
        return failed(true, { code: 'dms-write-failed', cause: code ?? 'onbekend' });
      }
    },
  };
}

/** Z1: the filesystem DMS's reasons are the same union as ZGW's. */
function failed(retryable: boolean, failure: DeliveryFailure): DeliverResult {
  return { ok: false, retryable, reason: formatFailure(failure), failure };
}

/** What metadataJson needs beyond the delivery (all optional for callers that read a few keys). */
export interface MetadataOptions {
  /** RSIN of the municipality: `bronorganisatie`, and the archiefvormer's identification (M3). */
  bronorganisatie?: string;
  /** The municipality's name (MUNICIPALITY_NAME): MDTO's archiefvormer. */
  archiefvormer?: string;
  /** When the PDF's checksum was computed: the moment it was written (M6). */
  checksumAt?: Date;
}

/** Used when no municipality name is configured (the server passes MUNICIPALITY_NAME's default). */
export const DEFAULT_ARCHIEFVORMER = 'Gemeente Voorbeeld';

/** The name the PDF has in its folder. */
export const PDF_NAME = 'document.pdf';

/**
 * The archive's metadata file. One file serves two readers: the MDTO 1.0 informatieobject and
 * bestand under `mdto` (M3–M6), and flat keys for an import into a ZGW DMS, under the Documenten
 * API's names (M7: `titel`, `auteur`, `formaat`, `bestandsomvang`, `integriteit`, …). The keys
 * written before M7 (`title`, `author`, `format`, `pdfa`, `sha256`, …) stay, so existing imports
 * keep working. Mapping: docs/DMS-ZGW.md.
 */
export function metadataJson(delivery: Delivery, options: MetadataOptions = {}): MetadataJson {
  const m = delivery.metadata;
  const { bronorganisatie } = options;
  const checksumAt = options.checksumAt ?? new Date();
  const block = m.archive?.block ?? null;
  const archiefvormer = options.archiefvormer ?? DEFAULT_ARCHIEFVORMER;
  const attachments = delivery.attachments ?? [];
  const mdto = mdtoOf(delivery, {
    archiefvormer,
    ...(bronorganisatie === undefined ? {} : { bronorganisatie }),
    bestandsnaam: PDF_NAME,
    omvang: delivery.pdf.byteLength,
    sha256: delivery.pdfSha256,
    checksumAt,
    attachments: attachments.map((a) => ({ identificatie: a.identificatie, naam: attachmentTitle(a) })),
  });
  // F41: each attachment as the archive needs it: its identificatie, name and caption, media
  // type, size and SHA-256 (also under the Documenten API's names), and its MDTO objects (F43).
  const bijlagen: AttachmentEntry[] = attachments.map((a, i) => {
    const bestandsnaam = attachmentFileName(i, a);
    return {
      identificatie: a.identificatie,
      bestandsnaam,
      name: a.name,
      caption: a.caption,
      mediaType: a.mediaType,
      size: a.bytes.byteLength,
      sha256: a.sha256,
      titel: attachmentTitle(a),
      formaat: a.mediaType,
      bestandsomvang: a.bytes.byteLength,
      integriteit: { algoritme: 'sha_256', waarde: a.sha256, datum: amsterdamDate(checksumAt.getTime()) },
      mdto: mdtoOfAttachment(delivery, {
        archiefvormer,
        ...(bronorganisatie === undefined ? {} : { bronorganisatie }),
        identificatie: a.identificatie,
        naam: attachmentTitle(a),
        caption: a.caption,
        bestandsnaam,
        mediaType: a.mediaType,
        omvang: a.bytes.byteLength,
        sha256: a.sha256,
        checksumAt,
        number: i + 1,
      }),
    };
  });
  return {
    identificatie: delivery.identificatie,
    ...(bronorganisatie === undefined ? {} : { bronorganisatie }),
    zaak: delivery.zaak,
    // Before M7; kept for existing imports.
    title: m.title,
    author: m.author,
    creatiedatum: m.creatiedatum,
    taal: m.taal,
    documenttype: m.documenttype,
    vertrouwelijkheidaanduiding: m.vertrouwelijkheidaanduiding,
    format: 'application/pdf',
    pdfa: '2b',
    sha256: delivery.pdfSha256,
    // J1, J2: the letter's date, and when it left with the end of the objection term (delivery templates).
    ...(delivery.dagtekening === undefined ? {} : { dagtekening: delivery.dagtekening }),
    ...(delivery.verzenddatum === undefined ? {} : { verzenddatum: delivery.verzenddatum }),
    ...(delivery.bezwaartermijnEinde == null ? {} : { bezwaartermijnEinde: delivery.bezwaartermijnEinde }),
    ...(delivery.version === undefined ? {} : { versie: String(delivery.version) }),
    // O5: the archived version this one replaces, by its identificatie (its folder beside this one).
    ...(delivery.previous === undefined ? {} : { vorigeVersie: delivery.previous.identificatie }),
    // W4, O8: four eyes, recorded with the archived document (the PDF is the one printed at approval, J1).
    ...(delivery.approvedBy === undefined
      ? {}
      : { goedgekeurdDoor: delivery.approvedBy.representation, goedgekeurdOp: new Date(delivery.approvedBy.at).toISOString() }),
    // M7: the Documenten API's names where they differ from the keys above.
    titel: m.title,
    auteur: m.author,
    formaat: 'application/pdf',
    bestandsnaam: PDF_NAME,
    bestandsomvang: delivery.pdf.byteLength,
    integriteit: { algoritme: 'sha_256', waarde: delivery.pdfSha256, datum: amsterdamDate(checksumAt.getTime()) },
    status: 'definitief',
    ...(block === null ? {} : { archiefnominatie: block.archiefnominatie }),
    ...(m.archive === undefined ? {} : { sjabloon: { id: m.archive.templateId, versie: m.archive.templateVersion } }),
    mdto: { informatieobject: mdto.informatieobject, bestand: [mdto.bestand] },
    // F41: only with attachments, so a letter alone is filed exactly as before.
    ...(bijlagen.length === 0 ? {} : { bijlagen }),
  };
}

/** F41: one attachment in metadata.json. */
export interface AttachmentEntry {
  identificatie: string;
  bestandsnaam: string;
  name: string;
  caption: string;
  mediaType: string;
  size: number;
  sha256: string;
  titel: string;
  formaat: string;
  bestandsomvang: number;
  integriteit: { algoritme: 'sha_256'; waarde: string; datum: string };
  mdto: { informatieobject: MdtoInformatieobject; bestand: MdtoBestand };
}

/** F43: the MDTO XML of an attachment's informatieobject: `bijlage-01-x.jpg` → `bijlage-01-x.metadata.xml`. */
export function attachmentMetadataXml(bestandsnaam: string): string {
  return `${bestandsnaam.replace(/\.[a-z]+$/, '')}.metadata.xml`;
}

/** A plain file name in the folder, as F40 writes them: no separator, no `..`, no leading dot. */
const SAFE_FILE = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

/** What a filed folder holds, as its metadata.json says (J9, F42). */
interface FiledFolder {
  sha256: string;
  attachments: { file: string; identificatie: string; sha256: string }[];
}

/** Reads metadata.json defensively (a folder may have been filed by an older version or touched by hand). */
function filedFolderOf(parsed: unknown): FiledFolder {
  if (typeof parsed !== 'object' || parsed === null) return { sha256: '', attachments: [] };
  const p = parsed as { sha256?: unknown; bijlagen?: unknown };
  const list = Array.isArray(p.bijlagen) ? (p.bijlagen as unknown[]) : [];
  const attachments = list.map((b) => {
    const e = (typeof b === 'object' && b !== null ? b : {}) as Record<string, unknown>;
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    return { file: text(e.bestandsnaam), identificatie: text(e.identificatie), sha256: text(e.sha256) };
  });
  return { sha256: typeof p.sha256 === 'string' ? p.sha256 : '', attachments };
}

/** J9, F42: the folder holds this delivery: the letter's bytes and exactly its attachments, in order. */
function holds(there: FiledFolder, delivery: Delivery): boolean {
  const wanted = delivery.attachments ?? [];
  return (
    there.sha256 === delivery.pdfSha256 &&
    there.attachments.length === wanted.length &&
    wanted.every((a, i) => there.attachments[i]?.identificatie === a.identificatie && there.attachments[i]?.sha256 === a.sha256)
  );
}

export type MetadataJson = Record<string, unknown> & {
  identificatie: string;
  sha256: string;
  bijlagen?: AttachmentEntry[];
  /** M3: the MDTO objects; in XML each is a document of its own (M8). */
  mdto: { informatieobject: MdtoInformatieobject; bestand: MdtoBestand[] };
};

/** Removes temp folders last changed before `before`; best effort, never fails a delivery. */
async function sweepStaleTemp(dir: string, before: number): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      if ((await stat(path)).mtimeMs < before) await rm(path, { recursive: true, force: true });
    } catch {
      // Gone meanwhile or not ours to remove: the next start tries again.
    }
  }
}

/** Creates `path` (never overwrites) and fsyncs it before closing. */
export async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  const file = await open(path, 'wx');
  try {
    await file.writeFile(bytes);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** fsync a directory so a rename in it survives power loss; not every platform allows it. */
/** fsyncs a folder, so a rename or a new entry in it survives a power cut. */
export async function syncDir(path: string): Promise<void> {
  let dir;
  try {
    dir = await open(path, 'r');
    await dir.sync();
  } catch (error) {
    if (codeOf(error) !== 'EISDIR' && codeOf(error) !== 'EPERM' && codeOf(error) !== 'EINVAL') throw error;
  } finally {
    await dir?.close();
  }
}

function codeOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
