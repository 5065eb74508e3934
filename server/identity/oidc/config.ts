// OIDC_* and LOCAL_LOGIN (outside-contract additions, I1): read once at start; a malformed value
// stops the start naming it. Nothing here does I/O: the issuer is asked for its metadata later.
import type { Role } from '../../store/types';

export interface OidcConfig {
  /** Discovery URL base: `<issuer>/.well-known/openid-configuration` is read from it. */
  issuer: string;
  clientId: string;
  /** Absent: a public client (PKCE only, no client authentication). */
  clientSecret?: string;
  scopes: string;
  rolesClaim: string;
  teamsClaim: string;
  /** Claim value → role. Values not in the map are ignored; role names map to themselves. */
  roleMap: ReadonlyMap<string, readonly Role[]>;
}

export interface IdentityConfig {
  oidc: OidcConfig | null;
  /** LOCAL_LOGIN=off: username and password are refused (I8). */
  localLogin: boolean;
}

export const ROLES: readonly Role[] = ['field', 'office', 'approver', 'admin'];
const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

export type ReadResult = { ok: true; config: IdentityConfig } | { ok: false; error: string };

export function readIdentityConfig(env: Record<string, string | undefined>): ReadResult {
  const get = (name: string): string | undefined => env[name]?.trim() || undefined;
  const local = get('LOCAL_LOGIN')?.toLowerCase();
  if (local !== undefined && local !== 'on' && local !== 'off') {
    return { ok: false, error: `LOCAL_LOGIN must be "on" or "off", got "${env.LOCAL_LOGIN}"` };
  }
  const localLogin = local !== 'off';
  const issuer = get('OIDC_ISSUER');
  if (issuer === undefined) {
    if (!localLogin) return { ok: false, error: 'LOCAL_LOGIN=off needs OIDC_ISSUER: nobody could sign in' };
    return { ok: true, config: { oidc: null, localLogin } };
  }
  const issuerProblem = checkIssuer(issuer);
  if (issuerProblem !== null) return { ok: false, error: `OIDC_ISSUER ${issuerProblem}, got "${issuer}"` };
  const clientId = get('OIDC_CLIENT_ID');
  if (clientId === undefined) return { ok: false, error: 'OIDC_ISSUER is set but OIDC_CLIENT_ID is missing' };
  const scopes = get('OIDC_SCOPES') ?? 'openid profile email';
  if (!scopes.split(/\s+/).includes('openid')) return { ok: false, error: `OIDC_SCOPES must include "openid", got "${scopes}"` };
  const roleMap = parseRoleMap(get('OIDC_ROLE_MAP'));
  if (!roleMap.ok) return roleMap;
  const clientSecret = get('OIDC_CLIENT_SECRET');
  return {
    ok: true,
    config: {
      localLogin,
      oidc: {
        issuer,
        clientId,
        ...(clientSecret === undefined ? {} : { clientSecret }),
        scopes,
        rolesClaim: get('OIDC_ROLES_CLAIM') ?? 'roles',
        teamsClaim: get('OIDC_TEAMS_CLAIM') ?? 'groups',
        roleMap: roleMap.map,
      },
    },
  };
}

/** https, or http only on loopback (a provider on the same machine, tests). */
export function checkIssuer(issuer: string): string | null {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return 'must be a URL';
  }
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return null;
  return 'must be an https URL (http only for localhost)';
}

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * `value=role` pairs separated by commas, e.g. `Keukentafel.Veld=field,Keukentafel.Beheer=admin`.
 * A value may map to several roles by repeating it. Without a map, claim values that are role
 * names (`field`, `office`, `approver`, `admin`) count as those roles.
 */
export function parseRoleMap(text: string | undefined): { ok: true; map: Map<string, Role[]> } | { ok: false; error: string } {
  const map = new Map<string, Role[]>();
  if (text === undefined) return { ok: true, map };
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.lastIndexOf('=');
    const value = pair.slice(0, at).trim();
    const role = pair.slice(at + 1).trim();
    if (at < 0 || value === '' || !isRole(role)) {
      return { ok: false, error: `OIDC_ROLE_MAP must be value=role pairs separated by commas (roles: ${ROLES.join(', ')}), got "${pair.trim()}"` };
    }
    const roles = map.get(value) ?? [];
    if (!roles.includes(role)) roles.push(role);
    map.set(value, roles);
  }
  return { ok: true, map };
}
