// The app's one door to the device vault (client/vault/): a cold start opens the last user's
// DeviceLock, a sign-in (password or municipal ticket) hands its login to one. The screens only
// ever see a DeviceLock.
//
// TODO(issue 13): INTERIM until wip/vault's wiring is merged: the lock below wraps the old
// plaintext session and is always unlocked. It exists so the screens can be built and the app
// keeps working; it protects nothing.
import { resumeSession, signIn, signInWithTicket, type SessionOptions, type SignInResult, type Session } from '../../sync/session';
import { DEFAULT_LOCK_POLICY, type DeviceLock, type LockState } from '../../vault/types';

export type LockSignInResult =
  /** `roles`: where the app lands once unlocked (office: the inbox). */
  | { ok: true; lock: DeviceLock; roles: readonly string[]; deviceProof: string | null }
  | Extract<SignInResult, { ok: false }>;

export async function openLock(opts: SessionOptions & { userId: string }): Promise<DeviceLock | null> {
  const session = await resumeSession(opts);
  return session === null ? null : sessionLock(session);
}

export async function signInToLock(
  opts: SessionOptions & { username: string; password: string; deviceName: string; deviceProof?: string | null },
): Promise<LockSignInResult> {
  return toLock(await signIn(opts));
}

export async function ticketToLock(opts: SessionOptions & { ticket: string }): Promise<LockSignInResult> {
  return toLock(await signInWithTicket(opts));
}

function toLock(result: SignInResult): LockSignInResult {
  return result.ok ? { ok: true, lock: sessionLock(result.session), roles: result.session.user.roles, deviceProof: result.deviceProof } : result;
}

function sessionLock(session: Session): DeviceLock {
  const state: LockState = { kind: 'unlocked', warning: null };
  return {
    userId: session.user.id,
    policy: DEFAULT_LOCK_POLICY,
    state: () => state,
    subscribe: () => () => undefined,
    choosePin: () => Promise.resolve({ ok: true }),
    unlock: () => Promise.resolve({ ok: true }),
    lock: () => Promise.resolve(),
    checkServer: () => Promise.resolve({ state: 'unknown' }),
    session: () => session,
  };
}
