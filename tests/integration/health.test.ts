// Honest health (G7; on SQLite and on PostgreSQL), readiness (G8) and a start that refuses a data dir which lost its database
// or WAL (G9), against the real server: in-process with a gated SQLite store for failing commits
// and a held shutdown, and as a child process (npm start's entry) for the refused starts.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../server/store/sqlite/store';
import { HealthBodySchema, ReadyBodySchema } from '../../shared/protocol/health';
import { freePort, runChildServerToExit, startChildServer } from '../support/child-server';
import { gateStore } from '../support/gated-store';
import { login, openDocument, startTestServer, waitFor, type TestServer } from '../support/server';
import { bodyText } from '../support/body-text';
import { startPostgres, type PostgresCluster } from '../support/postgres';

let srv: TestServer | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await srv?.dispose();
  srv = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const tempDir = (prefix: string): string => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

async function health(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/api/health`);
  return { status: res.status, body: HealthBodySchema.parse(await res.json()) };
}

describe('health and readiness', () => {
  it('[G7] 503 commit-failed while commits fail, 200 {"status":"ok"} again once one succeeds', async () => {
    const dataDir = tempDir('kt-health-');
    const store = gateStore(openSqliteStore(join(dataDir, 'db.sqlite')));
    srv = await startTestServer({ store });
    expect(await health(srv.url)).toEqual({ status: 200, body: { status: 'ok' } });

    const { accessToken } = await login(srv.url, 'veldwerker');
    const { client } = await openDocument(srv.url, accessToken);
    store.failNextCommits = 1_000;
    bodyText(client.doc).insert(0, 'bewaar mij');
    let seen: { status: number; body: unknown } | null = null;
    await waitFor(() => store.failNextCommits < 1_000, 10_000, 'a failed commit');
    seen = await health(srv.url);
    expect(seen).toEqual({ status: 503, body: { status: 'unavailable', reason: 'commit-failed' } });

    store.failNextCommits = 0;
    await client.waitSaved(20_000);
    expect(await health(srv.url)).toEqual({ status: 200, body: { status: 'ok' } });
    client.destroy();
  });

  it('[G7] 503 disk-nearly-full when DATA_DIR\'s file system has less free space than the setting', async () => {
    srv = await startTestServer({ persistent: true, diskMinFreeBytes: Number.MAX_SAFE_INTEGER });
    expect(await health(srv.url)).toEqual({ status: 503, body: { status: 'unavailable', reason: 'disk-nearly-full' } });
  });

  it('[G8] /api/ready is 200 while serving and 503 stopping while the server stops; other requests get 503 then too', async () => {
    const dataDir = tempDir('kt-ready-');
    const store = gateStore(openSqliteStore(join(dataDir, 'db.sqlite')));
    srv = await startTestServer({ store });
    const ready = await fetch(`${srv.url}/api/ready`);
    expect(ready.status).toBe(200);
    expect(ReadyBodySchema.parse(await ready.json())).toEqual({ status: 'ready' });

    // Hold the shutdown in its commit of pending updates, then ask.
    const { accessToken } = await login(srv.url, 'veldwerker');
    const { client } = await openDocument(srv.url, accessToken);
    store.commitGate.closed = true;
    bodyText(client.doc).insert(0, 'nog niet bewaard');
    await waitFor(() => srv!.rooms.loadedCount > 0, 5_000, 'room loaded');
    const closing = srv.close();
    const stopping = await fetch(`${srv.url}/api/ready`);
    expect(stopping.status).toBe(503);
    expect(await stopping.json()).toEqual({ status: 'stopping' });
    expect(stopping.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const other = await fetch(`${srv.url}/api/templates`);
    expect(other.status).toBe(503);
    expect(await other.json()).toEqual({ error: 'server-stopping' });
    store.commitGate.open();
    await closing;
    client.destroy();
  });
});

describe('health on PostgreSQL', () => {
  let pg: PostgresCluster | null = null;
  afterAll(async () => {
    await pg?.stop();
  });

  it('[G7] with DATABASE_URL and DMS_DIR, DATA_DIR is not measured (nothing writes or creates it); the drop folder is', async () => {
    pg = await startPostgres();
    const databaseUrl = await pg.createDatabase();
    const dmsDir = tempDir('kt-health-dms-');
    // Nothing creates DATA_DIR on PostgreSQL with its own drop folder: a folder health cannot
    // measure must not read as a full disk for ever.
    const dataDir = join(tempDir('kt-health-unused-'), 'nie-aangemaakt');
    srv = await startTestServer({ databaseUrl, dataDir, dmsDir });
    expect(existsSync(dataDir)).toBe(false);
    expect(await health(srv.url)).toEqual({ status: 200, body: { status: 'ok' } });
    await srv.dispose();

    // The drop folder is a folder this server writes to: it is measured.
    srv = await startTestServer({ databaseUrl, dataDir, dmsDir, diskMinFreeBytes: Number.MAX_SAFE_INTEGER });
    expect(await health(srv.url)).toEqual({ status: 503, body: { status: 'unavailable', reason: 'disk-nearly-full' } });
  });
});

describe('start checks of DATA_DIR', () => {
  it('[G9] a data dir marks its installation, running while up and stopped after a clean shutdown', async () => {
    const dataDir = tempDir('kt-marker-');
    srv = await startTestServer({ dataDir });
    const marker = (): Record<string, unknown> => JSON.parse(readFileSync(join(dataDir, 'keukentafel.state.json'), 'utf8')) as Record<string, unknown>;
    expect(marker()).toMatchObject({ format: 1, database: 'keukentafel.sqlite', state: 'running' });
    expect(existsSync(join(dataDir, 'keukentafel.sqlite-wal'))).toBe(true);
    const createdAt = marker().createdAt;
    await srv.close();
    srv = null;
    expect(marker()).toMatchObject({ state: 'stopped', createdAt });
    // A clean shutdown removes the WAL: the next start is fine without it.
    expect(existsSync(join(dataDir, 'keukentafel.sqlite-wal'))).toBe(false);
    srv = await startTestServer({ dataDir });
    expect(marker()).toMatchObject({ state: 'running', createdAt });
  });

  it('[G9] a start whose database was deleted by hand exits non-zero with its reason, and seeds nothing', async () => {
    const dataDir = tempDir('kt-lost-db-');
    const port = await freePort();
    const first = await startChildServer(dataDir, port);
    first.process.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, `keukentafel.sqlite${suffix}`), { force: true });

    const refused = await runChildServerToExit(dataDir, port);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('database-missing');
    expect(refused.output).toContain('keukentafel.sqlite is missing');
    expect(existsSync(join(dataDir, 'keukentafel.sqlite'))).toBe(false);
  });

  it('[G9] a start after a crash whose WAL was deleted by hand exits non-zero with its reason', async () => {
    const dataDir = tempDir('kt-lost-wal-');
    const port = await freePort();
    const first = await startChildServer(dataDir, port);
    first.process.kill('SIGKILL');
    await first.exited;
    expect(existsSync(join(dataDir, 'keukentafel.sqlite-wal'))).toBe(true);
    rmSync(join(dataDir, 'keukentafel.sqlite-wal'));

    const refused = await runChildServerToExit(dataDir, port);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain('wal-missing');
    // The database file is left as it was found, for the operator to judge.
    expect(existsSync(join(dataDir, 'keukentafel.sqlite'))).toBe(true);
  });
});
