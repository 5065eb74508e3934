// `npm run restore -- <file>` (OP16): puts a backup (backup.ts) back, into an EMPTY data folder
// only, from a backup this server's schema can open (an older one is migrated at the next start;
// a newer one is refused before anything is written). The database appears under its name only
// once all its bytes matched the manifest; the marker (G9) is written `stopped`, so the first
// start takes the restored folder as sound (a backup has no WAL to miss). The DMS drop folder's
// identificatie folders are put back whole (temp folder, then rename), never over one that is there.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { DATABASE_FILE, writeMarker } from '../store/data-dir-marker';
import { SCHEMA_VERSION } from '../store/sqlite/schema';
import { DMS_TMP_DIR, safeSegment } from '../dms/filesystem';
import { BackupFormatError, openArchive, type BackupFileEntry, type BackupManifest, type FileSink, type OpenedArchive } from './backup-archive';
import { PG_DUMP_FILE, PG_SCHEMA_VERSION, postgresIsEmpty, restorePostgres } from './postgres-dump';

export interface RestoreOptions {
  file: string;
  dataDir: string;
  /** The filesystem DMS's drop folder to put the backup's folders in; null: leave them out. */
  dmsDir: string | null;
  /** DATABASE_URL: restore a PostgreSQL backup into this (empty) database (OP23). */
  databaseUrl?: string;
  now?: () => Date;
}

export type RestoreRefusal = 'data-dir-not-empty' | 'database-not-empty' | 'engine-mismatch' | 'schema-too-new' | 'unreadable-backup' | 'not-found' | 'restore-failed';

export type RestoreResult =
  | { ok: true; manifest: BackupManifest; dmsFolders: { restored: number; alreadyThere: number; incomplete: string[] } }
  | { ok: false; reason: RestoreRefusal; error: string };

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const file = resolve(options.file);
  if (!existsSync(file)) return { ok: false, reason: 'not-found', error: `${file} does not exist` };
  const dataDir = resolve(options.dataDir);
  const databaseUrl = options.databaseUrl === undefined || options.databaseUrl === '' ? null : options.databaseUrl;
  // The DMS folder may live inside the data dir (the default) and is created by the restore itself.
  if (databaseUrl === null && existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    return {
      ok: false,
      reason: 'data-dir-not-empty',
      error: `DATA_DIR ${dataDir} is not empty; a restore only writes into an empty (or new) folder. Move the old one away first (README, "Backup and restore").`,
    };
  }
  let archive;
  try {
    archive = await openArchive(file);
  } catch (error) {
    if (error instanceof BackupFormatError) return { ok: false, reason: 'unreadable-backup', error: error.message };
    throw error;
  }
  const { manifest } = archive;
  if ((manifest.engine === 'postgres') !== (databaseUrl !== null)) {
    archive.close();
    return {
      ok: false,
      reason: 'engine-mismatch',
      error:
        manifest.engine === 'postgres'
          ? 'this is a backup of a PostgreSQL installation: set DATABASE_URL to an empty database to restore it'
          : 'this is a backup of an embedded (SQLite) installation: unset DATABASE_URL and set DATA_DIR to an empty folder',
    };
  }
  const known = manifest.engine === 'postgres' ? PG_SCHEMA_VERSION : SCHEMA_VERSION;
  if (manifest.schemaVersion > known) {
    archive.close();
    return {
      ok: false,
      reason: 'schema-too-new',
      error: `the backup was made by Keukentafel ${manifest.appVersion ?? '(unknown version)'} with schema version ${manifest.schemaVersion}; this version knows schema version ${known} at most. Restore it with that version or a newer one.`,
    };
  }
  if (databaseUrl !== null) return restoreIntoPostgres(archive, databaseUrl, options);
  const createdHere = !existsSync(dataDir);
  mkdirSync(dataDir, { recursive: true });
  const dms = options.dmsDir === null ? null : new DropFolderWriter(resolve(options.dmsDir), manifest.files);
  const partialDb = join(dataDir, `${DATABASE_FILE}.restoring`);
  try {
    await archive.extract(async (entry) => {
      if (entry.path === DATABASE_FILE) return fileSink(partialDb);
      if (entry.path.startsWith('dms/') && dms !== null) return dms.sink(entry);
      return discardSink;
    });
    if (!existsSync(partialDb)) throw new BackupFormatError(`it holds no ${DATABASE_FILE}`);
    checkDatabase(partialDb, manifest.schemaVersion);
    await dms?.finish();
    await rename(partialDb, join(dataDir, DATABASE_FILE));
    // G9: a restored folder is a stopped installation; its age is the original one.
    writeMarker(dataDir, installationMarker(manifest), 'stopped', options.now?.() ?? new Date());
    return {
      ok: true,
      manifest,
      dmsFolders: dms?.summary() ?? { restored: 0, alreadyThere: 0, incomplete: [] },
    };
  } catch (error) {
    // Nothing half-restored stays behind: the data dir is as empty as it was.
    if (createdHere) rmSync(dataDir, { recursive: true, force: true });
    else for (const name of readdirSync(dataDir)) rmSync(join(dataDir, name), { recursive: true, force: true });
    await dms?.abandon();
    if (error instanceof BackupFormatError) return { ok: false, reason: 'unreadable-backup', error: error.message };
    if ((error as NodeJS.ErrnoException).code === 'Z_DATA_ERROR' || (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR') {
      return { ok: false, reason: 'unreadable-backup', error: `not a readable Keukentafel backup: ${(error as Error).message}` };
    }
    throw error;
  } finally {
    archive.close();
  }
}

/** OP23: the dump goes to a temp file, then `pg_restore` into the empty database in one transaction. */
async function restoreIntoPostgres(archive: OpenedArchive, url: string, options: RestoreOptions): Promise<RestoreResult> {
  const { manifest } = archive;
  if (!(await postgresIsEmpty(url))) {
    archive.close();
    return { ok: false, reason: 'database-not-empty', error: 'the database DATABASE_URL names is not empty; a restore only writes into an empty database (createdb a new one)' };
  }
  const staging = mkdtempSync(join(tmpdir(), 'kt-restore-'));
  const dump = join(staging, PG_DUMP_FILE);
  const dms = options.dmsDir === null ? null : new DropFolderWriter(resolve(options.dmsDir), manifest.files);
  try {
    await archive.extract(async (entry) => {
      if (entry.path === PG_DUMP_FILE) return fileSink(dump);
      if (entry.path.startsWith('dms/') && dms !== null) return dms.sink(entry);
      return discardSink;
    });
    if (!existsSync(dump)) throw new BackupFormatError(`it holds no ${PG_DUMP_FILE}`);
    const restored = await restorePostgres(url, dump);
    if (!restored.ok) {
      await dms?.abandon();
      return { ok: false, reason: 'restore-failed', error: restored.error };
    }
    await dms?.finish();
    return { ok: true, manifest, dmsFolders: dms?.summary() ?? { restored: 0, alreadyThere: 0, incomplete: [] } };
  } catch (error) {
    await dms?.abandon();
    if (error instanceof BackupFormatError) return { ok: false, reason: 'unreadable-backup', error: error.message };
    throw error;
  } finally {
    archive.close();
    rmSync(staging, { recursive: true, force: true });
  }
}

function installationMarker(manifest: BackupManifest): Parameters<typeof writeMarker>[1] {
  if (manifest.installationCreatedAt === null) return null;
  return { format: 1, database: DATABASE_FILE, createdAt: manifest.installationCreatedAt, state: 'stopped', updatedAt: manifest.createdAt };
}

function checkDatabase(path: string, schemaVersion: number): void {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const result = db.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw new BackupFormatError(`its database fails SQLite's check: ${String(result)}`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== schemaVersion) throw new BackupFormatError(`its database is at schema version ${version}, the manifest says ${schemaVersion}`);
  } finally {
    db.close();
    // A read-only look leaves empty -wal/-shm files beside the file; they must not follow it.
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
  }
}

const discardSink: FileSink = { write: () => Promise.resolve(), done: () => Promise.resolve() };

async function fileSink(path: string): Promise<FileSink> {
  await mkdir(dirname(path), { recursive: true });
  const handle: FileHandle = await open(path, 'wx');
  return {
    async write(chunk) {
      await handle.write(chunk);
    },
    async done() {
      await handle.sync();
      await handle.close();
    },
  };
}

/**
 * Puts the backup's identificatie folders (`dms/<zaak>/<identificatie>/…`) into the drop folder
 * the way the filesystem DMS writes them: into its temp folder first, then one rename, so an
 * import job never sees half a folder. A folder already there is left as it is (filed folders
 * never change, J9); one the backup holds only in part (an import job took it mid-backup) is
 * left out and named.
 */
class DropFolderWriter {
  private readonly staging: string;
  private readonly folders = new Map<string, { zaak: string; id: string; files: Set<string> }>();
  private restored = 0;
  private alreadyThere = 0;
  private readonly incomplete: string[] = [];

  constructor(
    private readonly root: string,
    entries: readonly BackupFileEntry[],
  ) {
    this.staging = join(root, DMS_TMP_DIR, `restore-${randomUUID()}`);
    for (const entry of entries) {
      const parts = entry.path.split('/');
      if (parts[0] !== 'dms' || parts.length !== 4) continue;
      const [, zaak = '', id = '', name = ''] = parts;
      const key = `${zaak}/${id}`;
      const folder = this.folders.get(key) ?? { zaak, id, files: new Set<string>() };
      folder.files.add(name);
      this.folders.set(key, folder);
    }
  }

  async sink(entry: BackupFileEntry): Promise<FileSink> {
    const parts = entry.path.split('/');
    // Only the drop folder's own shape, with names the adapter itself could have written.
    if (parts.length !== 4 || parts.slice(1).some((p) => p !== safeSegment(p))) return discardSink;
    const target = join(this.staging, parts[1] ?? '', parts[2] ?? '', parts[3] ?? '');
    if (relative(this.staging, target).split(sep).length !== 3) return discardSink;
    return fileSink(target);
  }

  async finish(): Promise<void> {
    for (const { zaak, id, files } of this.folders.values()) {
      const staged = join(this.staging, zaak, id);
      if (!existsSync(staged)) continue;
      if (!files.has('document.pdf') || !files.has('metadata.json')) {
        this.incomplete.push(`${zaak}/${id}`);
        continue;
      }
      const final = join(this.root, zaak, id);
      if (existsSync(final)) {
        this.alreadyThere++;
        continue;
      }
      await mkdir(dirname(final), { recursive: true });
      await syncDir(staged);
      await rename(staged, final);
      await syncDir(dirname(final));
      this.restored++;
    }
    await rm(this.staging, { recursive: true, force: true });
  }

  async abandon(): Promise<void> {
    await rm(this.staging, { recursive: true, force: true });
  }

  summary(): { restored: number; alreadyThere: number; incomplete: string[] } {
    return { restored: this.restored, alreadyThere: this.alreadyThere, incomplete: this.incomplete };
  }
}

async function syncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
