// Attachment blobs on PostgreSQL (F1–F8), same semantics as sqlite/attachments.ts. Owner:
// issue 15 (DB20–DB29). SKELETON: being written.
import type { AttachmentStore } from '../types';
import type { Pool } from './pool';

export function createPostgresAttachments(pool: Pool): AttachmentStore {
  void pool;
  throw new Error('TODO(issue 15): PostgreSQL attachment store is not written yet');
}
