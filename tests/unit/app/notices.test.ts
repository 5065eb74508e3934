// Y4–Y6: which rows are notices, for whom, and what "seen" keeps.
import { describe, expect, it } from 'vitest';
import type { IndexEntry } from '../../../shared/model/index-entry';
import { noticeConcerns, noticeKindOf, readsTeamNotices } from '../../../shared/model/notices';
import { NOTICE_WINDOW_MS, SEEN_MAX, badgeCount, deriveNotices, markSeen, unseenCount } from '../../../client/app/logic/notices';

const NOW = Date.UTC(2026, 11, 3, 20, 0);
const HOUR = 3_600_000;

function entry(patch: Partial<IndexEntry> & Pick<IndexEntry, 'id' | 'status'>): IndexEntry {
  return {
    title: `Brief ${patch.id}`,
    templateId: 'brief',
    kind: 'brief',
    zaak: null,
    teamId: 'centrum',
    createdBy: 'u-veld',
    createdAt: NOW - 10 * HOUR,
    updatedAt: NOW - HOUR,
    ...patch,
  };
}

const field = { id: 'u-veld', teamId: 'centrum', roles: ['field'] };
const approver = { id: 'u-kantoor', teamId: 'centrum', roles: ['office', 'approver'] };
const otherApprover = { id: 'u-ander', teamId: 'centrum', roles: ['approver'] };
const officeOnly = { id: 'u-balie', teamId: 'centrum', roles: ['office'] };
const otherTeam = { id: 'u-west', teamId: 'west', roles: ['office', 'approver'] };

const returned = { byName: 'Kim Kantoor', at: NOW - 2 * HOUR, version: 1, section: null, remark: 'Motivering ontbreekt' };

describe('notices', () => {
  it('[Y4] the four notices follow from the status: returned concept, ter-goedkeuring, in-dms, levering-mislukt', () => {
    expect(noticeKindOf({ status: 'concept' })).toBeNull();
    expect(noticeKindOf({ status: 'concept', returned })).toBe('returned');
    expect(noticeKindOf({ status: 'ter-goedkeuring' })).toBe('awaiting-approval');
    expect(noticeKindOf({ status: 'ingediend' })).toBeNull();
    expect(noticeKindOf({ status: 'in-dms' })).toBe('in-dms');
    expect(noticeKindOf({ status: 'levering-mislukt' })).toBe('delivery-failed');
  });

  it('[Y5] a return is the author\'s; approval waits for an approver of the team who did not submit it', () => {
    const back = { status: 'concept' as const, returned, createdBy: 'u-veld', teamId: 'centrum' };
    expect(noticeConcerns('returned', back, field)).toBe(true);
    expect(noticeConcerns('returned', back, approver)).toBe(false);

    const waiting = { status: 'ter-goedkeuring' as const, createdBy: 'u-veld', submittedBy: 'u-veld', teamId: 'centrum' };
    expect(noticeConcerns('awaiting-approval', waiting, approver)).toBe(true);
    expect(noticeConcerns('awaiting-approval', waiting, field)).toBe(false);
    expect(noticeConcerns('awaiting-approval', waiting, officeOnly)).toBe(false);
    expect(noticeConcerns('awaiting-approval', waiting, otherTeam)).toBe(false);
    // Four eyes: the approver who submitted it themselves is not asked.
    const ownSubmit = { ...waiting, createdBy: 'u-veld', submittedBy: 'u-kantoor' };
    expect(noticeConcerns('awaiting-approval', ownSubmit, approver)).toBe(false);
    expect(noticeConcerns('awaiting-approval', ownSubmit, otherApprover)).toBe(true);
    // Without submittedBy (older server) the author counts as the submitter.
    const older = { status: 'ter-goedkeuring' as const, createdBy: 'u-kantoor', teamId: 'centrum' };
    expect(noticeConcerns('awaiting-approval', older, approver)).toBe(false);
    expect(noticeConcerns('awaiting-approval', older, otherApprover)).toBe(true);
  });

  it('[Y5] in DMS tells author and submitter; a failed delivery also the team\'s office', () => {
    const archived = { status: 'in-dms' as const, createdBy: 'u-veld', submittedBy: 'u-ander', teamId: 'centrum' };
    expect(noticeConcerns('in-dms', archived, field)).toBe(true);
    expect(noticeConcerns('in-dms', archived, otherApprover)).toBe(true);
    expect(noticeConcerns('in-dms', archived, officeOnly)).toBe(false);
    const failed = { ...archived, status: 'levering-mislukt' as const };
    expect(noticeConcerns('delivery-failed', failed, field)).toBe(true);
    expect(noticeConcerns('delivery-failed', failed, officeOnly)).toBe(true);
    expect(noticeConcerns('delivery-failed', failed, otherTeam)).toBe(false);
    expect(readsTeamNotices(field)).toBe(false);
    expect(readsTeamNotices(officeOnly)).toBe(true);
    expect(readsTeamNotices(otherApprover)).toBe(true);
  });

  it('[Y4] derives one notice per document, newest first, each linking its document, with Dutch text', () => {
    const entries = [
      entry({ id: 'a', status: 'concept', returned }),
      entry({ id: 'b', status: 'in-dms', statusSince: NOW - HOUR }),
      entry({ id: 'c', status: 'concept' }),
      entry({ id: 'd', status: 'levering-mislukt', updatedAt: NOW - 3 * HOUR }),
      entry({ id: 'e', status: 'ter-goedkeuring', submittedBy: 'u-veld' }),
    ];
    const notices = deriveNotices([...entries, entries[1]!], field, NOW);
    expect(notices.map((n) => [n.docId, n.kind])).toEqual([
      ['b', 'in-dms'],
      ['a', 'returned'],
      ['d', 'delivery-failed'],
    ]);
    expect(notices[1]!.text).toBe('Kim Kantoor stuurde “Brief a” terug: Motivering ontbreekt');
    expect(notices[0]!.text).toBe('“Brief b” staat in het DMS.');
    const forApprover = deriveNotices(entries, approver, NOW);
    expect(forApprover.find((n) => n.docId === 'e')?.text).toBe('“Brief e” wacht op uw goedkeuring.');
    expect(deriveNotices([entry({ id: 'f', status: 'ter-goedkeuring', submittedBy: 'u-veld', authorName: 'Vera Veld', title: '' })], approver, NOW)[0]?.text).toBe(
      '“Zonder onderwerp” van Vera Veld wacht op uw goedkeuring.',
    );
  });

  it('[Y4] events older than the window are history, not notices', () => {
    const old = entry({ id: 'o', status: 'in-dms', statusSince: NOW - NOTICE_WINDOW_MS - 1 });
    expect(deriveNotices([old], field, NOW)).toEqual([]);
  });

  it('[Y6] a key names the event: the same row keeps its key, a second return is news again', () => {
    const first = deriveNotices([entry({ id: 'a', status: 'concept', returned })], field, NOW)[0]!;
    const edited = deriveNotices([entry({ id: 'a', status: 'concept', returned, updatedAt: NOW })], field, NOW)[0]!;
    expect(edited.key).toBe(first.key);
    const again = deriveNotices([entry({ id: 'a', status: 'concept', returned: { ...returned, version: 2, at: NOW - HOUR } })], field, NOW)[0]!;
    expect(again.key).not.toBe(first.key);
    const archived = deriveNotices([entry({ id: 'a', status: 'in-dms', statusSince: NOW - HOUR })], field, NOW)[0]!;
    expect(archived.key).not.toBe(first.key);
  });

  it('[Y6] seen keys: counted out of the badge, pruned to notices still shown, bounded', () => {
    const notices = deriveNotices(
      [entry({ id: 'a', status: 'concept', returned }), entry({ id: 'b', status: 'in-dms', statusSince: NOW - HOUR })],
      field,
      NOW,
    );
    expect(unseenCount(notices, new Set())).toBe(2);
    const seen = markSeen(['gone:x:1'], [notices[0]!.key], notices);
    expect(seen).toEqual([notices[0]!.key]);
    expect(unseenCount(notices, new Set(seen))).toBe(1);
    const many = Array.from({ length: SEEN_MAX + 20 }, (_, i) => ({ ...notices[0]!, key: `k${i}` }));
    expect(markSeen([], many.map((n) => n.key), many)).toHaveLength(SEEN_MAX);
    expect(badgeCount(7)).toBe('7');
    expect(badgeCount(140)).toBe('99+');
  });
});
