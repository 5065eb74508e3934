// V1: whether a document room takes content edits. The `documents` row is the truth: its status
// is recorded here whenever a row is read or changed (room load, every `documentChanged`), and a
// submit holds the gate closed from before it reads the committed content until its commit.
// CL21: a change made through another process reaches here over the revocation bus (app.ts);
// that is news, not the guard: across processes the store refuses what slips past (CL26–CL28).
// CL29: a submit on another process holds this gate too (`holdFromElsewhere`), for at most its
// lease, so devices editing here do not keep moving the content that submit is reading.
import type { WorkflowStatus } from '../../shared/model/index-entry';
import { acceptsEdits } from '../../shared/model/status';
import { CloseReason } from '../../shared/protocol/messages';

export type EditRefusal = typeof CloseReason.documentFrozen | typeof CloseReason.submitInProgress;

/** CL29: how long a hold from another process lasts unless released first (its process may die). */
export const SUBMIT_HOLD_LEASE_MS = 60_000;

export class EditGate {
  private readonly statuses = new Map<string, WorkflowStatus>();
  private readonly holds = new Map<string, number>();
  /** CL29: holds of submits on other processes: document → hold id → until (this clock). */
  private readonly holdsElsewhere = new Map<string, Map<string, number>>();
  /** CL29: hold ids released already, until their lease would have ended: a late duplicate of the hold stays released. */
  private readonly releasedElsewhere = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}
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

  /**
   * CL29: a submit on another process holds the document (its `submit-hold` message). The hold
   * ends with its release or after `SUBMIT_HOLD_LEASE_MS`, whichever comes first; a hold whose
   * release came first (messages may arrive twice or late) is ignored.
   */
  holdFromElsewhere(docId: string, holdId: string): void {
    const at = this.now();
    this.dropExpired(at);
    if (this.releasedElsewhere.has(holdId)) return;
    let holds = this.holdsElsewhere.get(docId);
    if (holds === undefined) this.holdsElsewhere.set(docId, (holds = new Map<string, number>()));
    holds.set(holdId, at + SUBMIT_HOLD_LEASE_MS);
  }

  /** CL29: the submit on another process ended (stored, refused or failed). */
  releaseFromElsewhere(docId: string, holdId: string): void {
    const at = this.now();
    this.dropExpired(at);
    this.releasedElsewhere.set(holdId, at + SUBMIT_HOLD_LEASE_MS);
    const holds = this.holdsElsewhere.get(docId);
    holds?.delete(holdId);
    if (holds?.size === 0) this.holdsElsewhere.delete(docId);
  }

  /** Null when an edit may be applied now; otherwise why not. */
  refusal(docId: string): EditRefusal | null {
    const status = this.statuses.get(docId);
    if (status !== undefined && !acceptsEdits(status)) return CloseReason.documentFrozen;
    if (this.discarded.has(docId)) return CloseReason.documentFrozen;
    if (this.holds.has(docId)) return CloseReason.submitInProgress;
    if (this.heldElsewhere(docId)) return CloseReason.submitInProgress;
    return null;
  }

  private heldElsewhere(docId: string): boolean {
    const holds = this.holdsElsewhere.get(docId);
    if (holds === undefined) return false;
    const at = this.now();
    for (const [holdId, until] of holds) if (until <= at) holds.delete(holdId);
    if (holds.size === 0) this.holdsElsewhere.delete(docId);
    return holds.size > 0;
  }

  private dropExpired(at: number): void {
    for (const [holdId, until] of this.releasedElsewhere) if (until <= at) this.releasedElsewhere.delete(holdId);
    for (const docId of [...this.holdsElsewhere.keys()]) this.heldElsewhere(docId);
  }
}
