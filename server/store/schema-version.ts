// OP20: the refusal of a database written by a newer server, as one typed error both engines can
// throw and main.ts can print plainly (exit code 4). It names both schema versions and, when the
// database recorded it, the app version that wrote it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SchemaTooNewInfo {
  engine: 'sqlite' | 'postgres';
  /** The schema version the database is at. */
  database: number;
  /** The newest schema version this server knows. */
  server: number;
  /** The app version that ran the database's newest step, when recorded (OP19). */
  writtenBy: string | null;
  /** This server's app version, when known. */
  serverApp: string | null;
}

export class SchemaTooNewError extends Error {
  readonly reason = 'schema-too-new';
  constructor(readonly info: SchemaTooNewInfo) {
    const by = info.writtenBy === null ? '' : ` by Keukentafel ${info.writtenBy}`;
    const self = info.serverApp === null ? 'this server' : `this server (Keukentafel ${info.serverApp})`;
    super(
      `the database was written${by} with schema version ${info.database}; ${self} knows schema version ${info.server} at most. ` +
        'Start the newer version again, or restore a backup made by this version (README, "Upgrading").',
    );
    this.name = 'SchemaTooNewError';
  }
}

let cached: string | null | undefined;

/**
 * package.json's version: what schema_migrations records and backups name. Looked up from this
 * file upwards, so it is found from the sources and from a compiled server alike.
 */
export function appVersion(): string | null {
  if (cached !== undefined) return cached;
  cached = null;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'keukentafel' && typeof pkg.version === 'string') {
        cached = pkg.version;
        break;
      }
    } catch {
      // no package.json here: one folder up
    }
    dir = dirname(dir);
  }
  return cached;
}
