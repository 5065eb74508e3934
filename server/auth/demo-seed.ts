// First start on an empty database: team "Wijkteam Centrum" with a field worker, a back-office
// approver and an administrator (B8), so the app can be tried at once. Their password comes from the environment or is
// random and printed once; never a fixed default (the outside contract in ARCHITECTURE.md).
// Several processes may start at once on one empty database (CL24): the store seeds atomically.
import { randomInt } from 'node:crypto';
import type { AccountStore, Role, UserRow } from '../store/types';
import { hashPassword } from './passwords';
import type { ScryptParams } from './passwords';

export const DEMO_TEAM = { id: 'centrum', name: 'Wijkteam Centrum' } as const;

/** J4: each with the function title a letter prints under their name, and contact details. */
export const DEMO_USERS: readonly { username: string; name: string; roles: readonly Role[]; functionTitle: string; email: string; phone: string }[] = [
  {
    username: 'veldwerker',
    name: 'Vera Veldwerker',
    roles: ['field'],
    functionTitle: 'Consulent Wmo',
    email: 'v.veldwerker@voorbeeld.example',
    phone: '14 020',
  },
  {
    username: 'kantoor',
    name: 'Karim Kantoor',
    roles: ['office', 'approver'],
    functionTitle: 'Teamleider Wijkteam Centrum',
    email: 'k.kantoor@voorbeeld.example',
    phone: '14 020',
  },
  // B8: the administrator is a third account, not a role of `kantoor`: who grants rights and
  // revokes devices should not also approve letters (separation of duties, BIO 6.1.2).
  {
    username: 'beheerder',
    name: 'Bo Beheerder',
    roles: ['admin'],
    functionTitle: 'Functioneel beheerder',
    email: 'b.beheerder@voorbeeld.example',
    phone: '14 020',
  },
];

export interface SeedDemoOptions {
  store: AccountStore;
  /** `KEUKENTAFEL_DEMO_PASSWORD`; unset or blank means: generate one and log it once. */
  demoPassword: string | undefined;
  log: (msg: string) => void;
  newId: () => string;
  /** Cheaper scrypt for tests; production keeps the default. */
  scryptParams?: ScryptParams;
}

export type SeedDemoResult =
  | { seeded: false }
  | { seeded: true; teamId: string; usernames: string[]; passwordSource: 'env' | 'generated' };

// No 0/O, 1/l/I: the password is read off a log and typed on a phone.
const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Four groups of four readable characters, about 79 bits. */
export function generateReadablePassword(): string {
  const group = () => Array.from({ length: 4 }, () => READABLE[randomInt(READABLE.length)]).join('');
  return [group(), group(), group(), group()].join('-');
}

export async function seedDemoAccounts(options: SeedDemoOptions): Promise<SeedDemoResult> {
  const { store, log, newId } = options;
  // Cheap early exit for every later start; the store decides again under its lock (CL24).
  if ((await store.countUsers()) > 0) return { seeded: false };

  const fromEnv = options.demoPassword !== undefined && options.demoPassword.trim() !== '';
  const password = fromEnv ? (options.demoPassword ?? '') : generateReadablePassword();

  const users: UserRow[] = [];
  for (const demo of DEMO_USERS) {
    users.push({
      id: newId(),
      username: demo.username,
      name: demo.name,
      teamId: DEMO_TEAM.id,
      roles: [...demo.roles],
      passwordHash: await hashPassword(password, options.scryptParams),
      disabled: false,
      functionTitle: demo.functionTitle,
      email: demo.email,
      phone: demo.phone,
    });
  }
  // CL24: all three accounts and the team (a start that died halfway left none of them but
  // perhaps the team) in one transaction, only while no user exists: of several processes
  // starting at once on an empty database exactly one seeds, and only it prints a password.
  if (!(await store.seedAccounts({ ...DEMO_TEAM }, users))) return { seeded: false };

  const usernames = DEMO_USERS.map((u) => u.username);
  log(
    fromEnv
      ? `Demo accounts created (${usernames.join(', ')}) in team "${DEMO_TEAM.name}" with the password from KEUKENTAFEL_DEMO_PASSWORD.`
      : `Demo accounts created (${usernames.join(', ')}) in team "${DEMO_TEAM.name}". Password, shown only this once: ${password}`,
  );
  return { seeded: true, teamId: DEMO_TEAM.id, usernames, passwordSource: fromEnv ? 'env' : 'generated' };
}
