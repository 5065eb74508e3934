// Backup and restore with PostgreSQL (OP23), against a real PostgreSQL cluster and the operator's
// commands as the README gives them: with DATABASE_URL, `npm run backup -- <file>` puts a pg_dump
// and the DMS drop folder into the same archive, and `npm run restore -- <file>` puts it into an
// EMPTY database (pg_restore, one transaction), refusing a database with anything in it.
// The PostgreSQL server itself is not started here: its store is another part of issue 15.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPool } from '../../server/store/postgres/pool';
import { migrate, MIGRATIONS } from '../../server/store/postgres/schema';
import { runNpm } from '../support/ops';
import { startPostgres, type PostgresCluster } from '../support/postgres';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
});
afterAll(async () => {
  await cluster.stop();
});

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('backup and restore with PostgreSQL', { timeout: 180_000 }, () => {
  it('[OP23] a pg_dump backup with the drop folder restores into an empty database only', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kt-pg-backup-'));
    try {
      const source = await cluster.createDatabase();
      const pool = openPool(source);
      try {
        await migrate(pool);
        await pool.query("INSERT INTO teams (id, name) VALUES ('wijk', 'Wijkteam Centrum')");
      } finally {
        await pool.end();
      }
      // A filed folder in the drop folder (DMS_DIR defaults to $DATA_DIR/dms).
      const folder = join(root, 'data', 'dms', 'ZAAK-1', 'KT-2026-0000001');
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, 'document.pdf'), '%PDF-1.7 proef');
      writeFileSync(join(folder, 'metadata.json'), '{"identificatie":"KT-2026-0000001"}\n');

      const file = join(root, 'pg.ktbackup');
      const backup = await runNpm('backup', file, { DATABASE_URL: source, DATA_DIR: join(root, 'data') });
      expect(backup.output).toContain(`schema version ${MIGRATIONS.length}`);
      expect(backup.code).toBe(0);

      // Into a database that has anything in it: refused, nothing changed.
      const intoUsed = await runNpm('restore', file, { DATABASE_URL: source, DATA_DIR: join(root, 'elsewhere') });
      expect(intoUsed.code).toBe(2);
      expect(intoUsed.output).toContain('database-not-empty');

      const target = await cluster.createDatabase();
      const restore = await runNpm('restore', file, { DATABASE_URL: target, DATA_DIR: join(root, 'restored') });
      expect(restore.output).toContain('1 put back');
      expect(restore.code).toBe(0);
      expect(await query<{ name: string }>(target, "SELECT name FROM teams WHERE id = 'wijk'")).toEqual([{ name: 'Wijkteam Centrum' }]);
      expect(await query<{ v: number }>(target, 'SELECT max(version) AS v FROM schema_migrations')).toEqual([{ v: MIGRATIONS.length }]);
      expect(readFileSync(join(root, 'restored', 'dms', 'ZAAK-1', 'KT-2026-0000001', 'document.pdf'), 'utf8')).toBe('%PDF-1.7 proef');

      // A PostgreSQL backup is not an embedded one, and the other way round.
      const asSqlite = await runNpm('restore', file, { DATA_DIR: join(root, 'as-sqlite') });
      expect(asSqlite.code).toBe(2);
      expect(asSqlite.output).toContain('engine-mismatch');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
