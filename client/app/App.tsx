// The app: resumes the last sign-in from this device (offline too), shows the sign-in screen
// otherwise, and routes the signed-in screens. Editor, preview and kantoor are separate chunks,
// so the first screen stays small; the service worker precaches them all for offline use.
import { useEffect, useState } from 'preact/hooks';
import { LocationProvider, Route, Router, lazy, useLocation } from 'preact-iso';
import { worksOnDocuments } from '../../shared/model/roles';
import { resumeSession, type Session } from '../sync/session';
import { browserWakeSource } from '../sync/wake-source';
import { AppHeader } from './components/AppHeader';
import { PrivacyCover } from './components/PrivacyCover';
import { ScreenErrorBoundary } from './components/ScreenError';
import { UpdatePrompt } from './components/UpdatePrompt';
import { appVersion, serverUrl } from './config';
import { SessionContext, isOffice, useSyncEvents, type AppSession } from './session/context';
import { forgetUser, lastUserId, rememberUser } from './session/device-memory';
import { DocumentList } from './screens/DocumentList';
import { NewDocument } from './screens/NewDocument';
import { NotFound } from './screens/NotFound';
import { SignIn } from './screens/SignIn';
import { SignOut } from './screens/SignOut';

const Editor = lazy(() => import('./screens/Editor').then((m) => m.Editor));
const Preview = lazy(() => import('./screens/Preview').then((m) => m.Preview));
const ReadAlong = lazy(() => import('./screens/ReadAlong').then((m) => m.ReadAlong));
const Inbox = lazy(() => import('./screens/Inbox').then((m) => m.Inbox));
const Outbox = lazy(() => import('./screens/Outbox').then((m) => m.Outbox));
// B: the administration screens, one chunk; only administrators ever load it.
const AdminUsers = lazy(() => import('./admin/Users').then((m) => m.Users));
const AdminUser = lazy(() => import('./admin/User').then((m) => m.User));
const AdminNewUser = lazy(() => import('./admin/NewUser').then((m) => m.NewUser));
const AdminTeams = lazy(() => import('./admin/Teams').then((m) => m.Teams));
const AuditLog = lazy(() => import('./screens/AuditLog').then((m) => m.AuditLog));

const READ_ALONG_PATH = /^\/document\/[^/]+\/meelezen$/;

type AppState =
  | { kind: 'starting' }
  | { kind: 'signed-out'; notice: string | null }
  | { kind: 'signed-in'; session: Session; notice: string | null };

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
        const session = await resumeSession({ serverUrl: serverUrl(), userId, wake: browserWakeSource(), appVersion });
        if (cancelled) return;
        if (session === null) {
          forgetUser();
          setState({ kind: 'signed-out', notice: null });
        } else setState({ kind: 'signed-in', session, notice: null });
      } catch {
        if (!cancelled) setState({ kind: 'signed-out', notice: 'De gegevens op dit apparaat konden niet worden geopend. Meld u opnieuw aan.' });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  const session = state.kind === 'signed-in' ? state.session : null;
  useEffect(() => {
    if (session === null) return undefined;
    // The server ended the sign-in (revoked device, a reused refresh token, expired refresh token):
    // the user reads "afgemeld" either way, since only a new sign-in helps.
    return session.onSignedOut(({ wiped }) => {
      if (wiped) {
        forgetUser();
        void session.close();
        setState({ kind: 'signed-out', notice: 'U bent afgemeld: de server heeft de aanmelding van dit apparaat beëindigd. De gegevens op dit apparaat zijn gewist.' });
      } else {
        setState({
          kind: 'signed-in',
          session,
          notice: 'U bent afgemeld: uw aanmelding is verlopen of beëindigd. Meld u opnieuw aan om de niet-verzonden documenten te versturen.',
        });
      }
    });
  }, [session]);

  const onSignedIn = (next: Session): void => {
    rememberUser(next.user.id);
    setState({ kind: 'signed-in', session: next, notice: null });
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
      {state.kind === 'signed-in' && (
        <SignedIn
          session={state.session}
          notice={state.notice}
          onSignedOut={() => {
            forgetUser();
            setState({ kind: 'signed-out', notice: 'U bent afgemeld. De gegevens op dit apparaat zijn gewist.' });
          }}
          onSignInAgain={() => {
            void state.session.close();
            setState({ kind: 'signed-out', notice: null });
          }}
        />
      )}
      <UpdatePrompt sync={session?.sync ?? null} />
      <PrivacyCover />
    </LocationProvider>
  );
}

interface SignedInProps {
  session: Session;
  notice: string | null;
  onSignedOut: () => void;
  onSignInAgain: () => void;
}

function SignedIn({ session, notice, onSignedOut, onSignInAgain }: SignedInProps) {
  useSyncEvents(session);
  // A screen that failed gets a fresh chance on the next navigation.
  const { path } = useLocation();
  const office = isOffice(session);
  const documents = worksOnDocuments(session.user.roles);
  const value: AppSession = { session, signedOut: onSignedOut };
  return (
    <SessionContext.Provider value={value}>
      {/* Read-along: the citizen holds the phone; no navigation to the official's other documents. */}
      {!READ_ALONG_PATH.test(path) && <AppHeader userName={session.user.name} office={office} documents={documents} admin={session.user.roles.includes('admin')} connectivity={session.sync.connectivity} />}
      <main id="inhoud" class="kt-main">
        {notice !== null && (
          <div class="utrecht-alert utrecht-alert--warning kt-alert" role="alert">
            <div class="utrecht-alert__content">
              <p class="utrecht-paragraph">{notice}</p>
              <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={onSignInAgain}>
                Opnieuw aanmelden
              </button>
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
            <Route path="/beheer" component={AdminUsers} />
            <Route path="/beheer/nieuw" component={AdminNewUser} />
            <Route path="/beheer/gebruiker/:id" component={AdminUser} />
            <Route path="/beheer/teams" component={AdminTeams} />
            <Route path="/beheer/logboek" component={AuditLog} />
            <Route path="/afmelden" component={SignOut} />
            <Route default component={NotFound} />
          </Router>
        </ScreenErrorBoundary>
      </main>
    </SessionContext.Provider>
  );
}
