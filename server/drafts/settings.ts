// E5: DRAFT_RETENTION_DAYS, read at start: how long a discarded concept is kept for the office to
// restore before the housekeeping deletes it. A malformed value stops the start, naming the variable.
import { DEFAULT_DRAFT_RETENTION_DAYS } from '../http/draft-actions';

export interface DraftSettings {
  retentionDays: number;
}

export const DRAFT_RETENTION_MAX_DAYS = 3650;

export function readDraftSettings(env: Record<string, string | undefined>): { ok: true; settings: DraftSettings } | { ok: false; error: string } {
  const raw = env.DRAFT_RETENTION_DAYS?.trim();
  if (raw === undefined || raw === '') return { ok: true, settings: { retentionDays: DEFAULT_DRAFT_RETENTION_DAYS } };
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1 || value > DRAFT_RETENTION_MAX_DAYS) {
    return { ok: false, error: `DRAFT_RETENTION_DAYS must be a whole number of days from 1 to ${DRAFT_RETENTION_MAX_DAYS}, got "${raw}"` };
  }
  return { ok: true, settings: { retentionDays: value } };
}
