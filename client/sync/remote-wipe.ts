// Remote wipe (issue 13): what a device does once the server says it is revoked. `wipe-now` (a lost
// phone) destroys the user's local database at once, unsent work included: the admin chose that.
// `send-then-wipe` (a leaver) first lets every document reach the server and the action queue run
// empty, within a bound, reporting progress; only then it signs out and destroys the store. When the
// bound passes first nothing is destroyed: the next contact tries again, and the server turns the
// revocation into wipe-now once DEVICE_DRAIN_DAYS have passed.
import type { WipeMode } from '../vault/types';
import type { Session } from './session';

export interface WipeProgress {
  /** Documents whose edits the server has not acknowledged yet. */
  unsavedDocIds: string[];
  /** Queued actions (submits, returns) not yet accepted or refused by the server. */
  pendingActions: number;
}

export interface RemoteWipeOptions {
  /** send-then-wipe: give up after this long without an empty device; default 2 minutes. */
  drainTimeoutMs?: number;
  /** send-then-wipe: called with what is still unsent, at the start and on every change. */
  onProgress?: (progress: WipeProgress) => void;
}

export type RemoteWipeResult =
  /** Store destroyed. `lost`: what was unsent when it went (always empty after send-then-wipe). */
  | { wiped: true; lost: WipeProgress }
  /** send-then-wipe only: the bound passed with work unsent; nothing was destroyed. */
  | { wiped: false; reason: 'drain-timeout'; unsent: WipeProgress };

export const DEFAULT_DRAIN_TIMEOUT_MS = 2 * 60_000;

/** Re-checks what is unsent at least this often while draining, besides every sync and queue event. */
const DRAIN_RECHECK_MS = 1_000;

export async function remoteWipe(session: Session, mode: WipeMode, opts: RemoteWipeOptions = {}): Promise<RemoteWipeResult> {
  if (mode === 'wipe-now') {
    // The admin chose to lose what is unsent (a lost phone): counted for the screen, not sent.
    const lost = await unsentOf(session).catch(() => ({ unsavedDocIds: session.sync.unsavedDocIds(), pendingActions: 0 }));
    await session.signOut({ force: true });
    return { wiped: true, lost };
  }
  const drained = await drain(session, opts.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS, opts.onProgress);
  if (!drained.ok) return { wiped: false, reason: 'drain-timeout', unsent: drained.unsent };
  // Not forced: should anything have been written meanwhile, the store stays and the next contact tries again.
  const out = await session.signOut();
  if (!out.ok) return { wiped: false, reason: 'drain-timeout', unsent: { unsavedDocIds: out.unsavedDocIds, pendingActions: out.pendingActions } };
  return { wiped: true, lost: { unsavedDocIds: [], pendingActions: 0 } };
}

async function unsentOf(session: Session): Promise<WipeProgress> {
  return { unsavedDocIds: session.sync.unsavedDocIds(), pendingActions: (await session.actions.list()).length };
}

const isEmpty = (p: WipeProgress): boolean => p.unsavedDocIds.length === 0 && p.pendingActions === 0;

/** Resolves once nothing is unsent, or with what is still unsent when `timeoutMs` passed first. */
function drain(session: Session, timeoutMs: number, onProgress?: (p: WipeProgress) => void): Promise<{ ok: true } | { ok: false; unsent: WipeProgress }> {
  return new Promise((resolve) => {
    let last: WipeProgress | null = null;
    let done = false;
    let checking = false;
    let again = false;
    const finish = (result: { ok: true } | { ok: false; unsent: WipeProgress }): void => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      clearInterval(recheck);
      offSync();
      offActions();
      resolve(result);
    };
    const check = async (): Promise<void> => {
      if (done) return;
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        const now = await unsentOf(session);
        if (last === null || now.unsavedDocIds.join() !== last.unsavedDocIds.join() || now.pendingActions !== last.pendingActions) onProgress?.(now);
        last = now;
        if (isEmpty(now)) finish({ ok: true });
      } catch {
        // The store cannot be read right now: the next event or re-check tries again.
      } finally {
        checking = false;
      }
      if (again) {
        again = false;
        void check();
      }
    };
    const deadline = setTimeout(() => finish({ ok: false, unsent: last ?? { unsavedDocIds: session.sync.unsavedDocIds(), pendingActions: 0 } }), timeoutMs);
    const recheck = setInterval(() => void check(), DRAIN_RECHECK_MS);
    const offSync = session.sync.subscribe(() => void check());
    const offActions = session.actions.subscribe(() => void check());
    // Send now rather than at the next backoff step: the device is on its way out.
    session.sync.reconnect();
    void session.actions.replay();
    void check();
  });
}
