// What a sign-in at the municipality's IdP says about the person (I3, I4): pure, no I/O. The
// claims come from a signed ID token and the userinfo endpoint, but their contents are still
// input: sizes are bounded and anything unexpected is dropped, never trusted into a role.
import type { Role } from '../../store/types';
import type { OidcConfig } from './config';

export interface ClaimProfile {
  subject: string;
  /** preferred_username, else email, else the subject. */
  username: string;
  name: string;
  email: string | null;
  /** Mapped roles; null when the roles claim is absent (the user keeps the roles they have). */
  roles: Role[] | null;
  /** Team candidates in claim order; null when the teams claim is absent. */
  teams: string[] | null;
}

const MAX_TEXT = 200;
const MAX_VALUES = 500;

export function profileFromClaims(
  claims: Readonly<Record<string, unknown>>,
  config: Pick<OidcConfig, 'rolesClaim' | 'teamsClaim' | 'roleMap'>,
): ClaimProfile | null {
  const subject = text(claims.sub);
  if (subject === null) return null;
  const email = text(claims.email);
  const validEmail = email !== null && email.length >= 3 && email.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(email) ? email : null;
  const username = text(claims.preferred_username) ?? validEmail ?? subject;
  const given = text(claims.given_name);
  const family = text(claims.family_name);
  const name = text(claims.name) ?? (given !== null || family !== null ? [given, family].filter(Boolean).join(' ') : username);
  const roleValues = values(claimAt(claims, config.rolesClaim));
  const teamValues = values(claimAt(claims, config.teamsClaim));
  return {
    subject,
    username,
    name,
    email: validEmail,
    roles: roleValues === null ? null : mapRoles(roleValues, config.roleMap),
    teams: teamValues,
  };
}

/** Claim values → roles, each once, in the order of `field, office, approver, admin`. */
export function mapRoles(claimValues: readonly string[], roleMap: ReadonlyMap<string, readonly Role[]>): Role[] {
  const found = new Set<Role>();
  for (const value of claimValues) {
    const mapped = roleMap.get(value);
    if (mapped !== undefined) for (const role of mapped) found.add(role);
    else if (roleMap.size === 0 && isRoleName(value)) found.add(value);
  }
  return (['field', 'office', 'approver', 'admin'] as const).filter((r) => found.has(r));
}

const isRoleName = (value: string): value is Role => value === 'field' || value === 'office' || value === 'approver' || value === 'admin';

/** `realm_access.roles` (Keycloak) reads a nested claim; a plain name reads the claim itself. */
function claimAt(claims: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let at: unknown = claims;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function values(claim: unknown): string[] | null {
  if (claim === undefined || claim === null) return null;
  const list = Array.isArray(claim) ? claim : [claim];
  return list
    .slice(0, MAX_VALUES)
    .map(text)
    .filter((v): v is string => v !== null);
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' || trimmed.length > MAX_TEXT ? null : trimmed;
}
