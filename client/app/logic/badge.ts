// The one badge a document shows, combined from what this device knows (sync status: local,
// sending, saved, error; whether the last keystroke is in IndexedDB yet) and what the server's
// index says about its workflow. Device trouble wins: unsent work matters more than a status.
import type { WorkflowStatus } from '../../../shared/model/index-entry';
import { statusLabel, type DocStatus } from '../../sync/sync-status';

export type BadgeTone = 'neutral' | 'warning' | 'busy' | 'success' | 'info' | 'error';

export interface Badge {
  label: string;
  tone: BadgeTone;
}

export interface BadgeInput {
  sync: DocStatus;
  /** From the index room; null while the server has not listed the document yet. */
  workflow: WorkflowStatus | null;
  /** An edit is on its way into IndexedDB: nothing may claim it is stored yet (S1). */
  savingLocally?: boolean;
  /** V8: a concept that was returned and not yet submitted again (index entry `returned`). */
  returned?: boolean;
}

const workflowLabels: Record<WorkflowStatus, string> = {
  concept: 'Concept',
  ingediend: 'Ingediend',
  'ter-goedkeuring': 'Ter goedkeuring',
  'in-dms': 'In DMS',
  'levering-mislukt': 'Levering mislukt',
};

export const workflowLabel = (status: WorkflowStatus): string => workflowLabels[status];

export function documentBadge({ sync, workflow, savingLocally = false, returned = false }: BadgeInput): Badge {
  // V3: refused as frozen; kept on this device, never "saved".
  if (sync.state === 'error' && sync.reason === 'frozen') return { label: 'Wijzigingen niet ingediend (bewaard op dit apparaat)', tone: 'warning' };
  if (sync.state === 'error') return { label: `Fout: ${lowerFirst(statusLabel(sync))}`, tone: 'error' };
  if (workflow === 'levering-mislukt') return { label: 'Fout: levering aan het DMS mislukt', tone: 'error' };
  if (savingLocally) return { label: 'Wordt bewaard op dit apparaat', tone: 'busy' };
  switch (sync.state) {
    case 'local':
      return { label: 'Alleen op dit apparaat', tone: 'warning' };
    case 'sending':
      return { label: 'Wordt verzonden', tone: 'busy' };
    case 'saved':
      break;
  }
  switch (workflow) {
    case 'in-dms':
      return { label: 'In DMS', tone: 'success' };
    case 'ingediend':
      return { label: 'Ingediend', tone: 'info' };
    case 'ter-goedkeuring':
      return { label: 'Ter goedkeuring', tone: 'info' };
    default:
      return returned ? { label: 'Teruggestuurd', tone: 'warning' } : { label: 'Opgeslagen op server', tone: 'success' };
  }
}

function lowerFirst(text: string): string {
  return text.length === 0 ? text : text[0]!.toLowerCase() + text.slice(1);
}
