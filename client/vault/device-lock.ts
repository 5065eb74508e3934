// `DeviceLock` (types.ts) on the vault: the PIN, the wrapped data key, wrong-PIN counting, the
// grace period, remote wipe, and the session that runs only while unlocked. Two ways in:
// `openDeviceLock` on a cold start (locked), `deviceLockForSignIn` after a password or municipal
// sign-in (needs-pin on a new device; locked, then rewrapped, where a vault already exists).
import type { Codec } from '../store/local-store';
import type { TokenSource } from '../sync/auth-client';
import { resumeWithStore, startSignedIn, type AcceptedLogin, type Session, type SessionOptions } from '../sync/session';
import {
  createAesGcmCodec,
  derivePinKey,
  fromBase64Url,
  generateDataKey,
  importRecoveryKey,
  PBKDF2_ITERATIONS,
  sealDataKey,
  toBase64Url,
  unwrapDataKey,
  UnwrapError,
  wrapDataKey,
} from './crypto';
import { attemptsLeft, graceStanding, pinProblem } from './policy';
import { DEFAULT_LOCK_POLICY, type DeviceKeys, type DeviceLock, type DeviceStatus, type LockPolicy, type LockState, type PinProblem, type UnlockFailure, type WipeMode } from './types';
import { storedDevice, type VaultRecord } from './vault-record';
import { openDexieVaultStorage, type VaultStorage } from './vault-storage';

/** client/sync/device-client.ts `fetchRecoveryKey`'s answer. */
export type RecoveryKeyAnswer =
  | { ok: true; recoveryKey: string }
  | { ok: false; reason: 'refused' | 'signed-out' | 'network' };

export interface VaultDeps {
  /** How sessions are started once unlocked (server URL, wake source, …). */
  session: SessionOptions;
  /** Default: the user's Dexie database (`keukentafel-<userId>`). */
  openStorage?: (userId: string) => Promise<VaultStorage>;
  /** client/sync/device-client.ts `checkDeviceStatus`, bound to the server URL. */
  checkDeviceStatus: (device: { deviceId: string; statusToken: string }) => Promise<DeviceStatus>;
  /** client/sync/device-client.ts `fetchRecoveryKey`, bound to the server URL. */
  fetchRecoveryKey: (tokens: TokenSource, previousDeviceId: string) => Promise<RecoveryKeyAnswer>;
  /**
   * K28: client/sync/device-client.ts `reportReplacedDevice`, bound to the server URL: after a
   * rewrap for new device keys, the server revokes the previous device id and forgets its recovery
   * key. Best effort: a failure leaves that device listed, revocable by an administrator.
   */
  reportReplacedDevice?: (tokens: TokenSource, previousDeviceId: string) => Promise<boolean>;
  /**
   * client/sync/remote-wipe.ts `remoteWipe`: sends what the mode allows, then destroys the store.
   * `wiped: false` (send-then-wipe could not drain in time): the vault keeps the data and the
   * revocation, and tries again at the next contact.
   */
  remoteWipe: (session: Session, mode: WipeMode) => Promise<{ wiped: boolean }>;
  now?: () => number;
  /** PBKDF2 iterations for a new PIN; default `PBKDF2_ITERATIONS` (tests pass fewer). */
  iterations?: number;
}

export type ForgotPinResult =
  | { ok: true }
  /** See `RecoveryKeyAnswer`; `no-vault`: nothing to recover on this device. */
  | { ok: false; reason: 'refused' | 'signed-out' | 'network' | 'no-vault' | 'key-mismatch' };

/** A `DeviceLock` made from a sign-in: it can also recover a vault whose PIN was forgotten. */
export interface SignedInDeviceLock extends DeviceLock {
  /**
   * "PIN vergeten": asks the server for the previous device's recovery key with this sign-in's
   * token (the server then revokes that device), opens the data key with it and goes to
   * needs-pin; `choosePin` then wraps the same key under the new PIN. Nothing stored is lost.
   */
  forgotPin(): Promise<ForgotPinResult>;
}

const defaultStorage = (userId: string): Promise<VaultStorage> => openDexieVaultStorage(userId);

/** Cold start: null when this device holds no vault for `userId` (sign in first). */
export async function openDeviceLock(userId: string, deps: VaultDeps): Promise<DeviceLock | null> {
  const storage = await (deps.openStorage ?? defaultStorage)(userId);
  const record = await storage.readRecord();
  if (record === null || record.userId !== userId) return null;
  const lock = new VaultLock(userId, storage, record, deps, null);
  await lock.settle();
  return lock;
}

/**
 * After a sign-in (`authenticate` / `authenticateWithTicket` in client/sync/session.ts): the
 * login's tokens are written only once the store is open with the vault's codec.
 */
export async function deviceLockForSignIn(login: AcceptedLogin, device: DeviceKeys, deps: VaultDeps): Promise<SignedInDeviceLock> {
  const storage = await (deps.openStorage ?? defaultStorage)(login.user.id);
  const record = await storage.readRecord();
  if (record === null) await storage.clearIfUnreadable();
  const lock = new VaultLock(login.user.id, storage, record, deps, { login, device });
  await lock.settle();
  return lock;
}

interface PendingSignIn {
  login: AcceptedLogin;
  device: DeviceKeys;
}

/** How the data key is reached while choosing a PIN: a new one, or the one recovery opened. */
type KeySource = { kind: 'new' } | { kind: 'recovered'; recoveryKey: CryptoKey; wrapped: Uint8Array };

class VaultLock implements SignedInDeviceLock {
  private current: LockState;
  private activeSession: Session | null = null;
  private listeners = new Set<() => void>();
  private keySource: KeySource = { kind: 'new' };
  private readonly now: () => number;
  /** One state change at a time: two unlocks racing must not both count one attempt. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly userId: string,
    private storage: VaultStorage,
    private record: VaultRecord | null,
    private readonly deps: VaultDeps,
    private pending: PendingSignIn | null,
  ) {
    this.now = deps.now ?? Date.now;
    this.current = { kind: 'destroyed' };
  }

  get policy(): LockPolicy {
    return this.pending?.device.lockPolicy ?? this.record?.device.lockPolicy ?? DEFAULT_LOCK_POLICY;
  }

  state(): LockState {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  session(): Session | null {
    return this.current.kind === 'unlocked' ? this.activeSession : null;
  }

  /** Initial state, and finishing a destroy a crash interrupted. */
  async settle(): Promise<void> {
    const record = this.record;
    if (record === null) {
      this.set(this.pending !== null ? { kind: 'needs-pin', minPinDigits: this.policy.minPinDigits } : { kind: 'destroyed' });
      return;
    }
    if (record.failedAttempts >= this.policy.maxAttempts) {
      await this.destroyAll();
      return;
    }
    if (this.pending === null) {
      const grace = graceStanding(record.lastServerContactAt, this.now(), this.policy);
      if (grace.kind === 'expired') {
        this.set({ kind: 'grace-expired', lastContactAt: grace.lastContactAt });
        return;
      }
    }
    this.set(this.lockedState(record));
  }

  choosePin(pin: string): Promise<{ ok: true } | { ok: false; reason: PinProblem }> {
    return this.serial(async () => {
      const pending = this.pending;
      if (this.current.kind !== 'needs-pin' || pending === null) throw new Error(`choosePin in state ${this.current.kind}`);
      const problem = pinProblem(pin, pending.device.lockPolicy);
      if (problem !== null) return { ok: false, reason: problem };
      const source = this.keySource;
      const extractable =
        source.kind === 'new'
          ? await generateDataKey()
          : await unwrapDataKey(source.wrapped, source.recoveryKey, { slot: 'recovery', userId: this.userId }, { extractable: true });
      const sealed = await sealDataKey(extractable, pin, pending.device.recoveryKey, this.userId, this.deps.iterations ?? PBKDF2_ITERATIONS);
      const record: VaultRecord = {
        version: 1,
        userId: this.userId,
        salt: toBase64Url(sealed.salt),
        iterations: sealed.iterations,
        pinWrapped: toBase64Url(sealed.pinWrapped),
        recoveryWrapped: toBase64Url(sealed.recoveryWrapped),
        failedAttempts: 0,
        lastServerContactAt: this.now(),
        device: storedDevice(pending.device),
        pendingWipe: null,
      };
      const codec = createAesGcmCodec(sealed.dataKey);
      if (source.kind === 'new' && (await this.storage.hasPlainData())) await this.storage.sealExisting(codec, record);
      else await this.storage.writeRecord(record);
      this.record = record;
      this.keySource = { kind: 'new' };
      await this.start(codec);
      return { ok: true };
    });
  }

  unlock(pin: string): Promise<{ ok: true } | UnlockFailure> {
    return this.serial(async (): Promise<{ ok: true } | UnlockFailure> => {
      if (this.current.kind === 'unlocked') return { ok: true };
      if (this.current.kind === 'grace-expired') return { ok: false, reason: 'grace-expired' };
      if (this.current.kind !== 'locked' || this.record === null) return { ok: false, reason: 'destroyed' };
      const policy = this.policy;
      if (this.pending === null && graceStanding(this.record.lastServerContactAt, this.now(), policy).kind === 'expired') {
        this.set({ kind: 'grace-expired', lastContactAt: this.record.lastServerContactAt });
        return { ok: false, reason: 'grace-expired' };
      }
      // K5: the attempt is on disk before the answer, so closing the tab does not undo it; counted
      // in one transaction from what is on disk, so other tabs' attempts count too.
      const counted = await this.update((r) => ({ ...r, failedAttempts: r.failedAttempts + 1 }));
      if (counted === null || counted.failedAttempts > policy.maxAttempts) {
        await this.destroyAll();
        return { ok: false, reason: 'destroyed' };
      }

      let dataKey: CryptoKey;
      let rewrap: Partial<VaultRecord> = {};
      try {
        const kek = await derivePinKey(pin, fromBase64Url(counted.salt), counted.iterations);
        const wrapped = fromBase64Url(counted.pinWrapped);
        dataKey = await unwrapDataKey(wrapped, kek, { slot: 'pin', userId: this.userId });
        if (this.pending !== null) rewrap = await this.rewrapFor(this.pending.device, kek, wrapped);
      } catch (error) {
        if (!(error instanceof UnwrapError)) throw error;
        const left = attemptsLeft(counted.failedAttempts, policy);
        if (left === 0) {
          await this.destroyAll();
          return { ok: false, reason: 'destroyed' };
        }
        this.set(this.lockedState(counted));
        return { ok: false, reason: 'wrong-pin', attemptsLeft: left };
      }
      await this.update((r) => ({ ...r, ...rewrap, failedAttempts: 0 }));
      const replaced = this.pending !== null && rewrap.device !== undefined && counted.device.deviceId !== rewrap.device.deviceId ? { login: this.pending.login, previousDeviceId: counted.device.deviceId } : null;
      await this.start(createAesGcmCodec(dataKey));
      if (replaced !== null && this.deps.reportReplacedDevice !== undefined) {
        await this.deps.reportReplacedDevice(loginTokenSource(replaced.login), replaced.previousDeviceId).catch(() => false);
      }
      return { ok: true };
    });
  }

  lock(): Promise<void> {
    return this.serial(async () => {
      if (this.current.kind !== 'unlocked' || this.record === null) return;
      const session = this.activeSession;
      this.activeSession = null;
      this.pending = null;
      // The screens hide the data at once; the flush below may wait on a request in flight.
      this.set(this.lockedState(this.record));
      // close() flushes DocPersistence and waits for the action queue's writes, then stops sync;
      // dropping the session drops the store and its codec, the only holder of the data key. An
      // unlock meanwhile waits for it (serial).
      if (session !== null) await session.close();
    });
  }

  checkServer(): Promise<DeviceStatus> {
    return this.serial(async () => {
      const record = this.record;
      const device = this.pending?.device ?? record?.device;
      if (device === undefined || record === null) return { state: 'unknown' } as const;
      let status: DeviceStatus;
      try {
        status = await this.deps.checkDeviceStatus({ deviceId: device.deviceId, statusToken: device.statusToken });
      } catch {
        status = { state: 'unknown' };
      }
      if (status.state === 'unknown') return status;
      const contactAt = this.now();
      const contacted = await this.update((r) => ({ ...r, lastServerContactAt: contactAt }));
      if (contacted === null) return status;
      if (status.state === 'active') {
        if (this.current.kind === 'grace-expired') this.set(this.lockedState(contacted));
        else if (this.current.kind === 'unlocked') this.set({ kind: 'unlocked', warning: null });
        else if (this.current.kind === 'locked') this.set(this.lockedState(contacted));
        return status;
      }
      await this.revoked(status.wipe);
      return status;
    });
  }

  forgotPin(): Promise<ForgotPinResult> {
    return this.serial(async (): Promise<ForgotPinResult> => {
      const record = this.record;
      const pending = this.pending;
      if (record === null || pending === null || this.current.kind !== 'locked') return { ok: false, reason: 'no-vault' };
      // The login's tokens are not in a store yet: a TokenSource over them for this one call.
      const tokens = loginTokenSource(pending.login);
      const answer = await this.deps.fetchRecoveryKey(tokens, record.device.deviceId);
      if (!answer.ok) return answer;
      let recoveryKey: CryptoKey;
      const wrapped = fromBase64Url(record.recoveryWrapped);
      try {
        recoveryKey = await importRecoveryKey(answer.recoveryKey);
        // Proves the key before the PIN screen: a wrong key must not lead to a PIN that opens nothing.
        await unwrapDataKey(wrapped, recoveryKey, { slot: 'recovery', userId: this.userId });
      } catch {
        return { ok: false, reason: 'key-mismatch' };
      }
      this.keySource = { kind: 'recovered', recoveryKey, wrapped };
      this.set({ kind: 'needs-pin', minPinDigits: pending.device.lockPolicy.minPinDigits });
      return { ok: true };
    });
  }

  private async rewrapFor(device: DeviceKeys, kek: CryptoKey, pinWrapped: Uint8Array): Promise<Partial<VaultRecord>> {
    // A new sign-in on a device that already holds a vault: the old PIN opened it; the new
    // device keys take over (new recovery key, status token, policy), the PIN stays.
    const transient = await unwrapDataKey(pinWrapped, kek, { slot: 'pin', userId: this.userId }, { extractable: true });
    const recoveryWrapped = await wrapDataKey(transient, await importRecoveryKey(device.recoveryKey), { slot: 'recovery', userId: this.userId });
    return {
      recoveryWrapped: toBase64Url(recoveryWrapped),
      device: storedDevice(device),
      lastServerContactAt: this.now(),
      pendingWipe: null,
    };
  }

  private async start(codec: Codec): Promise<void> {
    const store = this.storage.openStore(codec);
    const pending = this.pending;
    let session: Session | null;
    if (pending !== null) {
      const result = await startSignedIn(this.deps.session, store, pending.login);
      if (!result.ok) throw new Error(`session did not start: ${result.reason}`);
      session = result.session;
    } else {
      session = await resumeWithStore(this.deps.session, store);
    }
    if (session === null) throw new Error('the vault holds no sign-in');
    this.pending = null;
    this.activeSession = session;
    // D1/K23: the server refused the sign-in and the session deleted the database (nothing unsent,
    // or the admin chose wipe-now): the vault went with it, so the lock says so.
    const unsubscribe = session.onSignedOut((info) => {
      unsubscribe();
      if (!info.wiped || this.activeSession !== session) return;
      this.activeSession = null;
      this.record = null;
      this.set({ kind: 'wiped', mode: session.auth.revokedWipe ?? 'wipe-now' });
    });
    const record = this.record;
    const grace = record === null ? null : graceStanding(record.lastServerContactAt, this.now(), this.policy);
    this.set({ kind: 'unlocked', warning: grace?.kind === 'ok' ? grace.warning : null });
    if (record?.pendingWipe != null) await this.revoked(record.pendingWipe);
  }

  private async revoked(mode: WipeMode): Promise<void> {
    const session = this.activeSession;
    if (mode === 'send-then-wipe') {
      if (session === null) {
        // Sending needs the key: kept as a duty for the next unlock; the device stays locked.
        const duty = await this.update((r) => ({ ...r, pendingWipe: mode }));
        if (duty !== null && this.current.kind === 'grace-expired') this.set(this.lockedState(duty));
        return;
      }
      const result = await this.deps.remoteWipe(session, mode).catch(() => ({ wiped: false }));
      if (!result.wiped) {
        await this.update((r) => ({ ...r, pendingWipe: mode }));
        return;
      }
    } else if (session !== null) {
      await this.deps.remoteWipe(session, mode).catch(() => undefined);
    }
    this.activeSession = null;
    await session?.close().catch(() => undefined);
    await this.storage.destroy();
    this.record = null;
    this.set({ kind: 'wiped', mode });
  }

  private async destroyAll(): Promise<void> {
    const session = this.activeSession;
    this.activeSession = null;
    await session?.close().catch(() => undefined);
    await this.storage.destroy();
    this.record = null;
    this.keySource = { kind: 'new' };
    this.set({ kind: 'destroyed' });
    if (this.pending !== null) {
      // A sign-in is in hand: the user may start over with an empty vault and a new PIN.
      this.storage = await (this.deps.openStorage ?? defaultStorage)(this.userId);
      this.set({ kind: 'needs-pin', minPinDigits: this.policy.minPinDigits });
    }
  }

  /** Changes the record on disk (one transaction) and keeps the result; null when it is gone. */
  private async update(change: (record: VaultRecord) => VaultRecord): Promise<VaultRecord | null> {
    const next = await this.storage.updateRecord(change);
    if (next !== null) this.record = next;
    return next;
  }

  private lockedState(record: VaultRecord): LockState {
    const grace = graceStanding(record.lastServerContactAt, this.now(), this.policy);
    return {
      kind: 'locked',
      attemptsLeft: attemptsLeft(record.failedAttempts, this.policy),
      warning: grace.kind === 'ok' && this.pending === null ? grace.warning : null,
    };
  }

  private set(state: LockState): void {
    this.current = state;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A broken screen must not stop the others from hearing the change.
      }
    }
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** The access token of a login whose store is not open yet; no refresh (the login is seconds old). */
function loginTokenSource(login: AcceptedLogin): TokenSource {
  return {
    accessToken: () => login.tokens.accessToken,
    refresh: () => Promise.resolve('revoked'),
  };
}

