// Safe upgrades (OP19–OP21) against the real server: every SQLite schema step is recorded with
// its time and app version; a server refuses (exit 5, both versions named, nothing written) a
// database a newer server wrote; a device still running the previous app (the sync contract
// without E9's `intent=create`) keeps syncing existing documents and is refused plainly (4403)
// for one it made offline, keeping the edit until the updated app sends it.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKER_FILE } from '../../server/store/data-dir-marker';
import { MIGRATIONS, MIGRATION_NAMES, SCHEMA_VERSION } from '../../server/store/sqlite/schema';
import { appVersion } from '../../server/store/schema-version';
import { CloseCode, CloseReason } from '../../shared/protocol/messages';
import { freePort, runChildServerToExit } from '../support/child-server';
import { AckingClient, login, openDocument, startTestServer, waitFor, type TestServer } from '../support/server';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function server(dataDir: string): Promise<TestServer> {
  const s = await startTestServer({ dataDir });
  cleanups.push(() => s.close());
  return s;
}

interface MigrationRow {
  version: number;
  name: string;
  applied_at: number | null;
  app_version: string | null;
}

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

// OP20 starts a child server under tsx: slow on a loaded machine.
describe('upgrades', { timeout: 120_000 }, () => {
  it('[OP19] each schema step runs forward in its own transaction and is recorded with its time and app version', async () => {
    const dataDir = tempDir('kt-upgrade-');
    // A database as the release before schema_migrations left it: every older step, data in it.
    const file = join(dataDir, 'keukentafel.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    for (const [i, step] of MIGRATIONS.slice(0, SCHEMA_VERSION - 1).entries()) {
      old.exec(step);
      old.pragma(`user_version = ${i + 1}`);
    }
    old.prepare("INSERT INTO teams (id, name) VALUES ('oud', 'Team van voor de upgrade')").run();
    old.close();

    const before = Date.now();
    const s = await server(dataDir);
    await s.close();
    const db = new Database(file, { readonly: true });
    cleanups.push(() => void db.close());
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const rows = db.prepare<[], MigrationRow>('SELECT * FROM schema_migrations ORDER BY version').all();
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(rows.map((r) => r.name)).toEqual(MIGRATION_NAMES);
    // Steps that ran before the record existed say so (no time); the one that ran now has both.
    expect(rows.slice(0, -1).every((r) => r.applied_at === null && r.app_version === null)).toBe(true);
    expect(rows.at(-1)?.applied_at).toBeGreaterThanOrEqual(before);
    expect(rows.at(-1)?.app_version).toBe(appVersion());
    expect(db.prepare<[], { name: string }>("SELECT name FROM teams WHERE id = 'oud'").get()?.name).toBe('Team van voor de upgrade');

    // A fresh installation records every step with its time.
    const fresh = tempDir('kt-upgrade-fresh-');
    await (await server(fresh)).close();
    const freshDb = new Database(join(fresh, 'keukentafel.sqlite'), { readonly: true });
    cleanups.push(() => void freshDb.close());
    const freshRows = freshDb.prepare<[], MigrationRow>('SELECT * FROM schema_migrations ORDER BY version').all();
    expect(freshRows).toHaveLength(SCHEMA_VERSION);
    expect(freshRows.every((r) => r.applied_at !== null && r.app_version === appVersion())).toBe(true);
  });

  it('[OP20] a server refuses a database written by a newer version, naming both versions, and changes nothing', async () => {
    const dataDir = tempDir('kt-newer-');
    await (await server(dataDir)).close();
    // What a newer server would leave: one more step, recorded with its app version.
    const file = join(dataDir, 'keukentafel.sqlite');
    const newer = new Database(file);
    newer.exec('CREATE TABLE from_the_future (x INTEGER)');
    newer.prepare('INSERT INTO schema_migrations (version, name, applied_at, app_version) VALUES (?, ?, ?, ?)').run(SCHEMA_VERSION + 1, 'future step', Date.now(), '9.9.0');
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    const hashBefore = sha256(file);
    const markerBefore = readFileSync(join(dataDir, MARKER_FILE), 'utf8');

    const { code, output } = await runChildServerToExit(dataDir, await freePort());
    expect(code).toBe(5);
    expect(output).toContain('Keukentafel start refused (schema-too-new)');
    expect(output).toContain(`written by Keukentafel 9.9.0 with schema version ${SCHEMA_VERSION + 1}`);
    expect(output).toContain(`this server (Keukentafel ${appVersion()}) knows schema version ${SCHEMA_VERSION} at most`);
    expect(output).not.toMatch(/\n\s+at /); // a plain message, no stack trace
    expect(sha256(file)).toBe(hashBefore);
    expect(readFileSync(join(dataDir, MARKER_FILE), 'utf8')).toBe(markerBefore);
    expect(existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`).length : 0).toBe(0);
  });

  it('[OP21] a device on the previous app version keeps syncing existing documents; an offline-made one is refused plainly and its edit kept until the update sends it', async () => {
    const s = await server(tempDir('kt-previous-app-'));
    const vera = await login(s.url, 'veldwerker');
    // An existing document (made before the upgrade): the previous app opens it without intent.
    const existing = await openDocument(s.url, vera.accessToken);
    existing.client.destroy();
    const previous = new AckingClient(s.url, `doc:${existing.id}`, vera.accessToken, new Y.Doc(), false);
    cleanups.push(() => previous.destroy());
    await waitFor(() => previous.durable !== null, 10_000, 'existing document opened by the previous app');
    previous.doc.getMap<string>('meta').set('title', 'Bewerkt met de vorige versie');
    await previous.waitSaved();
    expect(previous.closes).toEqual([]);

    // A document the previous app made offline: without the intent the server refuses it with
    // a close code the app already knows (4403 no-access), creates nothing, and the edit stays.
    const offlineId = crypto.randomUUID();
    const offlineDoc = new Y.Doc();
    offlineDoc.getMap<string>('meta').set('title', 'Offline gemaakt met de vorige versie');
    const refused = new AckingClient(s.url, `doc:${offlineId}`, vera.accessToken, offlineDoc, false);
    await waitFor(() => refused.closes.length > 0, 10_000, 'refused');
    expect(refused.closes[0]).toEqual({ code: CloseCode.forbidden, reason: CloseReason.noAccess });
    expect(refused.durable).toBeNull();
    refused.provider.destroy();
    expect(await s.store.getDocument(offlineId)).toBeNull();
    expect(offlineDoc.getMap<string>('meta').get('title')).toBe('Offline gemaakt met de vorige versie');

    // The updated app holds that unacknowledged edit and connects with the intent: it lands.
    const updated = new AckingClient(s.url, `doc:${offlineId}`, vera.accessToken, offlineDoc, true);
    cleanups.push(() => updated.destroy());
    await updated.waitSaved();
    expect(await s.store.getDocument(offlineId)).toMatchObject({ id: offlineId, createdBy: vera.user.id });
  });
});
