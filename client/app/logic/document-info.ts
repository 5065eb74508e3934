// V2, V7: what `GET /api/documents/<id>` says about a document's versions, read defensively (an
// older or newer server may answer): each version with who submitted it and when, what became
// of it (approved or returned, by whom, with the remark), and the words for the frozen notice.
import type { WorkflowStatus } from '../../../shared/model/index-entry';
import { formatDateTime } from './format';

export interface VersionReview {
  kind: 'approve' | 'return';
  byName: string;
  at: number;
  remark: string | null;
  section: string | null;
}

export interface VersionInfo {
  version: number;
  submittedAt: number;
  submittedByName: string;
  status: string;
  dmsReference: string | null;
  reviews: VersionReview[];
}

const rec = (v: unknown): Record<string, unknown> | null => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Versions oldest first, each with its submit and reviews from `history`. */
export function parseVersions(body: unknown): VersionInfo[] {
  const root = rec(body);
  const submissions = Array.isArray(root?.submissions) ? root.submissions : [];
  const history = Array.isArray(root?.history) ? root.history : [];
  const versions = new Map<number, VersionInfo>();
  for (const item of submissions) {
    const s = rec(item);
    const version = num(s?.version);
    if (s === null || version === null) continue;
    const reference = str(s.dmsReference);
    versions.set(version, {
      version,
      submittedAt: num(s.submittedAt) ?? 0,
      submittedByName: '',
      status: str(s.status) ?? '',
      dmsReference: reference !== null && reference.trim() !== '' ? reference : null,
      reviews: [],
    });
  }
  for (const item of history) {
    const h = rec(item);
    const version = num(h?.version);
    const target = version === null ? undefined : versions.get(version);
    if (h === null || target === undefined) continue;
    const byName = str(h.byName) ?? '';
    const at = num(h.at) ?? 0;
    if (h.action === 'submit') target.submittedByName = byName;
    else if (h.action === 'approve' || h.action === 'return') {
      target.reviews.push({ kind: h.action, byName, at, remark: str(h.remark), section: str(h.section) });
    }
  }
  return [...versions.values()].sort((a, b) => a.version - b.version);
}

const waitingFor: Partial<Record<WorkflowStatus, string>> = {
  'ter-goedkeuring': 'wacht op goedkeuring',
  ingediend: 'wordt naar het DMS gestuurd',
  'in-dms': 'staat in het DMS',
  'levering-mislukt': 'levering aan het DMS mislukt; het kantoor probeert het opnieuw',
};

/** "Ingediend op 3 dec. 2026, 14:05 door Vera Veldwerker; wacht op goedkeuring" (V2). */
export function frozenReason(status: WorkflowStatus, latest: VersionInfo | null): string {
  const what = waitingFor[status] ?? 'ingediend';
  if (latest === null) return `Ingediend; ${what}`;
  const by = latest.submittedByName === '' ? '' : ` door ${latest.submittedByName}`;
  const approved = latest.reviews.find((r) => r.kind === 'approve');
  const approval = approved === undefined ? '' : `, goedgekeurd door ${approved.byName}`;
  return `Versie ${latest.version} ingediend op ${formatDateTime(latest.submittedAt)}${by}${approval}; ${what}`;
}

/** The version before `version` that was returned, for the approver's diff (V4); null when none. */
export function returnedBefore(versions: readonly VersionInfo[], version: number): VersionInfo | null {
  const earlier = versions.filter((v) => v.version < version && v.reviews.some((r) => r.kind === 'return'));
  return earlier[earlier.length - 1] ?? null;
}
