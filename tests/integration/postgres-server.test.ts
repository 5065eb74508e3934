// DB5: `npm start` with DATABASE_URL keeps its data in PostgreSQL: the real server process on a
// throw-away cluster, a demo user signs in, a real y-websocket client writes a document, and
// after a restart the document is there, with nothing written to SQLite under DATA_DIR.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyOf, bodyText } from '../support/body-text';
import { freePort, runChildServerToExit, startChildServer, type ChildServer } from '../support/child-server';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { AckingClient, login, waitFor } from '../support/server';

let cluster: PostgresCluster;
const dataDir = mkdtempSync(join(tmpdir(), 'kt-pg-server-'));
const children: ChildServer[] = [];
beforeAll(async () => {
  cluster = await startPostgres();
}, 180_000);
afterAll(async () => {
  for (const c of children) c.process.kill('SIGKILL');
  await cluster.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the server on PostgreSQL (DATABASE_URL)', () => {
  it('[DB5] a document written over y-websocket is there after a restart; SQLite under DATA_DIR stays untouched', async () => {
    const url = await cluster.createDatabase();
    const env = { DATABASE_URL: url, DATABASE_POOL_MAX: '4' };
    const port = await freePort();
    const first = await startChildServer(dataDir, port, env);
    children.push(first);
    // /api/health pings PostgreSQL (ping() of the store).
    const health = await fetch(`${first.url}/api/health`);
    expect({ code: health.status, body: (await health.json()) as unknown }).toEqual({ code: 200, body: { status: 'ok' } });
    const { accessToken } = await login(first.url, 'veldwerker');
    const id = randomUUID();
    const writer = new AckingClient(first.url, `doc:${id}`, accessToken);
    await waitFor(() => writer.durable !== null, 20_000, 'document loaded');
    bodyText(writer.doc).insert(0, 'Gesprek met mevrouw Jansen');
    await writer.waitSaved(20_000);
    writer.destroy();
    first.process.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const second = await startChildServer(dataDir, port, env);
    children.push(second);
    const again = await login(second.url, 'veldwerker');
    const reader = new AckingClient(second.url, `doc:${id}`, again.accessToken);
    await waitFor(() => reader.provider.synced && bodyOf(reader.doc) !== '', 20_000, 'reader synced');
    expect(bodyOf(reader.doc)).toBe('Gesprek met mevrouw Jansen');
    reader.destroy();
    second.process.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    // The rows are in PostgreSQL; no SQLite file or data dir marker was made.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query<{ id: string }>('SELECT id FROM documents WHERE id = $1', [id])).rows).toEqual([{ id }]);
      expect((await client.query<{ n: number }>(`SELECT count(*) AS n FROM doc_updates WHERE room = $1`, [`doc:${id}`])).rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
    expect(existsSync(join(dataDir, 'keukentafel.sqlite'))).toBe(false);
  });

  it('[DB5] a DATABASE_URL that is not postgres:// stops the start with a clear message', async () => {
    const result = await runChildServerToExit(dataDir, await freePort(), { DATABASE_URL: 'mysql://root:geheim@localhost/kt' });
    expect(result.code).toBe(2);
    // The checked configuration (server/config/readers.ts) names the variable and the schemes it takes.
    expect(result.output).toContain('DATABASE_URL must be a PostgreSQL URL (postgres://… or postgresql://…)');
    expect(result.output).not.toContain('geheim');
  });
});
