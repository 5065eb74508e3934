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

export async function remoteWipe(session: Session, mode: WipeMode, opts: RemoteWipeOptions = {}): Promise<RemoteWipeResult> {
  void session;
  void mode;
  void opts;
  return Promise.reject(new Error('not implemented yet'));
}
