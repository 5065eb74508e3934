// E1, E3, E4, E6 as pure decisions (server/http/draft-actions.ts), and E5's attachment seam.
import { describe, expect, it } from 'vitest';
import { attachmentPurgerOf, noAttachments } from '../../../server/drafts/purge';
import { readDraftSettings } from '../../../server/drafts/settings';
import { DAY_MS, decideDraftAction } from '../../../server/http/draft-actions';
import type { DocumentRow } from '../../../server/store/types';
import { WorkflowStatus } from '../../../shared/model/index-entry';

const row = (overrides: Partial<DocumentRow> = {}): DocumentRow => ({
  id: 'doc-1',
  teamId: 'centrum',
  createdBy: 'vera',
  createdAt: 1,
  updatedAt: 1,
  title: 'Brief',
  templateId: 'brief',
  kind: 'brief',
  zaak: null,
  status: WorkflowStatus.concept,
  ...overrides,
});
const ctx = (overrides: { at?: number; hasSubmissions?: boolean } = {}) => ({
  at: overrides.at ?? 1_000,
  retentionMs: 30 * DAY_MS,
  hasSubmissions: () => Promise.resolve(overrides.hasSubmissions ?? false),
});

describe('draft actions', () => {
  it('[E1] the author or the office discards; another field worker is refused', async () => {
    expect(await decideDraftAction({ type: 'discard', userId: 'vera', roles: ['field'] }, row(), ctx())).toEqual({
      kind: 'patch',
      patch: { discardedAt: 1_000, discardedBy: 'vera' },
      answer: { discardedAt: 1_000, purgeAfter: 1_000 + 30 * DAY_MS },
    });
    expect((await decideDraftAction({ type: 'discard', userId: 'karim', roles: ['office'] }, row(), ctx())).kind).toBe('patch');
    expect(await decideDraftAction({ type: 'discard', userId: 'cor', roles: ['field'] }, row(), ctx())).toEqual({ kind: 'refuse', body: { error: 'role-required' } });
  });

  it('[E6] a concept with a submission is never discarded', async () => {
    expect(await decideDraftAction({ type: 'discard', userId: 'vera', roles: ['field'] }, row(), ctx({ hasSubmissions: true }))).toEqual({
      kind: 'refuse',
      body: { error: 'has-submissions' },
    });
  });

  it('[E3] restore within the retention period clears the mark; at its end it is refused', async () => {
    const discarded = row({ discardedAt: 1_000, discardedBy: 'vera' });
    const restore = { type: 'restore', userId: 'karim', roles: ['office' as const] };
    expect(await decideDraftAction(restore, discarded, ctx({ at: 1_000 + 30 * DAY_MS - 1 }))).toMatchObject({ kind: 'patch', patch: { discardedAt: null, discardedBy: null } });
    expect(await decideDraftAction(restore, discarded, ctx({ at: 1_000 + 30 * DAY_MS }))).toEqual({ kind: 'refuse', body: { error: 'retention-expired' } });
    expect(await decideDraftAction(restore, row(), ctx())).toEqual({ kind: 'refuse', body: { error: 'not-discarded' } });
  });

  it('[E4] a discarded concept takes no other action', async () => {
    const discarded = row({ discardedAt: 1_000, discardedBy: 'vera' });
    for (const type of ['submit', 'discard']) {
      expect(await decideDraftAction({ type, userId: 'vera', roles: ['field'] }, discarded, ctx())).toEqual({ kind: 'refuse', body: { error: 'document-discarded' } });
    }
    expect(await decideDraftAction({ type: 'submit', userId: 'vera', roles: ['field'] }, row(), ctx())).toEqual({ kind: 'pass' });
  });

  it('[E5] DRAFT_RETENTION_DAYS defaults to 30 and refuses what is not a whole number of days', () => {
    expect(readDraftSettings({})).toEqual({ ok: true, settings: { retentionDays: 30 } });
    expect(readDraftSettings({ DRAFT_RETENTION_DAYS: '7' })).toEqual({ ok: true, settings: { retentionDays: 7 } });
    for (const bad of ['0', '1.5', 'dertig', '-3', '99999']) {
      const result = readDraftSettings({ DRAFT_RETENTION_DAYS: bad });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toContain('DRAFT_RETENTION_DAYS');
    }
  });

  it('[E5] the purge uses the store’s deleteAttachments once it has one', async () => {
    const deleted: string[] = [];
    const store = { deleteAttachments: (docId: string) => Promise.resolve(deleted.push(docId)) };
    await attachmentPurgerOf(store).deleteAttachments('doc-9');
    expect(deleted).toEqual(['doc-9']);
    expect(attachmentPurgerOf({})).toBe(noAttachments);
  });
});
