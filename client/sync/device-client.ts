// The device vault's questions to the server (issue 13): is this device still active (asked by a
// locked device, so no bearer token: the status token from sign-in is its proof), and the previous
// device's recovery key after "PIN vergeten" and a new sign-in (asked with the new device's token).
import type { DeviceStatus } from '../vault/types';
import { apiUrl, postJson, type FetchLike, type TokenSource } from './auth-client';
import { DeviceRecoveryResponseSchema, DeviceStatusResponseSchema } from '../../shared/protocol/device';

const defaultFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

/** What a device needs to ask about itself; `DeviceKeys` has both. */
export interface DeviceIdentity {
  deviceId: string;
  statusToken: string;
}

/**
 * `POST /api/auth/device-status`. Offline, a 5xx, a 429 or an answer that does not parse is
 * `unknown` (no contact: the grace period keeps running). `active` counts as contact on the server.
 */
export async function checkDeviceStatus(
  serverUrl: string,
  device: DeviceIdentity,
  fetchImpl: FetchLike = defaultFetch,
): Promise<DeviceStatus> {
  let res: Response;
  try {
    res = await postJson(fetchImpl, apiUrl(serverUrl, '/api/auth/device-status'), {
      deviceId: device.deviceId,
      statusToken: device.statusToken,
    });
  } catch {
    return { state: 'unknown' };
  }
  if (!res.ok) return { state: 'unknown' };
  const parsed = DeviceStatusResponseSchema.safeParse(await res.json().catch(() => null));
  return parsed.success ? parsed.data : { state: 'unknown' };
}

export type RecoveryResult =
  | { ok: true; recoveryKey: string }
  /**
   * `refused`: the server will not give this key (another user's device, an unknown id, or one
   * revoked as lost: wipe-now). `signed-out`: the new device's token is refused even after a refresh.
   * `network`: offline or a server error; try again later.
   */
  | { ok: false; reason: 'refused' | 'signed-out' | 'network' };

/**
 * `POST /api/auth/device-recovery {previousDeviceId}` with the NEW device's bearer token. On
 * success the server revokes the previous device: ask once, keep the key until the vault rewrapped.
 */
export async function fetchRecoveryKey(
  serverUrl: string,
  tokens: TokenSource,
  previousDeviceId: string,
  fetchImpl: FetchLike = defaultFetch,
): Promise<RecoveryResult> {
  const attempt = async (): Promise<Response | 'no-token' | 'network'> => {
    const token = tokens.accessToken();
    if (token === null) return 'no-token';
    try {
      return await postJson(fetchImpl, apiUrl(serverUrl, '/api/auth/device-recovery'), { previousDeviceId }, { authorization: `Bearer ${token}` });
    } catch {
      return 'network';
    }
  };
  let res = await attempt();
  if (res === 'no-token' || (res !== 'network' && res.status === 401)) {
    const refreshed = await tokens.refresh();
    if (refreshed === 'revoked') return { ok: false, reason: 'signed-out' };
    if (refreshed === 'network') return { ok: false, reason: 'network' };
    res = await attempt();
  }
  if (res === 'network') return { ok: false, reason: 'network' };
  if (res === 'no-token' || res.status === 401) return { ok: false, reason: 'signed-out' };
  if (res.status === 403 || res.status === 404 || res.status === 410) return { ok: false, reason: 'refused' };
  if (!res.ok) return { ok: false, reason: 'network' };
  const parsed = DeviceRecoveryResponseSchema.safeParse(await res.json().catch(() => null));
  return parsed.success ? { ok: true, recoveryKey: parsed.data.recoveryKey } : { ok: false, reason: 'network' };
}

/**
 * K28: `POST /api/auth/device-replaced {previousDeviceId}` with the NEW device's bearer token, after
 * the vault was rewrapped for the new device keys: the server revokes the previous id and forgets
 * its recovery key. True once the server confirmed (204, or 404: nothing of it left to retire).
 */
export async function reportReplacedDevice(
  serverUrl: string,
  tokens: TokenSource,
  previousDeviceId: string,
  fetchImpl: FetchLike = defaultFetch,
): Promise<boolean> {
  const token = tokens.accessToken();
  if (token === null) return false;
  try {
    const res = await postJson(fetchImpl, apiUrl(serverUrl, '/api/auth/device-replaced'), { previousDeviceId }, { authorization: `Bearer ${token}` });
    return res.status === 204 || res.status === 404;
  } catch {
    return false;
  }
}
