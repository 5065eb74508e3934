// U8: one line of a document's log as the history view shows it, in Dutch.
import { auditActionLabel, type DocumentLogEntry } from '../../../shared/protocol/audit';
import { formatDateTime } from './format';

export function documentLogLine(entry: DocumentLogEntry): string {
  const version = entry.version === null ? '' : ` (versie ${entry.version})`;
  const by = entry.byName === null ? '' : ` door ${entry.byName}`;
  return `${formatDateTime(entry.at)}: ${auditActionLabel(entry.action)}${version}${by}`;
}
