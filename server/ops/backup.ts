// `npm run backup -- <file>` (OP15): an online backup of an embedded installation while the
// server keeps serving. The database is copied with SQLite's backup API in ONE step, so the copy
// is one read transaction: every commit before it started is in, later ones are not, and writers
// (WAL) are never blocked. Then the filesystem DMS's drop folder (whole identificatie folders;
// its temp folder skipped) and a manifest go into one archive (backup-archive.ts).
// Order matters: the database first, then the drop folder. A delivery the copy calls `delivered`
// wrote its folder before that commit, so the folder is in the backup too; a folder that appears
// later may be in the backup with its outbox row still `pending`, and the DMS's look-up by
// identificatie (J9, O2) then finds it after a restore instead of writing it again.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { copyFile, link, open, readdir, rename, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import Database from 'better-sqlite3';
import { DATABASE_FILE, MARKER_FILE } from '../store/data-dir-marker';
import { appVersion } from '../store/schema-version';
import { DMS_TMP_DIR } from '../dms/filesystem';
import { writeArchive, type ArchiveSource, type BackupManifest } from './backup-archive';
import { dumpPostgres, PG_DUMP_FILE, postgresSchemaVersion } from './postgres-dump';

export interface BackupOptions {
  dataDir: string;
  /** The filesystem DMS's drop folder; null with the ZGW adapter (the DMS keeps its own copy). */
  dmsDir: string | null;
  dmsAdapter: string;
  /** The archive to write; refused when it exists. */
  file: string;
  /** DATABASE_URL: back up PostgreSQL with pg_dump instead of DATA_DIR's SQLite file (OP23). */
  databaseUrl?: string;
  now?: () => Date;
}

export type BackupResult =
  | { ok: true; manifest: BackupManifest; file: string; bytes: number }
  | { ok: false; error: string };

export async function createBackup(options: BackupOptions): Promise<BackupResult> {
  const target = resolve(options.file);
  const database = join(options.dataDir, DATABASE_FILE);
  const postgres = options.databaseUrl !== undefined && options.databaseUrl !== '';
  if (!postgres && !existsSync(database)) return { ok: false, error: `${database} does not exist: nothing to back up (is DATA_DIR right?)` };
  if (existsSync(target)) return { ok: false, error: `${target} already exists; a backup never overwrites a file` };
  if (!existsSync(dirname(target))) return { ok: false, error: `the folder ${dirname(target)} does not exist` };
  // The copy is staged beside the target (same file system, so the final rename is atomic).
  const staging = mkdtempSync(join(dirname(target), `.${basename(target)}.`));
  try {
    const sources: ArchiveSource[] = [];
    let schemaVersion: number;
    if (postgres) {
      const url = options.databaseUrl ?? '';
      schemaVersion = await postgresSchemaVersion(url);
      const dump = join(staging, PG_DUMP_FILE);
      const dumped = await dumpPostgres(url, dump);
      if (!dumped.ok) return { ok: false, error: dumped.error };
      sources.push({ entry: await describe(dump, PG_DUMP_FILE), absolutePath: dump });
    } else {
      const copy = join(staging, DATABASE_FILE);
      schemaVersion = await copyDatabase(database, copy);
      sources.push({ entry: await describe(copy, DATABASE_FILE), absolutePath: copy });
    }
    if (options.dmsDir !== null && existsSync(options.dmsDir)) {
      let n = 0;
      for (const file of await listDropFolder(options.dmsDir)) {
        const rel = relative(options.dmsDir, file).split(sep).join('/');
        // A filed folder is never changed, but an import job may remove it while we read: a hard
        // link (a copy across file systems) keeps these bytes for the archive.
        const held = join(staging, `dms-${n++}`);
        if (!(await hold(file, held))) continue;
        sources.push({ entry: await describe(held, `dms/${rel}`), absolutePath: held });
      }
    }
    const manifest: BackupManifest = {
      format: 'keukentafel-backup',
      formatVersion: 1,
      appVersion: appVersion(),
      engine: postgres ? 'postgres' : 'sqlite',
      schemaVersion,
      createdAt: (options.now?.() ?? new Date()).toISOString(),
      source: { dataDir: options.dataDir, dmsDir: options.dmsDir, dmsAdapter: options.dmsAdapter },
      installationCreatedAt: postgres ? null : installationCreatedAt(options.dataDir),
      files: sources.map((s) => s.entry),
    };
    const partial = join(staging, 'archive.partial');
    await writeArchive(partial, manifest, sources);
    await fsyncFile(partial);
    await rename(partial, target);
    await fsyncFile(dirname(target));
    return { ok: true, manifest, file: target, bytes: (await stat(target)).size };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * SQLite's backup API, all pages in one step: one read transaction on the live database. A
 * stepwise copy would restart whenever the server commits (another connection writing), and
 * under steady load might never finish. Opened read-only so closing it never checkpoints or
 * removes the server's WAL (G9's marker counts on that file). Returns the copy's schema version.
 */
async function copyDatabase(source: string, copy: string): Promise<number> {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    await db.backup(copy, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  const check = new Database(copy, { readonly: true, fileMustExist: true });
  try {
    const result = check.pragma('quick_check', { simple: true });
    if (result !== 'ok') throw new Error(`the database copy failed its check: ${String(result)}`);
    return check.pragma('user_version', { simple: true }) as number;
  } finally {
    check.close();
  }
}

async function describe(absolutePath: string, path: string): Promise<{ path: string; size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(absolutePath)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).byteLength;
  }
  return { path, size, sha256: hash.digest('hex') };
}

/** Every file of the drop folder's whole folders; the adapter's temp folder holds only unfinished writes. */
async function listDropFolder(root: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return []; // removed by an import job meanwhile
      throw error;
    });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (depth === 0 && entry.name === DMS_TMP_DIR) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, depth + 1);
      else if (entry.isFile()) files.push(path);
    }
  };
  await walk(root, 0);
  return files;
}

function installationCreatedAt(dataDir: string): string | null {
  try {
    const marker = JSON.parse(readFileSync(join(dataDir, MARKER_FILE), 'utf8')) as { createdAt?: unknown };
    return typeof marker.createdAt === 'string' ? marker.createdAt : null;
  } catch {
    return null;
  }
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Links (or copies) a drop-folder file into the staging folder; false when it is gone already. */
async function hold(file: string, held: string): Promise<boolean> {
  try {
    await link(file, held);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    if (code !== 'EXDEV' && code !== 'EPERM') throw error;
  }
  try {
    await copyFile(file, held);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
