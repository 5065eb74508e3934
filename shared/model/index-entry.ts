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
