// CL10: revocations that must reach every process's open sockets. A process that revokes a device
// (admin, SCIM, a reused refresh token, sign-out, the IdP), moves a user or discards a document
// closes its own sockets at once and publishes the fact; every other process closes its sockets
// of that device, user or document with the same code and reason as the local close would.
// The store stays the truth: a socket that missed the message is refused at its next connect
// and cut at its token's expiry (S5), as in one process.

export type Revocation =
  /** 4401 `device-revoked`. */
  | { kind: 'device'; deviceId: string }
  /** 4401 with `reason` (C6: `team-changed`, a changed role). */
  | { kind: 'user'; userId: string; reason: string }
  /** 4403 `document-discarded` (E4). */
  | { kind: 'document'; docId: string }
  /**
   * CL21, CL23: a document's row changed (submitted, returned, approved, delivered): nothing
   * closes; every other process reads the row again so its edit gate and index cache follow.
   */
  | { kind: 'document-status'; docId: string }
  /**
   * CL29: a submit of the document began here: every other process refuses its edits with 4409
   * `submit-in-progress` until the matching release, or the hold's lease ends there.
   */
  | { kind: 'submit-hold'; docId: string; holdId: string }
  /** CL29: that submit ended (stored, refused or failed). */
  | { kind: 'submit-release'; docId: string; holdId: string };

export interface RevocationBus {
  /** Tells every other process; never throws (a lost message is made good by S5). */
  publish(revocation: Revocation): void;
  /** `handler` hears what other processes published, never this process's own. */
  subscribe(handler: (revocation: Revocation) => void): void;
  close(): Promise<void>;
}

/** The wire form: which process sent it, so a process ignores its own. */
export interface RevocationMessage {
  from: string;
  revocation: Revocation;
}

export function encodeRevocation(message: RevocationMessage): string {
  return JSON.stringify(message);
}

/** Null for anything that is not a revocation message (Redis is shared; never trust its bytes). */
export function decodeRevocation(text: string): RevocationMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || typeof value.from !== 'string' || !isRecord(value.revocation)) return null;
  const r = value.revocation;
  if (r.kind === 'device' && typeof r.deviceId === 'string') return { from: value.from, revocation: { kind: 'device', deviceId: r.deviceId } };
  if (r.kind === 'user' && typeof r.userId === 'string' && typeof r.reason === 'string') {
    return { from: value.from, revocation: { kind: 'user', userId: r.userId, reason: r.reason } };
  }
  if (r.kind === 'document' && typeof r.docId === 'string') return { from: value.from, revocation: { kind: 'document', docId: r.docId } };
  if (r.kind === 'document-status' && typeof r.docId === 'string') {
    return { from: value.from, revocation: { kind: 'document-status', docId: r.docId } };
  }
  if ((r.kind === 'submit-hold' || r.kind === 'submit-release') && typeof r.docId === 'string' && typeof r.holdId === 'string') {
    return { from: value.from, revocation: { kind: r.kind, docId: r.docId, holdId: r.holdId } };
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Several in-process servers on one hub (unit tests): each `join()` is one process. */
export function createMemoryRevocationHub(): { join(): RevocationBus } {
  const members = new Set<(revocation: Revocation, from: RevocationBus) => void>();
  return {
    join() {
      const handlers: ((revocation: Revocation) => void)[] = [];
      const listener = (revocation: Revocation, from: RevocationBus): void => {
        if (from !== bus) for (const handler of handlers) handler(revocation);
      };
      const bus: RevocationBus = {
        publish: (revocation) => members.forEach((member) => member(revocation, bus)),
        subscribe: (handler) => void handlers.push(handler),
        close: () => {
          members.delete(listener);
          return Promise.resolve();
        },
      };
      members.add(listener);
      return bus;
    },
  };
}
