// SCIM provisioning on PostgreSQL (C1–C9), the same semantics as sqlite/scim.ts. Several processes
// write here at once, so every change of a user's memberships first takes that user's row lock
// (SELECT … FOR UPDATE, in id order): the one-team rule (C6) is then settled on memberships no
// other transaction is changing (DB21), and each live device is revoked by exactly one caller (DB23).
import type { DeviceWipe, Role, ScimGroup, ScimLink, ScimMembersChange, ScimStore, ScimUser, TeamRow, UserRow } from '../types';
import { UniqueViolation } from '../unique-violation';
import { inTransaction, isUniqueViolation, type Client, type Pool, type Queryable } from './pool';

interface LinkSql {
  external_id: string | null;
  created_at: number;
  updated_at: number;
}

interface ScimUserSql extends LinkSql {
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

interface ScimGroupSql extends LinkSql {
  id: string;
  name: string;
}

const USER_COLUMNS = `u.id, u.username, u.name, u.team_id, u.roles, u.password_hash, u.disabled, u.function_title, u.email, u.phone,
  s.external_id, s.created_at, s.updated_at`;
const GROUP_COLUMNS = 't.id, t.name, g.external_id, g.created_at, g.updated_at';

/** Lookups are case-insensitive, also beyond ASCII (`users.username_key`), as in SQLite. */
const usernameKey = (username: string): string => username.toLowerCase();

const linkFromSql = (row: LinkSql): ScimLink => ({ externalId: row.external_id, createdAt: row.created_at, updatedAt: row.updated_at });

const userFromSql = (row: ScimUserSql): UserRow => ({
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
});

/** A unique violation as the engine-neutral UniqueViolation; the PostgreSQL error stays as the cause. */
async function typedUnique<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const constraint = typeof error === 'object' && error !== null && 'constraint' in error ? String(error.constraint) : 'unknown';
    throw new UniqueViolation(constraint, { cause: error });
  }
}

/** Takes the row locks of these users in id order (one order everywhere: no deadlock between two changes). */
async function lockUsers(client: Client, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await client.query('SELECT id FROM users WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [[...new Set(ids)]]);
}

async function isLinkedUser(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM scim_users WHERE user_id = $1', [id]);
  return rowCount === 1;
}

async function membersOf(db: Queryable, teamId: string): Promise<string[]> {
  const { rows } = await db.query<{ user_id: string }>('SELECT user_id FROM scim_members WHERE team_id = $1 ORDER BY added_at, user_id', [teamId]);
  return rows.map((r) => r.user_id);
}

/** C6: the user's team is the first group joined that they are still in. Caller holds the user's lock. True when it changed. */
async function settleTeam(client: Client, userId: string, unassignedTeamId: string): Promise<boolean> {
  const first = await client.query<{ team_id: string }>(
    'SELECT team_id FROM scim_members WHERE user_id = $1 ORDER BY added_at, team_id LIMIT 1',
    [userId],
  );
  const next = first.rows[0]?.team_id ?? unassignedTeamId;
  const { rowCount } = await client.query('UPDATE users SET team_id = $1 WHERE id = $2 AND team_id <> $1', [next, userId]);
  return rowCount === 1;
}

/** C4: revokes the user's live devices; a device another transaction revoked first is not returned again. */
async function revokeAll(db: Queryable, userId: string, at: number, wipe: DeviceWipe | undefined): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    'UPDATE devices SET revoked_at = $1, wipe = $2 WHERE user_id = $3 AND revoked_at IS NULL RETURNING id',
    [at, wipe ?? null, userId],
  );
  return rows.map((r) => r.id).sort();
}

export function createPostgresScim(pool: Pool): ScimStore {
  const groupOf = async (row: ScimGroupSql): Promise<ScimGroup> => ({
    team: { id: row.id, name: row.name },
    link: linkFromSql(row),
    members: await membersOf(pool, row.id),
  });

  return {
    async listScimUsers() {
      const { rows } = await pool.query<ScimUserSql>(
        `SELECT ${USER_COLUMNS} FROM users u JOIN scim_users s ON s.user_id = u.id ORDER BY s.created_at, u.id`,
      );
      return rows.map((row): ScimUser => ({ user: userFromSql(row), link: linkFromSql(row) }));
    },

    async getScimUser(id) {
      const { rows } = await pool.query<ScimUserSql>(`SELECT ${USER_COLUMNS} FROM users u JOIN scim_users s ON s.user_id = u.id WHERE u.id = $1`, [id]);
      const row = rows[0];
      return row ? { user: userFromSql(row), link: linkFromSql(row) } : null;
    },

    async createScimUser(user, link) {
      await typedUnique(() =>
        inTransaction(pool, async (client) => {
          await client.query(
            `INSERT INTO users (id, username, username_key, name, team_id, roles, password_hash, disabled, function_title, email, phone)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
            [
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
            ],
          );
          await client.query('INSERT INTO scim_users (user_id, external_id, created_at, updated_at) VALUES ($1, $2, $3, $4)', [
            user.id,
            link.externalId,
            link.createdAt,
            link.updatedAt,
          ]);
        }),
      );
    },

    async updateScimUser(user, link, options = {}) {
      return typedUnique(() =>
        inTransaction(pool, async (client) => {
          await lockUsers(client, [user.id]);
          if (!(await isLinkedUser(client, user.id))) return [];
          await client.query('UPDATE users SET username = $1, username_key = $2, name = $3, disabled = $4, email = $5, function_title = $6 WHERE id = $7', [
            user.username,
            usernameKey(user.username),
            user.name,
            user.disabled,
            user.email ?? null,
            user.functionTitle ?? null,
            user.id,
          ]);
          await client.query('UPDATE scim_users SET external_id = $1, updated_at = $2 WHERE user_id = $3', [link.externalId, link.updatedAt, user.id]);
          return options.revokeDevicesAt === undefined ? [] : revokeAll(client, user.id, options.revokeDevicesAt, options.wipe);
        }),
      );
    },

    async retireScimUser(id, unassignedTeamId, at, wipe) {
      return inTransaction(pool, async (client) => {
        await lockUsers(client, [id]);
        if (!(await isLinkedUser(client, id))) return [];
        await client.query('DELETE FROM scim_members WHERE user_id = $1', [id]);
        await client.query('DELETE FROM scim_users WHERE user_id = $1', [id]);
        const retired = `deleted:${id}`;
        await client.query('UPDATE users SET username = $1, username_key = $2, disabled = true, team_id = $3 WHERE id = $4', [
          retired,
          usernameKey(retired),
          unassignedTeamId,
          id,
        ]);
        return revokeAll(client, id, at, wipe);
      });
    },

    async listScimGroups() {
      // One snapshot and two queries, not one query per group: a municipality has hundreds.
      return inTransaction(
        pool,
        async (client) => {
          const groups = await client.query<ScimGroupSql>(`SELECT ${GROUP_COLUMNS} FROM teams t JOIN scim_groups g ON g.team_id = t.id ORDER BY g.created_at, t.id`);
          const members = await client.query<{ team_id: string; user_id: string }>('SELECT team_id, user_id FROM scim_members ORDER BY added_at, user_id');
          const byGroup = new Map<string, string[]>();
          for (const m of members.rows) {
            const list = byGroup.get(m.team_id);
            if (list) list.push(m.user_id);
            else byGroup.set(m.team_id, [m.user_id]);
          }
          return groups.rows.map((row): ScimGroup => ({ team: { id: row.id, name: row.name }, link: linkFromSql(row), members: byGroup.get(row.id) ?? [] }));
        },
        { isolation: 'REPEATABLE READ' },
      );
    },

    async getScimGroup(id) {
      const { rows } = await pool.query<ScimGroupSql>(`SELECT ${GROUP_COLUMNS} FROM teams t JOIN scim_groups g ON g.team_id = t.id WHERE t.id = $1`, [id]);
      const row = rows[0];
      return row ? groupOf(row) : null;
    },

    async createScimGroup(team: TeamRow, link: ScimLink) {
      await typedUnique(() =>
        inTransaction(pool, async (client) => {
          await client.query('INSERT INTO teams (id, name) VALUES ($1, $2)', [team.id, team.name]);
          await client.query('INSERT INTO scim_groups (team_id, external_id, created_at, updated_at) VALUES ($1, $2, $3, $4)', [
            team.id,
            link.externalId,
            link.createdAt,
            link.updatedAt,
          ]);
        }),
      );
    },

    async updateScimGroup(team, link) {
      await inTransaction(pool, async (client) => {
        const { rowCount } = await client.query('SELECT 1 FROM scim_groups WHERE team_id = $1 FOR NO KEY UPDATE', [team.id]);
        if (rowCount !== 1) return;
        await client.query('UPDATE teams SET name = $1 WHERE id = $2', [team.name, team.id]);
        await client.query('UPDATE scim_groups SET external_id = $1, updated_at = $2 WHERE team_id = $3', [link.externalId, link.updatedAt, team.id]);
      });
    },

    async deleteScimGroup(id, unassignedTeamId) {
      return inTransaction(pool, async (client) => {
        // The group's lock first, then its members' (the order changeScimMembers takes them in).
        await client.query('SELECT 1 FROM scim_groups WHERE team_id = $1 FOR UPDATE', [id]);
        const members = await membersOf(client, id);
        await lockUsers(client, members);
        await client.query('DELETE FROM scim_members WHERE team_id = $1', [id]);
        await client.query('DELETE FROM scim_groups WHERE team_id = $1', [id]);
        const changed: string[] = [];
        for (const userId of members) if (await settleTeam(client, userId, unassignedTeamId)) changed.push(userId);
        return changed;
      });
    },

    async changeScimMembers(teamId: string, change: ScimMembersChange, at: number, unassignedTeamId: string) {
      return inTransaction(pool, async (client) => {
        const group = await client.query('SELECT 1 FROM scim_groups WHERE team_id = $1 FOR NO KEY UPDATE', [teamId]);
        if (group.rowCount !== 1) throw new Error(`no SCIM group ${teamId}`);
        const before = await membersOf(client, teamId);
        const add = change.replace ?? change.add;
        const remove = change.replace === undefined ? change.remove : before.filter((id) => !change.replace?.includes(id));
        const touched = [...new Set([...add, ...remove])];
        // DB21: with every touched user locked, no other transaction changes their memberships
        // until this one commits, so the team settled below is the one their memberships say.
        await lockUsers(client, touched);
        for (const userId of add) {
          // Checked under the lock: a user retired meanwhile is no longer linked.
          if (!(await isLinkedUser(client, userId))) throw new Error(`FOREIGN KEY constraint failed: no SCIM user ${userId}`);
          await client.query('INSERT INTO scim_members (team_id, user_id, added_at) VALUES ($1, $2, $3) ON CONFLICT (team_id, user_id) DO NOTHING', [
            teamId,
            userId,
            at,
          ]);
        }
        for (const userId of remove) await client.query('DELETE FROM scim_members WHERE team_id = $1 AND user_id = $2', [teamId, userId]);
        const changed: string[] = [];
        for (const userId of touched) if (await settleTeam(client, userId, unassignedTeamId)) changed.push(userId);
        return changed;
      });
    },

    async revokeUserDevices(userId, at, wipe) {
      // One statement: concurrent callers each get the devices they revoked, none twice (DB23).
      return revokeAll(pool, userId, at, wipe);
    },
  };
}
