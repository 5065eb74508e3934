// The audit trail (U1–U9): who did what, on which device, to which document, when and from
// which address. Append-only: the interface has no way to change or remove an entry, and the
// SQLite table refuses UPDATE and DELETE with triggers (U2).

/**
 * Every action the log knows (issue 12 item 4, plus the identity and admin actions of the same
 * issue). A string union so a typo is a type error; add new actions here, never rename one:
 * stored entries keep the old name.
 */
export const AUDIT_ACTIONS = [
  // Sign-in and devices
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'device-registered',
  'device-revoked',
  // Documents and workflow
  'document-created',
  'read-along-confirmed',
  'submitted',
  'approved',
  'returned',
  'delivered',
  'delivery-failed',
  'delivery-retried',
  'letter-marked-sent',
  'pdf-downloaded',
  // F17: an attachment stored whole, and a copy of one handed out (it may show a citizen's data)
  'attachment-stored',
  'attachment-downloaded',
  // Drafts (E8)
  'document-discarded',
  'document-restored',
  'document-purged',
  // Administration and provisioning (admin screens, SCIM, OIDC)
  'user-created',
  'user-updated',
  'user-deactivated',
  'user-reactivated',
  'user-deleted',
  'role-changed',
  'team-changed',
  'password-reset',
  'team-created',
  'team-renamed',
  'team-deleted',
  'team-members-changed',
  'audit-exported',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

/** A small JSON value: what `details` may hold. */
export type AuditJson = string | number | boolean | null | AuditJson[] | { [key: string]: AuditJson };

/** Longest `details` as JSON text (U3): an entry says what happened, it does not carry content. */
export const AUDIT_DETAILS_MAX_CHARS = 2048;

/** What a caller records. */
export interface AuditEntry {
  /** The user who acted; null when nobody is known (failed sign-in of an unknown name, the outbox worker, SCIM). */
  userId: string | null;
  /** The device the user acted on; null when not on a device (SCIM, the outbox worker). */
  deviceId: string | null;
  action: AuditAction;
  /** The document acted on, if any. */
  documentId?: string | null;
  /** Client address as the server sees it (request.ip, TRUST_PROXY-aware); null for server-side actions. */
  address: string | null;
  /** Milliseconds since the epoch. */
  at: number;
  /** Small JSON object with what else identifies the action (version, reason, target user …). */
  details?: { [key: string]: AuditJson };
}

/** A stored entry: numbered in the order it was written. */
export interface AuditRecord {
  seq: number;
  userId: string | null;
  deviceId: string | null;
  action: AuditAction;
  documentId: string | null;
  address: string | null;
  at: number;
  details: { [key: string]: AuditJson };
}

export interface AuditQuery {
  userId?: string;
  documentId?: string;
  /** Inclusive lower bound on `at` (ms). */
  from?: number;
  /** Exclusive upper bound on `at` (ms). */
  to?: number;
  /** Only entries with a larger seq (paging). */
  afterSeq?: number;
  /** At most this many, default and cap AUDIT_QUERY_MAX. */
  limit?: number;
}

export const AUDIT_QUERY_MAX = 10_000;

export interface AuditLog {
  /** Appends one entry and answers it as stored. Throws on an invalid entry (a programming error). */
  record(entry: AuditEntry): Promise<AuditRecord>;
  /** Entries matching every given filter, oldest first (by seq). */
  query(filter: AuditQuery): Promise<AuditRecord[]>;
}
