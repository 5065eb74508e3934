// Row shapes of the PostgreSQL store and their mapping to the store's types. The document and
// action rows look exactly like SQLite's (BIGINT comes back as a number, see pool.ts), so their
// mapping is shared; users and devices differ in their BOOLEAN columns.
import type { DeviceRow, DeviceWipe, DocumentPatch, RefreshTokenRow, Role, UserRow } from '../types';

export { actionFromSql, actionToSql, documentFromSql, usernameKey, type ActionSql, type DocumentSql } from '../sqlite/rows';

/**
 * One statement for every document patch shape: a has_* flag says whether to take the new
 * value, so nullable columns can be set to null. Parameters from `patchParams` ($1 is the id).
 */
export const UPDATE_DOCUMENT_SQL = `UPDATE documents SET
  title = CASE WHEN $2::boolean THEN $3::text ELSE title END,
  template_id = CASE WHEN $4::boolean THEN $5::text ELSE template_id END,
  kind = CASE WHEN $6::boolean THEN $7::text ELSE kind END,
  zaak = CASE WHEN $8::boolean THEN $9::text ELSE zaak END,
  status = CASE WHEN $10::boolean THEN $11::text ELSE status END,
  updated_at = CASE WHEN $12::boolean THEN $13::bigint ELSE updated_at END,
  discarded_at = CASE WHEN $14::boolean THEN $15::bigint ELSE discarded_at END,
  discarded_by = CASE WHEN $16::boolean THEN $17::text ELSE discarded_by END
WHERE id = $1`;

export function patchParams(id: string, patch: DocumentPatch): (string | number | boolean | null)[] {
  const has = (key: keyof DocumentPatch): boolean => Object.hasOwn(patch, key) && patch[key] !== undefined;
  return [
    id,
    has('title'),
    patch.title ?? null,
    has('templateId'),
    patch.templateId ?? null,
    has('kind'),
    patch.kind ?? null,
    has('zaak'),
    patch.zaak ?? null,
    has('status'),
    patch.status ?? null,
    has('updatedAt'),
    patch.updatedAt ?? null,
    // E1: null is a value here (restore clears the marks), so only a missing key is "keep".
    Object.hasOwn(patch, 'discardedAt'),
    patch.discardedAt ?? null,
    Object.hasOwn(patch, 'discardedBy'),
    patch.discardedBy ?? null,
  ];
}

export const INSERT_ACTION_SQL = `INSERT INTO actions (idempotency_key, doc_id, user_id, type, at, http_status, response)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (idempotency_key) DO NOTHING`;

export interface UserSql {
  id: string;
  username: string;
  name: string;
  team_id: string;
  roles: string;
  password_hash: string;
  disabled: boolean;
  function_title: string | null;
  email: string | null;
  phone: string | null;
}

export function userFromSql(row: UserSql): UserRow {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    teamId: row.team_id,
    roles: JSON.parse(row.roles) as Role[],
    passwordHash: row.password_hash,
    disabled: row.disabled,
    functionTitle: row.function_title,
    email: row.email,
    phone: row.phone,
  };
}

export interface DeviceSql {
  id: string;
  user_id: string;
  name: string;
  created_at: number;
  last_seen_at: number;
  revoked_at: number | null;
  app_version: string | null;
  storage_persisted: boolean | null;
  status_token_hash: string | null;
  recovery_key: string | null;
  wipe: DeviceWipe | null;
  recovered_by: string | null;
}

export function deviceFromSql(row: DeviceSql): DeviceRow {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    revokedAt: row.revoked_at,
    appVersion: row.app_version,
    storagePersisted: row.storage_persisted,
    statusTokenHash: row.status_token_hash,
    recoveryKey: row.recovery_key,
    wipe: row.wipe,
    recoveredBy: row.recovered_by,
  };
}

export interface RefreshTokenSql {
  hash: string;
  user_id: string;
  device_id: string;
  expires_at: number;
  used_at: number | null;
}

export function refreshTokenFromSql(row: RefreshTokenSql): RefreshTokenRow {
  return { hash: row.hash, userId: row.user_id, deviceId: row.device_id, expiresAt: row.expires_at, usedAt: row.used_at };
}

/** bytea comes back as a Buffer (possibly a slice of a shared pool): hand out an own copy. */
export function bytesFromSql(buf: Uint8Array): Uint8Array {
  return new Uint8Array(buf);
}

/** A Uint8Array as the Buffer pg sends as bytea (a view, no copy). */
export function bytesToSql(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
