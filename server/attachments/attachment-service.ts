// F1–F8, F10–F12: the server side of an attachment's resumable upload. A device declares the
// attachment (name, type, size, SHA-256), sends its bytes in chunks at the offset the server names,
// and may ask how far it got at any time (after a cut, a reload, a server restart). The upload is
// acknowledged (`complete: true`) only in the answer to the chunk whose transaction stored the last
// bytes, after the whole blob's SHA-256 and its content type (sniffed) were checked. Only a concept
// takes new attachments or bytes. Routes only parse and write what this decides.
import { createHash } from 'node:crypto';
import { acceptsEdits } from '../../shared/model/status';
import type { AttachmentDeclare, AttachmentPolicy, AttachmentStatus } from '../../shared/protocol/attachments';
import { AttachmentRefusal } from '../../shared/protocol/attachments';
import { ATTACHMENT_MEDIA_TYPES } from '../../shared/model/attachments';
import type { AttachmentRow, AttachmentStore, DocumentRow, DocumentStore } from '../store/types';
import type { UploadQuota } from '../limits/upload-quota';
import type { AuditActor } from '../audit/recorder';
import type { AttachmentSettings } from './settings';
import { SNIFF_BYTES, sniffMediaType } from './sniff';

export interface Caller {
  userId: string;
  teamId: string;
  /** Who asked, on which device, from where: named on the audit entry (F17). */
  actor?: AuditActor;
}

export interface AttachmentServiceDeps {
  store: Pick<DocumentStore, 'getDocument'> & AttachmentStore;
  settings: AttachmentSettings;
  quota: UploadQuota;
  /** Ids the document's committed Y.Doc lists now (F12's count); null when it cannot be read now. */
  listedIds: (docId: string) => Promise<readonly string[] | null>;
  now: () => number;
  /** F17: an upload was stored whole, by the chunk `caller` sent. */
  onStored?: (row: AttachmentRow, caller: Caller) => void | Promise<void>;
}

/** A decision with its HTTP status: the route writes `body` as JSON. */
export type Outcome = { httpStatus: number; body: unknown };

export type BytesOutcome = { ok: true; row: AttachmentRow; bytes: Uint8Array } | { ok: false; outcome: Outcome };

const notFound: Outcome = { httpStatus: 404, body: { error: 'not-found' } };

/** Stored rows per document (removed ones included) past which declaring stops: churn is bounded too. */
const STORED_ROWS_FACTOR = 3;

export const attachmentPolicy = (s: AttachmentSettings): AttachmentPolicy => ({
  maxBytes: s.maxBytes,
  maxPerDocument: s.maxPerDocument,
  maxChunkBytes: s.chunkBytes,
  mediaTypes: [...ATTACHMENT_MEDIA_TYPES],
  imageLongSide: s.imageLongSide,
});

export const statusOf = (row: AttachmentRow): AttachmentStatus => ({
  attachmentId: row.id,
  size: row.size,
  received: row.received,
  complete: row.completedAt !== null,
});

function refusal(httpStatus: number, error: AttachmentRefusal, message: string): Outcome {
  return { httpStatus, body: { error, message } };
}

const mb = (bytes: number): string => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

export function createAttachmentService(deps: AttachmentServiceDeps) {
  const { store, settings } = deps;
  // One chunk at a time per attachment in this process; across processes the store's
  // compare-and-set on `received` decides.
  const busy = new Set<string>();

  const teamDocument = async (caller: Caller, docId: string): Promise<DocumentRow | null> => {
    const row = await store.getDocument(docId);
    return row === null || row.teamId !== caller.teamId ? null : row;
  };
  const frozen = (): Outcome =>
    refusal(409, AttachmentRefusal.frozen, 'Dit document is ingediend: bijlagen kunnen alleen bij een concept worden toegevoegd of gewijzigd.');

  return {
    policy: (): AttachmentPolicy => attachmentPolicy(settings),

    /** F1: declares an attachment, or answers its status when declared before with the same values. */
    async declare(caller: Caller, docId: string, body: AttachmentDeclare): Promise<Outcome> {
      const doc = await teamDocument(caller, docId);
      if (doc === null) return notFound;
      const existing = await store.getAttachment(docId, body.attachmentId);
      if (existing !== null) {
        if (existing.size !== body.size || existing.sha256 !== body.sha256 || existing.mediaType !== body.mediaType) {
          return refusal(409, AttachmentRefusal.conflict, 'Deze bijlage is eerder met andere inhoud aangemeld.');
        }
        return { httpStatus: 200, body: statusOf(existing) };
      }
      if (!acceptsEdits(doc.status)) return frozen();
      if (body.size > settings.maxBytes) {
        return refusal(413, AttachmentRefusal.tooLarge, `Bijlage ‘${body.name}’ is te groot (${mb(body.size)}); het maximum is ${mb(settings.maxBytes)}.`);
      }
      const stored = await store.listAttachments(docId);
      const listed = await deps.listedIds(docId);
      const counted = new Set([...(listed ?? stored.map((r) => r.id)), body.attachmentId]);
      if (counted.size > settings.maxPerDocument || stored.length >= settings.maxPerDocument * STORED_ROWS_FACTOR) {
        return refusal(409, AttachmentRefusal.tooMany, `Een document kan ten hoogste ${settings.maxPerDocument} bijlagen hebben.`);
      }
      const row = await store.declareAttachment({
        docId,
        id: body.attachmentId,
        name: body.name,
        mediaType: body.mediaType,
        size: body.size,
        sha256: body.sha256,
        declaredBy: caller.userId,
        declaredAt: deps.now(),
        received: 0,
        completedAt: null,
      });
      // Two devices declared the same id at once: the first one's values are kept.
      if (row.size !== body.size || row.sha256 !== body.sha256 || row.mediaType !== body.mediaType) {
        return refusal(409, AttachmentRefusal.conflict, 'Deze bijlage is eerder met andere inhoud aangemeld.');
      }
      return { httpStatus: 201, body: statusOf(row) };
    },

    /** F2: how far the upload got (after a cut or a restart the device resumes at `received`). */
    async status(caller: Caller, docId: string, attachmentId: string): Promise<Outcome> {
      if ((await teamDocument(caller, docId)) === null) return notFound;
      const row = await store.getAttachment(docId, attachmentId);
      return row === null ? refusal(404, AttachmentRefusal.notFound, 'Deze bijlage is niet aangemeld.') : { httpStatus: 200, body: statusOf(row) };
    },

    /** F2–F6: one chunk at `offset`; the last one completes the upload when hash and type check out. */
    async chunk(caller: Caller, docId: string, attachmentId: string, offset: number, bytes: Uint8Array): Promise<Outcome> {
      const doc = await teamDocument(caller, docId);
      if (doc === null) return notFound;
      const key = `${docId}/${attachmentId}`;
      if (busy.has(key)) {
        const row = await store.getAttachment(docId, attachmentId);
        return row === null ? notFound : { httpStatus: 409, body: statusOf(row) };
      }
      busy.add(key);
      try {
        return await chunkOnce(caller, doc, attachmentId, offset, bytes);
      } finally {
        busy.delete(key);
      }
    },

    /** F7: the stored bytes of a complete attachment, for the document's team only. */
    async bytes(caller: Caller, docId: string, attachmentId: string): Promise<BytesOutcome> {
      if ((await teamDocument(caller, docId)) === null) return { ok: false, outcome: notFound };
      const row = await store.getAttachment(docId, attachmentId);
      if (row === null || row.completedAt === null) return { ok: false, outcome: refusal(404, AttachmentRefusal.notFound, 'Deze bijlage is (nog) niet op de server.') };
      const bytes = await store.readAttachmentBytes(docId, attachmentId);
      if (bytes === null) return { ok: false, outcome: notFound };
      return { ok: true, row, bytes };
    },
  };

  async function chunkOnce(caller: Caller, doc: DocumentRow, attachmentId: string, offset: number, bytes: Uint8Array): Promise<Outcome> {
    const row = await store.getAttachment(doc.id, attachmentId);
    if (row === null) return refusal(404, AttachmentRefusal.notFound, 'Deze bijlage is niet aangemeld.');
    // A device that lost the last answer sends again: the upload is done, nothing to do.
    if (row.completedAt !== null) return { httpStatus: 200, body: statusOf(row) };
    if (!acceptsEdits(doc.status)) return frozen();
    if (offset !== row.received) return { httpStatus: 409, body: statusOf(row) };
    if (bytes.length === 0 || offset + bytes.length > row.size) {
      return refusal(413, AttachmentRefusal.tooLarge, 'Dit deel gaat voorbij de aangemelde grootte van de bijlage.');
    }
    // F3: the first chunk shows the type at once; the whole blob is checked again below.
    if (offset === 0 && bytes.length >= SNIFF_BYTES && sniffMediaType(bytes) !== row.mediaType) return wrongType(row);
    if (!deps.quota.take(caller.userId, bytes.length)) {
      return { httpStatus: 429, body: { error: 'upload-quota', message: 'U heeft vandaag het maximum aan bijlagen verzonden. Ze blijven op dit apparaat en gaan later verder.' } };
    }
    const last = offset + bytes.length === row.size;
    if (last) {
      const sofar = await store.readAttachmentBytes(doc.id, attachmentId);
      if (sofar === null) return notFound;
      const whole = new Uint8Array(row.size);
      whole.set(sofar.subarray(0, offset), 0);
      whole.set(bytes, offset);
      // F4: the whole blob's hash, then its type by content (F3); a failure starts the upload over.
      if (createHash('sha256').update(whole).digest('hex') !== row.sha256) {
        await store.resetAttachment(doc.id, attachmentId);
        return refusal(422, AttachmentRefusal.hashMismatch, `Bijlage ‘${row.name}’ is onderweg beschadigd geraakt; ze wordt opnieuw verzonden.`);
      }
      if (sniffMediaType(whole) !== row.mediaType) {
        await store.resetAttachment(doc.id, attachmentId);
        return wrongType(row);
      }
    }
    // F5: `complete` only from the transaction that stored the last bytes.
    const result = await store.appendAttachmentChunk(doc.id, attachmentId, offset, bytes, last ? deps.now() : null);
    if (!result.stored) {
      deps.quota.giveBack(caller.userId, bytes.length);
      return result.row === null ? notFound : { httpStatus: result.row.completedAt === null ? 409 : 200, body: statusOf(result.row) };
    }
    if (last) await deps.onStored?.(result.row, caller);
    return { httpStatus: 200, body: statusOf(result.row) };
  }
}

function wrongType(row: AttachmentRow): Outcome {
  return refusal(
    415,
    AttachmentRefusal.wrongType,
    `Bijlage ‘${row.name}’ is geen ${row.mediaType === 'application/pdf' ? 'PDF' : row.mediaType === 'image/png' ? 'PNG-afbeelding' : 'JPEG-foto'}: alleen PDF, JPEG en PNG worden aangenomen.`,
  );
}

export type AttachmentService = ReturnType<typeof createAttachmentService>;
