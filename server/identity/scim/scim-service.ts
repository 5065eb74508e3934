// SCIM provisioning (C1–C9): what creating, changing and deleting users and groups means for
// Keukentafel's accounts, teams and devices. Routes (scim-routes.ts) parse and serialise; this
// decides. A deactivated or deleted user loses every device at once (C4); a user in several
// groups works in the first one joined (C6); provisioned users have no local password (C5).
import { randomUUID } from 'node:crypto';
import type { ScimGroupInput, ScimPatchOperation, ScimUserInput } from '../../../shared/protocol/scim';
import type { AuditAction, AuditJson } from '../../audit/types';
import type { AccountStore, DeviceWipe, ScimGroup, ScimMembersChange, ScimStore, ScimUser, TeamRow, UserRow } from '../../store/types';
import { UniqueViolation } from '../../store/unique-violation';
import { fail, ok, type ScimResult } from './errors';
import { applyGroupPatch, type ScimGroupState } from './group-patch';
import { applyUserPatch, displayNameOf, stateFromInput, type ScimUserState } from './user-patch';

/** C6: where a provisioned user works while in no group: a team with no documents of its own. */
export const UNASSIGNED_TEAM: TeamRow = { id: 'scim-zonder-team', name: 'Zonder team' };

/**
 * C5: the password hash of a provisioned user. It is no scrypt string, so no password matches it
 * (the login checks a dummy hash instead, taking as long as a wrong password).
 */
export const NO_LOCAL_PASSWORD = '!scim: geen lokaal wachtwoord';

/** Roles of a newly provisioned user; others are given in /beheer (or by OIDC_ROLE_MAP at sign-in). */
export const PROVISIONED_ROLES: UserRow['roles'] = ['field'];

export type ScimServiceStore = ScimStore & Pick<AccountStore, 'getTeam' | 'createTeam' | 'findUserByUsername'>;

export interface ScimEvents {
  /** C4: these devices were revoked: whatever they still have open must close now. */
  devicesRevoked(deviceIds: readonly string[]): void;
  /** C6: these users now work in another team: their sockets must reconnect to have access decided again. */
  teamChanged(userIds: readonly string[]): void;
  /** C9: one call per change made (none for a request that changed nothing), for the audit trail; never rejects. */
  changed(change: ScimChange, caller: ScimCaller): Promise<void>;
}

/** One change, as the audit trail records it: `details` names the user or team it was made to. */
export interface ScimChange {
  action: Extract<
    AuditAction,
    'user-created' | 'user-updated' | 'user-deactivated' | 'user-reactivated' | 'user-deleted' | 'device-revoked' | 'team-created' | 'team-renamed' | 'team-members-changed' | 'team-deleted'
  >;
  details: { [key: string]: AuditJson };
}

/** Who asked: the IdP's provisioning client, known only by its address (there is no user or device). */
export interface ScimCaller {
  address: string;
}

/** Most ids one audit entry lists (its details stay small, U3); the counts are always complete. */
const AUDIT_IDS = 20;

export interface ScimServiceDeps {
  store: ScimServiceStore;
  now: () => number;
  newId?: () => string;
  events: ScimEvents;
  /** K27: SCIM_DEPROVISION_WIPE, the wipe mode of devices revoked by deactivation or deletion (default send-then-wipe: a leaver). */
  deprovisionWipe?: DeviceWipe;
}

export interface ScimService {
  listUsers(filter: { attribute: string; value: string } | null): Promise<ScimUser[]>;
  getUser(id: string): Promise<ScimResult<ScimUser>>;
  createUser(input: ScimUserInput, caller: ScimCaller): Promise<ScimResult<ScimUser>>;
  replaceUser(id: string, input: ScimUserInput, caller: ScimCaller): Promise<ScimResult<ScimUser>>;
  patchUser(id: string, operations: readonly ScimPatchOperation[], caller: ScimCaller): Promise<ScimResult<ScimUser>>;
  deleteUser(id: string, caller: ScimCaller): Promise<ScimResult<null>>;
  /** The SCIM groups a user is in, for the user's `groups` attribute. */
  groupsOf(userId: string): Promise<TeamRow[]>;
  /** The same for every user at once (a list answer reads the groups once, not once per user). */
  groupsByUser(): Promise<Map<string, TeamRow[]>>;
  listGroups(filter: { attribute: string; value: string } | null): Promise<ScimGroup[]>;
  getGroup(id: string): Promise<ScimResult<ScimGroup>>;
  createGroup(input: ScimGroupInput, caller: ScimCaller): Promise<ScimResult<ScimGroup>>;
  replaceGroup(id: string, input: ScimGroupInput, caller: ScimCaller): Promise<ScimResult<ScimGroup>>;
  patchGroup(id: string, operations: readonly ScimPatchOperation[], caller: ScimCaller): Promise<ScimResult<ScimGroup>>;
  deleteGroup(id: string, caller: ScimCaller): Promise<ScimResult<null>>;
  /** Display names of linked users, for group member lists. */
  userNames(): Promise<Map<string, string>>;
}

const sameText = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const isUnique = (error: unknown): boolean => error instanceof UniqueViolation;

export function createScimService(deps: ScimServiceDeps): ScimService {
  const { store, now, events } = deps;
  const newId = deps.newId ?? randomUUID;
  const wipe: DeviceWipe = deps.deprovisionWipe ?? 'send-then-wipe';

  let unassigned: Promise<void> | null = null;
  /** The team of users in no group exists once; two first callers share one creation. */
  const ensureUnassigned = (): Promise<void> => {
    unassigned ??= (async () => {
      if ((await store.getTeam(UNASSIGNED_TEAM.id)) !== null) return;
      try {
        await store.createTeam({ ...UNASSIGNED_TEAM });
      } catch (error) {
        // Another process made it in between: fine. Anything else is a real failure.
        if ((await store.getTeam(UNASSIGNED_TEAM.id)) === null) throw error;
      }
    })().catch((error: unknown) => {
      unassigned = null;
      throw error;
    });
    return unassigned;
  };

  const stateOf = ({ user, link }: ScimUser): ScimUserState => ({
    userName: user.username,
    externalId: link.externalId,
    active: !user.disabled,
    displayName: user.name,
    givenName: null,
    familyName: null,
    formatted: null,
    email: user.email ?? null,
    title: user.functionTitle ?? null,
  });

  /** Refuses a userName another account (provisioned or local) holds: C2, `uniqueness`. */
  const userNameTaken = async (userName: string, selfId: string | null): Promise<boolean> => {
    const holder = await store.findUserByUsername(userName);
    return holder !== null && holder.id !== selfId;
  };

  /** Writes a new state of an existing user and carries out what activation changes mean (C4). */
  const writeUser = async (current: ScimUser, next: ScimUserState, ignored: readonly string[], caller: ScimCaller): Promise<ScimResult<ScimUser>> => {
    if (await userNameTaken(next.userName, current.user.id)) return fail(409, `userName ${next.userName} is taken`, 'uniqueness');
    const t = now();
    const user: UserRow = {
      ...current.user,
      username: next.userName,
      name: displayNameOf(next),
      disabled: !next.active,
      email: next.email,
      functionTitle: next.title,
    };
    const wasActive = !current.user.disabled;
    const deactivating = wasActive && !next.active;
    let revoked: string[];
    try {
      const link = { ...current.link, externalId: next.externalId, updatedAt: t };
      revoked = await store.updateScimUser(user, link, deactivating ? { revokeDevicesAt: t, wipe } : {});
    } catch (error) {
      if (isUnique(error)) return fail(409, `userName ${next.userName} is taken`, 'uniqueness');
      throw error;
    }
    if (deactivating) {
      events.devicesRevoked(revoked);
      await events.changed({ action: 'user-deactivated', details: { via: 'scim', userId: user.id, devicesRevoked: revoked.length } }, caller);
      await recordRevoked(user.id, revoked, 'user-deactivated', caller);
    } else if (!wasActive && next.active) {
      await events.changed({ action: 'user-reactivated', details: { via: 'scim', userId: user.id } }, caller);
    }
    const fields = changedFields(current, user, next.externalId);
    if (fields.length > 0) {
      await events.changed({ action: 'user-updated', details: { via: 'scim', userId: user.id, changed: fields, ...(ignored.length > 0 ? { ignored: ignored.slice(0, AUDIT_IDS) } : {}) } }, caller);
    }
    const stored = await store.getScimUser(user.id);
    return stored === null ? fail(404, 'user not found') : ok(stored);
  };

  const groupNameTaken = async (name: string, selfId: string | null): Promise<boolean> =>
    (await store.listScimGroups()).some((g) => sameText(g.team.name, name) && g.team.id !== selfId);

  /**
   * Writes a group's new name, link and members; members must be provisioned users (C7). PATCH
   * stores only its delta (`asDelta`), so two concurrent PATCHes adding different members both
   * count; PUT replaces the whole list.
   */
  const writeGroup = async (current: ScimGroup, next: ScimGroupState, ignored: readonly string[], asDelta: boolean, caller: ScimCaller): Promise<ScimResult<ScimGroup>> => {
    if (next.displayName !== current.team.name && (await groupNameTaken(next.displayName, current.team.id))) {
      return fail(409, `a group named ${next.displayName} exists`, 'uniqueness');
    }
    const unknown = await unknownMembers(next.members);
    if (unknown.length > 0) return fail(400, `no provisioned user ${unknown.join(', ')}`, 'invalidValue');
    const t = now();
    await store.updateScimGroup({ id: current.team.id, name: next.displayName }, { ...current.link, externalId: next.externalId, updatedAt: t });
    const added = next.members.filter((m) => !current.members.includes(m));
    const removed = current.members.filter((m) => !next.members.includes(m));
    if (added.length > 0 || removed.length > 0 || !asDelta) {
      await ensureUnassigned();
      const change = asDelta ? { add: added, remove: removed } : { add: [], remove: [], replace: next.members };
      const moved = await changeMembers(current.team.id, change, t);
      if (!moved.ok) return moved;
      if (moved.value.length > 0) events.teamChanged(moved.value);
    }
    const teamId = current.team.id;
    if (next.displayName !== current.team.name) {
      await events.changed({ action: 'team-renamed', details: { via: 'scim', teamId, from: current.team.name, to: next.displayName } }, caller);
    }
    if (added.length > 0 || removed.length > 0) {
      const members = { added: added.slice(0, AUDIT_IDS), addedCount: added.length, removed: removed.slice(0, AUDIT_IDS), removedCount: removed.length };
      await events.changed({ action: 'team-members-changed', details: { via: 'scim', teamId, ...members } }, caller);
    }
    const stored = await store.getScimGroup(current.team.id);
    return stored === null ? fail(404, 'group not found') : ok(stored);
  };

  /** One `device-revoked` entry per device (U1: device revocation is an action of its own). */
  const recordRevoked = async (userId: string, deviceIds: readonly string[], reason: string, caller: ScimCaller): Promise<void> => {
    for (const deviceId of deviceIds) await events.changed({ action: 'device-revoked', details: { via: 'scim', userId, deviceId, reason, wipe } }, caller);
  };

  /** A user or group deleted between our check and the store's transaction is the client's 400/404, not a 500. */
  const changeMembers = async (teamId: string, change: ScimMembersChange, at: number): Promise<ScimResult<string[]>> => {
    try {
      return ok(await store.changeScimMembers(teamId, change, at, UNASSIGNED_TEAM.id));
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      if (message.includes('no SCIM user')) return fail(400, 'a member is no provisioned user', 'invalidValue');
      if (message.includes('no SCIM group')) return fail(404, `group ${teamId} not found`);
      throw error;
    }
  };

  const unknownMembers = async (ids: readonly string[]): Promise<string[]> => {
    const known = new Set((await store.listScimUsers()).map((u) => u.user.id));
    return ids.filter((id) => !known.has(id));
  };

  return {
    async listUsers(filter) {
      const all = await store.listScimUsers();
      if (filter === null) return all;
      return all.filter(({ user, link }) =>
        filter.attribute === 'userName'
          ? sameText(user.username, filter.value)
          : filter.attribute === 'externalId'
            ? link.externalId === filter.value
            : user.id === filter.value,
      );
    },

    async getUser(id) {
      const found = await store.getScimUser(id);
      return found === null ? fail(404, `user ${id} not found`) : ok(found);
    },

    async createUser(input, caller) {
      const state = stateFromInput(input, null);
      if (await userNameTaken(state.userName, null)) return fail(409, `userName ${state.userName} is taken`, 'uniqueness');
      await ensureUnassigned();
      const t = now();
      const user: UserRow = {
        id: newId(),
        username: state.userName,
        name: displayNameOf(state),
        teamId: UNASSIGNED_TEAM.id,
        roles: [...PROVISIONED_ROLES],
        passwordHash: NO_LOCAL_PASSWORD,
        disabled: !state.active,
        functionTitle: state.title,
        email: state.email,
        phone: null,
      };
      try {
        await store.createScimUser(user, { externalId: state.externalId, createdAt: t, updatedAt: t });
      } catch (error) {
        if (isUnique(error)) return fail(409, `userName ${state.userName} is taken`, 'uniqueness');
        throw error;
      }
      await events.changed({ action: 'user-created', details: { via: 'scim', userId: user.id, userName: user.username, active: state.active } }, caller);
      const stored = await store.getScimUser(user.id);
      return stored === null ? fail(404, 'user not found') : ok(stored);
    },

    async replaceUser(id, input, caller) {
      const current = await store.getScimUser(id);
      if (current === null) return fail(404, `user ${id} not found`);
      return writeUser(current, stateFromInput(input, stateOf(current)), [], caller);
    },

    async patchUser(id, operations, caller) {
      const current = await store.getScimUser(id);
      if (current === null) return fail(404, `user ${id} not found`);
      const patched = applyUserPatch(stateOf(current), operations);
      if (!patched.ok) return patched;
      return writeUser(current, patched.value.state, patched.value.ignored, caller);
    },

    async deleteUser(id, caller) {
      const current = await store.getScimUser(id);
      if (current === null) return fail(404, `user ${id} not found`);
      await ensureUnassigned();
      const t = now();
      const revoked = await store.retireScimUser(id, UNASSIGNED_TEAM.id, t, wipe);
      events.devicesRevoked(revoked);
      await events.changed({ action: 'user-deleted', details: { via: 'scim', userId: id, userName: current.user.username, devicesRevoked: revoked.length } }, caller);
      await recordRevoked(id, revoked, 'user-deleted', caller);
      return ok(null);
    },

    async groupsOf(userId) {
      return (await store.listScimGroups()).filter((g) => g.members.includes(userId)).map((g) => g.team);
    },

    async groupsByUser() {
      const byUser = new Map<string, TeamRow[]>();
      for (const group of await store.listScimGroups()) {
        for (const member of group.members) byUser.set(member, [...(byUser.get(member) ?? []), group.team]);
      }
      return byUser;
    },

    async listGroups(filter) {
      const all = await store.listScimGroups();
      if (filter === null) return all;
      return all.filter(({ team, link }) =>
        filter.attribute === 'displayName'
          ? sameText(team.name, filter.value)
          : filter.attribute === 'externalId'
            ? link.externalId === filter.value
            : team.id === filter.value,
      );
    },

    async getGroup(id) {
      const found = await store.getScimGroup(id);
      return found === null ? fail(404, `group ${id} not found`) : ok(found);
    },

    async createGroup(input, caller) {
      if (await groupNameTaken(input.displayName, null)) return fail(409, `a group named ${input.displayName} exists`, 'uniqueness');
      const members = [...new Set((input.members ?? []).map((m) => m.value))];
      const unknown = await unknownMembers(members);
      if (unknown.length > 0) return fail(400, `no provisioned user ${unknown.join(', ')}`, 'invalidValue');
      const t = now();
      const team: TeamRow = { id: newId(), name: input.displayName };
      await store.createScimGroup(team, { externalId: input.externalId ?? null, createdAt: t, updatedAt: t });
      if (members.length > 0) {
        await ensureUnassigned();
        const moved = await changeMembers(team.id, { add: members, remove: [] }, t);
        if (!moved.ok) return moved;
        if (moved.value.length > 0) events.teamChanged(moved.value);
      }
      await events.changed({ action: 'team-created', details: { via: 'scim', teamId: team.id, displayName: team.name, members: members.slice(0, AUDIT_IDS), membersCount: members.length } }, caller);
      const stored = await store.getScimGroup(team.id);
      return stored === null ? fail(404, 'group not found') : ok(stored);
    },

    async replaceGroup(id, input, caller) {
      const current = await store.getScimGroup(id);
      if (current === null) return fail(404, `group ${id} not found`);
      const next: ScimGroupState = {
        displayName: input.displayName,
        externalId: input.externalId ?? null,
        // RFC 7644 §3.5.1: PUT replaces; members absent means none.
        members: [...new Set((input.members ?? []).map((m) => m.value))],
      };
      return writeGroup(current, next, [], false, caller);
    },

    async patchGroup(id, operations, caller) {
      const current = await store.getScimGroup(id);
      if (current === null) return fail(404, `group ${id} not found`);
      const patched = applyGroupPatch({ displayName: current.team.name, externalId: current.link.externalId, members: current.members }, operations);
      if (!patched.ok) return patched;
      return writeGroup(current, patched.value.state, patched.value.ignored, true, caller);
    },

    async deleteGroup(id, caller) {
      const current = await store.getScimGroup(id);
      if (current === null) return fail(404, `group ${id} not found`);
      await ensureUnassigned();
      const moved = await store.deleteScimGroup(id, UNASSIGNED_TEAM.id);
      if (moved.length > 0) events.teamChanged(moved);
      await events.changed({ action: 'team-deleted', details: { via: 'scim', teamId: id, displayName: current.team.name, membersCount: current.members.length } }, caller);
      return ok(null);
    },

    async userNames() {
      return new Map((await store.listScimUsers()).map((u) => [u.user.id, u.user.name]));
    },
  };
}

/** The provisioned attributes that differ between the stored user and its next state. */
function changedFields(current: ScimUser, next: UserRow, externalId: string | null): string[] {
  const before = current.user;
  const fields: [string, unknown, unknown][] = [
    ['userName', before.username, next.username],
    ['name', before.name, next.name],
    ['email', before.email ?? null, next.email ?? null],
    ['title', before.functionTitle ?? null, next.functionTitle ?? null],
    ['externalId', current.link.externalId, externalId],
  ];
  return fields.filter(([, a, b]) => a !== b).map(([name]) => name);
}
