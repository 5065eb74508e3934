// SQLite side of `IdentityLinkStore` (I3–I7): users linked to an IdP subject and each device's
// IdP session. The user rows themselves stay the account store's; it lends its insert and read.
/* eslint-disable @typescript-eslint/require-await --
   Async without awaiting on purpose: a throw becomes a rejected promise, as in the other stores. */
import type Database from 'better-sqlite3';
import type { IdentityLinkStore, IdpSessionRow, UserRow } from '../types';

interface SessionSql {
  device_id: string;
  user_id: string;
  issuer: string;
  subject: string;
  sid: string | null;
  refresh_token: string | null;
  id_token: string | null;
  created_at: number;
}

export interface UserRowAccess {
  insertUser(user: UserRow): void;
  readUser(id: string): UserRow | null;
}

export function createSqliteIdentity(db: Database.Database, users: UserRowAccess): IdentityLinkStore {
  const stmt = {
    userBySubject: db.prepare<[string, string], { user_id: string }>('SELECT user_id FROM user_identities WHERE issuer = ? AND subject = ?'),
    identityOf: db.prepare<[string], { issuer: string; subject: string }>('SELECT issuer, subject FROM user_identities WHERE user_id = ?'),
    link: db.prepare<[string, string, string]>('INSERT OR IGNORE INTO user_identities (user_id, issuer, subject) VALUES (?, ?, ?)'),
    updateUser: db.prepare<[string, string | null, string, string, string]>('UPDATE users SET name = ?, email = ?, roles = ?, team_id = ? WHERE id = ?'),
    insertSession: db.prepare<[SessionSql]>(
      `INSERT INTO idp_sessions (device_id, user_id, issuer, subject, sid, refresh_token, id_token, created_at)
       VALUES (@device_id, @user_id, @issuer, @subject, @sid, @refresh_token, @id_token, @created_at)`,
    ),
    getSession: db.prepare<[string], SessionSql>('SELECT * FROM idp_sessions WHERE device_id = ?'),
    updateSession: db.prepare<[string | null, string | null, string]>('UPDATE idp_sessions SET refresh_token = ?, id_token = ? WHERE device_id = ?'),
    devicesBySid: db.prepare<[string, string], { device_id: string }>('SELECT device_id FROM idp_sessions WHERE issuer = ? AND sid = ?'),
    devicesBySubject: db.prepare<[string, string], { device_id: string }>('SELECT device_id FROM idp_sessions WHERE issuer = ? AND subject = ?'),
  };
  const createLinked = db.transaction((user: UserRow, issuer: string, subject: string) => {
    users.insertUser(user);
    if (stmt.link.run(user.id, issuer, subject).changes !== 1) throw new Error(`UNIQUE constraint failed: user_identities (${issuer}, ${subject})`);
  });

  return {
    async findUserByIdentity(issuer, subject) {
      const row = stmt.userBySubject.get(issuer, subject);
      return row ? users.readUser(row.user_id) : null;
    },
    async getIdentityOf(userId) {
      const row = stmt.identityOf.get(userId);
      return row ? { issuer: row.issuer, subject: row.subject } : null;
    },
    async linkIdentity(userId, issuer, subject) {
      return stmt.link.run(userId, issuer, subject).changes === 1;
    },
    async createLinkedUser(user, issuer, subject) {
      createLinked.immediate(user, issuer, subject);
    },
    async updateUserFromIdentity(id, patch) {
      stmt.updateUser.run(patch.name, patch.email, JSON.stringify(patch.roles), patch.teamId, id);
    },
    async saveIdpSession(row) {
      stmt.insertSession.run({
        device_id: row.deviceId,
        user_id: row.userId,
        issuer: row.issuer,
        subject: row.subject,
        sid: row.sid,
        refresh_token: row.refreshToken,
        id_token: row.idToken,
        created_at: row.createdAt,
      });
    },
    async getIdpSession(deviceId) {
      const row = stmt.getSession.get(deviceId);
      return row ? sessionFromSql(row) : null;
    },
    async updateIdpSession(deviceId, patch) {
      stmt.updateSession.run(patch.refreshToken, patch.idToken, deviceId);
    },
    async listIdpSessionDevices(issuer, by) {
      const rows = 'sid' in by ? stmt.devicesBySid.all(issuer, by.sid) : stmt.devicesBySubject.all(issuer, by.subject);
      return rows.map((r) => r.device_id);
    },
  };
}

function sessionFromSql(row: SessionSql): IdpSessionRow {
  return {
    deviceId: row.device_id,
    userId: row.user_id,
    issuer: row.issuer,
    subject: row.subject,
    sid: row.sid,
    refreshToken: row.refresh_token,
    idToken: row.id_token,
    createdAt: row.created_at,
  };
}
