// A small marker in DATA_DIR (G9), `keukentafel.state.json`: written when the database is first
// created, `running` while the server runs, `stopped` after a clean shutdown. At start it tells a
// first start from a data dir whose database or WAL was lost, which must stop, never re-seed.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const MARKER_FILE = 'keukentafel.state.json';
export const DATABASE_FILE = 'keukentafel.sqlite';

const MarkerSchema = z.object({
  format: z.literal(1),
  database: z.string(),
  createdAt: z.string(),
  state: z.enum(['running', 'stopped']),
  updatedAt: z.string(),
});
export type DataDirMarker = z.infer<typeof MarkerSchema>;

export type DataDirRefusal = 'database-missing' | 'wal-missing' | 'marker-unreadable';

export type DataDirCheck = { ok: true; marker: DataDirMarker | null } | { ok: false; reason: DataDirRefusal; message: string };

/** Stops a start that would otherwise open (and seed) a fresh database in a used data dir. */
export class DataDirError extends Error {
  constructor(
    readonly reason: DataDirRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'DataDirError';
  }
}

export function checkDataDir(dataDir: string): DataDirCheck {
  const db = join(dataDir, DATABASE_FILE);
  const markerPath = join(dataDir, MARKER_FILE);
  const hasDb = existsSync(db);
  const hasWal = existsSync(`${db}-wal`);
  const help = `See the README, "When the start refuses the data dir".`;
  if (!existsSync(markerPath)) {
    // No marker: a first start, or an installation from before the marker (it gets one now).
    if (!hasDb && hasWal) {
      return { ok: false, reason: 'database-missing', message: `DATA_DIR ${dataDir}: ${DATABASE_FILE}-wal is there but ${DATABASE_FILE} is not; refusing to start a fresh installation over it. ${help}` };
    }
    return { ok: true, marker: null };
  }
  let marker: DataDirMarker;
  try {
    marker = MarkerSchema.parse(JSON.parse(readFileSync(markerPath, 'utf8')));
  } catch {
    return { ok: false, reason: 'marker-unreadable', message: `DATA_DIR ${dataDir}: ${MARKER_FILE} cannot be read; refusing to guess whether the database is complete. ${help}` };
  }
  if (!hasDb) {
    return {
      ok: false,
      reason: 'database-missing',
      message: `DATA_DIR ${dataDir}: ${DATABASE_FILE} is missing, but this data dir has held an installation since ${marker.createdAt}; refusing to start a fresh one (new demo accounts, no documents). ${help}`,
    };
  }
  if (marker.state === 'running' && !hasWal) {
    return {
      ok: false,
      reason: 'wal-missing',
      message: `DATA_DIR ${dataDir}: the server did not stop cleanly (last state "running", ${marker.updatedAt}) and ${DATABASE_FILE}-wal, which holds its latest commits, is missing; refusing to start without them. ${help}`,
    };
  }
  return { ok: true, marker };
}

/** Writes the marker durably and atomically (temp file, fsync, rename, fsync of the folder): a
 *  `stopped` that a power cut took back would make the next start refuse a sound database. */
export function writeMarker(dataDir: string, previous: DataDirMarker | null, state: DataDirMarker['state'], now: Date): DataDirMarker {
  const marker: DataDirMarker = {
    format: 1,
    database: DATABASE_FILE,
    createdAt: previous?.createdAt ?? now.toISOString(),
    state,
    updatedAt: now.toISOString(),
  };
  const path = join(dataDir, MARKER_FILE);
  const fd = openSync(`${path}.tmp`, 'w');
  try {
    writeSync(fd, `${JSON.stringify(marker, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(`${path}.tmp`, path);
  const dir = openSync(dataDir, 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
  return marker;
}
