// Y4, Y6: the notice list the app shows, derived from the rows of its index rooms (the user's own
// list and, for office and approvers, the team's). Each notice has a key that names the event
// (the return, the status change), so "seen" survives a reload and a new return of the same
// document is news again. Pure: the caller passes `now`.
import type { IndexEntry } from '../../../shared/model/index-entry';
import { noticeConcerns, noticeKindOf, type NoticeKind, type NoticeReader } from '../../../shared/model/notices';
import { displayTitle } from './doc-list';

export interface Notice {
  /** Names the event: kind, document and when its status last changed. */
  key: string;
  kind: NoticeKind;
  docId: string;
  title: string;
  /** When it happened, ms. */
  at: number;
  /** One Dutch sentence. */
  text: string;
}

/** Notices older than this are history, not news: the list stays short. */
export const NOTICE_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;
/** At most this many keys are remembered as seen; the oldest go first. */
export const SEEN_MAX = 500;

export const noticeLabels: Record<NoticeKind, string> = {
  returned: 'Teruggestuurd',
  'awaiting-approval': 'Wacht op uw goedkeuring',
  'in-dms': 'In DMS',
  'delivery-failed': 'Levering mislukt',
};

function textOf(kind: NoticeKind, entry: IndexEntry, title: string): string {
  switch (kind) {
    case 'returned': {
      const by = entry.returned?.byName ?? 'Een collega';
      const remark = entry.returned?.remark.trim() ?? '';
      return remark === '' ? `${by} stuurde “${title}” terug.` : `${by} stuurde “${title}” terug: ${remark}`;
    }
    case 'awaiting-approval':
      return `“${title}”${entry.authorName === undefined ? '' : ` van ${entry.authorName}`} wacht op uw goedkeuring.`;
    case 'in-dms':
      return `“${title}” staat in het DMS.`;
    case 'delivery-failed':
      return `“${title}” kon niet bij het DMS worden afgeleverd. Het kantoor kan het opnieuw proberen.`;
  }
}

/** When the row's event happened: the return, else the last status change. */
function eventTime(kind: NoticeKind, entry: IndexEntry): number {
  if (kind === 'returned' && entry.returned !== undefined) return entry.returned.at;
  return entry.statusSince ?? entry.updatedAt;
}

/**
 * The reader's notices, newest first, one per document (the team's and the user's list may both
 * hold it). Rows whose event is older than `NOTICE_WINDOW_MS` are left out.
 */
export function deriveNotices(entries: readonly IndexEntry[], reader: NoticeReader, now: number): Notice[] {
  const byDoc = new Map<string, Notice>();
  for (const entry of entries) {
    const kind = noticeKindOf(entry);
    if (kind === null || !noticeConcerns(kind, entry, reader)) continue;
    const at = eventTime(kind, entry);
    if (now - at > NOTICE_WINDOW_MS) continue;
    const marker = kind === 'returned' && entry.returned !== undefined ? `${entry.returned.version}.${entry.returned.at}` : String(at);
    const title = displayTitle(entry.title);
    const notice: Notice = { key: `${kind}:${entry.id}:${marker}`, kind, docId: entry.id, title, at, text: textOf(kind, entry, title) };
    const known = byDoc.get(entry.id);
    if (known === undefined || known.at < notice.at) byDoc.set(entry.id, notice);
  }
  return [...byDoc.values()].sort((a, b) => b.at - a.at || a.key.localeCompare(b.key));
}

export function unseenCount(notices: readonly Notice[], seen: ReadonlySet<string>): number {
  return notices.filter((n) => !seen.has(n.key)).length;
}

/**
 * The seen keys to keep after marking `keys` seen: keys of notices no longer shown are dropped
 * (their event is over), so the stored set stays bounded by what the lists hold.
 */
export function markSeen(seen: readonly string[], keys: readonly string[], current: readonly Notice[]): string[] {
  const live = new Set(current.map((n) => n.key));
  const next = [...seen.filter((k) => live.has(k) && !keys.includes(k)), ...keys.filter((k) => live.has(k))];
  return next.slice(-SEEN_MAX);
}

/** Badge text: "3", or "99+" past that. */
export function badgeCount(count: number): string {
  return count > 99 ? '99+' : String(count);
}
