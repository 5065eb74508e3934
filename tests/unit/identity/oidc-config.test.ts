// I1, I3: reading OIDC_* and LOCAL_LOGIN, and turning an IdP's claims into a profile (pure).
import { describe, expect, it } from 'vitest';
import { profileFromClaims } from '../../../server/identity/oidc/claims';
import { parseRoleMap, readIdentityConfig } from '../../../server/identity/oidc/config';

describe('OIDC settings', () => {
  it('[I1] defaults: scopes openid profile email, roles claim `roles`, teams claim `groups`; without OIDC_ISSUER no municipal sign-in', () => {
    expect(readIdentityConfig({})).toEqual({ ok: true, config: { oidc: null, localLogin: true } });
    const read = readIdentityConfig({ OIDC_ISSUER: 'https://login.example/tenant/v2.0', OIDC_CLIENT_ID: 'kt' });
    expect(read.ok && read.config.oidc).toMatchObject({ scopes: 'openid profile email', rolesClaim: 'roles', teamsClaim: 'groups' });
    expect(read.ok && read.config.oidc && 'clientSecret' in read.config.oidc).toBe(false);
  });

  it('[I1] a malformed setting stops the start naming it', () => {
    const error = (env: Record<string, string>) => {
      const read = readIdentityConfig(env);
      return read.ok ? null : read.error;
    };
    expect(error({ OIDC_ISSUER: 'http://idp.example', OIDC_CLIENT_ID: 'kt' })).toMatch(/^OIDC_ISSUER must be an https URL/);
    expect(error({ OIDC_ISSUER: 'https://idp.example' })).toMatch(/OIDC_CLIENT_ID is missing/);
    expect(error({ OIDC_ISSUER: 'https://idp.example', OIDC_CLIENT_ID: 'kt', OIDC_SCOPES: 'profile' })).toMatch(/^OIDC_SCOPES must include "openid"/);
    expect(error({ OIDC_ISSUER: 'https://idp.example', OIDC_CLIENT_ID: 'kt', OIDC_ROLE_MAP: 'a=baas' })).toMatch(/^OIDC_ROLE_MAP must be/);
    expect(error({ LOCAL_LOGIN: 'nee' })).toMatch(/^LOCAL_LOGIN must be "on" or "off"/);
    // I8: nobody could sign in at all.
    expect(error({ LOCAL_LOGIN: 'off' })).toMatch(/^LOCAL_LOGIN=off needs OIDC_ISSUER/);
    // Plain HTTP only for a provider on this machine.
    expect(error({ OIDC_ISSUER: 'http://127.0.0.1:4000', OIDC_CLIENT_ID: 'kt' })).toBeNull();
  });

  it('[I3] OIDC_ROLE_MAP maps claim values to one or more roles', () => {
    const map = parseRoleMap('KT.Kantoor=office, KT.Kantoor=approver,KT.Veld=field');
    expect(map.ok && [...map.map]).toEqual([
      ['KT.Kantoor', ['office', 'approver']],
      ['KT.Veld', ['field']],
    ]);
  });
});

describe('claims to profile', () => {
  const config = { rolesClaim: 'roles', teamsClaim: 'groups', roleMap: new Map([['KT.Beheer', ['admin' as const]]]) };

  it('[I3] only mapped values become roles; an absent claim is null (keep what is stored), not empty', () => {
    const profile = profileFromClaims({ sub: 's1', preferred_username: 'anna', roles: ['KT.Beheer', 'admin', 'x'], groups: 'centrum' }, config);
    // With a map, a value that happens to be a role name is not a role.
    expect(profile).toMatchObject({ subject: 's1', username: 'anna', name: 'anna', roles: ['admin'], teams: ['centrum'] });
    expect(profileFromClaims({ sub: 's1' }, config)).toMatchObject({ roles: null, teams: null, username: 's1' });
    // Without a map, role names count as themselves.
    expect(profileFromClaims({ sub: 's1', roles: ['field', 'baas'] }, { ...config, roleMap: new Map() })?.roles).toEqual(['field']);
  });

  it('[I3] hostile claims: no sub, oversized or non-string values are dropped, nested claims are read by path', () => {
    expect(profileFromClaims({ sub: 42 }, config)).toBeNull();
    const profile = profileFromClaims(
      { sub: 's', name: 'x'.repeat(500), email: 'geen-adres', realm_access: { roles: ['KT.Beheer', { toString: 'admin' }] } },
      { ...config, rolesClaim: 'realm_access.roles' },
    );
    expect(profile).toMatchObject({ name: 's', email: null, roles: ['admin'] });
  });
});
