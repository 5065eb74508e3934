// The embedded default store: one SQLite file (better-sqlite3, WAL) holding accounts, document
// rows and each document's append-only Yjs update log with its snapshot. Methods are async only
// to share the `Store` interface with the PostgreSQL store; every write commits before resolving.
/* eslint-disable @typescript-eslint/require-await --
   Methods are async without awaiting on purpose: a throw becomes a rejected promise, as it
   will be in the PostgreSQL store. */
import Database from 'better-sqlite3';
import type {
  ActionRecord,
  CommitActionOptions,
  CommitActionResult,
  DeviceRow,
  DeviceWipe,
  DocumentPatch,
  DocumentRow,
  RefreshTokenRow,
  Store,
  StoredUpdates,
  TeamRow,
  UpdateHistoryReader,
  UpdateHistoryRow,
  UpdateRecord,
  UserRow,
  UserPatch,
} from '../types';
import { migrate } from './schema';
import { appVersion } from '../schema-version';
import { createSqliteIdentity } from './identity';
import { createSqliteSubmissions } from './submissions';
import { createSqliteScim } from './scim';
import { createSqliteAttachments } from './attachments';
import { createSqlitePush } from './push';
import { createSqliteDrafts } from './drafts';
import { documentsOfBatch, FrozenRoomsError } from '../frozen-content';
import { acceptsEdits } from '../../../shared/model/status';
import { docRoom } from '../../../shared/protocol/rooms';
import { createSqliteAuditLog } from '../../audit/sqlite-audit-log';
import {
  actionFromSql,
  actionToSql,
  documentFromSql,
  documentToSql,
  patchToSql,
  toUint8Array,
  type ActionSql,
  type DocumentSql,
  type UserSql,
  userFromSql,
  usernameKey,
  INSERT_ACTION_SQL,
  UPDATE_DOCUMENT_SQL,
} from './rows';

export type SqliteStore = Store & UpdateHistoryReader;

export interface SqliteStoreOptions {
  /** FULL (default) survives power loss after each commit; NORMAL may lose the last commits. */
  synchronous?: 'FULL' | 'NORMAL';
}


interface DeviceSql {
  id: string;
  user_id: string;
  name: string;
  created_at: number;
  last_seen_at: number;
  revoked_at: number | null;
  app_version: string | null;
  storage_persisted: number | null;
  status_token_hash: string | null;
  recovery_key: string | null;
  wipe: DeviceWipe | null;
  recovered_by: string | null;
}

interface RefreshTokenSql {
  hash: string;
  user_id: string;
  device_id: string;
  expires_at: number;
  used_at: number | null;
}

interface HistorySql {
  seq: number;
  user_id: string | null;
  device_id: string | null;
  conn_id: string | null;
  at: number;
  size: number;
}

export function openSqliteStore(file: string, opts: SqliteStoreOptions = {}): SqliteStore {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${opts.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    migrate(db, { appVersion: appVersion() ?? undefined });
  } catch (error) {
    db.close();
    throw error;
  }
  return createSqliteStore(db);
}


function createSqliteStore(db: Database.Database): SqliteStore {
  const submissions = createSqliteSubmissions(db);
  const scim = createSqliteScim(db);
  const push = createSqlitePush(db);
  const drafts = createSqliteDrafts(db);
  const stmt = {
    ping: db.prepare<[], { ok: number }>('SELECT 1 AS ok'),

    getDocument: db.prepare<[string], DocumentSql>('SELECT * FROM documents WHERE id = ?'),
    insertDocument: db.prepare<[DocumentSql]>(
      `INSERT INTO documents (id, team_id, created_by, created_at, updated_at, title, template_id, kind, zaak, status)
       VALUES (@id, @team_id, @created_by, @created_at, @updated_at, @title, @template_id, @kind, @zaak, @status)
       ON CONFLICT (id) DO NOTHING`,
    ),
    listByTeam: db.prepare<[string], DocumentSql>(
      'SELECT * FROM documents WHERE team_id = ? AND discarded_at IS NULL ORDER BY updated_at DESC, id',
    ),
    listByCreator: db.prepare<[string], DocumentSql>(
      'SELECT * FROM documents WHERE created_by = ? AND discarded_at IS NULL ORDER BY updated_at DESC, id',
    ),
    updateDocument: db.prepare<[Record<string, string | number | null>]>(UPDATE_DOCUMENT_SQL),

    getSnapshot: db.prepare<[string], { state: Buffer; through_seq: number; at: number }>(
      'SELECT state, through_seq, at FROM doc_snapshots WHERE doc_id = ?',
    ),
    logRows: db.prepare<[string], { seq: number; update: Buffer }>(
      'SELECT seq, "update" FROM doc_updates WHERE doc_id = ? ORDER BY seq',
    ),
    insertUpdate: db.prepare<[string, Uint8Array, string | null, string | null, string | null, number]>(
      'INSERT INTO doc_updates (doc_id, "update", user_id, device_id, conn_id, at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    maxFoldedAt: db.prepare<[string, number], { at: number | null }>(
      'SELECT max(at) AS at FROM doc_updates WHERE doc_id = ? AND seq <= ?',
    ),
    upsertSnapshot: db.prepare<[string, Uint8Array, number, number]>(
      `INSERT INTO doc_snapshots (doc_id, state, through_seq, at) VALUES (?, ?, ?, ?)
       ON CONFLICT (doc_id) DO UPDATE SET state = excluded.state, through_seq = excluded.through_seq, at = excluded.at`,
    ),
    copyToHistory: db.prepare<[string, number]>(
      `INSERT INTO doc_update_history (doc_id, seq, user_id, device_id, conn_id, at, size)
       SELECT doc_id, seq, user_id, device_id, conn_id, at, length("update")
       FROM doc_updates WHERE doc_id = ? AND seq <= ?`,
    ),
    deleteFolded: db.prepare<[string, number]>('DELETE FROM doc_updates WHERE doc_id = ? AND seq <= ?'),
    history: db.prepare<[string, string], HistorySql>(
      `SELECT seq, user_id, device_id, conn_id, at, size FROM doc_update_history WHERE doc_id = ?
       UNION ALL
       SELECT seq, user_id, device_id, conn_id, at, length("update") AS size FROM doc_updates WHERE doc_id = ?
       ORDER BY seq`,
    ),

    getAction: db.prepare<[string], ActionSql>('SELECT * FROM actions WHERE idempotency_key = ?'),
    insertAction: db.prepare<[ActionSql]>(INSERT_ACTION_SQL),

    countUsers: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users'),
    insertTeam: db.prepare<[string, string]>('INSERT INTO teams (id, name) VALUES (?, ?)'),
    getTeam: db.prepare<[string], TeamRow>('SELECT id, name FROM teams WHERE id = ?'),
    insertUser: db.prepare<[string, string, string, string, string, string, string, number, string | null, string | null, string | null]>(
      `INSERT INTO users (id, username, username_key, name, team_id, roles, password_hash, disabled, function_title, email, phone)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateProfile: db.prepare<[string | null, string | null, string | null, string]>(
      'UPDATE users SET function_title = ?, email = ?, phone = ? WHERE id = ?',
    ),
    getUser: db.prepare<[string], UserSql>('SELECT * FROM users WHERE id = ?'),
    getUserByKey: db.prepare<[string], UserSql>('SELECT * FROM users WHERE username_key = ?'),
    insertDevice: db.prepare<[string, string, string, number, number, number | null, string | null, number | null, string | null, string | null, string | null]>(
      `INSERT INTO devices (id, user_id, name, created_at, last_seen_at, revoked_at, app_version, storage_persisted, status_token_hash, recovery_key, wipe)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    touchDeviceReport: db.prepare<[number, string | null, number | null, string]>(
      'UPDATE devices SET last_seen_at = ?, app_version = ?, storage_persisted = ? WHERE id = ?',
    ),
    listUsers: db.prepare<[], UserSql>('SELECT * FROM users ORDER BY name, username_key'),
    updateUser: db.prepare<[Record<string, string | number | null>]>(
      `UPDATE users SET
        name = CASE WHEN @has_name THEN @name ELSE name END,
        team_id = CASE WHEN @has_team_id THEN @team_id ELSE team_id END,
        roles = CASE WHEN @has_roles THEN @roles ELSE roles END,
        function_title = CASE WHEN @has_function_title THEN @function_title ELSE function_title END,
        disabled = CASE WHEN @has_disabled THEN @disabled ELSE disabled END
       WHERE id = @id`,
    ),
    setPasswordHash: db.prepare<[string, string]>('UPDATE users SET password_hash = ? WHERE id = ?'),
    listTeams: db.prepare<[], TeamRow>('SELECT id, name FROM teams ORDER BY name, id'),
    renameTeam: db.prepare<[string, string]>('UPDATE teams SET name = ? WHERE id = ?'),
    listDevices: db.prepare<[string], DeviceSql>('SELECT * FROM devices WHERE user_id = ? ORDER BY created_at DESC, id'),
    getDevice: db.prepare<[string], DeviceSql>('SELECT * FROM devices WHERE id = ?'),
    touchDevice: db.prepare<[number, string]>('UPDATE devices SET last_seen_at = ? WHERE id = ?'),
    // The first revocation time is the one that counts.
    revokeDevice: db.prepare<[number, string | null, string]>(
      'UPDATE devices SET revoked_at = ?, wipe = ? WHERE id = ? AND revoked_at IS NULL',
    ),
    setDeviceWipe: db.prepare<[string, string]>('UPDATE devices SET wipe = ? WHERE id = ? AND revoked_at IS NOT NULL'),
    forgetRecoveryKey: db.prepare<[string]>('UPDATE devices SET recovery_key = NULL WHERE id = ?'),
    markDeviceRecovered: db.prepare<[string, string, string]>(
      'UPDATE devices SET recovered_by = ? WHERE id = ? AND (recovered_by IS NULL OR recovered_by = ?)',
    ),
    insertRefreshToken: db.prepare<[string, string, string, number, number | null]>(
      'INSERT INTO refresh_tokens (hash, user_id, device_id, expires_at, used_at) VALUES (?, ?, ?, ?, ?)',
    ),
    getRefreshToken: db.prepare<[string], RefreshTokenSql>('SELECT * FROM refresh_tokens WHERE hash = ?'),
    markRefreshTokenUsed: db.prepare<[number, string]>(
      'UPDATE refresh_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL',
    ),
    getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    setSetting: db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
  };

  const createDocumentTx = db.transaction((row: DocumentRow): DocumentRow => {
    stmt.insertDocument.run(documentToSql(row));
    const stored = stmt.getDocument.get(row.id);
    if (!stored) throw new Error(`document ${row.id} missing right after insert`);
    return documentFromSql(stored);
  });

  // Snapshot and log are read in one transaction so a concurrent compaction (another process)
  // can't make us see the new snapshot without the rows it folded, or the reverse.
  const loadUpdatesTx = db.transaction((docId: string): StoredUpdates => {
    const snapshot = stmt.getSnapshot.get(docId);
    const rows = stmt.logRows.all(docId);
    const updates: Uint8Array[] = [];
    if (snapshot) updates.push(toUint8Array(snapshot.state));
    let lastSeq = snapshot?.through_seq ?? 0;
    for (const row of rows) {
      updates.push(toUint8Array(row.update));
      lastSeq = Math.max(lastSeq, row.seq);
    }
    return { updates, lastSeq, logLength: rows.length };
  });

  const appendUpdatesTx = db.transaction((batch: readonly UpdateRecord[]) => {
    // CL26: a frozen document's room takes nothing, decided in the writing transaction.
    const frozen = documentsOfBatch(batch).filter((id) => {
      const row = stmt.getDocument.get(id);
      return row !== undefined && !acceptsEdits(documentFromSql(row).status);
    });
    if (frozen.length > 0) throw new FrozenRoomsError(frozen.map(docRoom));
    for (const r of batch) {
      stmt.insertUpdate.run(r.docId, r.update, r.userId, r.deviceId, r.connId, r.at);
    }
  });

  const compactTx = db.transaction((docId: string, merged: Uint8Array, throughSeq: number) => {
    const existing = stmt.getSnapshot.get(docId);
    // A snapshot that already covers more is newer than `merged` (a racing compaction won):
    // replacing it would drop updates whose log rows are already gone.
    if (existing && existing.through_seq > throughSeq) return;
    const foldedAt = stmt.maxFoldedAt.get(docId, throughSeq)?.at ?? null;
    const at = Math.max(existing?.at ?? 0, foldedAt ?? 0);
    stmt.upsertSnapshot.run(docId, merged, throughSeq, at);
    stmt.copyToHistory.run(docId, throughSeq);
    stmt.deleteFolded.run(docId, throughSeq);
  });

  // The insert decides: ON CONFLICT DO NOTHING changes no row when the key is taken, and then
  // the patch is not applied either. CHECK failures still throw and roll everything back.
  // The status condition is checked after the key: a replayed key answers with its stored answer
  // even when the status has moved on since.
  const commitActionTx = db.transaction(
    (record: ActionRecord, patch: DocumentPatch | null, options: CommitActionOptions): CommitActionResult => {
      const taken = stmt.getAction.get(record.idempotencyKey);
      if (taken) return { stored: false, existing: actionFromSql(taken) };
      if (options.ifStatus !== undefined) {
        const row = stmt.getDocument.get(record.docId);
        if (row?.status !== options.ifStatus) return { stored: false, existing: null, status: row ? documentFromSql(row).status : null };
      }
      const inserted = stmt.insertAction.run(actionToSql(record));
      if (inserted.changes === 0) throw new Error(`action ${record.idempotencyKey} conflicted inside its transaction`);
      if (patch !== null) stmt.updateDocument.run(patchToSql(record.docId, patch));
      if (options.deliveriesDueAt !== undefined) submissions.rescheduleDeliveries(record.docId, options.deliveriesDueAt);
      return { stored: true };
    },
  );

  const useRefreshTokenTx = db.transaction((hash: string, at: number): RefreshTokenRow | null => {
    const row = stmt.getRefreshToken.get(hash);
    if (!row) return null;
    stmt.markRefreshTokenUsed.run(at, hash);
    return refreshTokenFromSql(row);
  });

  const insertUser = (user: UserRow): void => {
    stmt.insertUser.run(
      user.id,
      user.username,
      usernameKey(user.username),
      user.name,
      user.teamId,
      JSON.stringify(user.roles),
      user.passwordHash,
      user.disabled ? 1 : 0,
      user.functionTitle ?? null,
      user.email ?? null,
      user.phone ?? null,
    );
  };
  // CL24: insert-if-absent, then what the key holds.
  const claimSettingTx = db.transaction((key: string, value: string): string => {
    const stored = stmt.getSetting.get(key)?.value;
    if (stored !== undefined) return stored;
    stmt.setSetting.run(key, value);
    return value;
  });
  // CL24: one write transaction (BEGIN IMMEDIATE): all of the first start's accounts or none.
  const seedAccountsTx = db.transaction((team: TeamRow, users: readonly UserRow[]): boolean => {
    if ((stmt.countUsers.get()?.n ?? 0) > 0) return false;
    if (!stmt.getTeam.get(team.id)) stmt.insertTeam.run(team.id, team.name);
    for (const user of users) insertUser(user);
    return true;
  });

  const audit = createSqliteAuditLog(db);

  return {
    audit,
    async ping() {
      try {
        return stmt.ping.get()?.ok === 1;
      } catch {
        return false;
      }
    },
    async close() {
      db.close();
    },

    async getDocument(id) {
      const row = stmt.getDocument.get(id);
      return row ? documentFromSql(row) : null;
    },
    async createDocument(row) {
      return createDocumentTx.immediate(row);
    },
    async listDocuments(filter) {
      const rows = 'teamId' in filter ? stmt.listByTeam.all(filter.teamId) : stmt.listByCreator.all(filter.createdBy);
      return rows.map(documentFromSql);
    },
    async updateDocument(id, patch) {
      stmt.updateDocument.run(patchToSql(id, patch));
    },
    async loadUpdates(docId) {
      return loadUpdatesTx.deferred(docId);
    },
    async appendUpdates(batch) {
      if (batch.length === 0) return;
      appendUpdatesTx.immediate(batch);
    },
    async compact(docId, merged, throughSeq) {
      compactTx.immediate(docId, merged, throughSeq);
    },
    async getAction(idempotencyKey) {
      const row = stmt.getAction.get(idempotencyKey);
      return row ? actionFromSql(row) : null;
    },
    async commitAction(record, patch, options = {}) {
      return commitActionTx.immediate(record, patch, options);
    },
    ...submissions.store,
    ...scim,
    // F1–F8: attachment blobs beside the documents.
    ...createSqliteAttachments(db),
    ...push,
    ...drafts,
    async listUpdateHistory(docId): Promise<UpdateHistoryRow[]> {
      return stmt.history.all(docId, docId).map((r) => ({
        seq: r.seq,
        userId: r.user_id,
        deviceId: r.device_id,
        connId: r.conn_id,
        at: r.at,
        size: r.size,
      }));
    },

    async countUsers() {
      return stmt.countUsers.get()?.n ?? 0;
    },
    async seedAccounts(team, users) {
      return seedAccountsTx.immediate(team, users);
    },
    async createTeam(team) {
      stmt.insertTeam.run(team.id, team.name);
    },
    async getTeam(id) {
      const row = stmt.getTeam.get(id);
      return row ? { id: row.id, name: row.name } : null;
    },
    async createUser(user) {
      insertUser(user);
    },
    async updateUserProfile(id, profile) {
      stmt.updateProfile.run(profile.functionTitle, profile.email, profile.phone, id);
    },
    async getUser(id) {
      const row = stmt.getUser.get(id);
      return row ? userFromSql(row) : null;
    },
    async findUserByUsername(username) {
      const row = stmt.getUserByKey.get(usernameKey(username));
      return row ? userFromSql(row) : null;
    },
    async createDevice(device) {
      stmt.insertDevice.run(
        device.id,
        device.userId,
        device.name,
        device.createdAt,
        device.lastSeenAt,
        device.revokedAt,
        device.appVersion ?? null,
        persistedToSql(device.storagePersisted),
        device.statusTokenHash ?? null,
        device.recoveryKey ?? null,
        device.wipe ?? null,
      );
    },
    async getDevice(id) {
      const row = stmt.getDevice.get(id);
      return row ? deviceFromSql(row) : null;
    },
    async touchDevice(id, at, report) {
      if (report === undefined) stmt.touchDevice.run(at, id);
      else stmt.touchDeviceReport.run(at, report.appVersion, persistedToSql(report.storagePersisted), id);
    },
    async revokeDevice(id, at, wipe) {
      return stmt.revokeDevice.run(at, wipe ?? null, id).changes > 0;
    },
    async setDeviceWipe(id, wipe) {
      stmt.setDeviceWipe.run(wipe, id);
    },
    async forgetRecoveryKey(id) {
      stmt.forgetRecoveryKey.run(id);
    },
    async markDeviceRecovered(id, byDeviceId) {
      return stmt.markDeviceRecovered.run(byDeviceId, id, byDeviceId).changes > 0;
    },
    async saveRefreshToken(token) {
      stmt.insertRefreshToken.run(token.hash, token.userId, token.deviceId, token.expiresAt, token.usedAt);
    },
    async useRefreshToken(hash, at) {
      // IMMEDIATE takes the write lock before reading: two processes can't both see it unused.
      return useRefreshTokenTx.immediate(hash, at);
    },
    async getSetting(key) {
      return stmt.getSetting.get(key)?.value ?? null;
    },
    async setSetting(key, value) {
      stmt.setSetting.run(key, value);
    },
    async claimSetting(key, value) {
      return claimSettingTx.immediate(key, value);
    },

    async listUsers() {
      return stmt.listUsers.all().map(userFromSql);
    },
    async updateUser(id, patch) {
      const has = (key: keyof UserPatch): number => (patch[key] === undefined ? 0 : 1);
      const result = stmt.updateUser.run({
        id,
        has_name: has('name'),
        name: patch.name ?? null,
        has_team_id: has('teamId'),
        team_id: patch.teamId ?? null,
        has_roles: has('roles'),
        roles: patch.roles === undefined ? null : JSON.stringify(patch.roles),
        has_function_title: has('functionTitle'),
        function_title: patch.functionTitle ?? null,
        has_disabled: has('disabled'),
        disabled: patch.disabled === undefined ? null : patch.disabled ? 1 : 0,
      });
      return result.changes > 0;
    },
    async setPasswordHash(id, passwordHash) {
      return stmt.setPasswordHash.run(passwordHash, id).changes > 0;
    },
    async listTeams() {
      return stmt.listTeams.all().map((r) => ({ id: r.id, name: r.name }));
    },
    async renameTeam(id, name) {
      return stmt.renameTeam.run(name, id).changes > 0;
    },
    async listDevices(userId) {
      return stmt.listDevices.all(userId).map(deviceFromSql);
    },

    // --- Back office view of the outbox (GET /api/outbox, /metrics) ---
    ...submissions.view,
    // --- I3–I7: users linked to an IdP subject, devices' IdP sessions ---
    ...createSqliteIdentity(db, {
      insertUser: (user) => insertUser(user),
      readUser: (id) => {
        const row = stmt.getUser.get(id);
        return row ? userFromSql(row) : null;
      },
    }),
  };
}

/** Same rule as the memory store: case-insensitive, locale-independent. */
function deviceFromSql(row: DeviceSql): DeviceRow {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    revokedAt: row.revoked_at,
    appVersion: row.app_version,
    storagePersisted: row.storage_persisted === null ? null : row.storage_persisted === 1,
    statusTokenHash: row.status_token_hash,
    recoveryKey: row.recovery_key,
    wipe: row.wipe,
    recoveredBy: row.recovered_by,
  };
}

function persistedToSql(value: boolean | null | undefined): number | null {
  return value === undefined || value === null ? null : value ? 1 : 0;
}

function refreshTokenFromSql(row: RefreshTokenSql): RefreshTokenRow {
  return {
    hash: row.hash,
    userId: row.user_id,
    deviceId: row.device_id,
    expiresAt: row.expires_at,
    usedAt: row.used_at,
  };
}
