// The server's storage seam. `SqliteStore` is the embedded default, `MemoryStore` serves unit
// tests, and a PostgreSQL store will implement the same interface (one contract suite runs
// against all of them: tests/integration/store-contract.test.ts).
import type { WorkflowStatus } from '../../shared/model/index-entry';

/** One Yjs update as received, with who sent it. Appended, never changed. */
export interface UpdateRecord {
  /** Document id, or an index room name for the server-written index documents. */
  docId: string;
  update: Uint8Array;
  userId: string | null;
  deviceId: string | null;
  connId: string | null;
  at: number;
}

export interface StoredUpdates {
  /** Snapshot first (if any), then the log in append order. */
  updates: Uint8Array[];
  /** Highest log sequence number included, 0 when the log is empty. */
  lastSeq: number;
  /** Log rows not yet folded into the snapshot. */
  logLength: number;
}

export interface DocumentRow {
  id: string;
  teamId: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  title: string;
  templateId: string | null;
  kind: string | null;
  zaak: string | null;
  status: WorkflowStatus;
}

export type DocumentPatch = Partial<Pick<DocumentRow, 'title' | 'templateId' | 'kind' | 'zaak' | 'status' | 'updatedAt'>>;

/**
 * One workflow action as decided, with the answer it got (W1). The idempotency key is unique:
 * a replay of the key gets `httpStatus` and `response` back verbatim. Kept as the audit trail
 * of status changes, refusals included.
 */
export interface ActionRecord {
  idempotencyKey: string;
  docId: string;
  userId: string;
  /** The action type as requested ('submit', 'approve', …); the store does not interpret it. */
  type: string;
  at: number;
  httpStatus: number;
  /** The JSON body that was answered, as sent. */
  response: string;
}

export type CommitActionResult = { stored: true } | { stored: false; existing: ActionRecord };

export interface DocumentStore {
  getDocument(id: string): Promise<DocumentRow | null>;
  /** Creates the row unless it exists; returns the row that is stored. */
  createDocument(row: DocumentRow): Promise<DocumentRow>;
  listDocuments(filter: { teamId: string } | { createdBy: string }): Promise<DocumentRow[]>;
  updateDocument(id: string, patch: DocumentPatch): Promise<void>;
  loadUpdates(docId: string): Promise<StoredUpdates>;
  /** Appends all records in one transaction: all are durable when it resolves, or none. */
  appendUpdates(batch: readonly UpdateRecord[]): Promise<void>;
  /** Replaces the snapshot with `merged` and drops log rows up to `throughSeq`, atomically. */
  compact(docId: string, merged: Uint8Array, throughSeq: number): Promise<void>;
  getAction(idempotencyKey: string): Promise<ActionRecord | null>;
  /**
   * In one transaction: stores `record` and applies `patch` (if any) to the row of
   * `record.docId`. When the idempotency key is already stored nothing changes and the stored
   * record comes back: of two concurrent commits with one key exactly one is stored.
   */
  commitAction(record: ActionRecord, patch: DocumentPatch | null): Promise<CommitActionResult>;
}

export interface TeamRow {
  id: string;
  name: string;
}

export type Role = 'field' | 'office' | 'approver';

export interface UserRow {
  id: string;
  username: string;
  name: string;
  teamId: string;
  roles: Role[];
  passwordHash: string;
  disabled: boolean;
}

export interface DeviceRow {
  id: string;
  userId: string;
  name: string;
  createdAt: number;
  lastSeenAt: number;
  revokedAt: number | null;
}

export interface RefreshTokenRow {
  /** SHA-256 of the token, hex: the token itself is never stored. */
  hash: string;
  userId: string;
  deviceId: string;
  expiresAt: number;
  /** Set when rotated; presenting a used token again revokes the device (token theft). */
  usedAt: number | null;
}

export interface AccountStore {
  countUsers(): Promise<number>;
  createTeam(team: TeamRow): Promise<void>;
  getTeam(id: string): Promise<TeamRow | null>;
  createUser(user: UserRow): Promise<void>;
  getUser(id: string): Promise<UserRow | null>;
  findUserByUsername(username: string): Promise<UserRow | null>;
  createDevice(device: DeviceRow): Promise<void>;
  getDevice(id: string): Promise<DeviceRow | null>;
  touchDevice(id: string, at: number): Promise<void>;
  revokeDevice(id: string, at: number): Promise<void>;
  saveRefreshToken(token: RefreshTokenRow): Promise<void>;
  /** Marks the token used and returns it as it was before; null when unknown. Atomic. */
  useRefreshToken(hash: string, at: number): Promise<RefreshTokenRow | null>;
  getSetting(key: string): Promise<string | null>;
  setSetting(key: string, value: string): Promise<void>;
}

export interface Store extends DocumentStore, AccountStore {
  /** True when the database answers (health check). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Who sent one update, kept after compaction has folded the update itself into the snapshot. */
export interface UpdateHistoryRow {
  seq: number;
  userId: string | null;
  deviceId: string | null;
  connId: string | null;
  at: number;
  /** Size of the update in bytes. */
  size: number;
}

/** Audit view of a document's updates; separate from `Store` so existing fakes of it still compile. */
export interface UpdateHistoryReader {
  /** Every update ever appended for `docId` (compacted or still in the log), in seq order. */
  listUpdateHistory(docId: string): Promise<UpdateHistoryRow[]>;
}
