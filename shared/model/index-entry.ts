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
  return {
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
