// In-memory `Store` for unit tests, with the SQLite store's semantics (the contract suite in
// tests/integration/store-contract.test.ts runs against both): same ordering, same refusals,
// copies in and out so callers can't change stored data by mutating what they passed or got.
/* eslint-disable @typescript-eslint/require-await --
   Methods are async without awaiting on purpose: a throw becomes a rejected promise, as it
   will be in the PostgreSQL store. */
import type {
  ActionRecord,
  DeviceRow,
  DocumentPatch,
  DocumentRow,
  IdpSessionRow,
  RefreshTokenRow,
  Store,
  StoredUpdates,
  TeamRow,
  UpdateHistoryReader,
  UpdateHistoryRow,
  UpdateRecord,
  UserRow,
} from '../types';
import { withStatusSince } from '../status-since';
import { UniqueViolation } from '../unique-violation';
import { createMemorySubmissions } from './submissions';
import { createMemoryScim } from './scim';
import { createMemoryAttachments } from './attachments';
import { createMemoryPush } from './push';
import { createMemoryAuditLog } from '../../audit/memory-audit-log';
import { withDraftFields } from '../drafts';
import { docRoom } from '../../../shared/protocol/rooms';
import { acceptsEdits } from '../../../shared/model/status';
import { documentsOfBatch, FrozenRoomsError } from '../frozen-content';

export type MemoryStore = Store & UpdateHistoryReader;

interface LogRow {
  seq: number;
  record: UpdateRecord;
}

interface Snapshot {
  state: Uint8Array;
  throughSeq: number;
  at: number;
}

export function createMemoryStore(): MemoryStore {
  let closed = false;
  // One counter for all documents, never reused, like SQLite's AUTOINCREMENT.
  let lastSeq = 0;
  const documents = new Map<string, DocumentRow>();
  const logs = new Map<string, LogRow[]>();
  const snapshots = new Map<string, Snapshot>();
  const history = new Map<string, UpdateHistoryRow[]>();
  const teams = new Map<string, TeamRow>();
  const users = new Map<string, UserRow>();
  const devices = new Map<string, DeviceRow>();
  const refreshTokens = new Map<string, RefreshTokenRow>();
  const settings = new Map<string, string>();
  const actions = new Map<string, ActionRecord>();
  // I3: user id → IdP subject; I4: device id → its IdP session.
  const identities = new Map<string, { issuer: string; subject: string }>();
  const idpSessions = new Map<string, IdpSessionRow>();
  const userIdBySubject = (issuer: string, subject: string): string | undefined => {
    for (const [userId, link] of identities) if (link.issuer === issuer && link.subject === subject) return userId;
    return undefined;
  };

  const open = (): void => {
    if (closed) throw new Error('the database connection is not open');
  };
  const findByUsername = (username: string): UserRow | undefined => {
    const key = usernameKey(username);
    for (const user of users.values()) if (usernameKey(user.username) === key) return user;
    return undefined;
  };

  // Check record and patch before changing anything: both happen or neither, as in SQLite.
  const storeAction = (record: ActionRecord, patch: DocumentPatch | null): void => {
    assertValidAction(record);
    if (patch !== null) assertValidPatch(patch);
    actions.set(record.idempotencyKey, { ...record });
    if (patch !== null) applyPatch(documents, record.docId, patch);
  };
  const storedUpdates = (room: string): Uint8Array[] => {
    const snapshot = snapshots.get(room);
    return [...(snapshot ? [snapshot.state] : []), ...(logs.get(room) ?? []).map((row) => row.record.update)];
  };
  const submissions = createMemorySubmissions({ documents, actions, open, storeAction, storedUpdates });
  const createUser = async (user: UserRow): Promise<void> => {
    open();
    if (users.has(user.id)) throw new UniqueViolation('users.id');
    if (findByUsername(user.username)) throw new UniqueViolation('users.username');
    if (!teams.has(user.teamId)) throw new Error(`FOREIGN KEY constraint failed: team ${user.teamId}`);
    users.set(user.id, copyUser(user));
  };
  const scim = createMemoryScim({ users, teams, devices, open, createUser, findByUsername });

  const audit = createMemoryAuditLog(open);
  // F1–F8: attachment blobs beside the documents.
  const attachments = createMemoryAttachments(open);

  return {
    audit,
    ...attachments,
    async ping() {
      return !closed;
    },
    async close() {
      closed = true;
    },

    async getDocument(id) {
      open();
      const row = documents.get(id);
      return row ? withDraftFields(row) : null;
    },
    async createDocument(row) {
      open();
      const existing = documents.get(row.id);
      if (existing) return withDraftFields(existing);
      // Q1: the store keeps statusSince; a caller's value is not taken.
      const { statusSince: _ignored, ...fresh } = row;
      documents.set(row.id, withDraftFields(fresh));
      return withDraftFields(fresh);
    },
    async listDocuments(filter) {
      open();
      const rows = [...documents.values()].filter(
        (d) => (d.discardedAt ?? null) === null && ('teamId' in filter ? d.teamId === filter.teamId : d.createdBy === filter.createdBy),
      );
      rows.sort((a, b) => b.updatedAt - a.updatedAt || compareText(a.id, b.id));
      return rows.map(withDraftFields);
    },
    // ---- Drafts (E1–E12) ----
    async listDiscarded(teamId) {
      open();
      const rows = [...documents.values()].filter((d) => d.teamId === teamId && (d.discardedAt ?? null) !== null);
      rows.sort((a, b) => (b.discardedAt ?? 0) - (a.discardedAt ?? 0) || compareText(a.id, b.id));
      return rows.map(withDraftFields);
    },
    async listPurgeable(discardedBefore, limit) {
      open();
      const rows = [...documents.values()].filter((d) => d.discardedAt !== undefined && d.discardedAt !== null && d.discardedAt <= discardedBefore);
      rows.sort((a, b) => (a.discardedAt ?? 0) - (b.discardedAt ?? 0) || compareText(a.id, b.id));
      return rows.slice(0, Math.max(0, limit)).map(withDraftFields);
    },
    async purgeDocument(docId, discardedBefore) {
      open();
      const row = documents.get(docId);
      if (row === undefined || row.discardedAt === undefined || row.discardedAt === null || row.discardedAt > discardedBefore) return 'kept';
      if ((await submissions.store.latestSubmissionVersion(docId)) > 0) return 'kept';
      documents.delete(docId);
      // Updates are kept under the room's name (`doc:<id>`).
      logs.delete(docRoom(docId));
      snapshots.delete(docRoom(docId));
      history.delete(docRoom(docId));
      return 'purged';
    },
    // ---- end Drafts ----
    async updateDocument(id, patch) {
      open();
      applyPatch(documents, id, patch);
    },
    async loadUpdates(docId): Promise<StoredUpdates> {
      open();
      const snapshot = snapshots.get(docId);
      const log = logs.get(docId) ?? [];
      const updates: Uint8Array[] = [];
      if (snapshot) updates.push(snapshot.state.slice());
      for (const row of log) updates.push(row.record.update.slice());
      const last = log.at(-1)?.seq ?? 0;
      return { updates, lastSeq: Math.max(snapshot?.throughSeq ?? 0, last), logLength: log.length };
    },
    async appendUpdates(batch) {
      open();
      // Check every record before storing any: the batch is all or nothing, as in SQLite.
      for (const r of batch) assertValidRecord(r);
      // CL26: a frozen document's room takes nothing.
      const frozen = documentsOfBatch(batch).filter((id) => {
        const row = documents.get(id);
        return row !== undefined && !acceptsEdits(row.status);
      });
      if (frozen.length > 0) throw new FrozenRoomsError(frozen.map(docRoom));
      for (const r of batch) {
        const log = logs.get(r.docId) ?? [];
        log.push({ seq: ++lastSeq, record: { ...r, update: r.update.slice() } });
        logs.set(r.docId, log);
      }
    },
    async compact(docId, merged, throughSeq) {
      open();
      const existing = snapshots.get(docId);
      // A snapshot that already covers more is newer than `merged` (a racing compaction won).
      if (existing && existing.throughSeq > throughSeq) return;
      const log = logs.get(docId) ?? [];
      const folded = log.filter((r) => r.seq <= throughSeq);
      const foldedAt = folded.reduce((max, r) => Math.max(max, r.record.at), 0);
      snapshots.set(docId, { state: merged.slice(), throughSeq, at: Math.max(existing?.at ?? 0, foldedAt) });
      const kept = history.get(docId) ?? [];
      for (const r of folded) kept.push(historyRow(r));
      history.set(docId, kept);
      logs.set(
        docId,
        log.filter((r) => r.seq > throughSeq),
      );
    },
    async getAction(idempotencyKey) {
      open();
      const record = actions.get(idempotencyKey);
      return record ? { ...record } : null;
    },
    async commitAction(record, patch, options = {}) {
      open();
      const existing = actions.get(record.idempotencyKey);
      if (existing) return { stored: false, existing: { ...existing } };
      if (options.ifStatus !== undefined) {
        const row = documents.get(record.docId);
        if (row?.status !== options.ifStatus) return { stored: false, existing: null, status: row?.status ?? null };
      }
      storeAction(record, patch);
      if (options.deliveriesDueAt !== undefined) submissions.rescheduleDeliveries(record.docId, options.deliveriesDueAt);
      return { stored: true };
    },
    ...submissions.store,
    ...scim,
    ...createMemoryPush(),
    async listUpdateHistory(docId) {
      open();
      const rows = [...(history.get(docId) ?? []), ...(logs.get(docId) ?? []).map(historyRow)];
      return rows.sort((a, b) => a.seq - b.seq).map((r) => ({ ...r }));
    },

    async countUsers() {
      open();
      return users.size;
    },
    async seedAccounts(team, seedUsers) {
      open();
      // CL24: no await between the check and the inserts, so nothing interleaves.
      if (users.size > 0) return false;
      // All or nothing, as the SQL stores' transaction: check every row before storing one.
      const ids = new Set<string>();
      const names = new Set<string>();
      for (const user of seedUsers) {
        if (ids.has(user.id)) throw new UniqueViolation('users.id');
        if (names.has(usernameKey(user.username))) throw new UniqueViolation('users.username');
        if (user.teamId !== team.id && !teams.has(user.teamId)) throw new Error(`FOREIGN KEY constraint failed: team ${user.teamId}`);
        ids.add(user.id);
        names.add(usernameKey(user.username));
      }
      if (!teams.has(team.id)) teams.set(team.id, { ...team });
      for (const user of seedUsers) users.set(user.id, copyUser(user));
      return true;
    },
    async createTeam(team) {
      open();
      if (teams.has(team.id)) throw new Error(`UNIQUE constraint failed: teams.id (${team.id})`);
      teams.set(team.id, { ...team });
    },
    async getTeam(id) {
      open();
      const team = teams.get(id);
      return team ? { ...team } : null;
    },
    createUser,
    async getUser(id) {
      open();
      const user = users.get(id);
      return user ? copyUser(user) : null;
    },
    async findUserByUsername(username) {
      open();
      const user = findByUsername(username);
      return user ? copyUser(user) : null;
    },
    async updateUserProfile(id, profile) {
      open();
      const user = users.get(id);
      if (user) users.set(id, { ...user, ...profile });
    },
    async findUserByIdentity(issuer, subject) {
      open();
      const user = users.get(userIdBySubject(issuer, subject) ?? '');
      return user ? copyUser(user) : null;
    },
    async getIdentityOf(userId) {
      open();
      const link = identities.get(userId);
      return link ? { ...link } : null;
    },
    async linkIdentity(userId, issuer, subject) {
      open();
      if (!users.has(userId)) throw new Error(`FOREIGN KEY constraint failed: user ${userId}`);
      if (identities.has(userId) || userIdBySubject(issuer, subject) !== undefined) return false;
      identities.set(userId, { issuer, subject });
      return true;
    },
    async createLinkedUser(user, issuer, subject) {
      open();
      if (userIdBySubject(issuer, subject) !== undefined) throw new Error(`UNIQUE constraint failed: user_identities (${issuer}, ${subject})`);
      if (users.has(user.id)) throw new UniqueViolation('users.id');
      if (findByUsername(user.username)) throw new UniqueViolation('users.username');
      if (!teams.has(user.teamId)) throw new Error(`FOREIGN KEY constraint failed: team ${user.teamId}`);
      users.set(user.id, copyUser(user));
      identities.set(user.id, { issuer, subject });
    },
    async updateUserFromIdentity(id, patch) {
      open();
      const user = users.get(id);
      if (user) users.set(id, { ...user, ...patch, roles: [...patch.roles] });
    },
    async saveIdpSession(row) {
      open();
      if (idpSessions.has(row.deviceId)) throw new Error(`UNIQUE constraint failed: idp_sessions.device_id (${row.deviceId})`);
      if (!devices.has(row.deviceId)) throw new Error(`FOREIGN KEY constraint failed: device ${row.deviceId}`);
      idpSessions.set(row.deviceId, { ...row });
    },
    async getIdpSession(deviceId) {
      open();
      const row = idpSessions.get(deviceId);
      return row ? { ...row } : null;
    },
    async updateIdpSession(deviceId, patch) {
      open();
      const row = idpSessions.get(deviceId);
      if (row) idpSessions.set(deviceId, { ...row, ...patch });
    },
    async listIdpSessionDevices(issuer, by) {
      open();
      return [...idpSessions.values()]
        .filter((r) => r.issuer === issuer && ('sid' in by ? r.sid === by.sid : r.subject === by.subject))
        .map((r) => r.deviceId);
    },
    async createDevice(device) {
      open();
      if (devices.has(device.id)) throw new Error(`UNIQUE constraint failed: devices.id (${device.id})`);
      if (!users.has(device.userId)) throw new Error(`FOREIGN KEY constraint failed: user ${device.userId}`);
      devices.set(device.id, {
        ...device,
        appVersion: device.appVersion ?? null,
        storagePersisted: device.storagePersisted ?? null,
        statusTokenHash: device.statusTokenHash ?? null,
        recoveryKey: device.recoveryKey ?? null,
        wipe: device.wipe ?? null,
        recoveredBy: device.recoveredBy ?? null,
      });
    },
    async getDevice(id) {
      open();
      const device = devices.get(id);
      return device ? { ...device } : null;
    },
    async touchDevice(id, at, report) {
      open();
      const device = devices.get(id);
      if (!device) return;
      device.lastSeenAt = at;
      if (report !== undefined) {
        device.appVersion = report.appVersion;
        device.storagePersisted = report.storagePersisted;
      }
    },
    async revokeDevice(id, at, wipe) {
      open();
      const device = devices.get(id);
      if (!device || device.revokedAt !== null) return false;
      device.revokedAt = at;
      device.wipe = wipe ?? null;
      return true;
    },
    async setDeviceWipe(id, wipe) {
      open();
      const device = devices.get(id);
      if (device && device.revokedAt !== null) device.wipe = wipe;
    },
    async forgetRecoveryKey(id) {
      open();
      const device = devices.get(id);
      if (device) device.recoveryKey = null;
    },
    async markDeviceRecovered(id, byDeviceId) {
      open();
      const device = devices.get(id);
      if (!device || (device.recoveredBy != null && device.recoveredBy !== byDeviceId)) return false;
      device.recoveredBy = byDeviceId;
      return true;
    },
    async saveRefreshToken(token) {
      open();
      if (refreshTokens.has(token.hash)) throw new Error('UNIQUE constraint failed: refresh_tokens.hash');
      if (!users.has(token.userId)) throw new Error(`FOREIGN KEY constraint failed: user ${token.userId}`);
      if (!devices.has(token.deviceId)) throw new Error(`FOREIGN KEY constraint failed: device ${token.deviceId}`);
      refreshTokens.set(token.hash, { ...token });
    },
    async useRefreshToken(hash, at) {
      open();
      const token = refreshTokens.get(hash);
      if (!token) return null;
      const before = { ...token };
      if (token.usedAt === null) token.usedAt = at;
      return before;
    },
    async getSetting(key) {
      open();
      return settings.get(key) ?? null;
    },
    async setSetting(key, value) {
      open();
      settings.set(key, value);
    },
    async claimSetting(key, value) {
      open();
      const stored = settings.get(key);
      if (stored !== undefined) return stored;
      settings.set(key, value);
      return value;
    },

    async listUsers() {
      open();
      return [...users.values()].sort((a, b) => compareText(a.name, b.name) || compareText(usernameKey(a.username), usernameKey(b.username))).map(copyUser);
    },
    async updateUser(id, patch) {
      open();
      const user = users.get(id);
      if (!user) return false;
      if (patch.teamId !== undefined && !teams.has(patch.teamId)) throw new Error(`FOREIGN KEY constraint failed: team ${patch.teamId}`);
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<UserRow>;
      users.set(id, copyUser({ ...user, ...defined }));
      return true;
    },
    async setPasswordHash(id, passwordHash) {
      open();
      const user = users.get(id);
      if (!user) return false;
      users.set(id, { ...user, passwordHash });
      return true;
    },
    async listTeams() {
      open();
      return [...teams.values()].sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id)).map((t) => ({ ...t }));
    },
    async renameTeam(id, name) {
      open();
      const team = teams.get(id);
      if (!team) return false;
      teams.set(id, { ...team, name });
      return true;
    },
    async listDevices(userId) {
      open();
      return [...devices.values()]
        .filter((d) => d.userId === userId)
        .sort((a, b) => b.createdAt - a.createdAt || compareText(a.id, b.id))
        .map((d) => ({ ...d }));
    },

    // --- Back office view of the outbox (GET /api/outbox, /metrics) ---
    ...submissions.view,
  };
}

/** Same rule as the SQLite store: case-insensitive, locale-independent. */
function usernameKey(username: string): string {
  return username.toLowerCase();
}

/** Code-unit order, not locale order: SQLite's BINARY collation gives the same for our ASCII ids. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The checks SQLite's column constraints make on doc_updates. */
function assertValidRecord(r: UpdateRecord): void {
  if (typeof r.docId !== 'string' || r.docId.length === 0) throw new Error('CHECK constraint failed: doc_id');
  if (!(r.update instanceof Uint8Array)) throw new Error('CHECK constraint failed: update');
  if (!Number.isInteger(r.at)) throw new Error('CHECK constraint failed: at');
}

/** Sets the defined fields of `patch` on the row; an unknown id changes nothing. */
function applyPatch(documents: Map<string, DocumentRow>, id: string, patch: DocumentPatch): void {
  const row = documents.get(id);
  if (!row) return;
  const defined = Object.entries(patch).filter(([, v]) => v !== undefined);
  const next = { ...row, ...(Object.fromEntries(defined) as Partial<DocumentRow>) };
  documents.set(id, withDraftFields(withStatusSince(row, next)));
}

/** The NOT NULL constraints of the documents columns a patch may set. */
function assertValidPatch(patch: DocumentPatch): void {
  for (const key of ['title', 'status', 'updatedAt'] as const) {
    if (patch[key] === null) throw new Error(`NOT NULL constraint failed: documents.${key}`);
  }
}

/** The checks SQLite's column constraints make on actions. */
function assertValidAction(r: ActionRecord): void {
  if (typeof r.idempotencyKey !== 'string' || r.idempotencyKey.length === 0) {
    throw new Error('CHECK constraint failed: idempotency_key');
  }
  if (typeof r.docId !== 'string' || r.docId.length === 0) throw new Error('CHECK constraint failed: doc_id');
  if (typeof r.userId !== 'string' || typeof r.type !== 'string') throw new Error('NOT NULL constraint failed: actions');
  if (!Number.isInteger(r.at)) throw new Error('CHECK constraint failed: at');
  if (!Number.isInteger(r.httpStatus) || r.httpStatus < 100 || r.httpStatus > 599) {
    throw new Error('CHECK constraint failed: http_status');
  }
  try {
    if (typeof r.response !== 'string') throw new Error('not text');
    JSON.parse(r.response);
  } catch {
    throw new Error('CHECK constraint failed: response');
  }
}

function historyRow(r: LogRow): UpdateHistoryRow {
  const { userId, deviceId, connId, at, update } = r.record;
  return { seq: r.seq, userId, deviceId, connId, at, size: update.byteLength };
}

function copyUser(user: UserRow): UserRow {
  return { ...user, roles: [...user.roles], functionTitle: user.functionTitle ?? null, email: user.email ?? null, phone: user.phone ?? null };
}
