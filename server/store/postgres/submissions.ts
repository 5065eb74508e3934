// Submissions, reviews, decisions, dispatches, identificaties and the outbox on PostgreSQL
// (W2, W4, J1, J2, J9, O1–O4). Owner: issue 15 (DB10–DB19). SKELETON: being written.
import type { DeliveryCounts, SubmissionStore, TeamDelivery } from '../types';
import type { Pool, Queryable } from './pool';

export interface PostgresSubmissions {
  store: SubmissionStore;
  /** Inside a caller's transaction (`client`): makes the document's pending deliveries due at `at`. */
  rescheduleDeliveries: (client: Queryable, docId: string, at: number) => Promise<void>;
  /** The back office's outbox view (Store's last block). */
  view: {
    listTeamDeliveries(teamId: string, limit: number): Promise<TeamDelivery[]>;
    countDeliveries(): Promise<DeliveryCounts>;
  };
}

export function createPostgresSubmissions(pool: Pool): PostgresSubmissions {
  void pool;
  // Construction must not throw (the store assembles itself from this); each call rejects.
  const todo = (): Promise<never> => Promise.reject(new Error('TODO(issue 15): PostgreSQL submissions are not written yet'));
  return {
    store: {
      latestSubmissionVersion: todo,
      reserveIdentificatie: todo,
      commitSubmission: todo,
      listSubmissions: todo,
      commitReview: todo,
      listReviews: todo,
      getSubmission: todo,
      claimDueDeliveries: todo,
      recordDelivered: todo,
      hastenRetries: todo,
      recordDeliveryFailure: todo,
      recordDeliveryLock: todo,
      getDecision: todo,
      listDecisions: todo,
      commitDispatch: todo,
    },
    rescheduleDeliveries: todo,
    view: { listTeamDeliveries: todo, countDeliveries: todo },
  };
}
