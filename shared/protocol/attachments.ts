// HTTP bodies of the attachment upload (issue 14), typed once for client and server. An upload is
// resumable: the device declares the attachment, then sends its bytes in chunks at the offset the
// server names; the server acknowledges (`complete: true`) only after the whole blob is stored
// durably, its SHA-256 matches and its content is of the declared type (sniffed, not by name).
//
//   POST  /api/documents/:id/attachments            AttachmentDeclareSchema → AttachmentStatus (201/200)
//   PATCH /api/documents/:id/attachments/:aid       body: application/offset+octet-stream,
//                                                    header `Upload-Offset: <n>` → AttachmentStatus
//                                                    (409 with AttachmentStatus when the offset is not
//                                                    the server's `received`; the device resumes there)
//   GET   /api/documents/:id/attachments/:aid/status → AttachmentStatus (404: not declared)
//   GET   /api/documents/:id/attachments/:aid        → the bytes (complete only; bearer or ?ticket=)
//   GET   /api/attachment-policy                     → AttachmentPolicy
//
// Declaring the same id again with the same size and sha256 is a no-op that answers the current
// status (a device that lost the answer may declare again); with other values it is 409.
import * as z from 'zod/mini';
import { ATTACHMENT_MEDIA_TYPES, MAX_ATTACHMENT_NAME } from '../model/attachments';

export const UPLOAD_OFFSET_HEADER = 'upload-offset';
export const ATTACHMENT_CHUNK_CONTENT_TYPE = 'application/offset+octet-stream';

export const AttachmentDeclareSchema = z.object({
  attachmentId: z.string().check(z.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)),
  name: z.string().check(z.minLength(1), z.maxLength(MAX_ATTACHMENT_NAME)),
  mediaType: z.enum(ATTACHMENT_MEDIA_TYPES),
  size: z.number().check(z.int(), z.positive()),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});
export type AttachmentDeclare = z.infer<typeof AttachmentDeclareSchema>;

export const AttachmentStatusSchema = z.object({
  attachmentId: z.string(),
  size: z.number(),
  /** Bytes the server holds durably; the next chunk starts here. */
  received: z.number(),
  /** True once the blob is stored, hashed and checked: the device may call it acknowledged. */
  complete: z.boolean(),
});
export type AttachmentStatus = z.infer<typeof AttachmentStatusSchema>;

/** Limits the server enforces (named settings `ATTACHMENT_*`); the device checks them first. */
export const AttachmentPolicySchema = z.object({
  maxBytes: z.number(),
  maxPerDocument: z.number(),
  maxChunkBytes: z.number(),
  mediaTypes: z.array(z.enum(ATTACHMENT_MEDIA_TYPES)),
  /** Long side in pixels a photo is resized to on the device (default 2000). */
  imageLongSide: z.number(),
});
export type AttachmentPolicy = z.infer<typeof AttachmentPolicySchema>;

/** Why an attachment was refused; each has a Dutch message in the client. */
export const AttachmentRefusal = {
  tooLarge: 'attachment-too-large',
  tooMany: 'too-many-attachments',
  wrongType: 'attachment-wrong-type',
  hashMismatch: 'attachment-hash-mismatch',
  conflict: 'attachment-conflict',
  frozen: 'document-frozen',
  notFound: 'attachment-not-found',
} as const;
export type AttachmentRefusal = (typeof AttachmentRefusal)[keyof typeof AttachmentRefusal];

export const AttachmentErrorSchema = z.object({
  error: z.enum(Object.values(AttachmentRefusal) as [AttachmentRefusal, ...AttachmentRefusal[]]),
  message: z.optional(z.string()),
});
