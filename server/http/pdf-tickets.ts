// One-use tickets for PDF links (N8). A PDF opens in a new tab or the phone's PDF viewer, which
// cannot send an Authorization header; a link with the access token in it would put a live
// credential in the browser's History and session files, which a personal phone may sync to the
// user's private account. A ticket stands in for the token: bound to one submission's PDF, good for
// one request within minutes, so what History keeps is dead. The token itself stays here and is
// verified again at redemption, so a revoked device or an expired token opens nothing.
// Tickets live in this process's memory: a restart (or another process, issue 15) refuses them and
// the app asks for a new one.
import { randomBytes } from 'node:crypto';

export interface PdfTicketTarget {
  docId: string;
  version: number;
}

export interface PdfTickets {
  issue(accessToken: string, target: PdfTicketTarget): string;
  /** The access token the ticket stood for; null when unknown, used, expired or for another PDF. */
  redeem(ticket: string, target: PdfTicketTarget): string | null;
}

export const PDF_TICKET_TTL_MS = 10 * 60_000;
/** Beyond this many live tickets the oldest go first: minting cannot grow memory without bound. */
export const PDF_TICKET_MAX = 10_000;

interface Held extends PdfTicketTarget {
  accessToken: string;
  expiresAt: number;
}

export function createPdfTickets(opts: { now: () => number; ttlMs?: number; max?: number; random?: () => string }): PdfTickets {
  const ttlMs = opts.ttlMs ?? PDF_TICKET_TTL_MS;
  const max = opts.max ?? PDF_TICKET_MAX;
  const random = opts.random ?? ((): string => randomBytes(24).toString('base64url'));
  // A Map iterates in insertion order, so the first keys are the oldest.
  const held = new Map<string, Held>();

  const dropExpired = (t: number): void => {
    for (const [ticket, entry] of held) {
      if (entry.expiresAt > t) break;
      held.delete(ticket);
    }
  };

  return {
    issue(accessToken, target) {
      const t = opts.now();
      dropExpired(t);
      while (held.size >= max) {
        const oldest = held.keys().next();
        if (oldest.done === true) break;
        held.delete(oldest.value);
      }
      const ticket = random();
      held.set(ticket, { ...target, accessToken, expiresAt: t + ttlMs });
      return ticket;
    },
    redeem(ticket, target) {
      const entry = held.get(ticket);
      if (entry === undefined) return null;
      // Used once, whatever the outcome: a ticket tried for another PDF is spent too.
      held.delete(ticket);
      if (entry.expiresAt <= opts.now()) return null;
      if (entry.docId !== target.docId || entry.version !== target.version) return null;
      return entry.accessToken;
    },
  };
}
