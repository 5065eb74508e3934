// What the index rooms hold for each document: the list row a field worker or the back office
// sees, kept live by the server. Never content, never a BSN.

export const WorkflowStatus = {
  concept: 'concept',
  submitted: 'ingediend',
  awaitingApproval: 'ter-goedkeuring',
  archived: 'in-dms',
  deliveryFailed: 'levering-mislukt',
} as const;
export type WorkflowStatus = (typeof WorkflowStatus)[keyof typeof WorkflowStatus];

export interface IndexEntry {
  id: string;
  title: string;
  templateId: string | null;
  kind: string | null;
  zaak: string | null;
  teamId: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  status: WorkflowStatus;
  /**
   * V8: a concept that was returned and not yet submitted again: who returned which version,
   * when, the remark and the field or section it is about. Absent otherwise (and from older servers).
   */
  returned?: ReturnedNote;
  /** Issue 14: the author's display name (an official, never a citizen); absent from older servers. */
  authorName?: string;
  /** Issue 14: when the status last changed ("wacht sinds"); absent from older servers. */
  statusSince?: number;
  /** Issue 14: user id of the latest submit, so an approver sees what waits for them, not for others. */
  submittedBy?: string;
}

export interface ReturnedNote {
  byName: string;
  at: number;
  version: number;
  section: string | null;
  remark: string;
}

function parseReturned(value: unknown): ReturnedNote | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.byName !== 'string' || typeof v.at !== 'number' || typeof v.version !== 'number' || typeof v.remark !== 'string') return undefined;
  const section = typeof v.section === 'string' ? v.section : null;
  return { byName: v.byName, at: v.at, version: v.version, section, remark: v.remark };
}

/** Name of the Y.Map in an index room's Y.Doc; keys are document ids, values IndexEntry. */
export const INDEX_MAP = 'documents';

const STATUSES = new Set<string>(Object.values(WorkflowStatus));

function optionalString(value: unknown): string | null | undefined {
  if (value === null) return null;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Reads one index entry defensively: it comes from the device's storage or the network, so a
 * value of the wrong shape is dropped rather than shown half.
 */
export function parseIndexEntry(value: unknown): IndexEntry | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const templateId = optionalString(v.templateId);
  const kind = optionalString(v.kind);
  const zaak = optionalString(v.zaak);
  if (
    typeof v.id !== 'string' ||
    typeof v.title !== 'string' ||
    typeof v.teamId !== 'string' ||
    typeof v.createdBy !== 'string' ||
    typeof v.createdAt !== 'number' ||
    typeof v.updatedAt !== 'number' ||
    typeof v.status !== 'string' ||
    !STATUSES.has(v.status) ||
    templateId === undefined ||
    kind === undefined ||
    zaak === undefined
  ) {
    return null;
  }
  const returned = parseReturned(v.returned);
  return {
    ...(returned === undefined ? {} : { returned }),
    ...(typeof v.authorName === 'string' ? { authorName: v.authorName.slice(0, 200) } : {}),
    ...(typeof v.statusSince === 'number' ? { statusSince: v.statusSince } : {}),
    ...(typeof v.submittedBy === 'string' ? { submittedBy: v.submittedBy } : {}),
    id: v.id,
    title: v.title,
    templateId,
    kind,
    zaak,
    teamId: v.teamId,
    createdBy: v.createdBy,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
    status: v.status as WorkflowStatus,
  };
}
