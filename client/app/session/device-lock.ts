// The app's one door to the device vault (client/vault/wiring.ts): a cold start opens the last
// user's DeviceLock, a sign-in (password or municipal ticket) hands its login to one. The screens
// only ever see a DeviceLock. Sign-in goes through `deviceLockForSignIn` here rather than
// wiring's `vaultSignIn` only to keep the user's roles, which decide where the app lands.
import type { LoginResult } from '../../sync/auth-client';
import { authenticate, authenticateWithTicket, type SessionOptions, type SignInResult } from '../../sync/session';
import { deviceLockForSignIn, type SignedInDeviceLock } from '../../vault/device-lock';
import type { DeviceLock } from '../../vault/types';
import { browserVaultDeps, openVault } from '../../vault/wiring';

export type LockSignInResult =
  /** `roles`: where the app lands once unlocked (office: the inbox). */
  | { ok: true; lock: SignedInDeviceLock; roles: readonly string[]; deviceProof: string | null }
  | Extract<SignInResult, { ok: false }>
  /** The server sent no device keys (older than the app): nothing is stored unprotected. */
  | { ok: false; reason: 'no-device-keys' };

/** Cold start (K14): locked, or null when this device holds no vault for the user. */
export function openLock(opts: SessionOptions & { userId: string }): Promise<DeviceLock | null> {
  return openVault(opts.userId, opts);
}

export async function signInToLock(
  opts: SessionOptions & { username: string; password: string; deviceName: string; deviceProof?: string | null },
): Promise<LockSignInResult> {
  return toLock(opts, await authenticate(opts));
}

export async function ticketToLock(opts: SessionOptions & { ticket: string }): Promise<LockSignInResult> {
  return toLock(opts, await authenticateWithTicket(opts));
}

async function toLock(opts: SessionOptions, result: LoginResult): Promise<LockSignInResult> {
  if (!result.ok) return result;
  if (result.device === null) return { ok: false, reason: 'no-device-keys' };
  try {
    const lock = await deviceLockForSignIn(result, result.device, browserVaultDeps(opts));
    return { ok: true, lock, roles: result.user.roles, deviceProof: result.deviceProof };
  } catch {
    return { ok: false, reason: 'storage-failed' };
  }
}
