// U6: the audit screen's filter as the query of `GET /api/audit`. Days are the user's own days:
// "van" is the start of that local day, "tot en met" the start of the next one (the API's `to` is
// exclusive), both sent as ISO instants so the server needs no time zone.
export interface AuditFilter {
  user: string;
  document: string;
  /** YYYY-MM-DD (an `<input type="date">`), or '' for none. */
  from: string;
  /** YYYY-MM-DD, inclusive, or ''. */
  through: string;
}

function localDayStart(day: string, plusDays = 0): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (m === null) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function auditQuery(filter: AuditFilter, extra: { after?: number | null; format?: 'csv' } = {}): string {
  const params = new URLSearchParams();
  if (filter.user.trim() !== '') params.set('user', filter.user.trim());
  if (filter.document.trim() !== '') params.set('document', filter.document.trim());
  const from = localDayStart(filter.from);
  if (from !== null) params.set('from', from);
  const to = localDayStart(filter.through, 1);
  if (to !== null) params.set('to', to);
  if (extra.after !== undefined && extra.after !== null) params.set('after', String(extra.after));
  if (extra.format !== undefined) params.set('format', extra.format);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
