// Password hashing: the stored format, salting, and that only the right password verifies.
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../server/auth/passwords';
import { FAST_SCRYPT } from './accounts-fixture';

describe('passwords', () => {
  it('hashes with the default scrypt parameters in the scrypt$N$r$p$salt$hash format', async () => {
    const stored = await hashPassword('geheim wachtwoord');
    const [scheme, N, r, p, salt, hash] = stored.split('$');
    expect([scheme, N, r, p]).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(hash ?? '', 'base64')).toHaveLength(32);
    expect(await verifyPassword('geheim wachtwoord', stored)).toBe(true);
  });

  it('a wrong password fails', async () => {
    const stored = await hashPassword('geheim', FAST_SCRYPT);
    expect(await verifyPassword('Geheim', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('the same password gets a different salt and hash each time', async () => {
    const a = await hashPassword('geheim', FAST_SCRYPT);
    const b = await hashPassword('geheim', FAST_SCRYPT);
    expect(a).not.toBe(b);
    expect(await verifyPassword('geheim', b)).toBe(true);
  });

  it('the same password in another Unicode normal form verifies', async () => {
    const composed = 'cr\u00e8me';
    const decomposed = 'cre\u0300me';
    expect(await verifyPassword(decomposed, await hashPassword(composed, FAST_SCRYPT))).toBe(true);
  });

  it('a malformed or hostile stored hash verifies nothing and does not throw', async () => {
    const good = await hashPassword('geheim', FAST_SCRYPT);
    const parts = good.split('$');
    for (const bad of ['', 'plain', 'bcrypt$x', good.replace('scrypt$', 'scrypt$x'), ['scrypt', 2 ** 30, ...parts.slice(2)].join('$'), ['scrypt', 1000, ...parts.slice(2)].join('$')]) {
      expect(await verifyPassword('geheim', bad)).toBe(false);
    }
  });
});
