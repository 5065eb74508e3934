// I3, I4: the user an IdP sign-in is, created or brought up to date from the claims.
//
// Matching: by the IdP subject (issuer + sub) only, with one exception. An existing account is
// linked by username only when it has no local password and no subject yet: such an account was
// made by the IdP's own provisioning (SCIM) from the same directory, whose userName is the
// sign-in name the IdP sends as preferred_username. An account with a local password is never
// taken over by a name the IdP sends (whoever can set a display or user name in a directory
// could otherwise become `kantoor`); that sign-in is refused as `account-conflict`, and so is a
// claimed e-mail address (not verified by every IdP, reused after people leave).
import type { AccountStore, IdentityLinkStore, Role, UserRow } from '../../store/types';
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
  store: AccountStore & IdentityLinkStore,
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
  const patch = { name: profile.name, email: profile.email ?? user.email ?? null, roles, teamId: teamId ?? user.teamId };
  await store.updateUserFromIdentity(user.id, patch);
  return { ok: true, user: { ...user, ...patch }, created: false };
}

/** Users have one team: the first value of the teams claim that names a known team. */
async function firstKnownTeam(store: AccountStore, teams: readonly string[] | null): Promise<string | null> {
  for (const id of teams ?? []) if ((await store.getTeam(id)) !== null) return id;
  return null;
}
