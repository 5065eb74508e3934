// Wire constants of the sync protocol: y-websocket's message types plus Keukentafel's
// persisted-ack (type 100), and the close codes the server uses after accepting an upgrade.
// Both sides import these; nothing here does I/O.

export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** The server's durable state (state vector + delete set), sent after each commit. */
  persisted: 100,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export const CloseCode = {
  malformed: 4400,
  /** Token missing or expired: refresh it and reconnect. */
  unauthorized: 4401,
  /** No access to this room, or a write to a read-only room: stop retrying and tell the user. */
  forbidden: 4403,
  /**
   * V1: an update to a document whose submitted version is frozen (or being frozen right now).
   * The reason says which: `document-frozen` (wait until it is returned) or `submit-in-progress`
   * (retry soon). The device keeps its edits (V3); nothing it sent was applied.
   */
  frozen: 4409,
  tooLarge: 4413,
  tooManyMessages: 4429,
  /** Server shutting down: reconnect (elsewhere, later). */
  shuttingDown: 4503,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Reasons that cross the wire in close frames, kebab-case (max 123 bytes per RFC 6455). */
export const CloseReason = {
  malformed: 'malformed-message',
  unknownType: 'unknown-message-type',
  tokenMissing: 'token-missing',
  tokenInvalid: 'token-invalid',
  noAccess: 'no-access',
  readOnly: 'read-only-room',
  unknownRoom: 'unknown-room',
  documentFrozen: 'document-frozen',
  submitInProgress: 'submit-in-progress',
  tooLarge: 'message-too-large',
  tooMany: 'too-many-messages',
  shuttingDown: 'server-shutting-down',
  /** With 4503: the room was reloaded from the store after an update failed to apply; reconnect. */
  roomReloaded: 'room-reloaded',
  /** E4: with 4403: the concept was discarded; the office may restore it (then it opens again). */
  documentDiscarded: 'document-discarded',
} as const;

/**
 * E9: the sync URL's query parameter by which a device says it created this document itself
 * (`?intent=create`). Only then does the first connection to an unknown `doc:<uuid>` create it;
 * without it an unknown document is refused like one of another team (4403 `no-access`).
 */
export const CREATE_INTENT_PARAM = 'intent';
export const CREATE_INTENT_VALUE = 'create';
export type CloseReason = (typeof CloseReason)[keyof typeof CloseReason];

/** Close codes after which a client must not reconnect on its own. */
export function isPermanentClose(code: number): boolean {
  return code === CloseCode.forbidden || code === CloseCode.malformed || code === CloseCode.tooLarge;
}
