// Device proofs (G1, OWASP's "device cookie"): after a successful sign-in the server gives the
// device a signed proof naming the account; a later sign-in that carries it is throttled on that
// proof alone. HS256 with the tokens' secret, audience `device-proof`: never an access token.
import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { TOKEN_ISSUER } from './tokens';

export const DEVICE_PROOF_AUDIENCE = 'device-proof';
export const DEFAULT_DEVICE_PROOF_TTL_SECONDS = 365 * 24 * 60 * 60;

const accountOf = (username: string): string => username.trim().toLowerCase();

export async function issueDeviceProof(secret: Uint8Array, username: string, nowMs: number, ttlSeconds = DEFAULT_DEVICE_PROOF_TTL_SECONDS): Promise<string> {
  const iat = Math.floor(nowMs / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'kt-device-proof' })
    .setSubject(accountOf(username))
    .setAudience(DEVICE_PROOF_AUDIENCE)
    .setIssuer(TOKEN_ISSUER)
    .setJti(randomBytes(16).toString('base64url'))
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(secret);
}

/** The proof's id when it is ours, unexpired and names this account; null for anything else. */
export async function verifyDeviceProof(secret: Uint8Array, proof: string, username: string, nowMs: number): Promise<string | null> {
  try {
    const { payload } = await jwtVerify(proof, secret, {
      algorithms: ['HS256'],
      issuer: TOKEN_ISSUER,
      audience: DEVICE_PROOF_AUDIENCE,
      typ: 'kt-device-proof',
      requiredClaims: ['exp', 'sub', 'jti'],
      currentDate: new Date(nowMs),
    });
    return payload.sub === accountOf(username) && typeof payload.jti === 'string' ? payload.jti : null;
  } catch {
    return null; // Garbage, another key, expired: the attempt is judged like any stranger's.
  }
}
