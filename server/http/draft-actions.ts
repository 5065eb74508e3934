// E1–E4, E6: what discard and restore need beyond the status machine. A concept that was never
// submitted may be discarded by its author or the office (E1, E6: one with any submission never);
// only a restore reaches a discarded concept, by the office, within the retention period (E3).
// Pure apart from the one look-up it is given; actions.ts stores the outcome with the key.
import { ActionType } from '../../shared/model/status';
import type { DocumentPatch, DocumentRow, Role } from '../store/types';
import { isDiscarded } from '../store/drafts';

export const DEFAULT_DRAFT_RETENTION_DAYS = 30;
export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_DRAFT_RETENTION_MS = DEFAULT_DRAFT_RETENTION_DAYS * DAY_MS;

export type DraftDecision =
  /** Not a draft matter: the usual action path goes on. */
  | { kind: 'pass' }
  | { kind: 'refuse'; body: { error: string } }
  /** Discard or restore: apply `patch`; `answer` goes into the 202 body. */
  | { kind: 'patch'; patch: DocumentPatch; answer: Record<string, number | string | null> };

export interface DraftActionRequest {
  type: string;
  userId: string;
  roles: readonly Role[];
}

export interface DraftContext {
  at: number;
  retentionMs: number;
  hasSubmissions: () => Promise<boolean>;
}

/** When a discarded concept can no longer be restored and is purged (E3, E5). */
export function purgeAfter(discardedAt: number, retentionMs: number): number {
  return discardedAt + retentionMs;
}

export async function decideDraftAction(req: DraftActionRequest, row: DocumentRow, ctx: DraftContext): Promise<DraftDecision> {
  const discarded = isDiscarded(row);
  if (req.type === ActionType.restore) {
    if (!discarded) return { kind: 'refuse', body: { error: 'not-discarded' } };
    if (ctx.at >= purgeAfter(row.discardedAt ?? 0, ctx.retentionMs)) return { kind: 'refuse', body: { error: 'retention-expired' } };
    return { kind: 'patch', patch: { discardedAt: null, discardedBy: null }, answer: { discardedAt: null } };
  }
  // E4: a discarded concept takes no other action (a submit queued on another device, say).
  if (discarded) return { kind: 'refuse', body: { error: 'document-discarded' } };
  if (req.type !== ActionType.discard) return { kind: 'pass' };
  if (req.userId !== row.createdBy && !req.roles.includes('office')) return { kind: 'refuse', body: { error: 'role-required' } };
  // E6: whatever was submitted once is the municipality's record; it is never thrown away.
  if (await ctx.hasSubmissions()) return { kind: 'refuse', body: { error: 'has-submissions' } };
  return {
    kind: 'patch',
    patch: { discardedAt: ctx.at, discardedBy: req.userId },
    answer: { discardedAt: ctx.at, purgeAfter: purgeAfter(ctx.at, ctx.retentionMs) },
  };
}
