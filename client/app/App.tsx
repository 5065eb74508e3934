// The app: on a cold start opens the last user's device vault (K14: always locked first, offline
// too), shows the lock screens by the vault's state, the sign-in screen otherwise, and routes the
// signed-in screens only while the vault is unlocked (K19). Idle input locks it again (K13).
// Editor, preview and kantoor are separate chunks, so the first screen stays small; the service
// worker precaches them all for offline use.
import { useEffect, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, lazy, useLocation } from 'preact-iso';
import { worksOnDocuments } from '../../shared/model/roles';
import type { Session } from '../sync/session';
import type { SyncManager } from '../sync/sync-manager';
import { browserWakeSource } from '../sync/wake-source';
import type { SignedInDeviceLock } from '../vault/device-lock';
import type { DeviceLock, GraceWarning } from '../vault/types';
import { AppHeader } from './components/AppHeader';
import { PrivacyCover } from './components/PrivacyCover';
import { ScreenErrorBoundary } from './components/ScreenError';
import { UpdatePrompt } from './components/UpdatePrompt';
import { appVersion, serverUrl } from './config';
import { browserClock, createIdleTimer, watchDocumentActivity } from './logic/idle-timer';
import { graceWarningText } from './logic/lock-text';
import { SessionContext, isOffice, useSyncEvents, type AppSession } from './session/context';
import { openLock } from './session/device-lock';
import { forgetUser, lastUserId, rememberUser } from './session/device-memory';
import { useLockState } from './session/lock-state';
import { useNotices } from './session/notice-center';
import { DocumentList } from './screens/DocumentList';
import { NewDocument } from './screens/NewDocument';
import { NotFound } from './screens/NotFound';
import { SignIn } from './screens/SignIn';
import { SignOut } from './screens/SignOut';
import { ChoosePin } from './screens/lock/ChoosePin';
import { DataGone, type GoneReason } from './screens/lock/DataGone';
import { GraceExpired } from './screens/lock/GraceExpired';
import { Unlock, type RecoveryState } from './screens/lock/Unlock';

const Editor = lazy(() => import('./screens/Editor').then((m) => m.Editor));
const Preview = lazy(() => import('./screens/Preview').then((m) => m.Preview));
const ReadAlong = lazy(() => import('./screens/ReadAlong').then((m) => m.ReadAlong));
const Inbox = lazy(() => import('./screens/Inbox').then((m) => m.Inbox));
const Outbox = lazy(() => import('./screens/Outbox').then((m) => m.Outbox));
const Discarded = lazy(() => import('./screens/Discarded').then((m) => m.Discarded));
// B: the administration screens, one chunk; only administrators ever load it.
const AdminUsers = lazy(() => import('./admin/Users').then((m) => m.Users));
const AdminUser = lazy(() => import('./admin/User').then((m) => m.User));
const AdminNewUser = lazy(() => import('./admin/NewUser').then((m) => m.NewUser));
const AdminTeams = lazy(() => import('./admin/Teams').then((m) => m.Teams));
const AuditLog = lazy(() => import('./screens/AuditLog').then((m) => m.AuditLog));
const Notices = lazy(() => import('./screens/Notices').then((m) => m.Notices));

const READ_ALONG_PATH = /^\/document\/[^/]+\/meelezen$/;

type AppState =
  | { kind: 'starting' }
  /** `forgotPin`: the user chose "Pincode vergeten"; the next sign-in recovers this device's data. */
  | { kind: 'signed-out'; notice: string | null; forgotPin?: boolean }
  /** `signedIn`: the lock came from a sign-in (it can recover with the server's key), not a cold start. */
  | { kind: 'device'; lock: DeviceLock; signedIn: SignedInDeviceLock | null; forgotPin?: boolean }
  | { kind: 'gone'; reason: GoneReason };

const SIGNED_OUT = 'U bent afgemeld. De gegevens op dit apparaat zijn gewist.';
const REVOKED = 'U bent afgemeld: de server heeft de aanmelding van dit apparaat beëindigd. De gegevens op dit apparaat zijn gewist.';
const FORGOT_PIN = 'Meld u opnieuw aan. Daarna kiest u een nieuwe pincode. Wat op dit apparaat staat, blijft bewaard.';

export function App() {
  const [state, setState] = useState<AppState>({ kind: 'starting' });

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const userId = lastUserId();
      // I2: back from the municipal sign-in with a ticket: the sign-in screen redeems it.
      if (userId === null || window.location.hash.includes('oidc-ticket=')) {
        setState({ kind: 'signed-out', notice: null });
        return;
      }
      try {
        const lock = await openLock({ serverUrl: serverUrl(), userId, wake: browserWakeSource(), appVersion });
        if (cancelled) return;
        if (lock === null) {
          forgetUser();
          setState({ kind: 'signed-out', notice: null });
        } else setState({ kind: 'device', lock, signedIn: null });
      } catch {
        if (!cancelled) setState({ kind: 'signed-out', notice: 'De gegevens op dit apparaat konden niet worden geopend. Meld u opnieuw aan.' });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  const lock = state.kind === 'device' ? state.lock : null;

  const onSignedIn = (next: SignedInDeviceLock): void => {
    rememberUser(next.userId);
    setState({ kind: 'device', lock: next, signedIn: next, forgotPin: state.kind === 'signed-out' && state.forgotPin === true });
  };
  const gone = (reason: GoneReason): void => {
    forgetUser();
    setState({ kind: 'gone', reason });
  };

  return (
    <LocationProvider>
      <a class="kt-skip-link" href="#inhoud">
        Naar de inhoud
      </a>
      {state.kind === 'starting' && (
        <main id="inhoud" class="kt-main" aria-busy="true">
          <p class="utrecht-paragraph kt-starting">Keukentafel wordt geopend…</p>
        </main>
      )}
      {state.kind === 'signed-out' && (
        <main id="inhoud" class="kt-main">
          <SignIn notice={state.notice} onSignedIn={onSignedIn} />
        </main>
      )}
      {state.kind === 'gone' && (
        <main id="inhoud" class="kt-main">
          <DataGone reason={state.reason} onSignInAgain={() => setState({ kind: 'signed-out', notice: null })} />
        </main>
      )}
      {lock !== null && (
        <Device
          key={lock.userId}
          lock={lock}
          signedIn={state.kind === 'device' ? state.signedIn : null}
          forgotPin={state.kind === 'device' && state.forgotPin === true}
          onGone={gone}
          onSignedOut={(notice) => {
            forgetUser();
            setState({ kind: 'signed-out', notice });
          }}
          onSignInAgain={(notice, forgotPin) => setState({ kind: 'signed-out', notice, forgotPin })}
        />
      )}
      <AppUpdatePrompt lock={lock} />
      <PrivacyCover />
    </LocationProvider>
  );
}

interface DeviceProps {
  lock: DeviceLock;
  /** The same lock when it came from a sign-in: only then can "Pincode vergeten" recover at once. */
  signedIn: SignedInDeviceLock | null;
  /** Signed in after "Pincode vergeten": recover with the server's key instead of asking the old PIN. */
  forgotPin: boolean;
  onGone: (reason: GoneReason) => void;
  /** Signed out and the data wiped (sign-out, revocation). */
  onSignedOut: (notice: string) => void;
  /** To the sign-in screen with the data kept ("Pincode vergeten", an expired sign-in). */
  onSignInAgain: (notice: string | null, forgotPin: boolean) => void;
}

/** The screens of one user's data on this device, by the vault's state. */
function Device({ lock, signedIn, forgotPin, onGone, onSignedOut, onSignInAgain }: DeviceProps) {
  const state = useLockState(lock);
  const [recovery, setRecovery] = useState<RecoveryState>('idle');

  // The next contact with the server: renews the grace period; a revoked device wipes (K16).
  useEffect(() => {
    lock.checkServer().catch(() => undefined);
  }, [lock]);

  useEffect(() => {
    if (state.kind === 'destroyed') onGone('destroyed');
    if (state.kind === 'wiped') onGone(state.mode === 'wipe-now' ? 'wiped-now' : 'wiped-after-send');
  }, [state.kind]);

  // "Pincode vergeten", then signed in again: the server's recovery key opens the data, a new PIN follows.
  const recover = async (): Promise<void> => {
    if (signedIn === null) {
      onSignInAgain(FORGOT_PIN, true);
      return;
    }
    setRecovery('busy');
    const result = await signedIn.forgotPin().catch(() => ({ ok: false as const, reason: 'network' as const }));
    setRecovery(result.ok ? 'idle' : result.reason === 'network' ? 'failed-network' : 'failed');
  };
  useEffect(() => {
    if (forgotPin && state.kind === 'locked') void recover();
  }, [lock, forgotPin]);

  const session = state.kind === 'unlocked' ? lock.session() : null;
  return (
    <>
      {state.kind === 'unlocked' && session !== null ? (
        <Unlocked
          lock={lock}
          session={session}
          warning={state.warning}
          onSignedOut={onSignedOut}
          onSignInAgain={() => {
            void lock.lock();
            onSignInAgain(null, false);
          }}
        />
      ) : (
        <main id="inhoud" class="kt-main" aria-busy={state.kind === 'unlocked' || state.kind === 'destroyed' || state.kind === 'wiped'}>
          {state.kind === 'needs-pin' && <ChoosePin lock={lock} minPinDigits={state.minPinDigits} />}
          {state.kind === 'locked' && (
            <Unlock
              lock={lock}
              attemptsLeft={state.attemptsLeft}
              warning={state.warning}
              recovery={recovery}
              onForgotPin={() => void recover()}
            />
          )}
          {state.kind === 'grace-expired' && <GraceExpired lock={lock} lastContactAt={state.lastContactAt} />}
          {(state.kind === 'unlocked' || state.kind === 'destroyed' || state.kind === 'wiped') && (
            <p class="utrecht-paragraph kt-starting">Keukentafel wordt geopend…</p>
          )}
        </main>
      )}
    </>
  );
}

/**
 * Always mounted, whatever the lock's state: it registers the service worker, which the sign-in
 * and lock screens need too (offline start, installability). Flushes the unlocked session's
 * documents before an update reloads.
 */
function AppUpdatePrompt({ lock }: { lock: DeviceLock | null }) {
  const [sync, setSync] = useState<SyncManager | null>(null);
  useEffect(() => {
    if (lock === null) {
      setSync(null);
      return undefined;
    }
    const update = (): void => setSync(lock.session()?.sync ?? null);
    update();
    return lock.subscribe(update);
  }, [lock]);
  return <UpdatePrompt sync={sync} />;
}

interface UnlockedProps {
  lock: DeviceLock;
  session: Session;
  warning: GraceWarning | null;
  onSignedOut: (notice: string) => void;
  onSignInAgain: () => void;
}

function Unlocked({ lock, session, warning, onSignedOut, onSignInAgain }: UnlockedProps) {
  const [notice, setNotice] = useState<string | null>(null);

  // K13: no input for the policy's idle time locks the app (writes flushed first, by the vault).
  useEffect(() => {
    const timer = createIdleTimer({ timeoutMs: lock.policy.idleLockMs, clock: browserClock, onIdle: () => void lock.lock() });
    const unwatch = watchDocumentActivity(document, timer);
    return () => {
      unwatch();
      timer.stop();
    };
  }, [lock]);

  useEffect(
    () =>
      // The server ended the sign-in (revoked device, a reused refresh token, expired refresh token):
      // the user reads "afgemeld" either way, since only a new sign-in helps.
      session.onSignedOut(({ wiped }) => {
        if (wiped) {
          void session.close();
          onSignedOut(REVOKED);
        } else {
          setNotice('U bent afgemeld: uw aanmelding is verlopen of beëindigd. Meld u opnieuw aan om de niet-verzonden documenten te versturen.');
        }
      }),
    [session],
  );

  return (
    <SignedIn
      session={session}
      notice={notice ?? (warning === null ? null : graceWarningText(warning))}
      noticeAction={notice !== null}
      onSignedOut={() => onSignedOut(SIGNED_OUT)}
      onSignInAgain={onSignInAgain}
    />
  );
}

interface SignedInProps {
  session: Session;
  notice: string | null;
  /** The notice asks for a new sign-in (its button); otherwise it only informs. */
  noticeAction: boolean;
  onSignedOut: () => void;
  onSignInAgain: () => void;
}

function SignedIn({ session, notice, noticeAction, onSignedOut, onSignInAgain }: SignedInProps) {
  useSyncEvents(session);
  // A screen that failed gets a fresh chance on the next navigation.
  const { path, route } = useLocation();
  const office = isOffice(session);
  const documents = worksOnDocuments(session.user.roles);
  const value: AppSession = { session, signedOut: onSignedOut };
  // Y7: the badge on every screen; opening a document reads its notices.
  const notices = useNotices(session);
  const openDoc = /^\/document\/([^/]+)/.exec(path)?.[1] ?? null;
  useEffect(() => {
    if (openDoc !== null) void notices.center.markDocumentSeen(openDoc);
  }, [openDoc, notices.notices]);
  // Y15: a tap on the device's notification focuses the app, which opens /meldingen itself.

  useEffect(() => {
    const sw = navigator.serviceWorker as ServiceWorkerContainer | undefined;
    if (sw === undefined) return undefined;
    const onMessage = (event: MessageEvent): void => {
      const data: unknown = event.data;
      if (typeof data === 'object' && data !== null && (data as { type?: unknown }).type === 'open-notices') route('/meldingen');
    };
    sw.addEventListener('message', onMessage);
    return () => sw.removeEventListener('message', onMessage);
  }, [route]);
  return (
    <SessionContext.Provider value={value}>
      {/* Read-along: the citizen holds the phone; no navigation to the official's other documents. */}
      {!READ_ALONG_PATH.test(path) && <AppHeader userName={session.user.name} office={office} documents={documents} admin={session.user.roles.includes('admin')} connectivity={session.sync.connectivity} unseenNotices={documents ? notices.unseen : null} />}
      <main id="inhoud" class="kt-main">
        {notice !== null && (
          <div class="utrecht-alert utrecht-alert--warning kt-alert" role="alert">
            <div class="utrecht-alert__content">
              <p class="utrecht-paragraph">{notice}</p>
              {noticeAction && (
                <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={onSignInAgain}>
                  Opnieuw aanmelden
                </button>
              )}
            </div>
          </div>
        )}
        <ScreenErrorBoundary key={path}>
          <Router>
            {/* B9: an account without a document role (an administrator) starts at Beheer. */}
            <Route path="/" component={documents ? DocumentList : AdminUsers} />
            <Route path="/nieuw" component={NewDocument} />
            <Route path="/document/:id" component={Editor} />
            <Route path="/document/:id/voorbeeld" component={Preview} />
            <Route path="/document/:id/meelezen" component={ReadAlong} />
            <Route path="/kantoor" component={Inbox} />
            <Route path="/kantoor/verzending" component={Outbox} />
            <Route path="/kantoor/verwijderd" component={Discarded} />
            <Route path="/beheer" component={AdminUsers} />
            <Route path="/beheer/nieuw" component={AdminNewUser} />
            <Route path="/beheer/gebruiker/:id" component={AdminUser} />
            <Route path="/beheer/teams" component={AdminTeams} />
            <Route path="/beheer/logboek" component={AuditLog} />
            <Route path="/meldingen" component={Notices} />
            <Route path="/afmelden" component={SignOut} />
            <Route default component={NotFound} />
          </Router>
        </ScreenErrorBoundary>
      </main>
    </SessionContext.Provider>
  );
}
