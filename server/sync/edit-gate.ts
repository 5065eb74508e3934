// V1: whether a document room takes content edits. The `documents` row is the truth: its status
// is recorded here whenever a row is read or changed (room load, every `documentChanged`), and a
// submit holds the gate closed from before it reads the committed content until its commit.
// CL21: a change made through another process reaches here over the revocation bus (app.ts);
// that is news, not the guard: across processes the store refuses what slips past (CL26–CL28).
import type { WorkflowStatus } from '../../shared/model/index-entry';
import { acceptsEdits } from '../../shared/model/status';
import { CloseReason } from '../../shared/protocol/messages';

export type EditRefusal = typeof CloseReason.documentFrozen | typeof CloseReason.submitInProgress;

export class EditGate {
  private readonly statuses = new Map<string, WorkflowStatus>();
  private readonly holds = new Map<string, number>();
  /** E4: discarded concepts take no edits (their sockets are closed; this covers one that slipped in). */
  private readonly discarded = new Set<string>();

  /** The row's status as just read or written, and whether the concept is discarded (E4). */
  setStatus(docId: string, status: WorkflowStatus, discarded = false): void {
    this.statuses.set(docId, status);
    if (discarded) this.discarded.add(docId);
    else this.discarded.delete(docId);
  }

  /** CL21: whether this process holds a status for the document (its room is loaded here). */
  tracks(docId: string): boolean {
    return this.statuses.has(docId);
  }

  /** A room left memory: the next load reads the row again. */
  forget(docId: string): void {
    if (!this.holds.has(docId)) {
      this.statuses.delete(docId);
      this.discarded.delete(docId);
    }
  }

  /** Closes the gate while a submit freezes the document; call the result once, always. */
  hold(docId: string): () => void {
    this.holds.set(docId, (this.holds.get(docId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.holds.get(docId) ?? 1) - 1;
      if (left > 0) this.holds.set(docId, left);
      else this.holds.delete(docId);
    };
  }

  /** Null when an edit may be applied now; otherwise why not. */
  refusal(docId: string): EditRefusal | null {
    const status = this.statuses.get(docId);
    if (status !== undefined && !acceptsEdits(status)) return CloseReason.documentFrozen;
    if (this.discarded.has(docId)) return CloseReason.documentFrozen;
    if (this.holds.has(docId)) return CloseReason.submitInProgress;
    return null;
  }
}
