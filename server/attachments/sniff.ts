// F3: an attachment's type by its content, never by its name or the type the device claims:
// JPEG starts FF D8 FF, PNG with its 8-byte signature, PDF with `%PDF-`.
import type { AttachmentMediaType } from '../../shared/model/attachments';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d];

/** Bytes a sniff needs to decide (the PNG signature's length). */
export const SNIFF_BYTES = PNG.length;

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean =>
  bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

export function sniffMediaType(bytes: Uint8Array): AttachmentMediaType | null {
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, PNG)) return 'image/png';
  if (startsWith(bytes, PDF)) return 'application/pdf';
  return null;
}
