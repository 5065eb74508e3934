// The app's one door to the device vault (client/vault/): a cold start opens the last user's
// DeviceLock, a sign-in (password or municipal ticket) hands its login to one. Here the vault's
// dependencies are bound to this server: the status question, the recovery key and remote wipe.
// The screens only ever see a DeviceLock.
import { checkDeviceStatus, fetchRecoveryKey } from '../../sync/device-client';
import { remoteWipe } from '../../sync/remote-wipe';
import { authenticate, authenticateWithTicket, type SessionOptions, type SignInResult } from '../../sync/session';
import type { LoginResult } from '../../sync/auth-client';
import { deviceLockForSignIn, openDeviceLock, type SignedInDeviceLock, type VaultDeps } from '../../vault/device-lock';
import type { DeviceLock } from '../../vault/types';

export type LockSignInResult =
  /** `roles`: where the app lands once unlocked (office: the inbox). */
  | { ok: true; lock: SignedInDeviceLock; roles: readonly string[]; deviceProof: string | null }
  | Extract<SignInResult, { ok: false }>;

function vaultDeps(opts: SessionOptions): VaultDeps {
  return {
    session: opts,
    checkDeviceStatus: (device) => checkDeviceStatus(opts.serverUrl, device, opts.fetchImpl),
    fetchRecoveryKey: (tokens, previousDeviceId) => fetchRecoveryKey(opts.serverUrl, tokens, previousDeviceId, opts.fetchImpl),
    remoteWipe: async (session, mode) => ({ wiped: (await remoteWipe(session, mode)).wiped }),
  };
}

/** Cold start (K14): locked, or null when this device holds no vault for the user. */
export function openLock(opts: SessionOptions & { userId: string }): Promise<DeviceLock | null> {
  return openDeviceLock(opts.userId, vaultDeps(opts));
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
  // A server without device keys cannot protect what this device would store: refuse, store nothing.
  if (result.device === null) return { ok: false, reason: 'server-error' };
  try {
    const lock = await deviceLockForSignIn(result, result.device, vaultDeps(opts));
    return { ok: true, lock, roles: result.user.roles, deviceProof: result.deviceProof };
  } catch {
    return { ok: false, reason: 'storage-failed' };
  }
}
