// Y10: Web Push message encryption, RFC 8291 with the aes128gcm content coding of RFC 8188: a
// fresh P-256 key pair and salt per message, the key from ECDH with the browser's key and its
// auth secret, one record. Only the browser that subscribed can read the payload; the push
// service (Google, Mozilla, Apple) sees bytes.
import { createCipheriv, createECDH, hkdfSync, randomBytes } from 'node:crypto';

const RECORD_SIZE = 4096;

export interface PushKeys {
  /** The browser's P-256 public key, uncompressed (65 bytes). */
  p256dh: Uint8Array;
  /** The browser's auth secret (16 bytes). */
  auth: Uint8Array;
}

function hkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, length));
}

/** The request body for the push service: header (salt, record size, our public key) + one record. */
export function encryptPushPayload(
  plaintext: Uint8Array,
  keys: PushKeys,
  random: { salt?: Uint8Array; ecdh?: ReturnType<typeof createECDH> } = {},
): Buffer {
  if (keys.p256dh.length !== 65 || keys.p256dh[0] !== 0x04) throw new Error('p256dh is not an uncompressed P-256 key');
  if (keys.auth.length < 16) throw new Error('auth secret shorter than 16 bytes');
  // One record: the plaintext, the delimiter 0x02 and the 16-byte tag must fit in it.
  if (plaintext.length + 1 + 16 > RECORD_SIZE) throw new Error('push payload too large');
  const ecdh = random.ecdh ?? createECDH('prime256v1');
  if (random.ecdh === undefined) ecdh.generateKeys();
  const asPublic = ecdh.getPublicKey();
  const shared = ecdh.computeSecret(keys.p256dh);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), keys.p256dh, asPublic]);
  const ikm = hkdf(shared, keys.auth, keyInfo, 32);
  const salt = random.salt ?? randomBytes(16);
  const cek = hkdf(ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16);
  const nonce = hkdf(ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12);
  const cipher = createCipheriv('aes-128-gcm', cek, nonce);
  const body = Buffer.concat([cipher.update(Buffer.concat([plaintext, Buffer.from([0x02])])), cipher.final(), cipher.getAuthTag()]);
  const header = Buffer.alloc(16 + 4 + 1);
  Buffer.from(salt).copy(header, 0);
  header.writeUInt32BE(RECORD_SIZE, 16);
  header.writeUInt8(asPublic.length, 20);
  return Buffer.concat([header, asPublic, body]);
}
