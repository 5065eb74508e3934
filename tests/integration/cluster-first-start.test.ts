// CL24: the first start on an empty shared PostgreSQL database, by several processes at once.
// Each start seeds the demo accounts and claims the signing secret and the VAPID keys; started
// together they must end with one set of accounts, one secret and one key pair, and every process
// must come up. Three real `server/main.ts` processes, and three pools running the same start
// steps in one tick (more rounds, so the race is met every time, not by luck).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS, seedDemoAccounts, type SeedDemoResult } from '../../server/auth/demo-seed';
import { verifyPassword } from '../../server/auth/passwords';
import { loadSigningSecret } from '../../server/auth/tokens';
import { loadVapidKeys } from '../../server/push/vapid';
import { openPostgresStore, type PostgresStore } from '../../server/store/postgres/store';
import { FAST_SCRYPT } from '../unit/auth/accounts-fixture';
import { freePort, startChildServer, type ChildServer } from '../support/child-server';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { login } from '../support/server';

let pg: PostgresCluster;
const dataDir = mkdtempSync(join(tmpdir(), 'kt-first-start-'));
const children = new Set<ChildServer>();
const stores: PostgresStore[] = [];

beforeAll(async () => {
  pg = await startPostgres();
}, 180_000);
afterAll(async () => {
  for (const c of children) c.process.kill('SIGKILL');
  for (const s of stores.splice(0)) await s.close();
  await pg.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('the first start of several processes at once on one PostgreSQL database', () => {
  it('[CL24] three pools seeding, claiming the secret and the push keys in one tick: one set of accounts, one secret, one key pair', async () => {
    for (let round = 0; round < 5; round++) {
      const url = await pg.createDatabase();
      const pools = await Promise.all([0, 1, 2].map(() => openPostgresStore(url, { max: 2 })));
      stores.push(...pools);
      let ids = 0;
      const starts = await Promise.all(
        pools.map(async (store, p) => {
          const logged: string[] = [];
          const seeded: SeedDemoResult = await seedDemoAccounts({
            store,
            demoPassword: `wachtwoord-van-${p}`,
            log: (m) => logged.push(m),
            newId: () => `user-${p}-${ids++}`,
            scryptParams: FAST_SCRYPT,
          });
          const [secret, vapid] = await Promise.all([loadSigningSecret(store), loadVapidKeys(store)]);
          return { p, seeded, logged, secret: hex(secret), vapid: vapid.publicKey };
        }),
      );
      const winners = starts.filter((s) => s.seeded.seeded);
      expect(winners, `round ${round}`).toHaveLength(1);
      expect(starts.flatMap((s) => s.logged)).toHaveLength(1);
      const winner = winners[0]?.p ?? -1;
      const reader = pools[0];
      expect(await reader?.countUsers()).toBe(DEMO_USERS.length);
      expect((await reader?.listTeams())?.map((t) => t.id)).toEqual(['centrum']);
      // Every account was made by the one winner, with its password, read back through each pool.
      for (const store of pools) {
        for (const demo of DEMO_USERS) {
          const user = await store.findUserByUsername(demo.username);
          expect(user?.id.startsWith(`user-${winner}-`)).toBe(true);
          expect(await verifyPassword(`wachtwoord-van-${winner}`, user?.passwordHash ?? '')).toBe(true);
        }
      }
      expect(new Set(starts.map((s) => s.secret)).size).toBe(1);
      expect(new Set(starts.map((s) => s.vapid)).size).toBe(1);
      for (const s of pools) await s.close();
      stores.splice(0);
    }
  }, 120_000);

  it('[CL24] three real processes started at the same moment on a fresh database all come up; the one printed password works on each', async () => {
    const url = await pg.createDatabase();
    const ports = await Promise.all([0, 1, 2].map(() => freePort()));
    // No KEUKENTAFEL_DEMO_PASSWORD: the winner generates one and is the only one to print it.
    const env = { DATABASE_URL: url, DATABASE_POOL_MAX: '4', KEUKENTAFEL_DEMO_PASSWORD: '' };
    const procs = await Promise.all(
      ports.map(async (port, i) => {
        const child = await startChildServer(join(dataDir, `p${i}`), port, env);
        children.add(child);
        return child;
      }),
    );
    const printed = procs.flatMap((c) => [...c.output().matchAll(/shown only this once: ([a-z2-9]{4}(?:-[a-z2-9]{4}){3})/g)].map((m) => m[1] ?? ''));
    expect(printed).toHaveLength(1);
    const password = printed[0] ?? '';
    for (const proc of procs) expect(proc.output()).not.toMatch(/users_username_key_key|duplicate key/);

    const shared = await openPostgresStore(url, { max: 1 });
    stores.push(shared);
    expect(await shared.countUsers()).toBe(DEMO_USERS.length);

    for (const proc of procs) {
      const session = await login(proc.url, 'veldwerker', password);
      // A token one process signed is good on every other: they share one signing secret.
      for (const other of procs) {
        const r = await fetch(`${other.url}/api/templates`, { headers: { authorization: `Bearer ${session.accessToken}` } });
        expect(r.status, `token from ${proc.url} on ${other.url}`).toBe(200);
      }
    }
    const keys = await Promise.all(procs.map(async (p) => ((await (await fetch(`${p.url}/api/push/key`)).json()) as { publicKey: string }).publicKey));
    expect(new Set(keys).size).toBe(1);
    for (const proc of procs) {
      proc.process.kill('SIGKILL');
      await proc.exited;
      children.delete(proc);
    }
  }, 240_000);
});
