// The workflow status machine: which action moves a document from which status to which, and
// who may take it. Pure; the server decides actions with it (W1), clients use it to show what
// is possible. Submission content (validation, snapshot, PDF, delivery) hooks in on the server.
import { WorkflowStatus } from './index-entry';

export const ActionType = {
  submit: 'submit',
  approve: 'approve',
  return: 'return',
  retryDelivery: 'retry-delivery',
  /** J2: the office posted the letter ("Verzonden"); records the verzenddatum, the status stays. */
  markSent: 'mark-sent',
  /** E1: a concept that was never submitted leaves the lists; kept for the office to restore (E3). */
  discard: 'discard',
  /** E3: the office brings a discarded concept back within the retention period. */
  restore: 'restore',
} as const;
export type ActionType = (typeof ActionType)[keyof typeof ActionType];
export const ACTION_TYPES = Object.values(ActionType) as readonly ActionType[];

export type ActionRefusal = 'not-allowed-in-status' | 'role-required';

export interface ActionActor {
  roles: readonly string[];
}

interface Transition {
  from: readonly WorkflowStatus[];
  /** Null: the status stays what it is (mark-sent records a fact, it moves nothing). */
  to: WorkflowStatus | null;
  role: string | null;
}

const transitions: Record<ActionType, Transition> = {
  // Submitting a document that needs approval (the template decides, T7) lands in
  // ter-goedkeuring instead: the server sees the content and moves it there (W4).
  submit: { from: [WorkflowStatus.concept], to: WorkflowStatus.submitted, role: null },
  approve: { from: [WorkflowStatus.awaitingApproval], to: WorkflowStatus.submitted, role: 'approver' },
  // Also from in-dms: the office sends an archived document back for a correction; its next
  // submit is a new version, filed as a new version of the same DMS object (O5).
  return: { from: [WorkflowStatus.awaitingApproval, WorkflowStatus.submitted, WorkflowStatus.archived], to: WorkflowStatus.concept, role: 'office' },
  'retry-delivery': { from: [WorkflowStatus.deliveryFailed], to: WorkflowStatus.submitted, role: 'office' },
  // J2: a decided letter the municipality posts itself; on its way to the DMS or archived.
  'mark-sent': { from: [WorkflowStatus.submitted, WorkflowStatus.deliveryFailed, WorkflowStatus.archived], to: null, role: 'office' },
  // E1, E3: the status stays concept; the discarded mark is beside it (the author or the office
  // may discard, server/http/actions.ts checks who; only the office restores).
  discard: { from: [WorkflowStatus.concept], to: null, role: null },
  restore: { from: [WorkflowStatus.concept], to: null, role: 'office' },
};

export function decideAction(
  type: ActionType,
  status: WorkflowStatus,
  actor: ActionActor,
): { ok: true; to: WorkflowStatus } | { ok: false; reason: ActionRefusal } {
  const t = transitions[type];
  if (t.role !== null && !actor.roles.includes(t.role)) return { ok: false, reason: 'role-required' };
  if (!t.from.includes(status)) return { ok: false, reason: 'not-allowed-in-status' };
  return { ok: true, to: t.to ?? status };
}

/**
 * V1: only a concept takes content edits. From submit on (waiting for approval, delivering, in
 * the DMS, delivery failed) the submitted version is frozen, until a `return` makes it a concept.
 */
export function acceptsEdits(status: WorkflowStatus): boolean {
  return status === WorkflowStatus.concept;
}
