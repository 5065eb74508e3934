// What the sync layer needs from authentication: turn a token into claims. Kept as a port so
// `server/sync` does not depend on how tokens are made.

export interface AccessClaims {
  userId: string;
  teamId: string;
  deviceId: string;
  roles: string[];
  /** Token expiry, ms since epoch. */
  expiresAt: number;
  /** K24: the device is revoked with send-then-wipe and may only send its own unsent work. */
  draining?: boolean;
}

export interface AccessVerifier {
  verifyAccessToken(
    token: string,
  ): Promise<{ ok: true; claims: AccessClaims } | { ok: false; reason: string }>;
}
