// Sign-in policy: login with rate limiting (per account and address, or per device proof: G1),
// refresh-token rotation with reuse detection (a used token presented again revokes its device),
// and access-token checks that look up the device and user on every call so a revocation takes
// effect at once.
import { randomUUID } from 'node:crypto';
import type { AccountStore, DeviceReport, Role, UserRow } from '../store/types';
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

export type LoginResult =
  | ({ ok: true; deviceProof: string } & TokenPair)
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
  | { ok: false; reason: RefreshFailure; revokedDeviceId?: string };

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
   * I3: a device for `user`, signed in by someone else than a password (the IdP), with its first
   * token pair; as login does after the password check. Refuses (null) a disabled user.
   */
  signInDevice(userId: string, deviceName: string | undefined): Promise<(TokenPair & { deviceId: string }) | null>;
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
}

const DEFAULT_DEVICE_NAME = 'unnamed device';

export function createAuthService(options: AuthServiceOptions): AuthService {
  const { store, now, newId = randomUUID } = options;
  const accessTtl = options.accessTtlSeconds ?? DEFAULT_ACCESS_TTL_SECONDS;
  const refreshTtl = options.refreshTtlSeconds ?? DEFAULT_REFRESH_TTL_SECONDS;
  const limiter = options.rateLimiter ?? createLoginRateLimiter({ now, limits: options.loginLimits });

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
      const start = limiter.begin({ username, address, proofId });
      if (!start.ok) return { ok: false, reason: 'rate-limited', retryAfterSeconds: start.retryAfterSeconds };

      const user = await store.findUserByUsername(username);
      // C5: an account without a local password (provisioned over SCIM) is checked against the
      // dummy too: no password opens it, and it takes as long as a wrong one.
      const stored = user?.passwordHash.startsWith('scrypt$') ? user.passwordHash : await timingDummy();
      const valid = await verifyPassword(password, stored);
      if (!user || user.disabled || !valid) return { ok: false, reason: 'invalid-credentials', userId: user?.id ?? null };
      limiter.succeeded(start.attempt);

      const t = now();
      const deviceId = newId();
      await store.createDevice({
        id: deviceId,
        userId: user.id,
        name: deviceName?.trim() || DEFAULT_DEVICE_NAME,
        createdAt: t,
        lastSeenAt: t,
        revokedAt: null,
        appVersion: report?.appVersion ?? null,
        storagePersisted: report?.storagePersisted ?? null,
      });
      // A fresh proof on every success (OWASP): the device keeps only the newest.
      const proof = await issueDeviceProof(await signingSecret(), username, t);
      return { ok: true, ...(await issuePair(user, deviceId)), deviceProof: proof };
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
      if (!device || device.revokedAt !== null || device.userId !== row.userId) {
        return { ok: false, reason: 'device-revoked' };
      }
      if (options.refreshCheck !== undefined && !(await options.refreshCheck(device))) {
        await store.revokeDevice(device.id, t);
        return { ok: false, reason: 'idp-refused', revokedDeviceId: device.id };
      }
      const user = await store.getUser(row.userId);
      if (!user || user.disabled) return { ok: false, reason: 'user-disabled' };
      await store.touchDevice(device.id, t, report);
      return { ok: true, ...(await issuePair(user, device.id)) };
    },

    async logout(refreshToken) {
      const t = now();
      // Using the token (rather than only reading it) also makes a copy of it worthless.
      const row = await store.useRefreshToken(hashRefreshToken(refreshToken), t);
      if (!row) return null;
      return (await store.revokeDevice(row.deviceId, t)) ? row.deviceId : null;
    },

    async signInDevice(userId, deviceName) {
      const user = await store.getUser(userId);
      if (!user || user.disabled) return null;
      const t = now();
      const deviceId = newId();
      await store.createDevice({ id: deviceId, userId, name: deviceName?.trim() || DEFAULT_DEVICE_NAME, createdAt: t, lastSeenAt: t, revokedAt: null });
      return { ...(await issuePair(user, deviceId)), deviceId };
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
