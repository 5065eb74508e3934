// Y8: the server's VAPID identity (RFC 8292): a P-256 key pair made on first start and kept in
// the database's settings (secret, like the token signing key; one file to back up), and the
// short-lived JWT each push request carries for its push service.
import { generateKeyPairSync } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import type { AccountStore } from '../store/types';

export const VAPID_SETTING = 'push.vapid';

export interface VapidKeys {
  /** base64url of the uncompressed public key (65 bytes): `applicationServerKey` in the browser. */
  publicKey: string;
  privateJwk: JWK;
}

function publicKeyOf(jwk: JWK): string {
  if (jwk.x === undefined || jwk.y === undefined) throw new Error('VAPID key without x/y');
  return Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]).toString('base64url');
}

function parseStored(value: string): JWK | null {
  try {
    const jwk = JSON.parse(value) as JWK;
    return jwk.kty === 'EC' && jwk.crv === 'P-256' && typeof jwk.d === 'string' && typeof jwk.x === 'string' && typeof jwk.y === 'string' ? jwk : null;
  } catch {
    return null;
  }
}

/**
 * The key pair, created and stored on first use; a stored value that does not parse stops the
 * start. CL24: claimed insert-if-absent, so processes starting at once all keep the same pair
 * (subscriptions are made against one public key).
 */
export async function loadVapidKeys(store: Pick<AccountStore, 'getSetting' | 'claimSetting'>): Promise<VapidKeys> {
  let stored = await store.getSetting(VAPID_SETTING);
  if (stored === null) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = privateKey.export({ format: 'jwk' }) as JWK;
    const fresh: JWK = { kty: 'EC', crv: 'P-256', d: jwk.d!, x: jwk.x!, y: jwk.y! };
    stored = await store.claimSetting(VAPID_SETTING, JSON.stringify(fresh));
  }
  const kept = parseStored(stored);
  if (kept === null) throw new Error(`setting ${VAPID_SETTING} does not hold a P-256 private key`);
  return { publicKey: publicKeyOf(kept), privateJwk: kept };
}

/** `Authorization: vapid t=…, k=…` for one push service (its origin is the audience). */
export async function vapidAuthorization(keys: VapidKeys, endpoint: string, contact: string, nowMs: number): Promise<string> {
  const key = await importJWK(keys.privateJwk, 'ES256');
  const jwt = await new SignJWT({})
    .setProtectedHeader({ typ: 'JWT', alg: 'ES256' })
    .setAudience(new URL(endpoint).origin)
    .setSubject(contact)
    // At most 24 h (RFC 8292); 12 h leaves room for clock skew.
    .setExpirationTime(Math.floor(nowMs / 1000) + 12 * 3600)
    .sign(key);
  return `vapid t=${jwt}, k=${keys.publicKey}`;
}
