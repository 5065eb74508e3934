// PostgreSQL side of `IdentityLinkStore` (I3–I7): users linked to an IdP subject and each
// device's IdP session. The user rows stay the account store's; it lends its insert and read.
import type { IdentityLinkStore, IdpSessionRow, UserRow } from '../types';
import { inTransaction, type Pool, type Queryable } from './pool';

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
  insertUser(client: Queryable, user: UserRow): Promise<void>;
  readUser(id: string): Promise<UserRow | null>;
}

const LINK_SQL = 'INSERT INTO user_identities (user_id, issuer, subject) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING';

export function createPostgresIdentity(pool: Pool, users: UserRowAccess): IdentityLinkStore {
  return {
    async findUserByIdentity(issuer, subject) {
      const { rows } = await pool.query<{ user_id: string }>('SELECT user_id FROM user_identities WHERE issuer = $1 AND subject = $2', [issuer, subject]);
      return rows[0] === undefined ? null : users.readUser(rows[0].user_id);
    },
    async getIdentityOf(userId) {
      const { rows } = await pool.query<{ issuer: string; subject: string }>('SELECT issuer, subject FROM user_identities WHERE user_id = $1', [userId]);
      return rows[0] === undefined ? null : { issuer: rows[0].issuer, subject: rows[0].subject };
    },
    async linkIdentity(userId, issuer, subject) {
      return (await pool.query(LINK_SQL, [userId, issuer, subject])).rowCount === 1;
    },
    async createLinkedUser(user, issuer, subject) {
      await inTransaction(pool, async (client) => {
        await users.insertUser(client, user);
        const linked = await client.query(LINK_SQL, [user.id, issuer, subject]);
        if (linked.rowCount !== 1) throw new Error(`UNIQUE constraint failed: user_identities (${issuer}, ${subject})`);
      });
    },
    async updateUserFromIdentity(id, patch) {
      await pool.query('UPDATE users SET name = $1, email = $2, roles = $3, team_id = $4 WHERE id = $5', [
        patch.name,
        patch.email,
        JSON.stringify(patch.roles),
        patch.teamId,
        id,
      ]);
    },
    async saveIdpSession(row) {
      await pool.query(
        `INSERT INTO idp_sessions (device_id, user_id, issuer, subject, sid, refresh_token, id_token, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [row.deviceId, row.userId, row.issuer, row.subject, row.sid, row.refreshToken, row.idToken, row.createdAt],
      );
    },
    async getIdpSession(deviceId) {
      const { rows } = await pool.query<SessionSql>('SELECT * FROM idp_sessions WHERE device_id = $1', [deviceId]);
      return rows[0] === undefined ? null : sessionFromSql(rows[0]);
    },
    async updateIdpSession(deviceId, patch) {
      await pool.query('UPDATE idp_sessions SET refresh_token = $1, id_token = $2 WHERE device_id = $3', [patch.refreshToken, patch.idToken, deviceId]);
    },
    async listIdpSessionDevices(issuer, by) {
      const { rows } =
        'sid' in by
          ? await pool.query<{ device_id: string }>('SELECT device_id FROM idp_sessions WHERE issuer = $1 AND sid = $2', [issuer, by.sid])
          : await pool.query<{ device_id: string }>('SELECT device_id FROM idp_sessions WHERE issuer = $1 AND subject = $2', [issuer, by.subject]);
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
