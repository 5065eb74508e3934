// The device vault's contract (issue 13): what the app's screens and the session see of the data
// key, the PIN lock, the grace period and remote wipe. The vault is the one place that sees
// plaintext keys; everything else gets a `Codec` (client/store/local-store.ts) or a state.
//
// Life of a device for one user:
//   sign-in (password or municipal) ─▶ needs-pin ─ choose PIN ─▶ unlocked ─ idle / hidden / cold start ─▶ locked
//   locked ─ right PIN ─▶ unlocked        locked ─ wrong PIN × max ─▶ destroyed (key gone, data unreadable, DB deleted)
//   locked ─ no server contact for `graceDays` ─▶ grace-expired ─ server reached and device active ─▶ locked
//   any ─ server says revoked ─▶ wiped (after sending what is unsent when the revocation allows it)
import type { Codec } from '../store/local-store';

/** Settings of the lock; operators set them on the server, which sends them with `DeviceKeys`. */
export interface LockPolicy {
  /** Minimum PIN length, digits only; at least 6. */
  minPinDigits: number;
  /** Wrong PINs in a row after which the local data key is destroyed. */
  maxAttempts: number;
  /** Lock after this long without input while the app is open. */
  idleLockMs: number;
  /** Stop unlocking after this many days without reaching the server. */
  graceDays: number;
  /** Warn this many days before the grace period ends. */
  graceWarnDays: number;
}

export const DEFAULT_LOCK_POLICY: LockPolicy = {
  minPinDigits: 6,
  maxAttempts: 10,
  idleLockMs: 5 * 60_000,
  graceDays: 14,
  graceWarnDays: 3,
};

/** What the server gave this device at sign-in for the vault (login and ticket responses). */
export interface DeviceKeys {
  deviceId: string;
  /** Lets a locked device ask the server whether it is still active (no token needed, no data). */
  statusToken: string;
  /** base64url of 32 random bytes the server keeps per device: a second wrapping of the data key. */
  recoveryKey: string;
  lockPolicy: LockPolicy;
}

export interface GraceWarning {
  /** Whole days until the device stops unlocking without server contact; 0 = today. */
  daysLeft: number;
  lastContactAt: number;
}

export type LockState =
  /** Signed in, no PIN chosen on this device yet (first sign-in, or data from before encryption). */
  | { kind: 'needs-pin'; minPinDigits: number }
  | { kind: 'locked'; attemptsLeft: number; warning: GraceWarning | null }
  | { kind: 'unlocked'; warning: GraceWarning | null }
  /** No server contact for `graceDays`: unlocking waits until the server confirmed the device. */
  | { kind: 'grace-expired'; lastContactAt: number }
  /** Too many wrong PINs: the data key is gone; only a new sign-in helps. */
  | { kind: 'destroyed' }
  /** The server revoked this device and its data is deleted (after sending it, for `send-then-wipe`). */
  | { kind: 'wiped'; mode: WipeMode };

export type UnlockFailure =
  /** `attemptsLeft === 1`: the screen says that the next wrong PIN erases what is not on the server. */
  | { ok: false; reason: 'wrong-pin'; attemptsLeft: number }
  | { ok: false; reason: 'destroyed' }
  | { ok: false; reason: 'grace-expired' };

export type UnlockResult = { ok: true; codec: Codec } | UnlockFailure;

/** How a revocation treats what the device has not sent yet (the admin chooses). */
export type WipeMode =
  /** A lost or stolen phone: wipe at once, send nothing. */
  | 'wipe-now'
  /** A leaver: send what is unsent, then wipe. */
  | 'send-then-wipe';

/** `POST /api/auth/device-status` as the client sees it. */
export type DeviceStatus =
  | { state: 'active' }
  | { state: 'revoked'; wipe: WipeMode }
  /** Not reachable: offline, server error. Counts as no contact. */
  | { state: 'unknown' };

export type PinProblem = 'pin-too-short' | 'pin-not-digits' | 'pin-too-simple';

/**
 * The app's handle on one user's data on this device, locked or not (client/vault/ implements it,
 * the screens in client/app/ show it). `session()` is non-null only while `unlocked`.
 */
export interface DeviceLock {
  readonly userId: string;
  state(): LockState;
  /** Fires on every state change (lock, unlock, warning, wipe). */
  subscribe(listener: () => void): () => void;
  /** needs-pin → unlocked. Refuses PINs shorter than the policy, with letters, or trivial (000000, 123456). */
  choosePin(pin: string): Promise<{ ok: true } | { ok: false; reason: PinProblem }>;
  /** locked → unlocked; works offline. */
  unlock(pin: string): Promise<{ ok: true } | UnlockFailure>;
  /** unlocked → locked: local writes flushed first, sync stopped, key forgotten. Nothing unsent is lost. */
  lock(): Promise<void>;
  /** Asks the server about this device (no token needed); updates the grace period and wipes when revoked. */
  checkServer(): Promise<DeviceStatus>;
  session(): import('../sync/session').Session | null;
  readonly policy: LockPolicy;
}
