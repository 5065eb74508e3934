// The vault's key handling on WebCrypto only (issue 13): a key-encryption key (KEK) from the PIN
// with PBKDF2-SHA256, a random AES-GCM-256 data key wrapped twice (by the PIN's KEK and by the
// server's per-device recovery key), and the AES-GCM `Codec` that encrypts every stored row.
// The data key is extractable only for the moments it is wrapped; the key the app keeps is not.
import { LocalStoreError, type Codec } from '../store/local-store';

/**
 * PBKDF2-SHA256 iterations for a new vault. Stored per vault (`VaultRecord.iterations`), so a
 * later, higher figure applies to new PINs while existing vaults keep opening. Chosen by the
 * bench's KDF rows (README, device section): OWASP's 600 000 for PBKDF2-SHA256.
 */
export const PBKDF2_ITERATIONS = 600_000;
/** A stored vault with fewer iterations than this is refused as tampered. */
export const MIN_PBKDF2_ITERATIONS = 1_000;
export const SALT_BYTES = 16;
export const IV_BYTES = 12;
/** First byte of every sealed blob: lets a later format (another cipher, longer IV) coexist. */
export const CODEC_VERSION = 1;

const WRAP_VERSION = 1;
const textEncoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const c = globalThis.crypto as Crypto | undefined;
  if (c?.subtle === undefined) throw new Error('WebCrypto is not available (needs a secure context)');
  return c.subtle;
}

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** Copies into a fresh ArrayBuffer-backed array, as WebCrypto's `BufferSource` wants. */
function buf(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.byteLength);
  out.set(bytes);
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The PIN's KEK: PBKDF2-SHA256 → AES-GCM-256, usable only to wrap and unwrap, never exported. */
export async function derivePinKey(pin: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  if (!Number.isInteger(iterations) || iterations < MIN_PBKDF2_ITERATIONS) throw new Error('iterations too low');
  const s = subtle();
  const material = await s.importKey('raw', textEncoder.encode(pin), 'PBKDF2', false, ['deriveKey']);
  return s.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: buf(salt), iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

/** The server's recovery key (`DeviceKeys.recoveryKey`, base64url of 32 bytes) as a wrapping key. */
export async function importRecoveryKey(recoveryKey: string): Promise<CryptoKey> {
  const raw = fromBase64Url(recoveryKey);
  if (raw.byteLength !== 32) throw new Error('recovery key must be 32 bytes');
  return subtle().importKey('raw', raw, { name: 'AES-GCM' }, false, ['wrapKey', 'unwrapKey']);
}

/** A fresh data key, extractable so it can be wrapped; hand it to `sealDataKey` and drop it. */
export function generateDataKey(): Promise<CryptoKey> {
  return subtle().generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
}

/**
 * Which wrapping a blob is, and for which vault: the AAD of the wrap, so a PIN-wrapped key cannot
 * be passed off as the recovery-wrapped one or moved to another user's vault.
 */
export type WrapContext = { slot: 'pin' | 'recovery'; userId: string };

const wrapAad = (ctx: WrapContext): Uint8Array<ArrayBuffer> =>
  textEncoder.encode(`keukentafel/vault/v${WRAP_VERSION}/wrap/${ctx.slot}/${ctx.userId}`);

/** `[version][iv 12][AES-GCM(raw data key) + tag]`. */
export async function wrapDataKey(dataKey: CryptoKey, wrappingKey: CryptoKey, ctx: WrapContext): Promise<Uint8Array> {
  const iv = randomBytes(IV_BYTES);
  const wrapped = new Uint8Array(
    await subtle().wrapKey('raw', dataKey, wrappingKey, { name: 'AES-GCM', iv, additionalData: wrapAad(ctx) }),
  );
  const out = new Uint8Array(1 + IV_BYTES + wrapped.byteLength);
  out[0] = WRAP_VERSION;
  out.set(iv, 1);
  out.set(wrapped, 1 + IV_BYTES);
  return out;
}

/** Thrown when a wrapped key does not open: wrong PIN, wrong recovery key, or a tampered blob. */
export class UnwrapError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('the key does not open this vault', options);
    this.name = 'UnwrapError';
  }
}

/**
 * Opens a wrapped data key. `extractable` only to rewrap it at once (new PIN, new recovery key);
 * the key the app keeps for its codec is non-extractable.
 */
export async function unwrapDataKey(
  wrapped: Uint8Array,
  wrappingKey: CryptoKey,
  ctx: WrapContext,
  { extractable = false }: { extractable?: boolean } = {},
): Promise<CryptoKey> {
  if (wrapped.byteLength < 1 + IV_BYTES + 16 || wrapped[0] !== WRAP_VERSION) throw new UnwrapError();
  try {
    return await subtle().unwrapKey(
      'raw',
      buf(wrapped.subarray(1 + IV_BYTES)),
      wrappingKey,
      { name: 'AES-GCM', iv: buf(wrapped.subarray(1, 1 + IV_BYTES)), additionalData: wrapAad(ctx) },
      { name: 'AES-GCM', length: 256 },
      extractable,
      ['encrypt', 'decrypt'],
    );
  } catch (cause) {
    throw new UnwrapError({ cause });
  }
}

/** Binds ciphertext to what it is (`updates/<docId>`, `settings/<key>` …); see `Codec.bind`. */
const codecAad = (purpose: string): Uint8Array<ArrayBuffer> =>
  textEncoder.encode(`keukentafel/store/v${CODEC_VERSION}/${purpose}`);

/**
 * AES-GCM codec for stored rows: `[version][iv 12][ciphertext + 16-byte tag]`, a random 96-bit IV
 * per record (at 2^32 records per key the collision odds stay below NIST's 2^-32 bound; a device
 * writes far fewer). `bind(purpose)` gives a codec whose AAD names the table and row key, so a row
 * copied to another table or document fails to decode. A failed decode (tampered, wrong key,
 * wrong purpose) throws `LocalStoreError('storage-failed')`, never garbage.
 */
export function createAesGcmCodec(key: CryptoKey, purpose = ''): Codec {
  const aad = codecAad(purpose);
  return {
    async encode(bytes) {
      const iv = randomBytes(IV_BYTES);
      const sealed = new Uint8Array(
        await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, buf(bytes)),
      );
      const out = new Uint8Array(1 + IV_BYTES + sealed.byteLength);
      out[0] = CODEC_VERSION;
      out.set(iv, 1);
      out.set(sealed, 1 + IV_BYTES);
      return out;
    },
    async decode(bytes) {
      if (bytes.byteLength < 1 + IV_BYTES + 16 || bytes[0] !== CODEC_VERSION) {
        throw new LocalStoreError('storage-failed', { cause: new Error('not a sealed record') });
      }
      try {
        const plain = await subtle().decrypt(
          { name: 'AES-GCM', iv: buf(bytes.subarray(1, 1 + IV_BYTES)), additionalData: aad },
          key,
          buf(bytes.subarray(1 + IV_BYTES)),
        );
        return new Uint8Array(plain);
      } catch (cause) {
        throw new LocalStoreError('storage-failed', { cause });
      }
    },
    bind(subPurpose) {
      return createAesGcmCodec(key, purpose === '' ? subPurpose : `${purpose}/${subPurpose}`);
    },
  };
}

/** What `sealDataKey` returns: both wrappings, and the data key as the app may keep it. */
export interface SealedDataKey {
  salt: Uint8Array;
  iterations: number;
  pinWrapped: Uint8Array;
  recoveryWrapped: Uint8Array;
  /** Non-extractable. */
  dataKey: CryptoKey;
}

/**
 * Wraps an (extractable) data key under a new PIN and a recovery key, then returns a
 * non-extractable copy for use: the extractable one should be dropped by the caller.
 */
export async function sealDataKey(
  extractableKey: CryptoKey,
  pin: string,
  recoveryKey: string,
  userId: string,
  iterations = PBKDF2_ITERATIONS,
): Promise<SealedDataKey> {
  const salt = randomBytes(SALT_BYTES);
  const kek = await derivePinKey(pin, salt, iterations);
  const rk = await importRecoveryKey(recoveryKey);
  const pinWrapped = await wrapDataKey(extractableKey, kek, { slot: 'pin', userId });
  const recoveryWrapped = await wrapDataKey(extractableKey, rk, { slot: 'recovery', userId });
  const dataKey = await unwrapDataKey(pinWrapped, kek, { slot: 'pin', userId });
  return { salt, iterations, pinWrapped, recoveryWrapped, dataKey };
}
