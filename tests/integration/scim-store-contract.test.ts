// The ScimStore contract (C2, C4–C7), run against the memory, the SQLite and the PostgreSQL store:
// all must keep memberships, settle each user's one team, refuse a bad change whole and revoke
// devices in the same step that disables or retires a user. PostgreSQL also gets two pools at
// once (DB21, DB23): several processes provision through one database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../server/store/memory/store';
import { openPool, type Pool } from '../../server/store/postgres/pool';
import { migrate } from '../../server/store/postgres/schema';
import { openPostgresStore, type PostgresStore } from '../../server/store/postgres/store';
import { openSqliteStore } from '../../server/store/sqlite/store';
import type { ScimLink, ScimStore, Store, UserRow } from '../../server/store/types';
import { UniqueViolation } from '../../server/store/unique-violation';
import { startPostgres, type PostgresCluster } from '../support/postgres';

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

/** What the contract uses: the SCIM store and the few account methods that set up and check its rows. */
type ContractStore = ScimStore &
  Pick<Store, 'createTeam' | 'getTeam' | 'createUser' | 'getUser' | 'findUserByUsername' | 'createDevice' | 'getDevice' | 'revokeDevice'>;

interface Engine {
  name: string;
  /** Once per engine (the PostgreSQL cluster); absent when nothing is shared. */
  setup?: () => Promise<void>;
  open: () => Promise<{ store: ContractStore; dispose: () => Promise<void> }>;
}

let cluster: PostgresCluster | undefined;
/** One cluster for the file, started by the first suite that needs it and stopped after the last. */
async function ensureCluster(): Promise<void> {
  cluster ??= await startPostgres();
}
afterAll(async () => {
  await cluster?.stop();
  cluster = undefined;
});

/** A fresh, migrated database on the file's cluster. */
async function openPostgresDatabase(): Promise<string> {
  if (cluster === undefined) throw new Error('the PostgreSQL cluster did not start');
  const url = await cluster.createDatabase();
  const pool = openPool(url, { max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  return url;
}

const engines: Engine[] = [
  { name: 'memory', open: () => Promise.resolve({ store: createMemoryStore(), dispose: () => Promise.resolve() }) },
  {
    name: 'sqlite',
    open: () => {
      const dir = mkdtempSync(join(tmpdir(), 'kt-scim-'));
      const store = openSqliteStore(join(dir, 'db.sqlite'));
      return Promise.resolve({
        store,
        dispose: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      });
    },
  },
  {
    name: 'postgres',
    setup: ensureCluster,
    open: async () => {
      const store = await openPostgresStore(await openPostgresDatabase(), { max: 4 });
      return { store, dispose: () => store.close() };
    },
  },
];

for (const engine of engines) {
  describe(`ScimStore contract: ${engine.name}`, () => {
    let store: ContractStore;
    let dispose: () => Promise<void>;
    if (engine.setup) beforeAll(engine.setup, 120_000);
    beforeEach(async () => {
      ({ store, dispose } = await engine.open());
      await store.createTeam({ id: UNASSIGNED, name: 'Zonder team' });
      await store.createTeam({ id: 'local', name: 'Lokaal team' });
    });
    afterEach(async () => dispose());

    it('[C2] only linked users and teams are visible; a taken username throws UniqueViolation and stores nothing', async () => {
      await store.createUser({ ...user('local-user'), teamId: 'local' });
      await store.createScimUser(user('a'), link(1));
      await store.createScimGroup({ id: 'g', name: 'Groep' }, link(1));
      expect((await store.listScimUsers()).map((u) => u.user.id)).toEqual(['a']);
      expect(await store.getScimUser('local-user')).toBeNull();
      expect((await store.listScimGroups()).map((g) => g.team.id)).toEqual(['g']);
      expect(await store.getScimGroup('local')).toBeNull();
      await expect(store.createScimUser({ ...user('b'), username: 'LOCAL-USER@gemeente.nl' }, link(2))).rejects.toBeInstanceOf(UniqueViolation);
      expect(await store.getUser('b')).toBeNull();
      expect(await store.getScimUser('b')).toBeNull();
      await expect(store.updateScimUser({ ...user('a'), username: 'Local-User@gemeente.nl' }, link(3))).rejects.toBeInstanceOf(UniqueViolation);
      expect((await store.getUser('a'))!.username).toBe('a@gemeente.nl');
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
      await store.createScimGroup({ id: 'h', name: 'Hoofd' }, link(2));
      await store.changeScimMembers('h', { add: ['b', 'a'], remove: [] }, 40, UNASSIGNED);
      expect((await store.listScimGroups()).map((g) => [g.team.id, g.members])).toEqual([
        ['g', ['b']],
        ['h', ['a', 'b']],
      ]);
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

describe('ScimStore on PostgreSQL with two pools (DB21–DB27)', () => {
  // Two pools on one database stand for two server processes.
  let a: PostgresStore;
  let b: PostgresStore;
  let check: Pool;
  beforeAll(ensureCluster, 120_000);
  beforeEach(async () => {
    const url = await openPostgresDatabase();
    a = await openPostgresStore(url, { max: 4 });
    b = await openPostgresStore(url, { max: 4 });
    check = openPool(url, { max: 2 });
    await a.createTeam({ id: UNASSIGNED, name: 'Zonder team' });
  });
  afterEach(async () => {
    await Promise.all([a.close(), b.close(), check.end()]);
  });

  /** Users whose stored team is not the first group they are still in (C6); empty when consistent. */
  async function unsettled(ids: readonly string[]): Promise<{ id: string; team: string; expected: string }[]> {
    const { rows } = await check.query<{ id: string; team: string; expected: string }>(
      `SELECT u.id, u.team_id AS team,
         COALESCE((SELECT m.team_id FROM scim_members m WHERE m.user_id = u.id ORDER BY m.added_at, m.team_id LIMIT 1), $2) AS expected
       FROM users u WHERE u.id = ANY($1::text[]) ORDER BY u.id`,
      [ids, UNASSIGNED],
    );
    return rows.filter((r) => r.team !== r.expected);
  }

  it('[DB21] two processes changing the memberships of the same users at once leave each user in the first group they are still in', async () => {
    const users = ['u1', 'u2', 'u3', 'u4'];
    for (const id of users) await a.createScimUser(user(id), link(1));
    await a.createScimGroup({ id: 'ga', name: 'A' }, link(1));
    await a.createScimGroup({ id: 'gb', name: 'B' }, link(1));
    let at = 100;
    for (let round = 0; round < 25; round++) {
      // The later joiner commits first half the time: without the users' locks each transaction
      // settles the team on memberships that miss the other's, and the last write wins.
      at += 10;
      await Promise.all([
        a.changeScimMembers('ga', { add: users, remove: [] }, at + (round % 2), UNASSIGNED),
        b.changeScimMembers('gb', { add: users, remove: [] }, at + 1 - (round % 2), UNASSIGNED),
      ]);
      expect(await unsettled(users)).toEqual([]);
      await Promise.all([
        a.changeScimMembers('ga', { add: [], remove: users }, at + 2, UNASSIGNED),
        b.changeScimMembers('gb', { add: [], remove: [], replace: [] }, at + 2, UNASSIGNED),
      ]);
      expect(await unsettled(users)).toEqual([]);
      expect((await a.getUser('u1'))?.teamId).toBe(UNASSIGNED);
    }
  });

  it('[DB21] a group deleted while another process adds its members elsewhere leaves each of them in the first group they are still in', async () => {
    const users = ['u1', 'u2', 'u3', 'u4'];
    for (const id of users) await a.createScimUser(user(id), link(1));
    for (let round = 0; round < 15; round++) {
      const [gone, kept] = [`del${round}`, `keep${round}`];
      await a.createScimGroup({ id: gone, name: gone }, link(1));
      await a.createScimGroup({ id: kept, name: kept }, link(1));
      await a.changeScimMembers(gone, { add: users, remove: [] }, 10 + round * 10, UNASSIGNED);
      if (round > 0) await a.changeScimMembers(`keep${round - 1}`, { add: [], remove: [], replace: [] }, 10 + round * 10, UNASSIGNED);
      // Each user is now only in `gone`: the deletion must not settle them on a membership list that misses `kept`.
      await Promise.all([a.deleteScimGroup(gone, UNASSIGNED), b.changeScimMembers(kept, { add: users, remove: [] }, 11 + round * 10, UNASSIGNED)]);
      expect(await unsettled(users)).toEqual([]);
      expect((await a.getUser('u1'))?.teamId).toBe(kept);
    }
  });

  it('[DB23] processes revoking the same user\'s devices at once each get the devices they revoked, none twice', async () => {
    await a.createScimUser(user('u'), link(1));
    for (let round = 0; round < 15; round++) {
      const ids = Array.from({ length: 10 }, (_, i) => `d${round}-${i}`).sort();
      for (const id of ids) await a.createDevice({ id, userId: 'u', name: id, createdAt: 1, lastSeenAt: 1, revokedAt: null });
      const calls = await Promise.all([
        a.revokeUserDevices('u', 10),
        b.revokeUserDevices('u', 20),
        b.updateScimUser({ ...user('u'), disabled: true }, link(2), { revokeDevicesAt: 30 }),
      ]);
      // Every device once, at the time of the call that says it revoked it.
      expect(calls.flat().sort()).toEqual(ids);
      for (const [i, revoked] of calls.entries()) {
        for (const id of revoked) expect((await a.getDevice(id))?.revokedAt).toBe([10, 20, 30][i]);
      }
    }
  });

  it('[DB24] a user retired while another process adds them to a group ends in no group, in the unassigned team', async () => {
    await a.createScimGroup({ id: 'g', name: 'Groep' }, link(1));
    for (let round = 0; round < 10; round++) {
      const id = `r${round}`;
      await a.createScimUser(user(id), link(1));
      const [added, retired] = await Promise.allSettled([a.changeScimMembers('g', { add: [id], remove: [] }, 10 + round, UNASSIGNED), b.retireScimUser(id, UNASSIGNED, 50)]);
      expect(retired.status).toBe('fulfilled');
      // The add either came first (and was undone by the retirement) or found the user unlinked and changed nothing.
      if (added.status === 'rejected') expect(String(added.reason)).toMatch(/no SCIM user/);
      expect((await a.getScimGroup('g'))?.members).toEqual([]);
      expect(await a.getUser(id)).toMatchObject({ teamId: UNASSIGNED, disabled: true, username: `deleted:${id}` });
    }
  });

  it('[DB27] a username taken in another process is refused with the UniqueViolation the SCIM service recognises', async () => {
    const results = await Promise.allSettled([a.createScimUser(user('x'), link(1)), b.createScimUser({ ...user('y'), username: 'X@gemeente.nl' }, link(1))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' ? refused.reason : null).toBeInstanceOf(UniqueViolation);
    expect((await a.listScimUsers()).map((u) => u.user.id)).toHaveLength(1);
    await a.createScimUser(user('z'), link(1));
    await expect(b.updateScimUser({ ...user('z'), username: 'x@gemeente.nl' }, link(2))).rejects.toBeInstanceOf(UniqueViolation);
  });
});
