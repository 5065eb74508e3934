// The vault's WebCrypto pieces on Node's WebCrypto: the codec's round trip and tamper detection,
// the AAD that binds a row to its purpose, and the two wrappings of the data key.
import { describe, expect, it } from 'vitest';
import {
  createAesGcmCodec,
  derivePinKey,
  fromBase64Url,
  generateDataKey,
  importRecoveryKey,
  randomBytes,
  sealDataKey,
  toBase64Url,
  unwrapDataKey,
  UnwrapError,
  wrapDataKey,
} from '../../../client/vault/crypto';
import { codecFor, LocalStoreError } from '../../../client/store/local-store';

const FAST = 1_000;
const recoveryKey = (): string => toBase64Url(randomBytes(32));

async function useKey(): Promise<CryptoKey> {
  const extractable = await generateDataKey();
  return (await sealDataKey(extractable, '482915', recoveryKey(), 'u1', FAST)).dataKey;
}

describe('vault crypto', () => {
  it('[K1] the AES-GCM codec round-trips bytes and never writes them in the clear', async () => {
    const codec = createAesGcmCodec(await useKey());
    const plain = new TextEncoder().encode('BSN 123456782 Jansen');
    const sealed = await codec.encode(plain);
    expect(sealed[0]).toBe(1);
    expect(Buffer.from(sealed).includes(Buffer.from(plain))).toBe(false);
    expect(await codec.decode(sealed)).toEqual(plain);
    // A random IV per record: the same bytes never give the same ciphertext.
    expect(await codec.encode(plain)).not.toEqual(sealed);
  });

  it('[K1] a flipped byte anywhere in a record is a LocalStoreError, not garbage', async () => {
    const codec = createAesGcmCodec(await useKey());
    const sealed = await codec.encode(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    for (let i = 0; i < sealed.length; i++) {
      const bad = new Uint8Array(sealed);
      bad[i] = bad[i]! ^ 0x01;
      await expect(codec.decode(bad)).rejects.toBeInstanceOf(LocalStoreError);
    }
    await expect(codec.decode(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(LocalStoreError);
  });

  it('[K2] a record bound to one purpose does not decode as another (rows cannot be swapped)', async () => {
    const codec = createAesGcmCodec(await useKey());
    const sealed = await codecFor(codec, 'updates/doc-a').encode(new Uint8Array([9, 9]));
    expect(await codecFor(codec, 'updates/doc-a').decode(sealed)).toEqual(new Uint8Array([9, 9]));
    await expect(codecFor(codec, 'updates/doc-b').decode(sealed)).rejects.toBeInstanceOf(LocalStoreError);
    await expect(codecFor(codec, 'settings/doc-a').decode(sealed)).rejects.toBeInstanceOf(LocalStoreError);
    await expect(codec.decode(sealed)).rejects.toBeInstanceOf(LocalStoreError);
  });

  it('[K3] the data key opens with the PIN or the recovery key only, and the kept key is non-extractable', async () => {
    const rk = recoveryKey();
    const sealed = await sealDataKey(await generateDataKey(), '482915', rk, 'u1', FAST);
    expect(sealed.dataKey.extractable).toBe(false);
    const codec = createAesGcmCodec(sealed.dataKey);
    const row = await codec.encode(new Uint8Array([42]));

    const byPin = await unwrapDataKey(sealed.pinWrapped, await derivePinKey('482915', sealed.salt, FAST), { slot: 'pin', userId: 'u1' });
    expect(byPin.extractable).toBe(false);
    expect(await createAesGcmCodec(byPin).decode(row)).toEqual(new Uint8Array([42]));
    const byRecovery = await unwrapDataKey(sealed.recoveryWrapped, await importRecoveryKey(rk), { slot: 'recovery', userId: 'u1' });
    expect(await createAesGcmCodec(byRecovery).decode(row)).toEqual(new Uint8Array([42]));

    const wrongPin = await derivePinKey('482916', sealed.salt, FAST);
    await expect(unwrapDataKey(sealed.pinWrapped, wrongPin, { slot: 'pin', userId: 'u1' })).rejects.toBeInstanceOf(UnwrapError);
    await expect(unwrapDataKey(sealed.recoveryWrapped, await importRecoveryKey(recoveryKey()), { slot: 'recovery', userId: 'u1' })).rejects.toBeInstanceOf(UnwrapError);
    // The wrap is bound to its slot and user.
    const pinKek = await derivePinKey('482915', sealed.salt, FAST);
    await expect(unwrapDataKey(sealed.pinWrapped, pinKek, { slot: 'pin', userId: 'u2' })).rejects.toBeInstanceOf(UnwrapError);
    await expect(crypto.subtle.exportKey('raw', sealed.dataKey)).rejects.toThrow();
  });

  it('[K3] a rewrap under a new recovery key needs the old wrapping, not an extractable kept key', async () => {
    const sealed = await sealDataKey(await generateDataKey(), '482915', recoveryKey(), 'u1', FAST);
    const kek = await derivePinKey('482915', sealed.salt, FAST);
    const transient = await unwrapDataKey(sealed.pinWrapped, kek, { slot: 'pin', userId: 'u1' }, { extractable: true });
    const rk2 = recoveryKey();
    const rewrapped = await wrapDataKey(transient, await importRecoveryKey(rk2), { slot: 'recovery', userId: 'u1' });
    const reopened = await unwrapDataKey(rewrapped, await importRecoveryKey(rk2), { slot: 'recovery', userId: 'u1' });
    const row = await createAesGcmCodec(sealed.dataKey).encode(new Uint8Array([7]));
    expect(await createAesGcmCodec(reopened).decode(row)).toEqual(new Uint8Array([7]));
  });

  it('base64url round-trips and refuses other alphabets', () => {
    const raw = randomBytes(32);
    expect(fromBase64Url(toBase64Url(raw))).toEqual(raw);
    expect(() => fromBase64Url('a+b/')).toThrow();
  });
});
