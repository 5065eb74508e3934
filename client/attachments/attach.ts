// F23/F24: one picked file or photo into the document: prepared (prepare.ts), the count checked,
// its bytes and upload state kept on the device (encrypted) BEFORE the Y.Doc lists it, so a
// listed attachment of this device always has its bytes here. Then the upload queue sends it.
import type * as Y from 'yjs';
import { addAttachment, readAttachments, type AttachmentRef } from '../../shared/model/attachments';
import type { ImageReencoder } from './image';
import { deviceMessages } from './messages';
import { prepareAttachment, type PickedFile } from './prepare';
import type { UploadQueue } from './upload-queue';

export type AttachResult = { ok: true; ref: AttachmentRef } | { ok: false; message: string };

export async function attachFile(opts: {
  doc: Y.Doc;
  docId: string;
  file: PickedFile;
  uploads: UploadQueue;
  images: ImageReencoder;
  userId: string;
  now?: () => number;
  newId?: () => string;
}): Promise<AttachResult> {
  const now = opts.now ?? Date.now;
  const policy = opts.uploads.policy();
  if (readAttachments(opts.doc).length >= policy.maxPerDocument) return { ok: false, message: deviceMessages.tooMany(policy.maxPerDocument) };
  const prepared = await prepareAttachment(opts.file, policy, opts.images, now());
  if (!prepared.ok) return prepared;
  const id = (opts.newId ?? (() => crypto.randomUUID()))();
  const ref: AttachmentRef = {
    id,
    name: uniqueName(prepared.name, readAttachments(opts.doc).map((a) => a.name)),
    mediaType: prepared.mediaType,
    size: prepared.bytes.length,
    sha256: prepared.sha256,
    caption: '',
    addedBy: opts.userId,
    addedAt: now(),
  };
  try {
    await opts.uploads.add({ docId: opts.docId, id, name: ref.name, mediaType: ref.mediaType, size: ref.size, sha256: ref.sha256 }, prepared.bytes);
  } catch {
    return { ok: false, message: deviceMessages.storage(ref.name) };
  }
  addAttachment(opts.doc, ref);
  return { ok: true, ref };
}

/** Two photos in the same minute get the same name: the second becomes "… (2).jpg". */
export function uniqueName(name: string, taken: readonly string[]): string {
  if (!taken.includes(name)) return name;
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let n = 2; ; n++) {
    const next = `${stem} (${n})${ext}`;
    if (!taken.includes(next)) return next;
  }
}
