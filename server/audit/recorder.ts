// What routes and services call to write the trail: `record` never rejects, so an audit write
// that fails (disk full) cannot turn an action that already committed into an error answer the
// client would retry; the failure is logged at error level with the entry instead (U4).
import type { AuditAction, AuditEntry, AuditJson, AuditLog } from './types';

/** Who acted, from where: the verified access token's user and device, and the request's address. */
export interface AuditActor {
  userId: string | null;
  deviceId: string | null;
  address: string | null;
}

export interface AuditEvent {
  action: AuditAction;
  documentId?: string | null;
  details?: { [key: string]: AuditJson };
}

export interface AuditRecorder {
  /** The log itself, for queries (GET /api/audit, a document's history). */
  readonly log: AuditLog;
  /** Appends one entry stamped with the server's clock; resolves when written or logged as lost. */
  record(actor: AuditActor, event: AuditEvent): Promise<void>;
}

export function createAuditRecorder(
  log: AuditLog,
  now: () => number,
  onError: (error: unknown, context: string) => void,
): AuditRecorder {
  return {
    log,
    async record(actor, event) {
      const entry: AuditEntry = {
        userId: actor.userId,
        deviceId: actor.deviceId,
        address: actor.address,
        action: event.action,
        documentId: event.documentId ?? null,
        at: now(),
        ...(event.details === undefined ? {} : { details: event.details }),
      };
      try {
        await log.record(entry);
      } catch (error) {
        onError(error, `audit entry lost: ${JSON.stringify(entry).slice(0, 1000)}`);
      }
    },
  };
}

/** The actor of an HTTP request: its verified claims (if any) and `request.ip`. */
export function actorOf(request: { ip: string }, claims: { userId: string; deviceId: string } | null): AuditActor {
  return { userId: claims?.userId ?? null, deviceId: claims?.deviceId ?? null, address: request.ip };
}

/** The actor for work the server does on its own (the outbox worker): nobody, no device, no address. */
export const SERVER_ACTOR: AuditActor = { userId: null, deviceId: null, address: null };
