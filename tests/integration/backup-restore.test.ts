// Backup and restore of the embedded installation (OP15–OP18), against the real server with real
// y-websocket clients, and the operator's commands exactly as the README gives them:
// `npm run backup -- <file>` while the server keeps serving under write load, `npm run restore --
// <file>` into a new folder, a server started on it. Every edit acknowledged before the backup
// started is there; devices send newer edits again; nothing reaches the DMS twice.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { createFilesystemDms, DMS_TMP_DIR } from '../../server/dms/filesystem';
import type { DmsAdapter } from '../../server/dms/types';
import { SCHEMA_VERSION } from '../../server/store/sqlite/schema';
import { snapshotCovers } from '../../shared/protocol/persisted';
import { WorkflowStatus } from '../../shared/model/index-entry';
import { act, eventually, submissionsOf } from '../support/api';
import { writeLetter } from '../support/letter';
import { runNpm } from '../support/ops';
import { AckingClient, login, openDocument, startTestServer, waitFor, type Session, type TestServer } from '../support/server';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function server(dataDir: string, extra: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const s = await startTestServer({ dataDir, ...extra });
  cleanups.push(() => s.close());
  return s;
}

function track(client: AckingClient): AckingClient {
  cleanups.push(() => client.provider.destroy());
  return client;
}

/** A device writing one numbered edit after another into its document (field e<n>), remembering what each made. */
class Writer {
  readonly snapshots: Y.Snapshot[] = [];
  private timer: NodeJS.Timeout | null = null;
  constructor(
    readonly id: string,
    readonly client: AckingClient,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.write(), 10);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
  }

  write(): void {
    const n = this.snapshots.length;
    this.client.doc.getMap<string>('fields').set(`e${n}`, `edit ${n} of ${this.id}`);
    this.snapshots.push(Y.snapshot(this.client.doc));
  }

  /** How many edits the server's last ack covers (all of the first n). */
  acknowledged(): number {
    const durable = this.client.durable;
    if (durable === null) return 0;
    let n = 0;
    while (n < this.snapshots.length && snapshotCovers(durable, this.snapshots[n] as Y.Snapshot)) n++;
    return n;
  }
}

/** Reads a document as a fresh device would: everything the server has, after the first sync. */
async function readEdits(url: string, session: Session, id: string): Promise<Map<string, string>> {
  const reader = track(new AckingClient(url, `doc:${id}`, session.accessToken, new Y.Doc(), false));
  await waitFor(() => reader.durable !== null && reader.provider.synced, 10_000, `document ${id} read`);
  const edits = new Map([...reader.doc.getMap<string>('fields').entries()].filter(([key]) => /^e[0-9]+$/.test(key)));
  reader.provider.destroy();
  return edits;
}

// Each test starts servers and runs npm commands as child processes: minutes on a loaded machine.
describe('backup and restore', { timeout: 180_000 }, () => {
  it('[OP15] [OP17] an online backup under write load holds every edit acknowledged before it started; devices send newer ones again', async () => {
    const root = tempDir('kt-backup-');
    const dataDir = join(root, 'data');
    const s = await server(dataDir);
    // An operator's long read (a report in the sqlite3 shell) holds SQLite's checkpoint back, so
    // what the devices write now lives only in the WAL: a copy of the database file alone would
    // miss it; the backup API reads through the WAL.
    const reader = new Database(join(dataDir, 'keukentafel.sqlite'), { readonly: true });
    cleanups.push(() => void reader.close());
    reader.prepare('BEGIN').run();
    reader.prepare('SELECT count(*) AS n FROM documents').get();
    const vera = await login(s.url, 'veldwerker');
    const writers: Writer[] = [];
    for (let i = 0; i < 3; i++) {
      const { id, client } = await openDocument(s.url, vera.accessToken);
      writers.push(new Writer(id, track(client)));
    }
    for (const w of writers) w.start();
    // Load is on: acks are coming back while the devices keep writing.
    await waitFor(() => writers.every((w) => w.acknowledged() >= 20), 20_000, 'edits acknowledged under load');

    const acknowledgedBefore = writers.map((w) => w.acknowledged());
    const file = join(root, 'keukentafel.ktbackup');
    const backup = await runNpm('backup', file, { DATA_DIR: dataDir });
    expect(backup.output).toContain('Backup written');
    expect(backup.code).toBe(0);
    // Online: the server kept committing edits while the backup command ran.
    expect(writers.every((w, i) => w.acknowledged() > (acknowledgedBefore[i] ?? 0))).toBe(true);

    reader.prepare('COMMIT').run();
    // A document made after the backup, on the device only as far as the restored server knows.
    const late = await openDocument(s.url, vera.accessToken);
    const lateWriter = new Writer(late.id, track(late.client));
    lateWriter.write();
    for (const w of writers) w.stop();
    for (const w of [...writers, lateWriter]) await w.client.waitSaved();
    // The disaster: the server and its data folder are gone.
    for (const w of [...writers, lateWriter]) w.client.provider.destroy();
    await s.close();
    rmSync(dataDir, { recursive: true, force: true });

    const restoredDir = join(root, 'restored');
    const restore = await runNpm('restore', file, { DATA_DIR: restoredDir });
    expect(restore.output).toContain('Restored into');
    expect(restore.code).toBe(0);
    const r = await server(restoredDir);

    // Every edit acknowledged before the backup started is there.
    for (const [i, w] of writers.entries()) {
      const edits = await readEdits(r.url, vera, w.id);
      for (let n = 0; n < (acknowledgedBefore[i] ?? 0); n++) expect(edits.get(`e${n}`)).toBe(`edit ${n} of ${w.id}`);
    }
    // The devices hold newer edits (and a document the restored server never saw): on reconnect
    // they send them again (the late one with E9's create intent, as the app does), and they land.
    for (const w of [...writers, lateWriter]) {
      const again = track(new AckingClient(r.url, `doc:${w.id}`, vera.accessToken, w.client.doc, true));
      await again.waitSaved(20_000);
      const edits = await readEdits(r.url, vera, w.id);
      expect(edits.size).toBe(w.snapshots.length);
    }
  });

  it('[OP16] a restore writes only into an empty folder and refuses a backup of a newer schema or a damaged file', async () => {
    const root = tempDir('kt-restore-refuse-');
    const dataDir = join(root, 'data');
    const s = await server(dataDir);
    const file = join(root, 'ok.ktbackup');
    expect((await runNpm('backup', file, { DATA_DIR: dataDir })).code).toBe(0);
    await s.close();

    // A folder with anything in it is never written into.
    const used = join(root, 'used');
    mkdirSync(used);
    writeFileSync(join(used, 'notes.txt'), 'iets van de beheerder');
    const intoUsed = await runNpm('restore', file, { DATA_DIR: used });
    expect(intoUsed.code).toBe(2);
    expect(intoUsed.output).toContain('data-dir-not-empty');
    expect(readdirSync(used)).toEqual(['notes.txt']);

    // A damaged file (one byte changed in the middle) is refused and leaves nothing behind.
    const damaged = join(root, 'damaged.ktbackup');
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] = (bytes[Math.floor(bytes.length / 2)] ?? 0) ^ 0xff;
    writeFileSync(damaged, bytes);
    const fromDamaged = await runNpm('restore', damaged, { DATA_DIR: join(root, 'from-damaged') });
    expect(fromDamaged.code).toBe(2);
    expect(fromDamaged.output).toContain('unreadable-backup');
    expect(existsSync(join(root, 'from-damaged'))).toBe(false);

    // A backup of a database a newer server wrote: refused, naming both schema versions.
    const newer = join(root, 'newer');
    mkdirSync(newer);
    const db = new Database(join(newer, 'keukentafel.sqlite'));
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const newerFile = join(root, 'newer.ktbackup');
    expect((await runNpm('backup', newerFile, { DATA_DIR: newer })).code).toBe(0);
    const fromNewer = await runNpm('restore', newerFile, { DATA_DIR: join(root, 'from-newer') });
    expect(fromNewer.code).toBe(2);
    expect(fromNewer.output).toContain('schema-too-new');
    expect(fromNewer.output).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    expect(fromNewer.output).toContain(`schema version ${SCHEMA_VERSION} at most`);
    expect(existsSync(join(root, 'from-newer'))).toBe(false);

    // The good backup into a new folder: the first start takes it (G9's marker says stopped).
    const fresh = await runNpm('restore', file, { DATA_DIR: join(root, 'fresh') });
    expect(fresh.code).toBe(0);
    const r = await server(join(root, 'fresh'));
    expect((await login(r.url, 'veldwerker')).user.name).toBeTruthy();
  });

  it('[OP18] a submission in the DMS before the backup is not delivered again; one delivered after it is not written twice', async () => {
    const root = tempDir('kt-restore-dms-');
    const dataDir = join(root, 'data');
    // The drop folder lives apart from the data folder (a share the import job reads) and
    // survives the loss of the server's disk.
    const dropFolder = join(root, 'dms-share');
    const fs = createFilesystemDms({ dir: dropFolder });
    let outage = false;
    const dms: DmsAdapter = {
      ...fs,
      name: 'filesystem',
      deliver: (delivery) =>
        outage ? Promise.resolve({ ok: false, retryable: true, reason: 'DMS tijdelijk weg' }) : fs.deliver(delivery),
    };
    const s = await server(dataDir, { dms, dmsDir: dropFolder, outbox: { pollMs: 50, baseDelayMs: 100, maxDelayMs: 200, leaseMs: 1_000, maxAttempts: 10_000 } });
    const vera = await login(s.url, 'veldwerker');
    const letter = async (target: TestServer, zaaknummer: string): Promise<string> => {
      const { id, client } = await openDocument(target.url, vera.accessToken);
      track(client);
      await writeLetter(client, id, vera, { zaaknummer });
      return id;
    };
    const inDms = (target: TestServer, id: string) => async (): Promise<boolean> => (await target.store.getDocument(id))?.status === WorkflowStatus.archived;

    // Before the backup: A reached the DMS; B waits through a DMS outage.
    const a = await letter(s, 'ZAAK-A-1');
    expect((await act(s.url, vera.accessToken, a, 'submit')).status).toBe(202);
    await eventually(inDms(s, a), 'A in the DMS');
    outage = true;
    const b = await letter(s, 'ZAAK-B-1');
    expect((await act(s.url, vera.accessToken, b, 'submit')).status).toBe(202);
    await eventually(async () => ((await submissionsOf(s.url, vera.accessToken, b))[0]?.attempts ?? 0) >= 1, 'B tried once');

    const file = join(root, 'keukentafel.ktbackup');
    expect((await runNpm('backup', file, { DATA_DIR: dataDir, DMS_DIR: dropFolder })).code).toBe(0);
    // After the backup: the DMS is back and B is filed. The backup's outbox still says pending.
    outage = false;
    await eventually(inDms(s, b), 'B in the DMS');
    const [aSub] = await submissionsOf(s.url, vera.accessToken, a);
    const [bSub] = await submissionsOf(s.url, vera.accessToken, b);
    if (aSub === undefined || bSub === undefined) throw new Error('submissions missing');
    await s.close();
    rmSync(dataDir, { recursive: true, force: true });

    const folderOf = (dir: string, sub: { zaak: string; identificatie: string }): string => join(dir, sub.zaak, sub.identificatie);
    const fingerprint = (folder: string): string[] =>
      readdirSync(folder)
        .sort()
        .map((f) => {
          const st = statSync(join(folder, f));
          return `${f} ino=${st.ino} mtime=${st.mtimeMs} size=${st.size}`;
        });
    const before = { a: fingerprint(folderOf(dropFolder, aSub)), b: fingerprint(folderOf(dropFolder, bSub)) };

    // Restore beside the surviving drop folder: A is there already, B's folder is the outbox's to find.
    const restoredDir = join(root, 'restored');
    const restore = await runNpm('restore', file, { DATA_DIR: restoredDir, DMS_DIR: dropFolder });
    expect(restore.code).toBe(0);
    expect(restore.output).toContain('0 put back, 1 already there');
    const attempts: string[] = [];
    const fs2 = createFilesystemDms({ dir: dropFolder });
    // The worker delivers (the adapter looks up first), or, when the backup caught B's attempt
    // in flight, looks it up as an interrupted attempt (O2): either way only B is asked about.
    const watched: DmsAdapter = {
      name: 'filesystem',
      lookup: (identificatie, zaak, delivery) => {
        attempts.push(identificatie);
        return fs2.lookup(identificatie, zaak, delivery);
      },
      deliver: (delivery) => {
        attempts.push(delivery.identificatie);
        return fs2.deliver(delivery);
      },
    };
    const r = await server(restoredDir, { dms: watched, dmsDir: dropFolder, outbox: { pollMs: 50 } });
    expect((await r.store.getDocument(a))?.status).toBe(WorkflowStatus.archived);
    // B's restored row says pending; the worker looks it up by identificatie and finds its folder.
    await eventually(inDms(r, b), 'B in the DMS after the restore', 20_000);
    const [bAfter] = await submissionsOf(r.url, vera.accessToken, b);
    expect(bAfter?.dmsReference).toBe(bSub.dmsReference);
    expect(attempts.length).toBeGreaterThan(0);
    expect(new Set(attempts)).toEqual(new Set([bSub.identificatie]));
    // Nothing was written: the same files (same inodes and times), no second folder, no leftovers.
    expect(fingerprint(folderOf(dropFolder, aSub))).toEqual(before.a);
    expect(fingerprint(folderOf(dropFolder, bSub))).toEqual(before.b);
    expect(readdirSync(join(dropFolder, aSub.zaak))).toEqual([aSub.identificatie]);
    expect(readdirSync(join(dropFolder, bSub.zaak))).toEqual([bSub.identificatie]);
    expect(readdirSync(join(dropFolder, DMS_TMP_DIR))).toEqual([]);
    await r.close();

    // The drop folder was lost with the disk too (default DMS_DIR inside DATA_DIR): A comes back
    // from the backup, B is written once, by the outbox.
    const lostAll = join(root, 'restored-all');
    const restoreAll = await runNpm('restore', file, { DATA_DIR: lostAll });
    expect(restoreAll.code).toBe(0);
    expect(restoreAll.output).toContain('1 put back');
    const all = await server(lostAll, { outbox: { pollMs: 50 } });
    await eventually(inDms(all, b), 'B filed into the restored drop folder', 20_000);
    const drop = join(lostAll, 'dms');
    expect(readdirSync(join(drop, aSub.zaak))).toEqual([aSub.identificatie]);
    expect(readdirSync(join(drop, bSub.zaak))).toEqual([bSub.identificatie]);
    expect(readFileSync(join(folderOf(drop, aSub), 'document.pdf'))).toEqual(readFileSync(join(folderOf(dropFolder, aSub), 'document.pdf')));
  });
});
