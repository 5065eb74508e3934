// The CSV export of the audit trail (U7): RFC 4180 (comma, CRLF, every field quoted), UTF-8 with
// a byte-order mark so spreadsheet programs read the accents. A cell that a spreadsheet would take
// for a formula (= + - @ tab CR at its start) gets a leading apostrophe: the log holds what users
// typed (a failed sign-in's username), and an export must not run it.
import type { AuditEntryBody } from '../../shared/protocol/audit';

export const AUDIT_CSV_HEADER = ['volgnummer', 'tijdstip', 'actie', 'gebruiker_id', 'gebruiker', 'apparaat', 'document', 'adres', 'details'] as const;

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function auditCsvLine(entry: AuditEntryBody): string {
  return [
    String(entry.seq),
    entry.at,
    entry.action,
    entry.userId ?? '',
    entry.userName ?? '',
    entry.deviceId ?? '',
    entry.documentId ?? '',
    entry.address ?? '',
    JSON.stringify(entry.details),
  ]
    .map(csvCell)
    .join(',');
}

export function auditCsv(entries: readonly AuditEntryBody[]): string {
  return `\uFEFF${[AUDIT_CSV_HEADER.map(csvCell).join(','), ...entries.map(auditCsvLine)].join('\r\n')}\r\n`;
}
