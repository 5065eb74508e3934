// The PostgreSQL store (DATABASE_URL): the same `Store` as sqlite/store.ts, method by method,
// for several server processes on one database. Every write commits before its promise
// resolves (S3). What differs from SQLite is concurrency: another process may write at any
// moment, so compaction re-reads under a per-room lock (DB2) and status changes are
// compare-and-set under a row lock (DB4).
import type { CommitActionResult, Store, UpdateHistoryReader, UpdateHistoryRow, UserPatch, UserRow } from '../types';
import { migrate } from './schema';
import { inTransaction, openPool, type Pool, type PoolOptions, type Queryable } from './pool';
import { createPostgresIdentity } from './identity';
import { createPostgresSubmissions } from './submissions';
import { createPostgresScim } from './scim';
import { createPostgresAttachments } from './attachments';
import { createPostgresPush } from './push';
import { createPostgresDrafts } from './drafts';
import { lockRoom } from './room-lock';
import { mergeInto } from '../../../shared/model/merge-updates';
import { documentsOfBatch, FrozenRoomsError } from '../frozen-content';
import { acceptsEdits } from '../../../shared/model/status';
import type { WorkflowStatus } from '../../../shared/model/index-entry';
import { docRoom } from '../../../shared/protocol/rooms';
import { createPostgresAuditLog } from '../../audit/postgres-audit-log';
import {
  actionFromSql,
  bytesFromSql,
  bytesToSql,
  deviceFromSql,
  documentFromSql,
  patchParams,
  refreshTokenFromSql,
  userFromSql,
  usernameKey,
  INSERT_ACTION_SQL,
  UPDATE_DOCUMENT_SQL,
  type ActionSql,
  type DeviceSql,
  type DocumentSql,
  type RefreshTokenSql,
  type UserSql,
} from './rows';

export type PostgresStore = Store & UpdateHistoryReader;

export type PostgresStoreOptions = PoolOptions;

interface HistorySql {
  seq: number;
  user_id: string | null;
  device_id: string | null;
  conn_id: string | null;
  at: number;
  size: number;
}

/** Opens a pool on `url` and brings the schema up to date (DB3) before answering. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
  const pool = openPool(url, options);
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return createPostgresStore(pool);
}

const INSERT_USER_SQL = `INSERT INTO users (id, username, username_key, name, team_id, roles, password_hash, disabled, function_title, email, phone)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`;

/** CL24: the advisory lock a first start takes while it seeds the demo accounts (schema.ts: 7_246_001). */
const SEED_LOCK = 7_246_003;

async function insertUser(client: Queryable, user: UserRow): Promise<void> {
  await client.query(INSERT_USER_SQL, [
    user.id,
    user.username,
    usernameKey(user.username),
    user.name,
    user.teamId,
    JSON.stringify(user.roles),
    user.passwordHash,
    user.disabled,
    user.functionTitle ?? null,
    user.email ?? null,
    user.phone ?? null,
  ]);
}

function changed(result: { rowCount: number | null }): boolean {
  return (result.rowCount ?? 0) > 0;
}

function createPostgresStore(pool: Pool): PostgresStore {
  const submissions = createPostgresSubmissions(pool);
  let closed = false;

  const readUser = async (id: string): Promise<UserRow | null> => {
    const { rows } = await pool.query<UserSql>('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] === undefined ? null : userFromSql(rows[0]);
  };

  return {
    audit: createPostgresAuditLog(pool),
    async ping() {
      try {
        const { rows } = await pool.query<{ ok: number }>('SELECT 1 AS ok');
        return rows[0]?.ok === 1;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },

    async getDocument(id) {
      const { rows } = await pool.query<DocumentSql>('SELECT * FROM documents WHERE id = $1', [id]);
      return rows[0] === undefined ? null : documentFromSql(rows[0]);
    },
    async createDocument(row) {
      const inserted = await pool.query<DocumentSql>(
        `INSERT INTO documents (id, team_id, created_by, created_at, updated_at, title, template_id, kind, zaak, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (id) DO NOTHING RETURNING *`,
        [row.id, row.teamId, row.createdBy, row.createdAt, row.updatedAt, row.title, row.templateId, row.kind, row.zaak, row.status],
      );
      const stored = inserted.rows[0] ?? (await pool.query<DocumentSql>('SELECT * FROM documents WHERE id = $1', [row.id])).rows[0];
      if (stored === undefined) throw new Error(`document ${row.id} missing right after insert`);
      return documentFromSql(stored);
    },
    async listDocuments(filter) {
      const { rows } =
        'teamId' in filter
          ? await pool.query<DocumentSql>('SELECT * FROM documents WHERE team_id = $1 AND discarded_at IS NULL ORDER BY updated_at DESC, id COLLATE "C"', [filter.teamId])
          : await pool.query<DocumentSql>('SELECT * FROM documents WHERE created_by = $1 AND discarded_at IS NULL ORDER BY updated_at DESC, id COLLATE "C"', [
              filter.createdBy,
            ]);
      return rows.map(documentFromSql);
    },
    async updateDocument(id, patch) {
      await pool.query(UPDATE_DOCUMENT_SQL, patchParams(id, patch));
    },

    async loadUpdates(docId) {
      // One statement is one snapshot: a concurrent compaction can't make us see the new
      // snapshot without the rows it folded, or the reverse.
      const { rows } = await pool.query<{ kind: number; data: Buffer; seq: number }>(
        `SELECT 0 AS kind, state AS data, through_seq AS seq FROM doc_snapshots WHERE room = $1
         UNION ALL
         SELECT 1 AS kind, "update" AS data, seq FROM doc_updates WHERE room = $1
         ORDER BY kind, seq`,
        [docId],
      );
      let lastSeq = 0;
      let logLength = 0;
      const updates: Uint8Array[] = [];
      for (const row of rows) {
        updates.push(bytesFromSql(row.data));
        lastSeq = Math.max(lastSeq, row.seq);
        if (row.kind === 1) logLength++;
      }
      return { updates, lastSeq, logLength };
    },
    async appendUpdates(batch) {
      if (batch.length === 0) return;
      await inTransaction(pool, async (client) => {
        // CL26: the documents' rows first (the order a purge takes them in: row, then room
        // lock), shared: a status change (FOR UPDATE) waits for this append to commit, or this
        // append waits for it and reads the new status. A frozen document's room takes nothing.
        const ids = documentsOfBatch(batch);
        if (ids.length > 0) {
          const { rows } = await client.query<{ id: string; status: string }>(
            'SELECT id, status FROM documents WHERE id = ANY($1::text[]) ORDER BY id FOR SHARE',
            [ids],
          );
          const frozen = rows.filter((r) => !acceptsEdits(r.status as WorkflowStatus)).map((r) => docRoom(r.id));
          if (frozen.length > 0) throw new FrozenRoomsError(frozen);
        }
        // DB2: shared per-room locks, in a fixed order, held until commit.
        for (const room of [...new Set(batch.map((r) => r.docId))].sort()) await lockRoom(client, room, 'shared');
        await client.query(
          `INSERT INTO doc_updates (room, "update", user_id, device_id, conn_id, at)
           SELECT room, u, user_id, device_id, conn_id, at
           FROM unnest($1::text[], $2::bytea[], $3::text[], $4::text[], $5::text[], $6::bigint[])
             WITH ORDINALITY AS t(room, u, user_id, device_id, conn_id, at, n)
           ORDER BY n`,
          [
            batch.map((r) => r.docId),
            batch.map((r) => bytesToSql(r.update)),
            batch.map((r) => r.userId),
            batch.map((r) => r.deviceId),
            batch.map((r) => r.connId),
            batch.map((r) => r.at),
          ],
        );
      });
    },
    async compact(docId, merged, throughSeq) {
      await inTransaction(pool, async (client) => {
        // DB2: no append of this room is in flight while we hold the lock exclusively, so the
        // rows read below are every row with seq <= throughSeq, including any that committed
        // after the caller loaded (a lower seq may commit after a higher one).
        await lockRoom(client, docId, 'exclusive');
        const existing = (
          await client.query<{ state: Buffer; through_seq: number; at: number }>('SELECT state, through_seq, at FROM doc_snapshots WHERE room = $1', [docId])
        ).rows[0];
        // A snapshot that covers more is newer than `merged` (a racing compaction won).
        if (existing !== undefined && existing.through_seq > throughSeq) return;
        const { rows } = await client.query<{ seq: number; update: Buffer; at: number }>(
          'SELECT seq, "update", at FROM doc_updates WHERE room = $1 AND seq <= $2 ORDER BY seq',
          [docId, throughSeq],
        );
        if (existing !== undefined && existing.through_seq === throughSeq && rows.length === 0) return;
        // Merging is idempotent: rows already in `merged` change nothing, rows it lacks are kept.
        const state = mergeInto(merged, [...(existing === undefined ? [] : [bytesFromSql(existing.state)]), ...rows.map((r) => bytesFromSql(r.update))]);
        const at = Math.max(existing?.at ?? 0, ...rows.map((r) => r.at));
        const seqs = rows.map((r) => r.seq);
        await client.query(
          `INSERT INTO doc_snapshots (room, state, through_seq, at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (room) DO UPDATE SET state = excluded.state, through_seq = excluded.through_seq, at = excluded.at`,
          [docId, bytesToSql(state), Math.max(throughSeq, existing?.through_seq ?? 0), at],
        );
        if (seqs.length === 0) return;
        await client.query(
          `INSERT INTO doc_update_history (room, seq, user_id, device_id, conn_id, at, size)
           SELECT room, seq, user_id, device_id, conn_id, at, length("update") FROM doc_updates
           WHERE room = $1 AND seq = ANY($2::bigint[])
           ON CONFLICT DO NOTHING`,
          [docId, seqs],
        );
        // Exactly the rows folded in, never "everything up to throughSeq".
        await client.query('DELETE FROM doc_updates WHERE room = $1 AND seq = ANY($2::bigint[])', [docId, seqs]);
      });
    },
    async getAction(idempotencyKey) {
      const { rows } = await pool.query<ActionSql>('SELECT * FROM actions WHERE idempotency_key = $1', [idempotencyKey]);
      return rows[0] === undefined ? null : actionFromSql(rows[0]);
    },
    async commitAction(record, patch, options = {}) {
      return inTransaction(pool, async (client): Promise<CommitActionResult> => {
        const taken = (await client.query<ActionSql>('SELECT * FROM actions WHERE idempotency_key = $1', [record.idempotencyKey])).rows[0];
        if (taken !== undefined) return { stored: false, existing: actionFromSql(taken) };
        if (options.ifStatus !== undefined || options.deliveriesDueAt !== undefined) {
          // DB4: the row lock makes the status check and the patch one step. A second action
          // waits here, then reads the status the first one committed. DB14: rescheduling
          // deliveries takes the document row before the outbox rows, like every other writer,
          // so two commits can't lock them in opposite orders.
          const row = (await client.query<DocumentSql>('SELECT * FROM documents WHERE id = $1 FOR UPDATE', [record.docId])).rows[0];
          // A commit with this very key may have won while we waited: its answer comes first (W1).
          const replay = (await client.query<ActionSql>('SELECT * FROM actions WHERE idempotency_key = $1', [record.idempotencyKey])).rows[0];
          if (replay !== undefined) return { stored: false, existing: actionFromSql(replay) };
          if (options.ifStatus !== undefined && row?.status !== options.ifStatus) return { stored: false, existing: null, status: row === undefined ? null : documentFromSql(row).status };
        }
        const inserted = await client.query(INSERT_ACTION_SQL, [
          record.idempotencyKey,
          record.docId,
          record.userId,
          record.type,
          record.at,
          record.httpStatus,
          record.response,
        ]);
        if (inserted.rowCount === 0) {
          // Another commit with this key won while we waited: answer with what it stored.
          const winner = (await client.query<ActionSql>('SELECT * FROM actions WHERE idempotency_key = $1', [record.idempotencyKey])).rows[0];
          if (winner === undefined) throw new Error(`action ${record.idempotencyKey} conflicted but is not stored`);
          return { stored: false, existing: actionFromSql(winner) };
        }
        if (patch !== null) await client.query(UPDATE_DOCUMENT_SQL, patchParams(record.docId, patch));
        if (options.deliveriesDueAt !== undefined) await submissions.rescheduleDeliveries(client, record.docId, options.deliveriesDueAt);
        return { stored: true };
      });
    },
    ...submissions.store,
    ...createPostgresScim(pool),
    // F1–F8: attachment blobs beside the documents.
    ...createPostgresAttachments(pool),
    ...createPostgresPush(pool),
    ...createPostgresDrafts(pool),
    async listUpdateHistory(docId): Promise<UpdateHistoryRow[]> {
      const { rows } = await pool.query<HistorySql>(
        `SELECT seq, user_id, device_id, conn_id, at, size FROM doc_update_history WHERE room = $1
         UNION ALL
         SELECT seq, user_id, device_id, conn_id, at, length("update") AS size FROM doc_updates WHERE room = $1
         ORDER BY seq`,
        [docId],
      );
      return rows.map((r) => ({ seq: r.seq, userId: r.user_id, deviceId: r.device_id, connId: r.conn_id, at: r.at, size: r.size }));
    },

    async countUsers() {
      return (await pool.query<{ n: number }>('SELECT count(*) AS n FROM users')).rows[0]?.n ?? 0;
    },
    async seedAccounts(team, users) {
      return inTransaction(pool, async (client) => {
        // CL24: processes starting at once on an empty database queue here; the first seeds.
        await client.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
        if (((await client.query<{ n: number }>('SELECT count(*) AS n FROM users')).rows[0]?.n ?? 0) > 0) return false;
        await client.query('INSERT INTO teams (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [team.id, team.name]);
        for (const user of users) await insertUser(client, user);
        return true;
      });
    },
    async createTeam(team) {
      await pool.query('INSERT INTO teams (id, name) VALUES ($1, $2)', [team.id, team.name]);
    },
    async getTeam(id) {
      const { rows } = await pool.query<{ id: string; name: string }>('SELECT id, name FROM teams WHERE id = $1', [id]);
      return rows[0] === undefined ? null : { id: rows[0].id, name: rows[0].name };
    },
    async createUser(user) {
      await insertUser(pool, user);
    },
    async updateUserProfile(id, profile) {
      await pool.query('UPDATE users SET function_title = $1, email = $2, phone = $3 WHERE id = $4', [profile.functionTitle, profile.email, profile.phone, id]);
    },
    async getUser(id) {
      return readUser(id);
    },
    async findUserByUsername(username) {
      const { rows } = await pool.query<UserSql>('SELECT * FROM users WHERE username_key = $1', [usernameKey(username)]);
      return rows[0] === undefined ? null : userFromSql(rows[0]);
    },
    async createDevice(device) {
      await pool.query(
        `INSERT INTO devices (id, user_id, name, created_at, last_seen_at, revoked_at, app_version, storage_persisted, status_token_hash, recovery_key, wipe)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          device.id,
          device.userId,
          device.name,
          device.createdAt,
          device.lastSeenAt,
          device.revokedAt,
          device.appVersion ?? null,
          device.storagePersisted ?? null,
          device.statusTokenHash ?? null,
          device.recoveryKey ?? null,
          device.wipe ?? null,
        ],
      );
    },
    async getDevice(id) {
      const { rows } = await pool.query<DeviceSql>('SELECT * FROM devices WHERE id = $1', [id]);
      return rows[0] === undefined ? null : deviceFromSql(rows[0]);
    },
    async touchDevice(id, at, report) {
      if (report === undefined) await pool.query('UPDATE devices SET last_seen_at = $1 WHERE id = $2', [at, id]);
      else await pool.query('UPDATE devices SET last_seen_at = $1, app_version = $2, storage_persisted = $3 WHERE id = $4', [at, report.appVersion, report.storagePersisted, id]);
    },
    async revokeDevice(id, at, wipe) {
      // The first revocation time is the one that counts.
      return changed(await pool.query('UPDATE devices SET revoked_at = $1, wipe = $2 WHERE id = $3 AND revoked_at IS NULL', [at, wipe ?? null, id]));
    },
    async setDeviceWipe(id, wipe) {
      await pool.query('UPDATE devices SET wipe = $1 WHERE id = $2 AND revoked_at IS NOT NULL', [wipe, id]);
    },
    async forgetRecoveryKey(id) {
      await pool.query('UPDATE devices SET recovery_key = NULL WHERE id = $1', [id]);
    },
    async markDeviceRecovered(id, byDeviceId) {
      return changed(await pool.query('UPDATE devices SET recovered_by = $1 WHERE id = $2 AND (recovered_by IS NULL OR recovered_by = $1)', [byDeviceId, id]));
    },
    async saveRefreshToken(token) {
      await pool.query('INSERT INTO refresh_tokens (hash, user_id, device_id, expires_at, used_at) VALUES ($1, $2, $3, $4, $5)', [
        token.hash,
        token.userId,
        token.deviceId,
        token.expiresAt,
        token.usedAt,
      ]);
    },
    async useRefreshToken(hash, at) {
      // FOR UPDATE: two processes can't both see the token unused.
      return inTransaction(pool, async (client) => {
        const row = (await client.query<RefreshTokenSql>('SELECT * FROM refresh_tokens WHERE hash = $1 FOR UPDATE', [hash])).rows[0];
        if (row === undefined) return null;
        await client.query('UPDATE refresh_tokens SET used_at = $1 WHERE hash = $2 AND used_at IS NULL', [at, hash]);
        return refreshTokenFromSql(row);
      });
    },
    async getSetting(key) {
      return (await pool.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key])).rows[0]?.value ?? null;
    },
    async setSetting(key, value) {
      await pool.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
    },
    async claimSetting(key, value) {
      // A rival insert in flight makes this one wait for its commit, then do nothing; the next
      // statement's snapshot sees the rival's row.
      await pool.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
      const stored = (await pool.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key])).rows[0]?.value;
      if (stored === undefined) throw new Error(`setting ${key} vanished while it was claimed`);
      return stored;
    },

    async listUsers() {
      return (await pool.query<UserSql>('SELECT * FROM users ORDER BY name COLLATE "C", username_key COLLATE "C"')).rows.map(userFromSql);
    },
    async updateUser(id, patch) {
      const has = (key: keyof UserPatch): boolean => patch[key] !== undefined;
      return changed(
        await pool.query(
          `UPDATE users SET
            name = CASE WHEN $2::boolean THEN $3::text ELSE name END,
            team_id = CASE WHEN $4::boolean THEN $5::text ELSE team_id END,
            roles = CASE WHEN $6::boolean THEN $7::text ELSE roles END,
            function_title = CASE WHEN $8::boolean THEN $9::text ELSE function_title END,
            disabled = CASE WHEN $10::boolean THEN $11::boolean ELSE disabled END
           WHERE id = $1`,
          [
            id,
            has('name'),
            patch.name ?? null,
            has('teamId'),
            patch.teamId ?? null,
            has('roles'),
            patch.roles === undefined ? null : JSON.stringify(patch.roles),
            has('functionTitle'),
            patch.functionTitle ?? null,
            has('disabled'),
            patch.disabled ?? null,
          ],
        ),
      );
    },
    async setPasswordHash(id, passwordHash) {
      return changed(await pool.query('UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, id]));
    },
    async listTeams() {
      return (await pool.query<{ id: string; name: string }>('SELECT id, name FROM teams ORDER BY name COLLATE "C", id COLLATE "C"')).rows.map((r) => ({ id: r.id, name: r.name }));
    },
    async renameTeam(id, name) {
      return changed(await pool.query('UPDATE teams SET name = $1 WHERE id = $2', [name, id]));
    },
    async listDevices(userId) {
      return (await pool.query<DeviceSql>('SELECT * FROM devices WHERE user_id = $1 ORDER BY created_at DESC, id COLLATE "C"', [userId])).rows.map(deviceFromSql);
    },

    // --- Back office view of the outbox (GET /api/outbox, /metrics) ---
    ...submissions.view,
    // --- I3–I7: users linked to an IdP subject, devices' IdP sessions ---
    ...createPostgresIdentity(pool, { insertUser, readUser }),
  };
}
