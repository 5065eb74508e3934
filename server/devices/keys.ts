// K20: the secrets a device gets at sign-in for its vault. The status token lets a locked device
// ask about itself without a bearer token; only its SHA-256 is stored, and it is compared in
// constant time. The recovery key is 32 random bytes the server keeps, to hand back once to a new
// sign-in of the same user (K25). Pure apart from the random source.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface NewDeviceSecrets {
  statusToken: string;
  statusTokenHash: string;
  recoveryKey: string;
}

export function newDeviceSecrets(): NewDeviceSecrets {
  const statusToken = randomBytes(32).toString('base64url');
  return { statusToken, statusTokenHash: hashStatusToken(statusToken), recoveryKey: randomBytes(32).toString('base64url') };
}

export function hashStatusToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Hashes of equal length compared without an early exit; null (an unknown device) never matches. */
const DUMMY_HASH = '0'.repeat(64);
export function statusTokenMatches(token: string, storedHash: string | null | undefined): boolean {
  const presented = Buffer.from(hashStatusToken(token), 'hex');
  const stored = Buffer.from(storedHash ?? DUMMY_HASH, 'hex');
  const same = stored.length === presented.length && timingSafeEqual(presented, stored);
  return same && storedHash != null;
}
