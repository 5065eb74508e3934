// Y11: turns a changed document row into a push for the officials it concerns, with the same rule
// the app uses for its notice list (shared/model/notices.ts). Each event (document, kind, version)
// is claimed once in the store before it is sent, so a status the server hears twice (a replayed
// action, another process, a restart) wakes nobody twice.
import { WorkflowStatus } from '../../shared/model/index-entry';
import { noticeConcerns, noticeKindOf, type NoticeKind, type NoticeSubject } from '../../shared/model/notices';
import type { DocumentRow, Store } from '../store/types';
import type { PushSender } from './push-sender';

export interface NoticePushDeps {
  store: Pick<Store, 'listReviews' | 'listSubmissions' | 'listUsers' | 'claimPushNotice'>;
  sender: PushSender;
  now: () => number;
}

interface NoticeEvent {
  kind: NoticeKind;
  key: string;
  subject: NoticeSubject;
}

/** What the row's status means as a notice now; null when it is none. */
async function eventOf(deps: NoticePushDeps, row: DocumentRow): Promise<NoticeEvent | null> {
  const base = { status: row.status, createdBy: row.createdBy, teamId: row.teamId };
  if (row.status === WorkflowStatus.concept) {
    const reviews = await deps.store.listReviews(row.id);
    const last = reviews[reviews.length - 1];
    if (last === undefined || last.kind !== 'returned') return null;
    const returned = { byName: last.byName, at: last.at, version: last.version, section: last.section, remark: last.remark ?? '' };
    return { kind: 'returned', key: `returned:${row.id}:${last.version}`, subject: { ...base, returned } };
  }
  const kind = noticeKindOf(base);
  if (kind === null) return null;
  const submissions = await deps.store.listSubmissions(row.id);
  const latest = submissions[submissions.length - 1];
  if (latest === undefined) return null;
  return { kind, key: `${kind}:${row.id}:${latest.version}`, subject: { ...base, submittedBy: latest.submittedBy } };
}

/** The users `event` concerns: active members of the document's team. */
async function recipientsOf(deps: NoticePushDeps, event: NoticeEvent): Promise<string[]> {
  const users = await deps.store.listUsers();
  return users.filter((u) => !u.disabled && noticeConcerns(event.kind, event.subject, { id: u.id, teamId: u.teamId, roles: u.roles })).map((u) => u.id);
}

export function createNoticePush(deps: NoticePushDeps): { documentChanged(row: DocumentRow): Promise<void> } {
  return {
    async documentChanged(row) {
      const event = await eventOf(deps, row);
      if (event === null) return;
      if (!(await deps.store.claimPushNotice(event.key, deps.now()))) return;
      await deps.sender.notifyUsers(await recipientsOf(deps, event));
    },
  };
}
