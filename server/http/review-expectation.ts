// V5: two officials reviewing at once. A review names the status and version it was decided on
// (shared/protocol/review.ts); when the document has moved on since, the later one is refused
// with what the earlier one decided, so exactly one wins and the other is told who did what.
import type { WorkflowStatus } from '../../shared/model/index-entry';
import type { AlreadyDecided, ReviewExpectation } from '../../shared/protocol/review';
import type { ReviewRecord } from '../store/types';

/** True when the review was decided on something other than what the document is now. */
export function reviewIsStale(expect: ReviewExpectation | undefined, status: WorkflowStatus, latestVersion: number | null): boolean {
  if (expect === undefined) return false;
  if (expect.fromStatus !== undefined && expect.fromStatus !== status) return true;
  return expect.version !== undefined && expect.version !== latestVersion;
}

export function alreadyDecided(status: WorkflowStatus, reviews: readonly ReviewRecord[]): AlreadyDecided {
  const last = reviews[reviews.length - 1];
  return {
    error: 'already-decided',
    status,
    decided: last === undefined ? null : { kind: last.kind, byName: last.byName, at: last.at, version: last.version },
  };
}
