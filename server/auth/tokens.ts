// Token formats: short-lived HS256 access JWTs (jose) signed with a secret kept in the store's
// settings, and opaque refresh tokens of which only the SHA-256 is stored. No policy here
// (rotation, revocation): that is auth-service.ts.
import { createHash, randomBytes } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { AccountStore, Role } from '../store/types';

export const TOKEN_ISSUER = 'keukentafel';
export const SECRET_SETTING = 'auth.secret';
export const DEFAULT_ACCESS_TTL_SECONDS = 15 * 60;
export const DEFAULT_REFRESH_TTL_SECONDS = 30 * 24 * 60 * 60;

export interface AccessClaims {
  userId: string;
  teamId: string;
  roles: Role[];
  deviceId: string;
}

export type AccessTokenCheck =
  | { ok: true; claims: AccessClaims }
  | { ok: false; reason: 'token-expired' | 'token-invalid' };

const RoleSchema = z.enum(['field', 'office', 'approver', 'admin']);
const PayloadSchema = z.object({
  sub: z.string().min(1),
  team: z.string().min(1),
  roles: z.array(RoleSchema),
  dev: z.string().min(1),
});

/**
 * The signing secret, created on first use (32 random bytes, base64url). CL24: claimed
 * insert-if-absent, so processes starting at once on an empty shared database all sign with the
 * same secret (each writing its own would make one process's tokens invalid on the others).
 */
export async function loadSigningSecret(store: Pick<AccountStore, 'getSetting' | 'claimSetting'>): Promise<Uint8Array> {
  let encoded = await store.getSetting(SECRET_SETTING);
  encoded ??= await store.claimSetting(SECRET_SETTING, randomBytes(32).toString('base64url'));
  const secret = Buffer.from(encoded, 'base64url');
  if (secret.length < 32) throw new Error(`setting ${SECRET_SETTING} holds fewer than 32 bytes`);
  return new Uint8Array(secret);
}

export async function signAccessToken(
  secret: Uint8Array,
  claims: AccessClaims,
  nowMs: number,
  ttlSeconds: number,
): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({ team: claims.teamId, roles: claims.roles, dev: claims.deviceId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(TOKEN_ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(secret);
}

/** Checks signature, issuer and expiry against `nowMs`; says nothing about revocation. */
export async function verifyAccessTokenSignature(
  secret: Uint8Array,
  token: string,
  nowMs: number,
): Promise<AccessTokenCheck> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      issuer: TOKEN_ISSUER,
      requiredClaims: ['exp', 'iat', 'sub'],
      currentDate: new Date(nowMs),
    });
    const parsed = PayloadSchema.safeParse(payload);
    if (!parsed.success) return { ok: false, reason: 'token-invalid' };
    const { sub, team, roles, dev } = parsed.data;
    return { ok: true, claims: { userId: sub, teamId: team, roles, deviceId: dev } };
  } catch (error) {
    // Anything else a client can send (garbage, wrong key, alg none) is simply not a token of ours.
    return { ok: false, reason: error instanceof errors.JWTExpired ? 'token-expired' : 'token-invalid' };
  }
}

/** A new opaque refresh token and the hash to store for it. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
