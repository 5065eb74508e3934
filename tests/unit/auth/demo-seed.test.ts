// Demo accounts on first start: the environment's password or a random one printed once,
// never a fixed default; a second start changes nothing.
import { describe, expect, it } from 'vitest';
import { generateReadablePassword, seedDemoAccounts } from '../../../server/auth/demo-seed';
import { verifyPassword } from '../../../server/auth/passwords';
import { createMemoryStore } from '../../../server/store/memory/store';
import type { MemoryStore } from '../../../server/store/memory/store';
import { FAST_SCRYPT, sequentialIds } from './accounts-fixture';

async function seed(store: MemoryStore, demoPassword: string | undefined) {
  const logged: string[] = [];
  const result = await seedDemoAccounts({
    store,
    demoPassword,
    log: (msg) => logged.push(msg),
    newId: sequentialIds('user'),
    scryptParams: FAST_SCRYPT,
  });
  return { result, logged };
}

describe('demo accounts', () => {
  it('an empty database gets team centrum with veldwerker (field) and kantoor (office, approver)', async () => {
    const store = createMemoryStore();
    const { result } = await seed(store, 'uit-de-omgeving');
    expect(result).toEqual({ seeded: true, teamId: 'centrum', usernames: ['veldwerker', 'kantoor', 'beheerder'], passwordSource: 'env' });
    expect(await store.getTeam('centrum')).toEqual({ id: 'centrum', name: 'Wijkteam Centrum' });
    expect(await store.findUserByUsername('veldwerker')).toMatchObject({ name: 'Vera Veldwerker', teamId: 'centrum', roles: ['field'], disabled: false });
    expect(await store.findUserByUsername('kantoor')).toMatchObject({ name: 'Karim Kantoor', teamId: 'centrum', roles: ['office', 'approver'] });
  });

  it('uses the password from the environment and does not print it', async () => {
    const store = createMemoryStore();
    const { logged } = await seed(store, 'uit-de-omgeving');
    for (const username of ['veldwerker', 'kantoor']) {
      const user = await store.findUserByUsername(username);
      expect(await verifyPassword('uit-de-omgeving', user?.passwordHash ?? '')).toBe(true);
    }
    expect(logged).toHaveLength(1);
    expect(logged.join('\n')).not.toContain('uit-de-omgeving');
  });

  it('without a password in the environment, generates a random one and prints it exactly once', async () => {
    const store = createMemoryStore();
    const { result, logged } = await seed(store, undefined);
    expect(result).toMatchObject({ seeded: true, passwordSource: 'generated' });
    expect(logged).toHaveLength(1);
    const password = /([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})/.exec(logged[0] ?? '')?.[1];
    expect(password).toBeDefined();
    const user = await store.findUserByUsername('kantoor');
    expect(await verifyPassword(password ?? '', user?.passwordHash ?? '')).toBe(true);

    // Another empty database gets another password: there is no fixed default.
    const other = await seed(createMemoryStore(), undefined);
    expect(other.logged[0]).not.toContain(password);
  });

  it('a blank password in the environment counts as unset', async () => {
    const { result } = await seed(createMemoryStore(), '   ');
    expect(result).toMatchObject({ passwordSource: 'generated' });
  });

  it('a second start does nothing and prints nothing', async () => {
    const store = createMemoryStore();
    await seed(store, undefined);
    const second = await seed(store, 'ander-wachtwoord');
    expect(second).toEqual({ result: { seeded: false }, logged: [] });
    expect(await store.countUsers()).toBe(3);
    const user = await store.findUserByUsername('veldwerker');
    expect(await verifyPassword('ander-wachtwoord', user?.passwordHash ?? '')).toBe(false);
  });

  it('a team left by an interrupted first start does not stop the seed', async () => {
    const store = createMemoryStore();
    await store.createTeam({ id: 'centrum', name: 'Wijkteam Centrum' });
    expect((await seed(store, 'x-y-z')).result).toMatchObject({ seeded: true });
  });

  it('generated passwords are four groups of four readable characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const password = generateReadablePassword();
      expect(password).toMatch(/^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$/);
      seen.add(password);
    }
    expect(seen.size).toBe(50);
  });
});
