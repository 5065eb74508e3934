// Y4–Y6: which list rows are news for whom. The four notices ("teruggestuurd", "wacht op uw
// goedkeuring", "in DMS", "levering mislukt") follow from a row's workflow status alone, so the
// app derives them from its index rooms (offline: the last known state) and the server decides
// with the same rule whom to wake with a push. Pure: no I/O, no clock.
import { WorkflowStatus, type IndexEntry } from './index-entry';

export const NoticeKind = {
  returned: 'returned',
  awaitingApproval: 'awaiting-approval',
  archived: 'in-dms',
  deliveryFailed: 'delivery-failed',
} as const;
export type NoticeKind = (typeof NoticeKind)[keyof typeof NoticeKind];

/** Who looks: the signed-in official. */
export interface NoticeReader {
  id: string;
  teamId: string;
  roles: readonly string[];
}

/** The parts of a list row (or a server's document row) the rule reads. */
export type NoticeSubject = Pick<IndexEntry, 'status' | 'createdBy' | 'teamId'> & Partial<Pick<IndexEntry, 'returned' | 'submittedBy'>>;

/** The notice a row stands for now, whoever reads it; null for a plain concept or one on its way. */
export function noticeKindOf(subject: Pick<NoticeSubject, 'status' | 'returned'>): NoticeKind | null {
  switch (subject.status) {
    case WorkflowStatus.concept:
      return subject.returned === undefined ? null : NoticeKind.returned;
    case WorkflowStatus.awaitingApproval:
      return NoticeKind.awaitingApproval;
    case WorkflowStatus.archived:
      return NoticeKind.archived;
    case WorkflowStatus.deliveryFailed:
      return NoticeKind.deliveryFailed;
    default:
      return null;
  }
}

/**
 * Y5: whether `kind` about `subject` concerns `reader`.
 * - returned: the author (it is theirs to correct);
 * - awaiting approval: an approver of the team who did not submit it (four eyes: the submitter
 *   cannot approve; without `submittedBy`, from an older server, the author counts as submitter);
 * - in DMS: the author and the submitter;
 * - delivery failed: the author, the submitter, and the team's office (who can retry it).
 */
export function noticeConcerns(kind: NoticeKind, subject: NoticeSubject, reader: NoticeReader): boolean {
  if (subject.teamId !== reader.teamId) return false;
  const author = subject.createdBy === reader.id;
  const submitter = (subject.submittedBy ?? subject.createdBy) === reader.id;
  switch (kind) {
    case NoticeKind.returned:
      return author;
    case NoticeKind.awaitingApproval:
      return reader.roles.includes('approver') && !submitter;
    case NoticeKind.archived:
      return author || submitter;
    case NoticeKind.deliveryFailed:
      return author || submitter || reader.roles.includes('office');
  }
}

/** The rooms a reader's notices come from: their own list, and the team's when a notice there can concern them. */
export function readsTeamNotices(reader: Pick<NoticeReader, 'roles'>): boolean {
  return reader.roles.includes('approver') || reader.roles.includes('office');
}
