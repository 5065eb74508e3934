// SCIM provisioning in memory (C1–C9), with the SQLite store's semantics (sqlite/scim.ts): linked
// users and teams, memberships in joining order, and each user's one team settled (C6) in the
// same step as the membership change; a refused change changes nothing.
/* eslint-disable @typescript-eslint/require-await --
   Methods are async without awaiting on purpose: a throw becomes a rejected promise. */
import type { DeviceRow, DeviceWipe, ScimLink, ScimStore, TeamRow, UserRow } from '../types';
import { UniqueViolation } from '../unique-violation';

export interface MemoryScimDeps {
  users: Map<string, UserRow>;
  teams: Map<string, TeamRow>;
  devices: Map<string, DeviceRow>;
  open: () => void;
  /** The store's own createUser, with its uniqueness and team checks. */
  createUser: (user: UserRow) => Promise<void>;
  findByUsername: (username: string) => UserRow | undefined;
}

interface Membership {
  userId: string;
  addedAt: number;
}

export function createMemoryScim(deps: MemoryScimDeps): ScimStore {
  const { users, teams, devices, open } = deps;
  const userLinks = new Map<string, ScimLink>();
  const groupLinks = new Map<string, ScimLink>();
  const members = new Map<string, Membership[]>();

  const copyUser = (user: UserRow): UserRow => ({ ...user, roles: [...user.roles] });
  const orderedMembers = (teamId: string): string[] =>
    [...(members.get(teamId) ?? [])].sort((a, b) => a.addedAt - b.addedAt || cmp(a.userId, b.userId)).map((m) => m.userId);

  const revokeAll = (userId: string, at: number, wipe?: DeviceWipe): string[] => {
    const revoked: string[] = [];
    for (const device of devices.values()) {
      if (device.userId === userId && device.revokedAt === null) {
        device.revokedAt = at;
        device.wipe = wipe ?? null;
        revoked.push(device.id);
      }
    }
    return revoked.sort(cmp);
  };

  /** C6: the user's team is the first group joined that they are still in. True when it changed. */
  const settleTeam = (userId: string, unassignedTeamId: string): boolean => {
    let first: { teamId: string; addedAt: number } | null = null;
    for (const [teamId, list] of members) {
      const m = list.find((x) => x.userId === userId);
      if (m && (first === null || m.addedAt < first.addedAt || (m.addedAt === first.addedAt && cmp(teamId, first.teamId) < 0))) {
        first = { teamId, addedAt: m.addedAt };
      }
    }
    const next = first?.teamId ?? unassignedTeamId;
    const user = users.get(userId);
    if (!user || user.teamId === next) return false;
    if (!teams.has(next)) throw new Error(`FOREIGN KEY constraint failed: team ${next}`);
    users.set(userId, { ...user, teamId: next });
    return true;
  };

  return {
    async listScimUsers() {
      open();
      return [...userLinks]
        .sort(([a, la], [b, lb]) => la.createdAt - lb.createdAt || cmp(a, b))
        .flatMap(([id, link]) => {
          const user = users.get(id);
          return user ? [{ user: copyUser(user), link: { ...link } }] : [];
        });
    },
    async getScimUser(id) {
      open();
      const link = userLinks.get(id);
      const user = users.get(id);
      return link && user ? { user: copyUser(user), link: { ...link } } : null;
    },
    async createScimUser(user, link) {
      open();
      await deps.createUser(user);
      userLinks.set(user.id, { ...link });
    },
    async updateScimUser(user, link, options = {}) {
      open();
      const current = users.get(user.id);
      if (!current || !userLinks.has(user.id)) return [];
      const holder = deps.findByUsername(user.username);
      if (holder && holder.id !== user.id) throw new UniqueViolation('users.username');
      const { username, name, disabled } = user;
      users.set(user.id, { ...current, username, name, disabled, email: user.email ?? null, functionTitle: user.functionTitle ?? null });
      userLinks.set(user.id, { ...userLinks.get(user.id)!, externalId: link.externalId, updatedAt: link.updatedAt });
      return options.revokeDevicesAt === undefined ? [] : revokeAll(user.id, options.revokeDevicesAt, options.wipe);
    },
    async retireScimUser(id, unassignedTeamId, at, wipe) {
      open();
      const user = users.get(id);
      if (!user || !userLinks.has(id)) return [];
      if (!teams.has(unassignedTeamId)) throw new Error(`FOREIGN KEY constraint failed: team ${unassignedTeamId}`);
      for (const [teamId, list] of members) members.set(teamId, list.filter((m) => m.userId !== id));
      userLinks.delete(id);
      users.set(id, { ...user, username: `deleted:${id}`, disabled: true, teamId: unassignedTeamId });
      return revokeAll(id, at, wipe);
    },
    async listScimGroups() {
      open();
      return [...groupLinks]
        .sort(([a, la], [b, lb]) => la.createdAt - lb.createdAt || cmp(a, b))
        .flatMap(([id, link]) => {
          const team = teams.get(id);
          return team ? [{ team: { ...team }, link: { ...link }, members: orderedMembers(id) }] : [];
        });
    },
    async getScimGroup(id) {
      open();
      const link = groupLinks.get(id);
      const team = teams.get(id);
      return link && team ? { team: { ...team }, link: { ...link }, members: orderedMembers(id) } : null;
    },
    async createScimGroup(team, link) {
      open();
      if (teams.has(team.id)) throw new UniqueViolation('teams.id');
      teams.set(team.id, { ...team });
      groupLinks.set(team.id, { ...link });
    },
    async updateScimGroup(team, link) {
      open();
      const current = groupLinks.get(team.id);
      if (!current || !teams.has(team.id)) return;
      teams.set(team.id, { id: team.id, name: team.name });
      groupLinks.set(team.id, { ...current, externalId: link.externalId, updatedAt: link.updatedAt });
    },
    async deleteScimGroup(id, unassignedTeamId) {
      open();
      const before = orderedMembers(id);
      members.delete(id);
      groupLinks.delete(id);
      return before.filter((userId) => settleTeam(userId, unassignedTeamId));
    },
    async changeScimMembers(teamId, change, at, unassignedTeamId) {
      open();
      if (!groupLinks.has(teamId)) throw new Error(`no SCIM group ${teamId}`);
      const before = members.get(teamId) ?? [];
      const add = change.replace ?? change.add;
      const remove = change.replace === undefined ? change.remove : before.map((m) => m.userId).filter((id) => !change.replace?.includes(id));
      // Checked before anything changes: a refused change leaves the group as it was.
      for (const userId of add) if (!userLinks.has(userId)) throw new Error(`FOREIGN KEY constraint failed: no SCIM user ${userId}`);
      if (!teams.has(unassignedTeamId)) throw new Error(`FOREIGN KEY constraint failed: team ${unassignedTeamId}`);
      // As in SQLite: adds first (an existing member keeps their joining time), then removes.
      const next = before.filter((m) => !remove.includes(m.userId));
      for (const userId of add) {
        if (!remove.includes(userId) && !next.some((m) => m.userId === userId)) next.push({ userId, addedAt: at });
      }
      members.set(teamId, next);
      const touched = [...new Set([...add, ...remove])];
      return touched.filter((userId) => settleTeam(userId, unassignedTeamId));
    },
    async revokeUserDevices(userId, at, wipe) {
      open();
      return revokeAll(userId, at, wipe);
    },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
