// The ScimStore contract (C2, C4–C7), run against the memory and the SQLite store: both must
// keep memberships, settle each user's one team, refuse a bad change whole and revoke devices
// in the same step that disables or retires a user.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../server/store/memory/store';
import { openSqliteStore } from '../../server/store/sqlite/store';
import type { ScimLink, Store, UserRow } from '../../server/store/types';

const UNASSIGNED = 'zonder';
const link = (at: number): ScimLink => ({ externalId: null, createdAt: at, updatedAt: at });
const user = (id: string): UserRow => ({
  id,
  username: `${id}@gemeente.nl`,
  name: id,
  teamId: UNASSIGNED,
  roles: ['field'],
  passwordHash: '!',
  disabled: false,
  functionTitle: null,
  email: null,
  phone: null,
});

const engines: { name: string; open: () => { store: Store; dispose: () => Promise<void> } }[] = [
  { name: 'memory', open: () => ({ store: createMemoryStore(), dispose: () => Promise.resolve() }) },
  {
    name: 'sqlite',
    open: () => {
      const dir = mkdtempSync(join(tmpdir(), 'kt-scim-'));
      const store = openSqliteStore(join(dir, 'db.sqlite'));
      return {
        store,
        dispose: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
];

for (const engine of engines) {
  describe(`ScimStore contract: ${engine.name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = engine.open());
      await store.createTeam({ id: UNASSIGNED, name: 'Zonder team' });
      await store.createTeam({ id: 'local', name: 'Lokaal team' });
    });
    afterEach(async () => dispose());

    it('[C2] only linked users and teams are visible; a taken username throws and stores nothing', async () => {
      await store.createUser({ ...user('local-user'), teamId: 'local' });
      await store.createScimUser(user('a'), link(1));
      await store.createScimGroup({ id: 'g', name: 'Groep' }, link(1));
      expect((await store.listScimUsers()).map((u) => u.user.id)).toEqual(['a']);
      expect(await store.getScimUser('local-user')).toBeNull();
      expect((await store.listScimGroups()).map((g) => g.team.id)).toEqual(['g']);
      expect(await store.getScimGroup('local')).toBeNull();
      await expect(store.createScimUser({ ...user('b'), username: 'LOCAL-USER@gemeente.nl' }, link(2))).rejects.toThrow(/UNIQUE/);
      expect(await store.getUser('b')).toBeNull();
      expect(await store.getScimUser('b')).toBeNull();
    });

    it('[C6] a user works in the first group joined that they are still in; none: the unassigned team', async () => {
      await store.createScimUser(user('a'), link(1));
      await store.createScimGroup({ id: 'g1', name: 'Een' }, link(1));
      await store.createScimGroup({ id: 'g2', name: 'Twee' }, link(1));
      expect(await store.changeScimMembers('g2', { add: ['a'], remove: [] }, 10, UNASSIGNED)).toEqual(['a']);
      expect(await store.changeScimMembers('g1', { add: ['a'], remove: [] }, 20, UNASSIGNED)).toEqual([]);
      expect((await store.getUser('a'))!.teamId).toBe('g2');
      // Adding again keeps the first joining time.
      await store.changeScimMembers('g2', { add: ['a'], remove: [] }, 30, UNASSIGNED);
      expect((await store.getUser('a'))!.teamId).toBe('g2');
      expect(await store.changeScimMembers('g2', { add: [], remove: ['a'] }, 40, UNASSIGNED)).toEqual(['a']);
      expect((await store.getUser('a'))!.teamId).toBe('g1');
      expect(await store.deleteScimGroup('g1', UNASSIGNED)).toEqual(['a']);
      expect((await store.getUser('a'))!.teamId).toBe(UNASSIGNED);
      expect(await store.getTeam('g1')).toEqual({ id: 'g1', name: 'Een' });
    });

    it('[C7] a change naming an unlinked user throws and changes nothing; replace sets the whole list', async () => {
      await store.createUser({ ...user('local-user'), teamId: 'local' });
      await store.createScimUser(user('a'), link(1));
      await store.createScimUser(user('b'), link(1));
      await store.createScimGroup({ id: 'g', name: 'Groep' }, link(1));
      await store.changeScimMembers('g', { add: ['a'], remove: [] }, 10, UNASSIGNED);
      await expect(store.changeScimMembers('g', { add: ['b', 'local-user'], remove: ['a'] }, 20, UNASSIGNED)).rejects.toThrow();
      expect((await store.getScimGroup('g'))!.members).toEqual(['a']);
      expect((await store.getUser('b'))!.teamId).toBe(UNASSIGNED);
      expect((await store.getUser('local-user'))!.teamId).toBe('local');
      const moved = await store.changeScimMembers('g', { add: [], remove: [], replace: ['b'] }, 30, UNASSIGNED);
      expect(moved.sort()).toEqual(['a', 'b']);
      expect((await store.getScimGroup('g'))!.members).toEqual(['b']);
    });

    it('[C4, C5] disabling with revokeDevicesAt and retiring revoke every live device in the same step', async () => {
      await store.createScimUser(user('a'), link(1));
      for (const id of ['d1', 'd2', 'd3']) await store.createDevice({ id, userId: 'a', name: id, createdAt: 1, lastSeenAt: 1, revokedAt: null });
      await store.revokeDevice('d3', 5);
      const revoked = await store.updateScimUser({ ...user('a'), disabled: true }, link(1), { revokeDevicesAt: 50 });
      expect(revoked).toEqual(['d1', 'd2']);
      expect((await store.getDevice('d1'))!.revokedAt).toBe(50);
      expect((await store.getDevice('d3'))!.revokedAt).toBe(5);
      expect((await store.getUser('a'))!.disabled).toBe(true);

      await store.updateScimUser(user('a'), link(1));
      await store.createDevice({ id: 'd4', userId: 'a', name: 'd4', createdAt: 60, lastSeenAt: 60, revokedAt: null });
      expect(await store.retireScimUser('a', UNASSIGNED, 70)).toEqual(['d4']);
      expect(await store.getUser('a')).toMatchObject({ username: 'deleted:a', disabled: true, teamId: UNASSIGNED });
      expect(await store.getScimUser('a')).toBeNull();
      expect(await store.findUserByUsername('a@gemeente.nl')).toBeNull();
    });
  });
}
