// How the app reaches the vault (issue 13): the real device-client and remote-wipe routines bound
// to the server, and sign-in that ends in a `DeviceLock` instead of a session. The screens
// (client/app/) call `vaultSignIn` / `vaultTicketSignIn` after a sign-in, `openDeviceLock` with
// `browserVaultDeps` on a cold start, and take the session from `lock.session()` once unlocked.
import { checkDeviceStatus, fetchRecoveryKey, reportReplacedDevice } from '../sync/device-client';
import { remoteWipe } from '../sync/remote-wipe';
import { authenticate, authenticateWithTicket, type SessionOptions } from '../sync/session';
import type { LoginResult } from '../sync/auth-client';
import { deviceLockForSignIn, openDeviceLock, type SignedInDeviceLock, type VaultDeps } from './device-lock';
import type { DeviceLock } from './types';

export function browserVaultDeps(session: SessionOptions, overrides: Partial<VaultDeps> = {}): VaultDeps {
  return {
    session,
    checkDeviceStatus: (device) => checkDeviceStatus(session.serverUrl, device, session.fetchImpl),
    fetchRecoveryKey: (tokens, previousDeviceId) => fetchRecoveryKey(session.serverUrl, tokens, previousDeviceId, session.fetchImpl),
    reportReplacedDevice: (tokens, previousDeviceId) => reportReplacedDevice(session.serverUrl, tokens, previousDeviceId, session.fetchImpl),
    remoteWipe: async (s, mode) => ({ wiped: (await remoteWipe(s, mode)).wiped }),
    ...overrides,
  };
}

export type VaultSignInResult =
  /** `lock` is in needs-pin (new device or data from before encryption) or locked (a vault is here). */
  | { ok: true; lock: SignedInDeviceLock; deviceProof: string | null }
  | Extract<LoginResult, { ok: false }>
  /** `no-device-keys`: the server sent no vault keys (older than the app): nothing is stored unprotected (K3). */
  | { ok: false; reason: 'storage-failed' | 'no-device-keys' };

async function toLock(result: LoginResult, deps: VaultDeps): Promise<VaultSignInResult> {
  if (!result.ok) return result;
  if (result.device === null) return { ok: false, reason: 'no-device-keys' };
  try {
    return { ok: true, lock: await deviceLockForSignIn(result, result.device, deps), deviceProof: result.deviceProof };
  } catch {
    return { ok: false, reason: 'storage-failed' };
  }
}

/** Password sign-in: the login happens first; tokens are stored only after the PIN opened the vault. */
export async function vaultSignIn(
  opts: SessionOptions & { username: string; password: string; deviceName: string; deviceProof?: string | null },
  deps: VaultDeps = browserVaultDeps(opts),
): Promise<VaultSignInResult> {
  return toLock(await authenticate(opts), deps);
}

/** Municipal sign-in (I2): the ticket from the URL fragment. */
export async function vaultTicketSignIn(opts: SessionOptions & { ticket: string }, deps: VaultDeps = browserVaultDeps(opts)): Promise<VaultSignInResult> {
  return toLock(await authenticateWithTicket(opts), deps);
}

/** Cold start: null when this device holds no vault for `userId` (show the sign-in). */
export function openVault(userId: string, session: SessionOptions, deps: VaultDeps = browserVaultDeps(session)): Promise<DeviceLock | null> {
  return openDeviceLock(userId, deps);
}
