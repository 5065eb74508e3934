// What the UI shows per document and for the whole device: the status union, sync events, and
// the "12 van 40 verzonden" round. A round holds every document that needed sending since the
// last moment everything was sent, so the count only grows and finishes, never jumps back.
import type { StorageErrorReason } from '../store/doc-persistence';
import type { ConnectionStop } from './doc-connection';

/** `frozen` (V3): the server refused this device's edits because the document was submitted. */
export type SyncErrorReason = ConnectionStop | StorageErrorReason | 'frozen';

export type DocStatus =
  | { state: 'local' }
  | { state: 'sending' }
  | { state: 'saved' }
  | { state: 'error'; reason: SyncErrorReason };

export type Connectivity = 'online' | 'offline' | 'unknown';

export type SyncEvent =
  | { type: 'status'; docId: string; status: DocStatus }
  | { type: 'connectivity'; connectivity: Connectivity };

export interface SyncProgress {
  /** Documents of the current round still waiting for the server. */
  pending: number;
  sent: number;
  total: number;
}

export const sameStatus = (a: DocStatus | undefined, b: DocStatus): boolean =>
  a !== undefined && a.state === b.state && (a.state !== 'error' || (b.state === 'error' && a.reason === b.reason));

export class ProgressRound {
  private readonly round = new Set<string>();
  private readonly statuses = new Map<string, DocStatus>();

  /** Records a document's status; false when it did not change. */
  record(docId: string, status: DocStatus): boolean {
    if (sameStatus(this.statuses.get(docId), status)) return false;
    this.statuses.set(docId, status);
    if (status.state !== 'saved' && !this.round.has(docId)) {
      // A new round starts when the last one is fully sent: "3 van 3", then "0 van 1".
      if (this.pending() === 0) this.round.clear();
      this.round.add(docId);
    }
    return true;
  }

  progress(): SyncProgress {
    const pending = this.pending();
    return { pending, sent: this.round.size - pending, total: this.round.size };
  }

  private pending(): number {
    let pending = 0;
    for (const docId of this.round) if (this.statuses.get(docId)?.state !== 'saved') pending++;
    return pending;
  }
}

/** Dutch badge text for a document's status. */
export function statusLabel(status: DocStatus): string {
  switch (status.state) {
    case 'local':
      return 'Alleen op dit apparaat';
    case 'sending':
      return 'Wordt verzonden';
    case 'saved':
      return 'Opgeslagen op de server';
    case 'error':
      return errorLabels[status.reason];
  }
}

const errorLabels: Record<SyncErrorReason, string> = {
  'no-access': 'Geen toegang tot dit document',
  'signed-out': 'Log opnieuw in om te verzenden',
  'rejected-by-server': 'De server weigerde een wijziging',
  'too-large': 'Wijziging te groot voor de server',
  'storage-full': 'Opslag op dit apparaat is vol',
  'storage-failed': 'Opslaan op dit apparaat mislukt',
  frozen: 'Wijzigingen niet ingediend: bewaard op dit apparaat',
  discarded: 'Concept verwijderd',
};

/** "12 van 40 verzonden"; empty when nothing needed sending. */
export function progressLabel(progress: SyncProgress): string {
  return progress.total === 0 ? '' : `${progress.sent} van ${progress.total} verzonden`;
}
