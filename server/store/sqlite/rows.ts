// Row mapping between the SQLite schema (snake_case columns) and the store's types, shared by
// sqlite/store.ts and sqlite/submissions.ts so both write documents and actions the same way.
import type { ActionRecord, DocumentPatch, DocumentRow, Role, UserRow } from '../types';
import type { WorkflowStatus } from '../../../shared/model/index-entry';

/**
 * One statement for every document patch shape: a has_* flag says whether to take the new
 * value, so nullable columns can be set to null. Parameters from `patchToSql`.
 */
export const UPDATE_DOCUMENT_SQL = `UPDATE documents SET
  title = CASE WHEN @has_title THEN @title ELSE title END,
  template_id = CASE WHEN @has_template_id THEN @template_id ELSE template_id END,
  kind = CASE WHEN @has_kind THEN @kind ELSE kind END,
  zaak = CASE WHEN @has_zaak THEN @zaak ELSE zaak END,
  status = CASE WHEN @has_status THEN @status ELSE status END,
  updated_at = CASE WHEN @has_updated_at THEN @updated_at ELSE updated_at END,
  discarded_at = CASE WHEN @has_discarded_at THEN @discarded_at ELSE discarded_at END,
  discarded_by = CASE WHEN @has_discarded_by THEN @discarded_by ELSE discarded_by END
WHERE id = @id`;

/** Parameters from `actionToSql`; a taken key changes nothing. */
export const INSERT_ACTION_SQL = `INSERT INTO actions (idempotency_key, doc_id, user_id, type, at, http_status, response)
VALUES (@idempotency_key, @doc_id, @user_id, @type, @at, @http_status, @response)
ON CONFLICT (idempotency_key) DO NOTHING`;

export interface DocumentSql {
  id: string;
  team_id: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  title: string;
  template_id: string | null;
  kind: string | null;
  zaak: string | null;
  status: string;
  /** Q1: kept by the trigger `documents_status_since`; null until the status first changes. */
  status_since?: number | null;
  /** E1: set while the concept is discarded (absent from rows written by older code paths). */
  discarded_at?: number | null;
  discarded_by?: string | null;
}

export interface ActionSql {
  idempotency_key: string;
  doc_id: string;
  user_id: string;
  type: string;
  at: number;
  http_status: number;
  response: string;
}

/** better-sqlite3 returns Buffers; hand out plain Uint8Arrays (no copy) like the other stores. */
export function toUint8Array(buf: Uint8Array): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export function documentToSql(row: DocumentRow): DocumentSql {
  return {
    id: row.id,
    team_id: row.teamId,
    created_by: row.createdBy,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    title: row.title,
    template_id: row.templateId,
    kind: row.kind,
    zaak: row.zaak,
    status: row.status,
  };
}

export function documentFromSql(row: DocumentSql): DocumentRow {
  return {
    id: row.id,
    teamId: row.team_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    title: row.title,
    templateId: row.template_id,
    kind: row.kind,
    zaak: row.zaak,
    status: row.status as WorkflowStatus,
    ...(typeof row.status_since === 'number' ? { statusSince: row.status_since } : {}),
    ...(row.discarded_at === undefined || row.discarded_at === null ? {} : { discardedAt: row.discarded_at, discardedBy: row.discarded_by ?? null }),
  };
}

export function patchToSql(id: string, patch: DocumentPatch): Record<string, string | number | null> {
  const has = (key: keyof DocumentPatch) => (Object.hasOwn(patch, key) && patch[key] !== undefined ? 1 : 0);
  return {
    id,
    has_title: has('title'),
    title: patch.title ?? null,
    has_template_id: has('templateId'),
    template_id: patch.templateId ?? null,
    has_kind: has('kind'),
    kind: patch.kind ?? null,
    has_zaak: has('zaak'),
    zaak: patch.zaak ?? null,
    has_status: has('status'),
    status: patch.status ?? null,
    has_updated_at: has('updatedAt'),
    updated_at: patch.updatedAt ?? null,
    // E1: null is a value here (restore clears the marks), so only a missing key is "keep".
    has_discarded_at: Object.hasOwn(patch, 'discardedAt') ? 1 : 0,
    discarded_at: patch.discardedAt ?? null,
    has_discarded_by: Object.hasOwn(patch, 'discardedBy') ? 1 : 0,
    discarded_by: patch.discardedBy ?? null,
  };
}

export function actionToSql(record: ActionRecord): ActionSql {
  return {
    idempotency_key: record.idempotencyKey,
    doc_id: record.docId,
    user_id: record.userId,
    type: record.type,
    at: record.at,
    http_status: record.httpStatus,
    response: record.response,
  };
}

export function actionFromSql(row: ActionSql): ActionRecord {
  return {
    idempotencyKey: row.idempotency_key,
    docId: row.doc_id,
    userId: row.user_id,
    type: row.type,
    at: row.at,
    httpStatus: row.http_status,
    response: row.response,
  };
}

export interface UserSql {
  id: string;
  username: string;
  name: string;
  team_id: string;
  roles: string;
  password_hash: string;
  disabled: number;
  function_title: string | null;
  email: string | null;
  phone: string | null;
}

/** Lookups are case-insensitive, also beyond ASCII (`users.username_key`). */
export function usernameKey(username: string): string {
  return username.toLowerCase();
}

export function userFromSql(row: UserSql): UserRow {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    teamId: row.team_id,
    roles: JSON.parse(row.roles) as Role[],
    passwordHash: row.password_hash,
    disabled: row.disabled === 1,
    functionTitle: row.function_title,
    email: row.email,
    phone: row.phone,
  };
}
