// Sign-in policy: login with rate limiting (per account and address, or per device proof: G1),
// refresh-token rotation with reuse detection (a used token presented again revokes its device),
// and access-token checks that look up the device and user on every call so a revocation takes
// effect at once.
import { randomUUID } from 'node:crypto';
import type { AccountStore, DeviceReport, DeviceWipe, Role, UserRow } from '../store/types';
import { newDeviceSecrets } from '../devices/keys';
import { defaultDeviceSettings, type LockPolicySettings } from '../devices/settings';
import { deviceStanding } from '../devices/standing';
import { issueDeviceProof, verifyDeviceProof } from './device-proof';
import { hashPassword, verifyPassword } from './passwords';
import { createLoginRateLimiter } from './rate-limit';
import type { LoginLimits, LoginRateLimiter } from './rate-limit';
import {
  DEFAULT_ACCESS_TTL_SECONDS,
  DEFAULT_REFRESH_TTL_SECONDS,
  hashRefreshToken,
  loadSigningSecret,
  newRefreshToken,
  signAccessToken,
  verifyAccessTokenSignature,
} from './tokens';
import type { AccessClaims } from './tokens';

export type { AccessClaims } from './tokens';

export interface AuthUser {
  id: string;
  name: string;
  roles: Role[];
  teamId: string;
  /** J4: printed under the name when this official signs; only when set. */
  functionTitle?: string;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  user: AuthUser;
  /** The device the pair is bound to (server side only: the audit trail names it, U5). */
  deviceId: string;
}

/** K20: what a new device gets for its vault (`DeviceKeys` of client/vault/types.ts). */
export interface IssuedDeviceKeys {
  deviceId: string;
  statusToken: string;
  recoveryKey: string;
  lockPolicy: LockPolicySettings;
}

export type LoginResult =
  | ({ ok: true; deviceProof: string; device: IssuedDeviceKeys } & TokenPair)
  /** `userId`: the account the name belongs to, if any (server side only: the audit trail, U5). */
  | { ok: false; reason: 'invalid-credentials'; userId: string | null }
  /** I8: LOCAL_LOGIN=off. */
  | { ok: false; reason: 'local-login-off' }
  | { ok: false; reason: 'rate-limited'; retryAfterSeconds: number };

export type RefreshFailure =
  | 'refresh-token-invalid'
  | 'refresh-token-expired'
  | 'refresh-token-reused'
  | 'device-revoked'
  | 'user-disabled'
  /** I5: the device signed in at the municipality's IdP, and the IdP now refuses that sign-in. */
  | 'idp-refused';

export type RefreshResult =
  | ({ ok: true } & TokenPair)
  /** `revokedDeviceId`: a reused token revoked this device now; whatever it has open must end. */
  /**
   * `wipe` (K23): the device is revoked and an admin or SCIM chose what happens to its unsent
   * work (or its drain ran out); absent when nobody chose, and the device keeps it (D1).
   */
  | { ok: false; reason: RefreshFailure; revokedDeviceId?: string; wipe?: DeviceWipe };

export interface LoginInput {
  username: string;
  password: string;
  deviceName?: string | undefined;
  /** The client's address (request.ip; believed from X-Forwarded-For only behind TRUST_PROXY). */
  address: string;
  /** The proof from this device's last successful sign-in, if it kept one. */
  deviceProof?: string | undefined;
  /** B6: app version and storage persistence as the app reports them. */
  report?: DeviceReport | undefined;
}

export type VerifyResult = { ok: true; claims: AccessClaims } | { ok: false; reason: 'token-expired' | 'token-invalid' };

/** K24: a token check that also admits a draining device; its claims say so. */
export type DrainVerifyResult =
  | { ok: true; claims: AccessClaims & { draining: boolean } }
  | { ok: false; reason: 'token-expired' | 'token-invalid' };

export interface AuthService {
  login(input: LoginInput): Promise<LoginResult>;
  /** `report` (B6): the app version and storage persistence the device gives now. */
  refresh(refreshToken: string, report?: DeviceReport): Promise<RefreshResult>;
  /**
   * Sign-out: the device of this refresh token is revoked, so its access tokens stop working at
   * once and its refresh token can never be used again. Unknown tokens are ignored (idempotent).
   * Resolves to the revoked device's id, null for an unknown token or a device already revoked
   * (a second sign-out revokes nothing new: U5 records one sign-out).
   */
  logout(refreshToken: string): Promise<string | null>;
  verifyAccessToken(token: string): Promise<VerifyResult>;
  /**
   * K24: as `verifyAccessToken`, but a device revoked with send-then-wipe passes within its drain
   * period (its user may be deactivated) with `draining: true`. Only the routes that carry a
   * device's own unsent work use it (sync, queued actions); every other route refuses such a token.
   */
  verifyAccessTokenForDrain(token: string): Promise<DrainVerifyResult>;
  /**
   * I3: a device for `user`, signed in by someone else than a password (the IdP), with its first
   * token pair; as login does after the password check. Refuses (null) a disabled user.
   */
  signInDevice(userId: string, deviceName: string | undefined): Promise<(TokenPair & { deviceId: string; device: IssuedDeviceKeys }) | null>;
}

/** I5: asked on every refresh before a new pair is issued; false ends the device's sign-in. */
export type RefreshCheck = (device: { id: string; userId: string }) => Promise<boolean>;

export interface AuthServiceOptions {
  store: AccountStore;
  /** Milliseconds since the epoch. */
  now: () => number;
  accessTtlSeconds?: number;
  refreshTtlSeconds?: number;
  newId?: () => string;
  rateLimiter?: LoginRateLimiter;
  loginLimits?: Partial<LoginLimits>;
  /** I5: the IdP's say on devices signed in through it. */
  refreshCheck?: RefreshCheck;
  /** I8: LOCAL_LOGIN=off: every username and password is refused. */
  localLogin?: boolean;
  /** K21: sent to every new device with its keys. */
  lockPolicy?: LockPolicySettings;
  /** K24: DEVICE_DRAIN_DAYS. */
  drainDays?: number;
}

const DEFAULT_DEVICE_NAME = 'unnamed device';

export function createAuthService(options: AuthServiceOptions): AuthService {
  const { store, now, newId = randomUUID } = options;
  const accessTtl = options.accessTtlSeconds ?? DEFAULT_ACCESS_TTL_SECONDS;
  const refreshTtl = options.refreshTtlSeconds ?? DEFAULT_REFRESH_TTL_SECONDS;
  const limiter = options.rateLimiter ?? createLoginRateLimiter({ now, limits: options.loginLimits });
  const lockPolicy = options.lockPolicy ?? defaultDeviceSettings.lockPolicy;
  const drainDays = options.drainDays ?? defaultDeviceSettings.drainDays;

  /** K20: a new device row with its vault's secrets; the status token and recovery key go to the device once. */
  async function createDeviceWithKeys(row: { id: string; userId: string; name: string; at: number; report?: DeviceReport | undefined }): Promise<IssuedDeviceKeys> {
    const secrets = newDeviceSecrets();
    await store.createDevice({
      id: row.id,
      userId: row.userId,
      name: row.name,
      createdAt: row.at,
      lastSeenAt: row.at,
      revokedAt: null,
      appVersion: row.report?.appVersion ?? null,
      storagePersisted: row.report?.storagePersisted ?? null,
      statusTokenHash: secrets.statusTokenHash,
      recoveryKey: secrets.recoveryKey,
    });
    return { deviceId: row.id, statusToken: secrets.statusToken, recoveryKey: secrets.recoveryKey, lockPolicy: { ...lockPolicy } };
  }

  // The secret never changes while running; one load, shared by concurrent first callers.
  let secret: Promise<Uint8Array> | undefined;
  const signingSecret = (): Promise<Uint8Array> => {
    secret ??= loadSigningSecret(store).catch((error: unknown) => {
      secret = undefined;
      throw error;
    });
    return secret;
  };
  // Unknown usernames are checked against this hash, so they take as long as wrong passwords.
  let dummyHash: Promise<string> | undefined;
  const timingDummy = (): Promise<string> => (dummyHash ??= hashPassword(randomUUID()));

  async function issuePair(user: UserRow, deviceId: string): Promise<TokenPair> {
    const t = now();
    const accessToken = await signAccessToken(
      await signingSecret(),
      { userId: user.id, teamId: user.teamId, roles: user.roles, deviceId },
      t,
      accessTtl,
    );
    const refresh = newRefreshToken();
    await store.saveRefreshToken({
      hash: refresh.hash,
      userId: user.id,
      deviceId,
      expiresAt: t + refreshTtl * 1000,
      usedAt: null,
    });
    return { accessToken, refreshToken: refresh.token, user: publicUser(user), deviceId };
  }

  return {
    async login({ username, password, deviceName, address, deviceProof, report }) {
      if (options.localLogin === false) return { ok: false, reason: 'local-login-off' };
      const proofId = deviceProof === undefined ? null : await verifyDeviceProof(await signingSecret(), deviceProof, username, now());
      const start = await limiter.begin({ username, address, proofId });
      if (!start.ok) return { ok: false, reason: 'rate-limited', retryAfterSeconds: start.retryAfterSeconds };

      const user = await store.findUserByUsername(username);
      // C5: an account without a local password (provisioned over SCIM) is checked against the
      // dummy too: no password opens it, and it takes as long as a wrong one.
      const stored = user?.passwordHash.startsWith('scrypt$') ? user.passwordHash : await timingDummy();
      const valid = await verifyPassword(password, stored);
      if (!user || user.disabled || !valid) return { ok: false, reason: 'invalid-credentials', userId: user?.id ?? null };
      await limiter.succeeded(start.attempt);

      const t = now();
      const deviceId = newId();
      const device = await createDeviceWithKeys({ id: deviceId, userId: user.id, name: deviceName?.trim() || DEFAULT_DEVICE_NAME, at: t, report });
      // A fresh proof on every success (OWASP): the device keeps only the newest.
      const proof = await issueDeviceProof(await signingSecret(), username, t);
      return { ok: true, ...(await issuePair(user, deviceId)), deviceProof: proof, device };
    },

    async refresh(refreshToken, report) {
      const t = now();
      const row = await store.useRefreshToken(hashRefreshToken(refreshToken), t);
      if (!row) return { ok: false, reason: 'refresh-token-invalid' };
      if (row.usedAt !== null) {
        // Rotation means a token is presented once. Twice means a copy exists somewhere: the
        // device's whole token family is no longer trustworthy.
        // Only a revocation made now is reported: sockets and the audit trail heard of an earlier one.
        const revokedNow = await store.revokeDevice(row.deviceId, t);
        return revokedNow ? { ok: false, reason: 'refresh-token-reused', revokedDeviceId: row.deviceId } : { ok: false, reason: 'refresh-token-reused' };
      }
      if (row.expiresAt <= t) return { ok: false, reason: 'refresh-token-expired' };
      const device = await store.getDevice(row.deviceId);
      if (!device || device.userId !== row.userId) return { ok: false, reason: 'device-revoked' };
      const standing = deviceStanding(device, t, drainDays);
      if (standing.kind === 'revoked') {
        return standing.chosen ? { ok: false, reason: 'device-revoked', wipe: standing.wipe } : { ok: false, reason: 'device-revoked' };
      }
      // K24: a draining device was let go by an admin or SCIM already: the IdP is not asked, and a
      // deactivated user's device may still send what it has.
      if (standing.kind === 'active' && options.refreshCheck !== undefined && !(await options.refreshCheck(device))) {
        await store.revokeDevice(device.id, t);
        return { ok: false, reason: 'idp-refused', revokedDeviceId: device.id };
      }
      const user = await store.getUser(row.userId);
      if (!user || (user.disabled && standing.kind === 'active')) return { ok: false, reason: 'user-disabled' };
      await store.touchDevice(device.id, t, report);
      return { ok: true, ...(await issuePair(user, device.id)) };
    },

    async logout(refreshToken) {
      const t = now();
      // Using the token (rather than only reading it) also makes a copy of it worthless.
      const row = await store.useRefreshToken(hashRefreshToken(refreshToken), t);
      if (!row) return null;
      if (await store.revokeDevice(row.deviceId, t)) return row.deviceId;
      // K24: a draining device that signs out has sent what it had: its drain ends now.
      const device = await store.getDevice(row.deviceId);
      if (device !== null && deviceStanding(device, t, drainDays).kind === 'draining') {
        await store.setDeviceWipe(device.id, 'wipe-now');
        return device.id;
      }
      return null;
    },

    async signInDevice(userId, deviceName) {
      const user = await store.getUser(userId);
      if (!user || user.disabled) return null;
      const t = now();
      const deviceId = newId();
      const device = await createDeviceWithKeys({ id: deviceId, userId, name: deviceName?.trim() || DEFAULT_DEVICE_NAME, at: t });
      return { ...(await issuePair(user, deviceId)), deviceId, device };
    },

    async verifyAccessToken(token) {
      const checked = await verifyAccessTokenSignature(await signingSecret(), token, now());
      if (!checked.ok) return checked;
      const { userId, deviceId } = checked.claims;
      const [user, device] = await Promise.all([store.getUser(userId), store.getDevice(deviceId)]);
      if (!user || user.disabled || !device || device.revokedAt !== null || device.userId !== userId) {
        return { ok: false, reason: 'token-invalid' };
      }
      // Team and roles come from the row, not the token: a changed role applies at once.
      return { ok: true, claims: { userId, teamId: user.teamId, roles: [...user.roles], deviceId } };
    },

    async verifyAccessTokenForDrain(token) {
      const checked = await verifyAccessTokenSignature(await signingSecret(), token, now());
      if (!checked.ok) return checked;
      const { userId, deviceId } = checked.claims;
      const [user, device] = await Promise.all([store.getUser(userId), store.getDevice(deviceId)]);
      if (!user || !device || device.userId !== userId) return { ok: false, reason: 'token-invalid' };
      const standing = deviceStanding(device, now(), drainDays);
      if (standing.kind === 'revoked' || (standing.kind === 'active' && user.disabled)) return { ok: false, reason: 'token-invalid' };
      return { ok: true, claims: { userId, teamId: user.teamId, roles: [...user.roles], deviceId, draining: standing.kind === 'draining' } };
    },
  };
}

function publicUser(user: UserRow): AuthUser {
  return {
    id: user.id,
    name: user.name,
    roles: [...user.roles],
    teamId: user.teamId,
    ...(user.functionTitle == null ? {} : { functionTitle: user.functionTitle }),
  };
}
