// I3, I4: the user an IdP sign-in is, created or brought up to date from the claims.
//
// Matching: by the IdP subject (issuer + sub) only, with one exception. An existing account is
// linked by username only when it has no local password and no subject yet: such an account was
// made by the IdP's own provisioning (SCIM) from the same directory, whose userName is the
// sign-in name the IdP sends as preferred_username. An account with a local password is never
// taken over by a name the IdP sends (whoever can set a display or user name in a directory
// could otherwise become `kantoor`); that sign-in is refused as `account-conflict`, and so is a
// claimed e-mail address (not verified by every IdP, reused after people leave).
import type { AccountStore, IdentityLinkStore, Role, ScimStore, UserRow } from '../../store/types';
import type { ClaimProfile } from './claims';

export type ResolveResult =
  | { ok: true; user: UserRow; created: boolean }
  | { ok: false; reason: 'no-role' | 'no-team' | 'account-conflict' | 'user-disabled' };

/** Stored for IdP users instead of a password hash: verifyPassword never accepts it. */
export const NO_LOCAL_PASSWORD = '!idp';

export function hasLocalPassword(user: UserRow): boolean {
  return user.passwordHash.startsWith('scrypt$');
}

export async function resolveUser(
  store: AccountStore & IdentityLinkStore & Partial<Pick<ScimStore, 'getScimUser' | 'listScimGroups'>>,
  issuer: string,
  profile: ClaimProfile,
  newId: () => string,
): Promise<ResolveResult> {
  let user = await store.findUserByIdentity(issuer, profile.subject);
  if (user === null) {
    const byName = await store.findUserByUsername(profile.username);
    if (byName !== null) {
      if (hasLocalPassword(byName) || (await store.getIdentityOf(byName.id)) !== null) return { ok: false, reason: 'account-conflict' };
      if (!(await store.linkIdentity(byName.id, issuer, profile.subject))) return { ok: false, reason: 'account-conflict' };
      user = byName;
    }
  }
  // Disabled here (by an administrator or SCIM) wins over anything the IdP says.
  if (user?.disabled) return { ok: false, reason: 'user-disabled' };

  const teamId = await firstKnownTeam(store, profile.teams);
  if (user === null) {
    const roles = profile.roles ?? [];
    if (roles.length === 0) return { ok: false, reason: 'no-role' };
    if (teamId === null) return { ok: false, reason: 'no-team' };
    const created: UserRow = {
      id: newId(),
      username: profile.username,
      name: profile.name,
      teamId,
      roles,
      passwordHash: NO_LOCAL_PASSWORD,
      disabled: false,
      email: profile.email,
    };
    await store.createLinkedUser(created, issuer, profile.subject);
    return { ok: true, user: created, created: true };
  }
  // A claim that is present is the IdP's word; an absent one leaves what is stored.
  const roles: Role[] = profile.roles ?? user.roles;
  if (roles.length === 0) return { ok: false, reason: 'no-role' };
  // A user the IdP provisions over SCIM has the team its group memberships give (C6); the
  // sign-in's claim does not move them, or the team would flip between sync and sign-in.
  const scimManaged = (await store.getScimUser?.(user.id)) != null;
  const patch = { name: profile.name, email: profile.email ?? user.email ?? null, roles, teamId: scimManaged ? user.teamId : (teamId ?? user.teamId) };
  await store.updateUserFromIdentity(user.id, patch);
  return { ok: true, user: { ...user, ...patch }, created: false };
}

/**
 * Users have one team: the first value of the teams claim that names a known team, by our id or
 * by the external id a SCIM group carries (Entra's groups claim holds its groups' object ids).
 */
async function firstKnownTeam(store: AccountStore & Partial<Pick<ScimStore, 'listScimGroups'>>, teams: readonly string[] | null): Promise<string | null> {
  const groups = teams === null || teams.length === 0 ? [] : ((await store.listScimGroups?.()) ?? []);
  for (const id of teams ?? []) {
    if ((await store.getTeam(id)) !== null) return id;
    const group = groups.find((g) => g.link.externalId === id);
    if (group !== undefined) return group.team.id;
  }
  return null;
}
