// The vault's record: what the device keeps in the clear to open the user's data (issue 13).
// Wrapped keys only, never a plain one; stored in the user's own database (D1), so deleting the
// database also shreds the key. Parsed strictly on read: a hand-edited record is refused.
import * as z from 'zod/mini';
import { MIN_PBKDF2_ITERATIONS } from './crypto';
import type { DeviceKeys, WipeMode } from './types';

const b64url = z.string().check(z.regex(/^[A-Za-z0-9_-]+$/));
const count = z.number().check(z.int(), z.gte(0));

export const LockPolicySchema = z.object({
  minPinDigits: z.number().check(z.int(), z.gte(6), z.lte(64)),
  maxAttempts: z.number().check(z.int(), z.gte(1), z.lte(100)),
  idleLockMs: z.number().check(z.int(), z.gte(1_000)),
  graceDays: z.number().check(z.int(), z.gte(1)),
  graceWarnDays: z.number().check(z.int(), z.gte(0)),
});

export const VaultRecordSchema = z.object({
  version: z.literal(1),
  userId: z.string().check(z.minLength(1)),
  /** PBKDF2 salt, base64url. */
  salt: b64url,
  /** Stored per vault so a later, higher constant applies to new PINs without locking anyone out. */
  iterations: z.number().check(z.int(), z.gte(MIN_PBKDF2_ITERATIONS)),
  /** The data key wrapped by the PIN's key (crypto.ts `wrapDataKey`), base64url. */
  pinWrapped: b64url,
  /** The data key wrapped by the server's recovery key for `device.deviceId`, base64url. */
  recoveryWrapped: b64url,
  /** Wrong PINs in a row; written before each check answers (K5). */
  failedAttempts: count,
  /** Epoch ms of the last answer from the server about this device (sign-in, status). */
  lastServerContactAt: count,
  /** `DeviceKeys` minus the recovery key, which only the server keeps. */
  device: z.object({
    deviceId: z.string().check(z.minLength(1)),
    statusToken: z.string().check(z.minLength(1)),
    lockPolicy: LockPolicySchema,
  }),
  /** A send-then-wipe revocation heard while locked: carried out after the next unlock. */
  pendingWipe: z.nullable(z.enum(['wipe-now', 'send-then-wipe'])),
});

export type VaultRecord = z.infer<typeof VaultRecordSchema>;
export type StoredDevice = Omit<DeviceKeys, 'recoveryKey'>;

export const storedDevice = (keys: DeviceKeys): StoredDevice => ({
  deviceId: keys.deviceId,
  statusToken: keys.statusToken,
  lockPolicy: keys.lockPolicy,
});

export function parseVaultRecord(value: unknown): VaultRecord | null {
  const parsed = VaultRecordSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export type { WipeMode };
