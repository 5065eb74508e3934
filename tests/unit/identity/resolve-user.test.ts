// I3, I4: which account an IdP sign-in is, on the memory store (same contract as SQLite).
import { beforeEach, describe, expect, it } from 'vitest';
import type { ClaimProfile } from '../../../server/identity/oidc/claims';
import { NO_LOCAL_PASSWORD, resolveUser } from '../../../server/identity/oidc/resolve-user';
import { createMemoryStore, type MemoryStore } from '../../../server/store/memory/store';
import type { UserRow } from '../../../server/store/types';

const ISSUER = 'https://idp.voorbeeld.example';
let store: MemoryStore;
let ids = 0;
const newId = (): string => `nieuw-${++ids}`;

const profile = (overrides: Partial<ClaimProfile> = {}): ClaimProfile => ({
  subject: 'sub-1',
  username: 'a.devries',
  name: 'Anna de Vries',
  email: null,
  roles: ['field'],
  teams: ['centrum'],
  ...overrides,
});

const account = (overrides: Partial<UserRow> = {}): UserRow => ({
  id: 'u1',
  username: 'a.devries',
  name: 'A. de Vries',
  teamId: 'centrum',
  roles: ['office'],
  passwordHash: NO_LOCAL_PASSWORD,
  disabled: false,
  ...overrides,
});

beforeEach(async () => {
  store = createMemoryStore();
  await store.createTeam({ id: 'centrum', name: 'Wijkteam Centrum' });
});

describe('resolveUser', () => {
  it('[I3] an account without a local password and without a subject (made by SCIM) is linked by username', async () => {
    await store.createUser(account());
    const result = await resolveUser(store, ISSUER, profile(), newId);
    expect(result).toMatchObject({ ok: true, created: false, user: { id: 'u1', name: 'Anna de Vries', roles: ['field'] } });
    expect((await store.findUserByIdentity(ISSUER, 'sub-1'))?.id).toBe('u1');
  });

  it('[I3] an account with a local password, or linked to another subject, is never taken over by a username', async () => {
    await store.createUser(account({ passwordHash: 'scrypt$32768$8$1$c2FsdA==$aGFzaA==' }));
    expect(await resolveUser(store, ISSUER, profile(), newId)).toEqual({ ok: false, reason: 'account-conflict' });
    await store.createLinkedUser(account({ id: 'u2', username: 'b.bakker' }), ISSUER, 'sub-anders');
    expect(await resolveUser(store, ISSUER, profile({ subject: 'sub-2', username: 'B.Bakker' }), newId)).toEqual({ ok: false, reason: 'account-conflict' });
    expect(await store.getIdentityOf('u1')).toBeNull();
  });

  it('[I4] a user disabled here is refused whatever the IdP says', async () => {
    await store.createLinkedUser(account({ disabled: true }), ISSUER, 'sub-1');
    expect(await resolveUser(store, ISSUER, profile({ roles: ['admin'] }), newId)).toEqual({ ok: false, reason: 'user-disabled' });
    expect((await store.getUser('u1'))?.roles).toEqual(['office']);
  });

  it('[I3] absent claims keep what is stored; an unknown team keeps the stored team; a present empty roles claim refuses', async () => {
    await store.createTeam({ id: 'zuid', name: 'Wijkteam Zuid' });
    await store.createLinkedUser(account({ teamId: 'zuid' }), ISSUER, 'sub-1');
    expect(await resolveUser(store, ISSUER, profile({ roles: null, teams: ['onbekend'] }), newId)).toMatchObject({ ok: true, user: { roles: ['office'], teamId: 'zuid' } });
    expect(await resolveUser(store, ISSUER, profile({ roles: [] }), newId)).toEqual({ ok: false, reason: 'no-role' });
  });
});
