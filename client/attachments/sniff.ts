// F22: what a file is, read from its first bytes, never from its name or the browser's guess: a
// renamed `.exe` is not a photo, and a phone's `.jpg` may well be HEIC. Pure, so the server's own
// check (by content too) and this one can be compared in tests.
import type { AttachmentMediaType } from '../../shared/model/attachments';

export type SniffedType = AttachmentMediaType | 'image/heic' | null;

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0): boolean =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** HEIF brands a camera writes (`ftyp` box at offset 4); `mif1`/`msf1` are HEIF with HEVC inside. */
const HEIF_BRANDS = ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'];

export function sniffMediaType(bytes: Uint8Array): SniffedType {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(bytes, ascii('ftyp'), 4)) {
    const brand = String.fromCharCode(...bytes.subarray(8, 12));
    if (HEIF_BRANDS.includes(brand)) return 'image/heic';
  }
  return null;
}

export const isImageType = (type: SniffedType): type is 'image/jpeg' | 'image/png' | 'image/heic' =>
  type === 'image/jpeg' || type === 'image/png' || type === 'image/heic';
