// Shared setup for the auth unit tests: a memory store with one team and two users whose
// hashes use cheap scrypt parameters (verification reads them from the hash), and a settable clock.
import { hashPassword } from '../../../server/auth/passwords';
import type { ScryptParams } from '../../../server/auth/passwords';
import { createMemoryStore } from '../../../server/store/memory/store';
import type { MemoryStore } from '../../../server/store/memory/store';

export const FAST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };
export const PASSWORD = 'keukentafel-test-wachtwoord';
export const START = Date.UTC(2025, 0, 6, 9, 0, 0);

export interface Clock {
  now: () => number;
  advance(ms: number): void;
}

export function createClock(start = START): Clock {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

export function sequentialIds(prefix = 'id'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

export async function storeWithUsers(): Promise<MemoryStore> {
  const store = createMemoryStore();
  await store.createTeam({ id: 'centrum', name: 'Wijkteam Centrum' });
  await store.createUser({
    id: 'u-vera',
    username: 'veldwerker',
    name: 'Vera Veldwerker',
    teamId: 'centrum',
    roles: ['field'],
    passwordHash: await hashPassword(PASSWORD, FAST_SCRYPT),
    disabled: false,
  });
  await store.createUser({
    id: 'u-karim',
    username: 'kantoor',
    name: 'Karim Kantoor',
    teamId: 'centrum',
    roles: ['office', 'approver'],
    passwordHash: await hashPassword(PASSWORD, FAST_SCRYPT),
    disabled: false,
  });
  return store;
}
