// SCIM provisioning in SQLite (C1–C9): which users and teams the IdP manages, their group
// memberships, and the one team each user works in (the first group joined that they are still
// in, C6), kept right in the same transaction as every change of membership.
import type Database from 'better-sqlite3';
import type { DeviceWipe, ScimGroup, ScimLink, ScimMembersChange, ScimStore, ScimUser, TeamRow, UserRow } from '../types';
import { UniqueViolation } from '../unique-violation';
import { userFromSql, usernameKey, type UserSql } from './rows';

interface LinkSql {
  external_id: string | null;
  created_at: number;
  updated_at: number;
}

type ScimUserSql = UserSql & LinkSql;

interface ScimGroupSql extends LinkSql {
  id: string;
  name: string;
}

/** SQLite's unique or primary-key refusal as the engine-neutral UniqueViolation (its error is the cause). */
function typedUnique<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw error;
    const constraint = error instanceof Error ? error.message.replace(/^UNIQUE constraint failed: /, '') : 'unknown';
    throw new UniqueViolation(constraint, { cause: error });
  }
}

const linkFromSql = (row: LinkSql): ScimLink => ({ externalId: row.external_id, createdAt: row.created_at, updatedAt: row.updated_at });

export function createSqliteScim(db: Database.Database): ScimStore {
  const stmt = {
    listUsers: db.prepare<[], ScimUserSql>(
      `SELECT u.*, s.external_id, s.created_at, s.updated_at FROM users u JOIN scim_users s ON s.user_id = u.id
       ORDER BY s.created_at, u.id`,
    ),
    getUser: db.prepare<[string], ScimUserSql>(
      'SELECT u.*, s.external_id, s.created_at, s.updated_at FROM users u JOIN scim_users s ON s.user_id = u.id WHERE u.id = ?',
    ),
    insertUser: db.prepare<[string, string, string, string, string, string, string, number, string | null, string | null, string | null]>(
      `INSERT INTO users (id, username, username_key, name, team_id, roles, password_hash, disabled, function_title, email, phone)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    updateUser: db.prepare<[string, string, string, number, string | null, string | null, string]>(
      'UPDATE users SET username = ?, username_key = ?, name = ?, disabled = ?, email = ?, function_title = ? WHERE id = ?',
    ),
    insertUserLink: db.prepare<[string, string | null, number, number]>(
      'INSERT INTO scim_users (user_id, external_id, created_at, updated_at) VALUES (?, ?, ?, ?)',
    ),
    updateUserLink: db.prepare<[string | null, number, string]>('UPDATE scim_users SET external_id = ?, updated_at = ? WHERE user_id = ?'),
    deleteUserLink: db.prepare<[string]>('DELETE FROM scim_users WHERE user_id = ?'),
    retireUser: db.prepare<[string, string, string, string]>(
      'UPDATE users SET username = ?, username_key = ?, disabled = 1, team_id = ? WHERE id = ?',
    ),

    listGroups: db.prepare<[], ScimGroupSql>(
      `SELECT t.id, t.name, g.external_id, g.created_at, g.updated_at FROM teams t JOIN scim_groups g ON g.team_id = t.id
       ORDER BY g.created_at, t.id`,
    ),
    getGroup: db.prepare<[string], ScimGroupSql>(
      'SELECT t.id, t.name, g.external_id, g.created_at, g.updated_at FROM teams t JOIN scim_groups g ON g.team_id = t.id WHERE t.id = ?',
    ),
    insertTeam: db.prepare<[string, string]>('INSERT INTO teams (id, name) VALUES (?, ?)'),
    renameTeam: db.prepare<[string, string]>('UPDATE teams SET name = ? WHERE id = ?'),
    insertGroupLink: db.prepare<[string, string | null, number, number]>(
      'INSERT INTO scim_groups (team_id, external_id, created_at, updated_at) VALUES (?, ?, ?, ?)',
    ),
    updateGroupLink: db.prepare<[string | null, number, string]>('UPDATE scim_groups SET external_id = ?, updated_at = ? WHERE team_id = ?'),
    deleteGroupLink: db.prepare<[string]>('DELETE FROM scim_groups WHERE team_id = ?'),

    members: db.prepare<[string], { user_id: string }>('SELECT user_id FROM scim_members WHERE team_id = ? ORDER BY added_at, user_id'),
    addMember: db.prepare<[string, string, number]>(
      'INSERT INTO scim_members (team_id, user_id, added_at) VALUES (?, ?, ?) ON CONFLICT (team_id, user_id) DO NOTHING',
    ),
    removeMember: db.prepare<[string, string]>('DELETE FROM scim_members WHERE team_id = ? AND user_id = ?'),
    removeAllOfGroup: db.prepare<[string]>('DELETE FROM scim_members WHERE team_id = ?'),
    removeAllOfUser: db.prepare<[string]>('DELETE FROM scim_members WHERE user_id = ?'),
    isLinkedUser: db.prepare<[string], { ok: number }>('SELECT 1 AS ok FROM scim_users WHERE user_id = ?'),
    firstGroup: db.prepare<[string], { team_id: string }>(
      'SELECT team_id FROM scim_members WHERE user_id = ? ORDER BY added_at, team_id LIMIT 1',
    ),
    teamOf: db.prepare<[string], { team_id: string }>('SELECT team_id FROM users WHERE id = ?'),
    setTeam: db.prepare<[string, string]>('UPDATE users SET team_id = ? WHERE id = ?'),

    liveDevices: db.prepare<[string], { id: string }>('SELECT id FROM devices WHERE user_id = ? AND revoked_at IS NULL ORDER BY id'),
    revokeDevices: db.prepare<[number, string | null, string]>('UPDATE devices SET revoked_at = ?, wipe = ? WHERE user_id = ? AND revoked_at IS NULL'),
  };

  /** C6: the user's team is the first group joined that they are still in. True when it changed. */
  const settleTeam = (userId: string, unassignedTeamId: string): boolean => {
    const next = stmt.firstGroup.get(userId)?.team_id ?? unassignedTeamId;
    if (stmt.teamOf.get(userId)?.team_id === next) return false;
    stmt.setTeam.run(next, userId);
    return true;
  };

  const groupOf = (row: ScimGroupSql): ScimGroup => ({
    team: { id: row.id, name: row.name },
    link: linkFromSql(row),
    members: stmt.members.all(row.id).map((m) => m.user_id),
  });

  const createUserTx = db.transaction((user: UserRow, link: ScimLink) => {
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
    stmt.insertUserLink.run(user.id, link.externalId, link.createdAt, link.updatedAt);
  });

  const revokeAll = (userId: string, at: number, wipe?: DeviceWipe): string[] => {
    const ids = stmt.liveDevices.all(userId).map((d) => d.id);
    stmt.revokeDevices.run(at, wipe ?? null, userId);
    return ids;
  };

  const updateUserTx = db.transaction((user: UserRow, link: ScimLink, revokeDevicesAt: number | undefined, wipe: DeviceWipe | undefined): string[] => {
    if (!stmt.isLinkedUser.get(user.id)) return [];
    stmt.updateUser.run(user.username, usernameKey(user.username), user.name, user.disabled ? 1 : 0, user.email ?? null, user.functionTitle ?? null, user.id);
    stmt.updateUserLink.run(link.externalId, link.updatedAt, user.id);
    return revokeDevicesAt === undefined ? [] : revokeAll(user.id, revokeDevicesAt, wipe);
  });

  const retireUserTx = db.transaction((id: string, unassignedTeamId: string, at: number, wipe: DeviceWipe | undefined): string[] => {
    if (!stmt.isLinkedUser.get(id)) return [];
    stmt.removeAllOfUser.run(id);
    stmt.deleteUserLink.run(id);
    const retired = `deleted:${id}`;
    stmt.retireUser.run(retired, usernameKey(retired), unassignedTeamId, id);
    return revokeAll(id, at, wipe);
  });

  const createGroupTx = db.transaction((team: TeamRow, link: ScimLink) => {
    stmt.insertTeam.run(team.id, team.name);
    stmt.insertGroupLink.run(team.id, link.externalId, link.createdAt, link.updatedAt);
  });

  const updateGroupTx = db.transaction((team: TeamRow, link: ScimLink) => {
    if (!stmt.getGroup.get(team.id)) return;
    stmt.renameTeam.run(team.name, team.id);
    stmt.updateGroupLink.run(link.externalId, link.updatedAt, team.id);
  });

  const deleteGroupTx = db.transaction((id: string, unassignedTeamId: string): string[] => {
    const members = stmt.members.all(id).map((m) => m.user_id);
    stmt.removeAllOfGroup.run(id);
    stmt.deleteGroupLink.run(id);
    return members.filter((userId) => settleTeam(userId, unassignedTeamId));
  });

  const changeMembersTx = db.transaction((teamId: string, change: ScimMembersChange, at: number, unassignedTeamId: string): string[] => {
    if (!stmt.getGroup.get(teamId)) throw new Error(`no SCIM group ${teamId}`);
    const before = stmt.members.all(teamId).map((m) => m.user_id);
    const add = change.replace ?? change.add;
    const remove = change.replace === undefined ? change.remove : before.filter((id) => !change.replace?.includes(id));
    for (const userId of add) {
      if (!stmt.isLinkedUser.get(userId)) throw new Error(`FOREIGN KEY constraint failed: no SCIM user ${userId}`);
      stmt.addMember.run(teamId, userId, at);
    }
    for (const userId of remove) stmt.removeMember.run(teamId, userId);
    const touched = [...new Set([...add, ...remove])];
    return touched.filter((userId) => settleTeam(userId, unassignedTeamId));
  });

  const revokeTx = db.transaction((userId: string, at: number, wipe: DeviceWipe | undefined): string[] => revokeAll(userId, at, wipe));

  /* eslint-disable @typescript-eslint/require-await -- async so a throw is a rejected promise, as in the other stores */
  return {
    async listScimUsers() {
      return stmt.listUsers.all().map((row): ScimUser => ({ user: userFromSql(row), link: linkFromSql(row) }));
    },
    async getScimUser(id) {
      const row = stmt.getUser.get(id);
      return row ? { user: userFromSql(row), link: linkFromSql(row) } : null;
    },
    async createScimUser(user, link) {
      typedUnique(() => createUserTx(user, link));
    },
    async updateScimUser(user, link, options = {}) {
      return typedUnique(() => updateUserTx.immediate(user, link, options.revokeDevicesAt, options.wipe));
    },
    async retireScimUser(id, unassignedTeamId, at, wipe) {
      return retireUserTx.immediate(id, unassignedTeamId, at, wipe);
    },
    async listScimGroups() {
      return stmt.listGroups.all().map(groupOf);
    },
    async getScimGroup(id) {
      const row = stmt.getGroup.get(id);
      return row ? groupOf(row) : null;
    },
    async createScimGroup(team, link) {
      typedUnique(() => createGroupTx(team, link));
    },
    async updateScimGroup(team, link) {
      typedUnique(() => updateGroupTx(team, link));
    },
    async deleteScimGroup(id, unassignedTeamId) {
      return deleteGroupTx(id, unassignedTeamId);
    },
    async changeScimMembers(teamId, change, at, unassignedTeamId) {
      return changeMembersTx.immediate(teamId, change, at, unassignedTeamId);
    },
    async revokeUserDevices(userId, at, wipe) {
      return revokeTx.immediate(userId, at, wipe);
    },
  };
  /* eslint-enable @typescript-eslint/require-await */
}
