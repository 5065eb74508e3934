// The backup file's container (OP15): one gzip stream holding a magic line, the manifest as one
// line of JSON, then each file's bytes back to back in the manifest's order (sizes and SHA-256s
// in the manifest). No tar dependency: Node's zlib and a manifest are enough, and a reader can
// check the schema version before a single byte lands on disk. Format in README, "Backup and restore".
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';

export const BACKUP_MAGIC = 'KEUKENTAFEL-BACKUP 1';

const FileEntrySchema = z.object({
  /** Relative, forward slashes: `keukentafel.sqlite` or `dms/<zaak>/<identificatie>/<file>`. */
  path: z.string().min(1).max(1000),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type BackupFileEntry = z.infer<typeof FileEntrySchema>;

export const ManifestSchema = z.object({
  format: z.literal('keukentafel-backup'),
  formatVersion: z.literal(1),
  /** package.json's version of the server that made it. */
  appVersion: z.string().nullable(),
  /** sqlite: `keukentafel.sqlite` is the database; postgres: `keukentafel.pgdump` (pg_dump -Fc). */
  engine: z.enum(['sqlite', 'postgres']),
  /** The number of schema steps the database has run (SQLite's user_version; PostgreSQL's schema_migrations). */
  schemaVersion: z.number().int().min(0),
  createdAt: z.string(),
  /** Where the data came from, for the operator's eyes only. */
  source: z.object({ dataDir: z.string(), dmsDir: z.string().nullable(), dmsAdapter: z.string() }),
  /** The data dir's marker's createdAt (G9): the restored installation keeps its age. */
  installationCreatedAt: z.string().nullable(),
  files: z.array(FileEntrySchema),
});
export type BackupManifest = z.infer<typeof ManifestSchema>;

/** A file to write into the archive: its entry (size, hash) and where its bytes are now. */
export interface ArchiveSource {
  entry: BackupFileEntry;
  absolutePath: string;
}

/** Writes the archive; the caller writes to a temp name and renames it (the file appears whole). */
export async function writeArchive(target: string, manifest: BackupManifest, sources: readonly ArchiveSource[]): Promise<void> {
  async function* body(): AsyncGenerator<Buffer> {
    yield Buffer.from(`${BACKUP_MAGIC}\n${JSON.stringify(manifest)}\n`, 'utf8');
    for (const source of sources) {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of createReadStream(source.absolutePath)) {
        const bytes = chunk as Buffer;
        hash.update(bytes);
        size += bytes.byteLength;
        yield bytes;
      }
      // The manifest was written first; bytes that changed since would make a backup that lies.
      if (size !== source.entry.size || hash.digest('hex') !== source.entry.sha256) {
        throw new Error(`${source.entry.path} changed while the backup was written`);
      }
    }
  }
  await pipeline(Readable.from(body()), createGzip({ level: 6 }), createWriteStream(target, { flags: 'wx' }));
}

/** Reads a gunzipped stream exactly: a line, or n bytes handed on in chunks. */
class ExactReader {
  private buffered: Buffer = Buffer.alloc(0);
  private readonly source: AsyncIterator<Buffer>;
  constructor(stream: AsyncIterable<Buffer>) {
    this.source = stream[Symbol.asyncIterator]();
  }

  private async more(): Promise<boolean> {
    const next = await this.source.next();
    if (next.done === true) return false;
    this.buffered = this.buffered.length === 0 ? next.value : Buffer.concat([this.buffered, next.value]);
    return true;
  }

  async line(maxBytes: number): Promise<string> {
    for (;;) {
      const at = this.buffered.indexOf(0x0a);
      if (at >= 0) {
        const text = this.buffered.subarray(0, at).toString('utf8');
        this.buffered = this.buffered.subarray(at + 1);
        return text;
      }
      if (this.buffered.length > maxBytes) throw new BackupFormatError('a header line is too long');
      if (!(await this.more())) throw new BackupFormatError('the file ends inside its header');
    }
  }

  async bytes(count: number, sink: (chunk: Buffer) => Promise<void>): Promise<void> {
    let left = count;
    while (left > 0) {
      if (this.buffered.length === 0 && !(await this.more())) throw new BackupFormatError('the file ends early: the backup is cut off');
      const take = this.buffered.subarray(0, Math.min(left, this.buffered.length));
      this.buffered = this.buffered.subarray(take.length);
      left -= take.length;
      await sink(take);
    }
  }

  async atEnd(): Promise<boolean> {
    while (this.buffered.length === 0) if (!(await this.more())) return true;
    return false;
  }
}

export class BackupFormatError extends Error {
  constructor(message: string) {
    super(`not a readable Keukentafel backup: ${message}`);
    this.name = 'BackupFormatError';
  }
}

export interface OpenedArchive {
  manifest: BackupManifest;
  /** Hands each file's bytes to `open(entry)`'s sink in manifest order, checking size and hash. */
  extract(open: (entry: BackupFileEntry) => Promise<FileSink>): Promise<void>;
  close(): void;
}

export interface FileSink {
  write(chunk: Buffer): Promise<void>;
  /** Called once all bytes were written and their hash matched. */
  done(): Promise<void>;
}

export async function openArchive(file: string): Promise<OpenedArchive> {
  const raw = createReadStream(file);
  const gunzip = createGunzip();
  raw.on('error', (error) => gunzip.destroy(error));
  raw.pipe(gunzip);
  const reader = new ExactReader(gunzip as AsyncIterable<Buffer>);
  const close = (): void => {
    raw.destroy();
    gunzip.destroy();
  };
  try {
    const magic = await reader.line(64);
    if (magic !== BACKUP_MAGIC) throw new BackupFormatError(`it starts with "${magic.slice(0, 40)}", not "${BACKUP_MAGIC}"`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await reader.line(64 * 1024 * 1024));
    } catch (error) {
      if (error instanceof BackupFormatError) throw error;
      throw new BackupFormatError('its manifest is not JSON');
    }
    const manifest = ManifestSchema.safeParse(parsed);
    if (!manifest.success) throw new BackupFormatError(`its manifest is not understood (${manifest.error.issues[0]?.message ?? 'invalid'}); a newer backup format?`);
    return {
      manifest: manifest.data,
      close,
      async extract(open) {
        for (const entry of manifest.data.files) {
          const sink = await open(entry);
          const hash = createHash('sha256');
          await reader.bytes(entry.size, async (chunk) => {
            hash.update(chunk);
            await sink.write(chunk);
          });
          const sha256 = hash.digest('hex');
          if (sha256 !== entry.sha256) throw new BackupFormatError(`${entry.path} does not match its SHA-256 in the manifest (damaged backup)`);
          await sink.done();
        }
        if (!(await reader.atEnd())) throw new BackupFormatError('bytes follow the last file');
      },
    };
  } catch (error) {
    close();
    if (error instanceof Error && 'code' in error && (error as NodeJS.ErrnoException).code === 'Z_DATA_ERROR') {
      throw new BackupFormatError('it is not gzip data');
    }
    throw error;
  }
}
