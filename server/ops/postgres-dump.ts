// The PostgreSQL side of `npm run backup` / `npm run restore` (OP23): `pg_dump -Fc` of
// DATABASE_URL (one consistent snapshot, the server keeps serving) goes into the same archive as
// the SQLite file would, and `pg_restore` puts it into an EMPTY database in one transaction. The
// schema version is read from schema_migrations (server/store/postgres/schema.ts).
import { spawn } from 'node:child_process';
import pg from 'pg';
import { MIGRATIONS } from '../store/postgres/schema';

export const PG_DUMP_FILE = 'keukentafel.pgdump';
export const PG_SCHEMA_VERSION = MIGRATIONS.length;

/** Runs a PostgreSQL client tool; its stderr becomes the error. The URL goes in an argument, as the tools take it. */
function run(tool: string, args: string[]): Promise<{ ok: true } | { ok: false; error: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error) => resolveRun({ ok: false, error: `${tool} could not run (${error.message}); install the PostgreSQL client tools (Debian: apt-get install -y postgresql-client)` }));
    child.on('exit', (code) => resolveRun(code === 0 ? { ok: true } : { ok: false, error: `${tool} failed (exit ${code}): ${stderr.trim().slice(0, 2000)}` }));
  });
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** The database's schema version (0 when it has none). */
export function postgresSchemaVersion(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const exists = await client.query<{ t: string | null }>("SELECT to_regclass('public.schema_migrations')::text AS t");
    if (exists.rows[0]?.t === null || exists.rows[0]?.t === undefined) return 0;
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    return rows[0]?.v ?? 0;
  });
}

/** True when the database holds no table, view or sequence of its own (a restore's precondition). */
export function postgresIsEmpty(url: string): Promise<boolean> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ n: string }>(
      "SELECT count(*)::text AS n FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname NOT IN ('pg_catalog', 'information_schema') AND s.nspname NOT LIKE 'pg_toast%' AND s.nspname NOT LIKE 'pg_temp%'",
    );
    return rows[0]?.n === '0';
  });
}

export async function dumpPostgres(url: string, target: string): Promise<{ ok: true } | { ok: false; error: string }> {
  return run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', '--file', target, '--dbname', url]);
}

export async function restorePostgres(url: string, dump: string): Promise<{ ok: true } | { ok: false; error: string }> {
  return run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--dbname', url, dump]);
}
