// Checks an entry before either log stores it, so both logs refuse the same things (U3).
import { AUDIT_DETAILS_MAX_CHARS, AUDIT_QUERY_MAX, isAuditAction, type AuditEntry, type AuditQuery } from './types';

const ID_MAX = 200;
const ADDRESS_MAX = 100;

/** The entry's details as JSON text; throws when the entry cannot be stored. */
export function checkAuditEntry(entry: AuditEntry): string {
  if (!isAuditAction(entry.action)) throw new Error(`unknown audit action ${String(entry.action)}`);
  if (!Number.isSafeInteger(entry.at) || entry.at < 0) throw new Error('audit entry needs an integer time');
  for (const [name, value] of [
    ['userId', entry.userId],
    ['deviceId', entry.deviceId],
    ['documentId', entry.documentId ?? null],
  ] as const) {
    if (value !== null && (typeof value !== 'string' || value.length === 0 || value.length > ID_MAX)) {
      throw new Error(`audit entry ${name} must be null or 1..${ID_MAX} characters`);
    }
  }
  if (entry.address !== null && (typeof entry.address !== 'string' || entry.address.length > ADDRESS_MAX)) {
    throw new Error('audit entry address too long');
  }
  const details = entry.details ?? {};
  if (typeof details !== 'object' || details === null || Array.isArray(details)) throw new Error('audit details must be an object');
  const text = JSON.stringify(details);
  if (text.length > AUDIT_DETAILS_MAX_CHARS) throw new Error(`audit details over ${AUDIT_DETAILS_MAX_CHARS} characters`);
  return text;
}

/** The limit a query runs with: default and cap AUDIT_QUERY_MAX. */
export function queryLimit(filter: AuditQuery): number {
  const limit = filter.limit ?? AUDIT_QUERY_MAX;
  if (!Number.isSafeInteger(limit) || limit < 1) return AUDIT_QUERY_MAX;
  return Math.min(limit, AUDIT_QUERY_MAX);
}
