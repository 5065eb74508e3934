// F22/F23: the type comes from the bytes, images go through the re-encoder with the policy's long
// side, limits are checked before anything is kept, and each refusal is a Dutch sentence.
import { describe, expect, it } from 'vitest';
import type { ImageReencoder } from '../../../client/attachments/image';
import { scaledSize } from '../../../client/attachments/image';
import { attachmentName, photoName } from '../../../client/attachments/naming';
import { prepareAttachment, sha256Hex } from '../../../client/attachments/prepare';
import { sniffMediaType } from '../../../client/attachments/sniff';
import { defaultPolicy } from '../../../client/attachments/upload-queue';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46);
const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);
const PDF = ascii('%PDF-1.7\n%âãÏÓ\n1 0 obj');
const HEIC = new Uint8Array([0, 0, 0, 0x18, ...ascii('ftypheic'), 0, 0, 0, 0, ...ascii('mif1heic')]);

/** Records its calls; "decodes" by returning a marker JPEG, or fails like Chromium on HEIC. */
function fakeImages(decodes: (type: string) => boolean = () => true): ImageReencoder & { calls: Array<[string, number, string]> } {
  const calls: Array<[string, number, string]> = [];
  return {
    calls,
    reencode(_bytes, type, longSide, output) {
      calls.push([type, longSide, output]);
      if (!decodes(type)) return Promise.reject(new Error('cannot decode'));
      return Promise.resolve(output === 'image/png' ? PNG : JPEG);
    },
  };
}

describe('sniffing', () => {
  it('[F22] knows JPEG, PNG, PDF and HEIC by their first bytes, nothing else', () => {
    expect(sniffMediaType(JPEG)).toBe('image/jpeg');
    expect(sniffMediaType(PNG)).toBe('image/png');
    expect(sniffMediaType(PDF)).toBe('application/pdf');
    expect(sniffMediaType(HEIC)).toBe('image/heic');
    expect(sniffMediaType(ascii('MZ\x90\x00'))).toBeNull();
    expect(sniffMediaType(ascii('GIF89a'))).toBeNull();
    expect(sniffMediaType(ascii('<html>%PDF-'))).toBeNull();
    expect(sniffMediaType(bytes(0xff, 0xd8))).toBeNull();
    expect(sniffMediaType(new Uint8Array())).toBeNull();
  });
});

describe('prepareAttachment', () => {
  const policy = { ...defaultPolicy, imageLongSide: 1600 };
  const now = Date.UTC(2026, 11, 3, 13, 5);

  it('[F22] a PDF renamed .jpg is kept as a PDF; an executable renamed .pdf is refused', async () => {
    const images = fakeImages();
    const pdf = await prepareAttachment({ name: 'brief.jpg', bytes: PDF, fromCamera: false }, policy, images, now);
    expect(pdf).toMatchObject({ ok: true, mediaType: 'application/pdf', name: 'brief.pdf', bytes: PDF });
    expect(images.calls).toEqual([]);
    const exe = await prepareAttachment({ name: 'factuur.pdf', bytes: ascii('MZ\x90\x00rest'), fromCamera: false }, policy, images, now);
    expect(exe).toEqual({ ok: false, message: '‘factuur.pdf’ is geen foto of PDF. Kies een JPEG-, PNG- of PDF-bestand.' });
  });

  it('[F23] photos are re-encoded at the policy long side: JPEG and HEIC to JPEG, PNG stays PNG', async () => {
    const images = fakeImages();
    const jpeg = await prepareAttachment({ name: 'IMG_0001.JPG', bytes: JPEG, fromCamera: true }, policy, images, now);
    const heic = await prepareAttachment({ name: 'IMG_0002.HEIC', bytes: HEIC, fromCamera: false }, policy, images, now);
    const png = await prepareAttachment({ name: 'scan.png', bytes: PNG, fromCamera: false }, policy, images, now);
    expect(images.calls).toEqual([
      ['image/jpeg', 1600, 'image/jpeg'],
      ['image/heic', 1600, 'image/jpeg'],
      ['image/png', 1600, 'image/png'],
    ]);
    expect(jpeg).toMatchObject({ ok: true, name: 'Foto 3 december 14.05.jpg', mediaType: 'image/jpeg' });
    expect(heic).toMatchObject({ ok: true, name: 'IMG_0002.jpg', mediaType: 'image/jpeg' });
    expect(png).toMatchObject({ ok: true, name: 'scan.png', mediaType: 'image/png' });
    if (jpeg.ok) expect(jpeg.sha256).toBe(await sha256Hex(JPEG));
  });

  it('[F23] a HEIC the browser cannot decode gets a clear Dutch message, nothing kept', async () => {
    const result = await prepareAttachment({ name: 'IMG_0002.HEIC', bytes: HEIC, fromCamera: false }, policy, fakeImages((t) => t !== 'image/heic'), now);
    expect(result).toEqual({
      ok: false,
      message: '‘IMG_0002.HEIC’ is een HEIC-foto die deze browser niet kan omzetten. Stel de camera in op ‘Meest compatibel’ (JPEG), of kies een JPEG-bestand.',
    });
  });

  it('[F23] too large after resizing, or empty, is refused with the limit named', async () => {
    const big = new Uint8Array(2048);
    big.set(PDF);
    const tooLarge = await prepareAttachment({ name: 'dik.pdf', bytes: big, fromCamera: false }, { ...policy, maxBytes: 1024 }, fakeImages(), now);
    expect(tooLarge).toEqual({ ok: false, message: '‘dik.pdf’ is te groot (2 kB); het maximum is 1 kB.' });
    const empty = await prepareAttachment({ name: 'leeg.pdf', bytes: new Uint8Array(), fromCamera: false }, policy, fakeImages(), now);
    expect(empty).toEqual({ ok: false, message: '‘leeg.pdf’ is leeg.' });
  });

  it('[F23] the long side scales down, never up; names lose paths and control characters', () => {
    expect(scaledSize(4032, 3024, 2000)).toEqual({ width: 2000, height: 1500 });
    expect(scaledSize(3024, 4032, 2000)).toEqual({ width: 1500, height: 2000 });
    expect(scaledSize(800, 600, 2000)).toEqual({ width: 800, height: 600 });
    expect(attachmentName('C:\\fakepath\\brief\u0007 van de deurwaarder.PDF', 'application/pdf', 0)).toBe('brief van de deurwaarder.pdf');
    expect(attachmentName('x'.repeat(300) + '.png', 'image/png', 0)).toHaveLength(200);
    expect(photoName(Date.UTC(2026, 6, 1, 22, 30))).toBe('Foto 2 juli 00.30.jpg');
  });
});
