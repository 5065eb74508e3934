// Administration policy (B1–B9): users, teams and the devices that signed in, over the account
// store. Handlers in admin-routes.ts only parse and map results; every rule lives here: who may
// not lock themselves or everyone out, what deactivation and a password reset end, and that open
// sockets close the moment a device loses its right to them.
import { randomUUID } from 'node:crypto';
import type { AdminDevice, AdminRefusal, AdminTeam, AdminUser, CreateUserRequest, UpdateUserRequest } from '../../../shared/protocol/admin';
import { unprintableCharacters } from '../../../shared/validate/printable';
import type { AuditAction } from '../../audit/types';
import { hashPassword, type ScryptParams } from '../../auth/passwords';
import type { AccountStore, DeviceRow, DeviceWipe, Role, ScimStore, TeamRow, UserPatch, UserRow } from '../../store/types';

/**
 * An account without a local password (provisioned over SCIM, or signing in through the IdP) keeps
 * a marker instead of a hash: empty, or starting with `!` (SCIM's `!scim: …`, C5), which no
 * password matches. Only a real hash can be reset.
 */
export function hasLocalPassword(passwordHash: string): boolean {
  return passwordHash !== '' && !passwordHash.startsWith('!');
}

export type AdminResult<T> = { ok: true; value: T } | { ok: false; reason: AdminRefusal };

/** Who acts: the admin's user and device, and the address the request came from. */
export interface AdminActor {
  userId: string;
  deviceId: string;
  address: string;
}

/** What an admin action changed, for the audit log (B9); `details` is small JSON. */
export interface AdminEvent {
  actor: AdminActor;
  action: Extract<
    AuditAction,
    'user-created' | 'user-updated' | 'user-deactivated' | 'user-reactivated' | 'role-changed' | 'team-changed' | 'password-reset' | 'team-created' | 'team-renamed' | 'device-revoked'
  >;
  details: Record<string, string | number | boolean | null | string[]>;
}

export interface AdminServiceDeps {
  store: AccountStore & Pick<ScimStore, 'revokeUserDevices'>;
  now: () => number;
  /** Ends whatever a device still has open (its sockets close with 4401 `device-revoked`). */
  closeDevice: (deviceId: string) => void;
  /** Closes every socket of a user with 4401 and `reason`: the app refreshes and reconnects under its new rights. */
  closeUser: (userId: string, reason: string) => void;
  /** Every admin action, after it was stored (B9). */
  onEvent?: (event: AdminEvent) => void | Promise<void>;
  newId?: () => string;
  scryptParams?: ScryptParams;
}

export interface AdminService {
  listUsers(query: string): Promise<AdminUser[]>;
  getUser(id: string): Promise<AdminResult<AdminUser>>;
  createUser(actor: AdminActor, request: CreateUserRequest): Promise<AdminResult<AdminUser>>;
  updateUser(actor: AdminActor, id: string, request: UpdateUserRequest): Promise<AdminResult<AdminUser>>;
  resetPassword(actor: AdminActor, id: string, password: string): Promise<AdminResult<null>>;
  listTeams(): Promise<AdminTeam[]>;
  createTeam(actor: AdminActor, name: string): Promise<AdminResult<AdminTeam>>;
  renameTeam(actor: AdminActor, id: string, name: string): Promise<AdminResult<AdminTeam>>;
  listDevices(userId: string): Promise<AdminResult<AdminDevice[]>>;
  /**
   * K23: `wipe` says what the device does with unsent work (default wipe-now: a lost phone). An
   * already revoked device may still be made wipe-now (the leaver's phone turned out lost); a
   * wipe-now is never softened.
   */
  revokeDevice(actor: AdminActor, deviceId: string, wipe?: DeviceWipe): Promise<AdminResult<AdminDevice>>;
}

const refuse = <T>(reason: AdminRefusal): AdminResult<T> => ({ ok: false, reason });

export function createAdminService(deps: AdminServiceDeps): AdminService {
  const { store, now, newId = randomUUID } = deps;
  const record = async (event: AdminEvent): Promise<void> => {
    await deps.onEvent?.(event);
  };

  const teamNames = async (): Promise<Map<string, string>> => new Map((await store.listTeams()).map((t) => [t.id, t.name]));

  const view = (user: UserRow, teams: Map<string, string>): AdminUser => ({
    id: user.id,
    username: user.username,
    name: user.name,
    teamId: user.teamId,
    teamName: teams.get(user.teamId) ?? null,
    roles: [...user.roles],
    functionTitle: user.functionTitle ?? null,
    active: !user.disabled,
    localPassword: hasLocalPassword(user.passwordHash),
  });

  /** B5: active admins other than `exceptId`. */
  const otherActiveAdmins = async (exceptId: string): Promise<number> =>
    (await store.listUsers()).filter((u) => u.id !== exceptId && !u.disabled && u.roles.includes('admin')).length;

  return {
    async listUsers(query) {
      const teams = await teamNames();
      const needle = query.trim().toLocaleLowerCase('nl');
      const users = (await store.listUsers()).map((u) => view(u, teams));
      if (needle === '') return users;
      return users.filter((u) =>
        [u.username, u.name, u.functionTitle ?? '', u.teamName ?? ''].some((text) => text.toLocaleLowerCase('nl').includes(needle)),
      );
    },

    async getUser(id) {
      const user = await store.getUser(id);
      return user === null ? refuse('not-found') : { ok: true, value: view(user, await teamNames()) };
    },

    async createUser(actor, request) {
      if (!printable(request.name, request.functionTitle)) return refuse('unprintable');
      if ((await store.findUserByUsername(request.username)) !== null) return refuse('username-taken');
      if ((await store.getTeam(request.teamId)) === null) return refuse('unknown-team');
      const user: UserRow = {
        id: newId(),
        username: request.username,
        name: request.name,
        teamId: request.teamId,
        roles: uniqueRoles(request.roles),
        passwordHash: await hashPassword(request.password, deps.scryptParams),
        disabled: false,
        functionTitle: blankToNull(request.functionTitle),
      };
      await store.createUser(user);
      await record({ actor, action: 'user-created', details: { userId: user.id, username: user.username, teamId: user.teamId, roles: user.roles } });
      return { ok: true, value: view(user, await teamNames()) };
    },

    async updateUser(actor, id, request) {
      const before = await store.getUser(id);
      if (before === null) return refuse('not-found');
      if (!printable(request.name, request.functionTitle)) return refuse('unprintable');
      if (request.teamId !== undefined && (await store.getTeam(request.teamId)) === null) return refuse('unknown-team');
      const roles = request.roles === undefined ? undefined : uniqueRoles(request.roles);
      const deactivating = request.active === false && !before.disabled;
      const losesAdmin = roles !== undefined && before.roles.includes('admin') && !roles.includes('admin');
      // B5: nobody takes their own admin rights or account away, and one active admin always remains.
      if (actor.userId === id && (deactivating || losesAdmin)) return refuse('own-account');
      if ((deactivating || losesAdmin) && before.roles.includes('admin') && !before.disabled && (await otherActiveAdmins(id)) === 0) {
        return refuse('last-admin');
      }
      const patch: UserPatch = {
        ...(request.name === undefined ? {} : { name: request.name }),
        ...(request.teamId === undefined ? {} : { teamId: request.teamId }),
        ...(roles === undefined ? {} : { roles }),
        ...(request.functionTitle === undefined ? {} : { functionTitle: blankToNull(request.functionTitle) }),
        ...(request.active === undefined ? {} : { disabled: !request.active }),
      };
      await store.updateUser(id, patch);
      const after = (await store.getUser(id)) ?? before;

      if (deactivating) {
        // B4: every device at once: refresh refused, access tokens dead, sockets closed now.
        const revoked = await store.revokeUserDevices(id, now());
        for (const deviceId of revoked) deps.closeDevice(deviceId);
        await record({ actor, action: 'user-deactivated', details: { userId: id, username: before.username, devicesRevoked: revoked.length } });
      } else if (request.active === true && before.disabled) {
        await record({ actor, action: 'user-reactivated', details: { userId: id, username: before.username } });
      }
      const rolesChanged = roles !== undefined && !sameRoles(before.roles, roles);
      const teamChanged = request.teamId !== undefined && request.teamId !== before.teamId;
      // B7: rights are read from the row on every request; open sockets were let into rooms under
      // the old rights, so they close and reconnect under the new ones.
      if (!deactivating && (rolesChanged || teamChanged)) deps.closeUser(id, teamChanged ? 'team-changed' : 'roles-changed');
      if (rolesChanged) await record({ actor, action: 'role-changed', details: { userId: id, username: before.username, from: before.roles, to: after.roles } });
      if (teamChanged) await record({ actor, action: 'team-changed', details: { userId: id, username: before.username, from: before.teamId, to: after.teamId } });
      const otherChanges = changedFields(before, after).filter((f) => f !== 'roles' && f !== 'disabled' && f !== 'teamId');
      if (otherChanges.length > 0) {
        await record({ actor, action: 'user-updated', details: { userId: id, username: before.username, fields: otherChanges } });
      }
      return { ok: true, value: view(after, await teamNames()) };
    },

    async resetPassword(actor, id, password) {
      const user = await store.getUser(id);
      if (user === null) return refuse('not-found');
      if (!hasLocalPassword(user.passwordHash)) return refuse('no-local-password');
      await store.setPasswordHash(id, await hashPassword(password, deps.scryptParams));
      // B3: whoever knew the old password loses every sign-in made with it.
      const revoked = await store.revokeUserDevices(id, now());
      for (const deviceId of revoked) deps.closeDevice(deviceId);
      await record({ actor, action: 'password-reset', details: { userId: id, username: user.username, devicesRevoked: revoked.length } });
      return { ok: true, value: null };
    },

    async listTeams() {
      const counts = new Map<string, number>();
      for (const user of await store.listUsers()) counts.set(user.teamId, (counts.get(user.teamId) ?? 0) + 1);
      return (await store.listTeams()).map((t) => ({ ...t, members: counts.get(t.id) ?? 0 }));
    },

    async createTeam(actor, name) {
      const team: TeamRow = { id: newId(), name };
      await store.createTeam(team);
      await record({ actor, action: 'team-created', details: { teamId: team.id, name } });
      return { ok: true, value: { ...team, members: 0 } };
    },

    async renameTeam(actor, id, name) {
      const before = await store.getTeam(id);
      if (before === null) return refuse('not-found');
      await store.renameTeam(id, name);
      await record({ actor, action: 'team-renamed', details: { teamId: id, from: before.name, to: name } });
      const members = (await store.listUsers()).filter((u) => u.teamId === id).length;
      return { ok: true, value: { id, name, members } };
    },

    async listDevices(userId) {
      if ((await store.getUser(userId)) === null) return refuse('not-found');
      return { ok: true, value: (await store.listDevices(userId)).map(deviceView) };
    },

    async revokeDevice(actor, deviceId, wipe = 'wipe-now') {
      const device = await store.getDevice(deviceId);
      if (device === null) return refuse('not-found');
      if (device.revokedAt === null) {
        await store.revokeDevice(deviceId, now(), wipe);
        await record({ actor, action: 'device-revoked', details: { userId: device.userId, deviceId, name: device.name, wipe } });
      } else if (device.wipe !== 'wipe-now' && device.wipe !== wipe) {
        await store.setDeviceWipe(deviceId, wipe);
        await record({ actor, action: 'device-revoked', details: { userId: device.userId, deviceId, name: device.name, wipe, change: 'wipe-mode' } });
      }
      // Also when already revoked: a socket that somehow outlived it goes now (idempotent).
      deps.closeDevice(deviceId);
      const after = (await store.getDevice(deviceId)) ?? device;
      return { ok: true, value: deviceView(after) };
    },
  };
}

/** P9: a name and function title are printed under the signature of every letter this official signs. */
function printable(...texts: (string | null | undefined)[]): boolean {
  return texts.every((text) => text === undefined || text === null || unprintableCharacters(text, 1).length === 0);
}

function deviceView(device: DeviceRow): AdminDevice {
  return {
    id: device.id,
    name: device.name,
    firstSeenAt: device.createdAt,
    lastSeenAt: device.lastSeenAt,
    revokedAt: device.revokedAt,
    appVersion: device.appVersion ?? null,
    storagePersisted: device.storagePersisted ?? null,
    wipe: device.revokedAt === null ? null : (device.wipe ?? null),
  };
}

const ROLE_ORDER: readonly Role[] = ['field', 'office', 'approver', 'admin'];

function uniqueRoles(roles: readonly Role[]): Role[] {
  return ROLE_ORDER.filter((r) => roles.includes(r));
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((r) => b.includes(r));
}

function blankToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value.trim();
}

function changedFields(before: UserRow, after: UserRow): string[] {
  const fields: string[] = [];
  if (before.name !== after.name) fields.push('name');
  if (before.teamId !== after.teamId) fields.push('teamId');
  if ((before.functionTitle ?? null) !== (after.functionTitle ?? null)) fields.push('functionTitle');
  if (!sameRoles(before.roles, after.roles)) fields.push('roles');
  if (before.disabled !== after.disabled) fields.push('disabled');
  return fields;
}
