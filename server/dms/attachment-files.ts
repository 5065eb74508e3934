// F40, F41: how an attachment is named beside the letter, pure. The filesystem DMS writes
// `bijlage-01-<safe name>.<ext>` (the place keeps names unique, the extension follows the media
// type the server sniffed, never the device's name); ZGW gets the name as the device showed it,
// with the right extension. Names come from a device: anything outside a safe alphabet is
// replaced, and nothing can leave the folder or hide (no `/`, `..`, leading dot).
import type { AttachmentMediaType } from '../../shared/model/attachments';
import type { DeliveryAttachment } from './types';

export const ATTACHMENT_EXTENSIONS: Record<AttachmentMediaType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/pdf': 'pdf',
};

/** Extensions a device may have named a file of this type with (kept, not doubled). */
const ALIASES: Record<AttachmentMediaType, readonly string[]> = {
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif', 'heic', 'heif'],
  'image/png': ['png'],
  'application/pdf': ['pdf'],
};

/** The name without the extension a file of its type may carry (`Foto 1.JPG` → `Foto 1`). */
function stem(name: string, mediaType: AttachmentMediaType): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return name;
  return ALIASES[mediaType].includes(name.slice(dot + 1).toLowerCase()) ? name.slice(0, dot) : name;
}

/** At most 60 safe characters: letters, digits, dot, dash, underscore; never empty, no `..`. */
function safeStem(value: string): string {
  const cleaned = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/\.{2,}/g, '.')
    .replace(/^[._]+|[._]+$/g, '')
    .slice(0, 60)
    .replace(/[._]+$/g, '');
  return cleaned.length === 0 ? 'bijlage' : cleaned;
}

/** F40: `bijlage-01-Foto_3_december_14.05.jpg` for the first attachment. */
export function attachmentFileName(index: number, attachment: Pick<DeliveryAttachment, 'name' | 'mediaType'>): string {
  const number = String(index + 1).padStart(2, '0');
  return `bijlage-${number}-${safeStem(stem(attachment.name, attachment.mediaType))}.${ATTACHMENT_EXTENSIONS[attachment.mediaType]}`;
}

/** F46: the name the DMS shows: the device's name (at most 255 characters) ending in the type's extension. */
export function attachmentDisplayName(attachment: Pick<DeliveryAttachment, 'name' | 'mediaType'>): string {
  const ext = ATTACHMENT_EXTENSIONS[attachment.mediaType];
  const base = stem(attachment.name, attachment.mediaType).trim() || 'bijlage';
  return `${base.slice(0, 255 - ext.length - 1)}.${ext}`;
}

/** The attachment's title: its caption, else its name (at most 200 characters, as ZGW's `titel`). */
export function attachmentTitle(attachment: Pick<DeliveryAttachment, 'name' | 'caption'>): string {
  const caption = attachment.caption.trim();
  return (caption === '' ? attachment.name : caption).slice(0, 200);
}
