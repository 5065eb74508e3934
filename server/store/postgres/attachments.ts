// Attachment blobs on PostgreSQL (F1–F8), same semantics as sqlite/attachments.ts. Owner:
// issue 15 (DB20–DB29). SKELETON: being written.
import type { AttachmentStore } from '../types';
import type { Pool } from './pool';

export function createPostgresAttachments(pool: Pool): AttachmentStore {
  void pool;
  // Construction must not throw (the store assembles itself from this); each call rejects.
  const todo = (): Promise<never> => Promise.reject(new Error('TODO(issue 15): PostgreSQL attachment store is not written yet'));
  return {
    declareAttachment: todo,
    getAttachment: todo,
    listAttachments: todo,
    appendAttachmentChunk: todo,
    resetAttachment: todo,
    readAttachmentBytes: todo,
    deleteAttachments: todo,
  };
}
