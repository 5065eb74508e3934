// E5: the housekeeping that deletes discarded concepts once their retention period is over: the
// document row, its updates and its attachments, with an audit entry each. A document with any
// submission is never deleted (E6), also if one were marked discarded: the store re-checks it in
// the purge transaction, and the attachments of such a document are not touched either.
import { SERVER_ACTOR, type AuditRecorder } from '../audit/recorder';
import type { DraftStore, SubmissionStore } from '../store/types';

/**
 * The attachment store's part (attach-server's `deleteAttachments(docId)`): removes every blob of
 * a document; idempotent. `noAttachments` stands in where no attachment store is wired.
 */
export interface AttachmentPurger {
  /** Resolves when the blobs are gone (attach-server's store answers how many it deleted). */
  deleteAttachments(docId: string): Promise<unknown>;
}

export const noAttachments: AttachmentPurger = { deleteAttachments: () => Promise.resolve() };

/**
 * The store's own `deleteAttachments` when it has one (attach-server's `AttachmentStore`), else
 * none: the purge picks up the attachment store as soon as it is merged, without a change here.
 */
export function attachmentPurgerOf(store: object): AttachmentPurger {
  const candidate = store as Partial<AttachmentPurger>;
  if (typeof candidate.deleteAttachments !== 'function') return noAttachments;
  return { deleteAttachments: (docId) => (candidate as AttachmentPurger).deleteAttachments(docId) };
}

export interface DraftPurgeDeps {
  store: DraftStore & Pick<SubmissionStore, 'latestSubmissionVersion'>;
  attachments: AttachmentPurger;
  audit: Pick<AuditRecorder, 'record'>;
  retentionMs: number;
  now: () => number;
  /** Rows looked at per run; the next run takes the rest. */
  batch?: number;
  onError: (error: unknown, context: string) => void;
}

/** The server itself acts: no user, device or address. */
const HOUSEKEEPING_ACTOR = SERVER_ACTOR;

/** One pass: returns the ids purged. A failure on one document is reported and the next goes on. */
export async function purgeExpiredDrafts(deps: DraftPurgeDeps): Promise<string[]> {
  const before = deps.now() - deps.retentionMs;
  const rows = await deps.store.listPurgeable(before, deps.batch ?? 100);
  const purged: string[] = [];
  for (const row of rows) {
    try {
      if ((await deps.store.latestSubmissionVersion(row.id)) > 0) continue;
      // Blobs first: a crash after them leaves a row the next run purges again, never orphaned blobs.
      await deps.attachments.deleteAttachments(row.id);
      if ((await deps.store.purgeDocument(row.id, before)) !== 'purged') continue;
      purged.push(row.id);
      await deps.audit.record(HOUSEKEEPING_ACTOR, {
        action: 'document-purged',
        documentId: row.id,
        details: { discardedAt: row.discardedAt ?? null },
      });
    } catch (error) {
      deps.onError(error, `purge ${row.id}`);
    }
  }
  return purged;
}

/** Runs `purgeExpiredDrafts` now and every `intervalMs`; the returned function stops it. */
export function startDraftHousekeeping(deps: DraftPurgeDeps, intervalMs: number): () => void {
  let running: Promise<unknown> | null = null;
  const run = (): void => {
    if (running !== null) return;
    running = purgeExpiredDrafts(deps)
      .catch((error: unknown) => deps.onError(error, 'draft housekeeping'))
      .finally(() => {
        running = null;
      });
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
