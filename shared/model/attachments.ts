// Attachments (issue 14): photos and files that belong to a document. The Y.Doc holds only the
// list (`attachments`, a Y.Map of attachment id → AttachmentRef as a plain JSON object), so
// co-editors see captions and removals live; the bytes never enter the Y.Doc. They travel as
// blobs with their own durable, resumable upload (`shared/protocol/attachments.ts`) and are
// frozen with the submission. Reads are defensive: a document came from a device.
import type * as Y from 'yjs';

/** Name of the top-level Y.Map (listed in DOCUMENT_ROOTS as a map). */
export const ATTACHMENTS_ROOT = 'attachments';

/** Media types an attachment may have after the device converted it (HEIC becomes JPEG). */
export const ATTACHMENT_MEDIA_TYPES = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type AttachmentMediaType = (typeof ATTACHMENT_MEDIA_TYPES)[number];

export const MAX_CAPTION = 500;
export const MAX_ATTACHMENT_NAME = 200;

/** One attachment as the document lists it. Replaced whole on a caption change (last writer wins). */
export interface AttachmentRef {
  /** UUID made on the device; with the document id it names the blob on the server. */
  id: string;
  /** File name as shown (the device's name, or "Foto 3 december 14.05.jpg"). */
  name: string;
  mediaType: AttachmentMediaType;
  /** Bytes after resizing on the device: exactly what is uploaded. */
  size: number;
  /** SHA-256 of the bytes, hex: the server checks it before it acknowledges. */
  sha256: string;
  caption: string;
  addedBy: string;
  addedAt: number;
}

/** What a submission freezes of each attachment (and the DMS receives beside the letter). */
export type FrozenAttachment = Pick<AttachmentRef, 'id' | 'name' | 'mediaType' | 'size' | 'sha256' | 'caption'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SHA256 = /^[0-9a-f]{64}$/;

export function isAttachmentMediaType(value: unknown): value is AttachmentMediaType {
  return typeof value === 'string' && (ATTACHMENT_MEDIA_TYPES as readonly string[]).includes(value);
}

/** One entry of the map, or null when it is not a well-formed attachment (dropped, never shown half). */
export function parseAttachmentRef(id: string, value: unknown): AttachmentRef | null {
  if (!UUID.test(id) || typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (
    v.id !== id ||
    typeof v.name !== 'string' ||
    v.name.length === 0 ||
    v.name.length > MAX_ATTACHMENT_NAME ||
    !isAttachmentMediaType(v.mediaType) ||
    typeof v.size !== 'number' ||
    !Number.isInteger(v.size) ||
    v.size <= 0 ||
    typeof v.sha256 !== 'string' ||
    !SHA256.test(v.sha256) ||
    typeof v.caption !== 'string' ||
    v.caption.length > MAX_CAPTION ||
    typeof v.addedBy !== 'string' ||
    typeof v.addedAt !== 'number'
  ) {
    return null;
  }
  return { id, name: v.name, mediaType: v.mediaType, size: v.size, sha256: v.sha256, caption: v.caption, addedBy: v.addedBy, addedAt: v.addedAt };
}

/** The document's attachments, oldest first (by `addedAt`, then id). */
export function readAttachments(doc: Y.Doc): AttachmentRef[] {
  const map = doc.getMap<unknown>(ATTACHMENTS_ROOT);
  const out: AttachmentRef[] = [];
  map.forEach((value, key) => {
    const ref = parseAttachmentRef(key, value);
    if (ref !== null) out.push(ref);
  });
  return out.sort((a, b) => a.addedAt - b.addedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function addAttachment(doc: Y.Doc, ref: AttachmentRef): void {
  doc.getMap<unknown>(ATTACHMENTS_ROOT).set(ref.id, { ...ref });
}

export function setAttachmentCaption(doc: Y.Doc, id: string, caption: string): void {
  const map = doc.getMap<unknown>(ATTACHMENTS_ROOT);
  const ref = parseAttachmentRef(id, map.get(id));
  if (ref === null) return;
  map.set(id, { ...ref, caption: caption.slice(0, MAX_CAPTION) });
}

export function removeAttachment(doc: Y.Doc, id: string): void {
  doc.getMap<unknown>(ATTACHMENTS_ROOT).delete(id);
}

export function freezeAttachment(ref: AttachmentRef): FrozenAttachment {
  return { id: ref.id, name: ref.name, mediaType: ref.mediaType, size: ref.size, sha256: ref.sha256, caption: ref.caption };
}
