// F23: from a picked file or a camera photo to the bytes that are kept and uploaded: the type
// sniffed from the bytes (never the name), images resized to the policy's long side and re-encoded
// (HEIC becomes JPEG where the browser decodes it), PDFs kept as they are, limits checked first,
// and the SHA-256 the server will check. Refusals are Dutch messages, nothing is kept then.
import type { AttachmentMediaType } from '../../shared/model/attachments';
import type { AttachmentPolicy } from '../../shared/protocol/attachments';
import type { ImageReencoder } from './image';
import { deviceMessages } from './messages';
import { attachmentName, photoName } from './naming';
import { sniffMediaType } from './sniff';

export interface PickedFile {
  name: string;
  bytes: Uint8Array;
  /** Taken with "Foto maken": named by the time, not by the camera's file name. */
  fromCamera: boolean;
}

export type Prepared =
  | { ok: true; name: string; mediaType: AttachmentMediaType; bytes: Uint8Array; sha256: string }
  | { ok: false; message: string };

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function prepareAttachment(
  file: PickedFile,
  policy: Pick<AttachmentPolicy, 'maxBytes' | 'imageLongSide' | 'mediaTypes'>,
  images: ImageReencoder,
  now: number,
): Promise<Prepared> {
  const shown = file.name.trim() === '' ? 'Bestand' : file.name;
  if (file.bytes.length === 0) return { ok: false, message: deviceMessages.empty(shown) };
  const sniffed = sniffMediaType(file.bytes);
  if (sniffed === null) return { ok: false, message: deviceMessages.notSupported(shown) };
  let bytes = file.bytes;
  let mediaType: AttachmentMediaType;
  if (sniffed === 'application/pdf') {
    mediaType = 'application/pdf';
  } else {
    // A PNG stays PNG (screenshots and scans stay sharp); a JPEG or HEIC photo becomes JPEG.
    mediaType = sniffed === 'image/png' ? 'image/png' : 'image/jpeg';
    try {
      bytes = await images.reencode(file.bytes, sniffed, policy.imageLongSide, mediaType);
    } catch {
      return { ok: false, message: sniffed === 'image/heic' ? deviceMessages.heicUnsupported(shown) : deviceMessages.unreadable(shown) };
    }
  }
  if (!policy.mediaTypes.includes(mediaType)) return { ok: false, message: deviceMessages.notSupported(shown) };
  if (bytes.length > policy.maxBytes) return { ok: false, message: deviceMessages.tooLarge(shown, bytes.length, policy.maxBytes) };
  const name = file.fromCamera ? photoName(now) : attachmentName(file.name, mediaType, now);
  return { ok: true, name, mediaType, bytes, sha256: await sha256Hex(bytes) };
}
