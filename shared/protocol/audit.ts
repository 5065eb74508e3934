// HTTP bodies of the audit trail (U6–U8): `GET /api/audit` (admin only, JSON or CSV) and
// `GET /api/documents/:id/log` (a document's own entries, for its history view). zod/mini, like
// the other shared bodies; nothing here does I/O.
import * as z from 'zod/mini';

/** Longest page of `GET /api/audit`; `next` continues after it. */
export const AUDIT_PAGE_MAX = 1000;

const Instant = z.string().check(
  z.maxLength(40),
  z.refine((s) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(s) && !Number.isNaN(Date.parse(s)), 'ISO 8601-datum of -tijd'),
);

/**
 * Query of `GET /api/audit`. `from` (inclusive) and `to` (exclusive) are ISO 8601: a date-time with
 * `Z` or an offset, or a date (`2026-12-03`: midnight UTC). `after`: the `next` of the previous page.
 */
export const AuditQuerySchema = z.object({
  user: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  document: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  from: z.optional(Instant),
  to: z.optional(Instant),
  after: z.optional(z.string().check(z.regex(/^\d{1,15}$/))),
  limit: z.optional(z.string().check(z.regex(/^\d{1,5}$/))),
  format: z.optional(z.enum(['json', 'csv'])),
});
export type AuditQueryParams = z.infer<typeof AuditQuerySchema>;

const Json: z.ZodMiniType<unknown> = z.unknown();

export const AuditEntrySchema = z.object({
  seq: z.number(),
  /** ISO 8601, UTC. */
  at: z.string(),
  action: z.string(),
  userId: z.nullable(z.string()),
  /** The user's display name when the account still exists. */
  userName: z.nullable(z.string()),
  deviceId: z.nullable(z.string()),
  documentId: z.nullable(z.string()),
  address: z.nullable(z.string()),
  details: z.record(z.string(), Json),
});
export type AuditEntryBody = z.infer<typeof AuditEntrySchema>;

/** 200 of `GET /api/audit`: oldest first; `next` is the `after` of the next page, null at the end. */
export const AuditListSchema = z.object({
  entries: z.array(AuditEntrySchema),
  next: z.nullable(z.number()),
});
export type AuditListBody = z.infer<typeof AuditListSchema>;

/** One line of a document's own log: what happened, by whom, when; no addresses or devices. */
export const DocumentLogEntrySchema = z.object({
  at: z.number(),
  action: z.string(),
  byName: z.nullable(z.string()),
  version: z.nullable(z.number()),
});
export type DocumentLogEntry = z.infer<typeof DocumentLogEntrySchema>;

export const DocumentLogSchema = z.object({ entries: z.array(DocumentLogEntrySchema) });
export type DocumentLogBody = z.infer<typeof DocumentLogSchema>;

/** The Dutch words for each action, as the screens show them; unknown actions show as stored. */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = {
  'sign-in': 'Aangemeld',
  'sign-in-failed': 'Aanmelden mislukt',
  'sign-out': 'Afgemeld',
  'device-registered': 'Apparaat aangemeld',
  'device-revoked': 'Apparaat ingetrokken',
  'document-created': 'Document aangemaakt',
  'read-along-confirmed': 'Voor akkoord getekend (meelezen)',
  submitted: 'Ingediend',
  approved: 'Goedgekeurd',
  returned: 'Teruggestuurd',
  delivered: 'In het DMS gezet',
  'delivery-failed': 'Levering aan het DMS mislukt',
  'delivery-retried': 'Levering opnieuw geprobeerd',
  'letter-marked-sent': 'Als verzonden gemarkeerd',
  'pdf-downloaded': 'PDF geopend',
  'attachment-stored': 'Bijlage ontvangen',
  'attachment-downloaded': 'Bijlage geopend',
  'document-discarded': 'Concept verwijderd',
  'document-restored': 'Concept teruggezet',
  'document-purged': 'Verwijderd concept definitief gewist',
  'user-created': 'Gebruiker aangemaakt',
  'user-updated': 'Gebruiker gewijzigd',
  'user-deactivated': 'Gebruiker gedeactiveerd',
  'user-reactivated': 'Gebruiker weer actief',
  'user-deleted': 'Gebruiker verwijderd',
  'role-changed': 'Rollen gewijzigd',
  'team-changed': 'Team gewijzigd',
  'password-reset': 'Wachtwoord opnieuw ingesteld',
  'team-created': 'Team aangemaakt',
  'team-renamed': 'Team hernoemd',
  'team-deleted': 'Team verwijderd',
  'team-members-changed': 'Teamleden gewijzigd',
  'audit-exported': 'Logboek geëxporteerd',
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? action;
}
