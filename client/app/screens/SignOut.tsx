// Afmelden: deletes this user's local database (D1). While documents or actions have not
// reached the server, sign-out refuses and lists them; "Toch afmelden" forces it, and says
// plainly that the unsent changes are lost.
import { useState } from 'preact/hooks';
import { userIndexRoom } from '../../../shared/protocol/rooms';
import { ScreenHeading } from '../components/ScreenHeading';
import { displayTitle, mergeDocRows, type LocalDocRecord } from '../logic/doc-list';
import { useAppSession, useIndexFeed } from '../session/context';
import { readLocalDocs } from '../session/local-docs';

type State =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'blocked'; titles: string[]; pendingActions: number }
  | { kind: 'failed' };

export function SignOut() {
  const { session, signedOut } = useAppSession();
  const index = useIndexFeed(session, userIndexRoom(session.user.id));
  const [state, setState] = useState<State>({ kind: 'idle' });

  const signOut = async (force: boolean): Promise<void> => {
    setState({ kind: 'busy' });
    try {
      let local: LocalDocRecord[] = [];
      if (!force) local = await readLocalDocs(session.store).catch(() => []);
      const result = await session.signOut({ force });
      if (result.ok) {
        signedOut();
        // I6: signed in at the municipality's IdP: end that session too; it sends the browser back.
        if (result.endSessionUrl !== null) window.location.assign(result.endSessionUrl);
        return;
      }
      const rows = mergeDocRows(index.entries, local);
      const titles = result.unsavedDocIds.map((id) => {
        const row = rows.find((r) => r.id === id);
        return row === undefined ? `Document ${id.slice(0, 8)}` : displayTitle(row.title);
      });
      setState({ kind: 'blocked', titles, pendingActions: result.pendingActions });
    } catch {
      setState({ kind: 'failed' });
    }
  };

  return (
    <div class="kt-screen">
      <ScreenHeading title="Afmelden" page="Afmelden" />
      <p class="utrecht-paragraph">
        U bent aangemeld als <strong>{session.user.name}</strong>. Bij afmelden worden alle gegevens van Keukentafel op dit
        apparaat gewist.
      </p>
      {state.kind === 'blocked' && (
        <div class="utrecht-alert utrecht-alert--warning kt-alert" role="alert" data-testid="signout-blocked">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">
              <strong>Nog niet alles staat op de server.</strong> Maak verbinding en wacht tot alles is verzonden, of meld toch af.
            </p>
            {state.titles.length > 0 && (
              <ul class="kt-plain-list">
                {state.titles.map((title, i) => (
                  <li key={i}>{title}</li>
                ))}
              </ul>
            )}
            {state.pendingActions > 0 && (
              <p class="utrecht-paragraph">
                {state.pendingActions === 1 ? '1 actie (zoals indienen) wacht' : `${state.pendingActions} acties (zoals indienen) wachten`} op
                verzending.
              </p>
            )}
          </div>
        </div>
      )}
      {state.kind === 'failed' && (
        <div class="utrecht-alert utrecht-alert--error kt-alert" role="alert">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">Afmelden is niet gelukt. Probeer het opnieuw.</p>
          </div>
        </div>
      )}
      <div class="utrecht-button-group kt-button-column">
        {state.kind === 'blocked' ? (
          <>
            <a class="utrecht-button utrecht-button--primary-action kt-button-link" href="/">
              Terug naar Mijn documenten
            </a>
            <button type="button" class="utrecht-button utrecht-button--secondary-action kt-button-danger" onClick={() => void signOut(true)}>
              Toch afmelden (niet-verzonden wijzigingen gaan verloren)
            </button>
          </>
        ) : (
          <button
            type="button"
            class="utrecht-button utrecht-button--primary-action"
            aria-disabled={state.kind === 'busy'}
            onClick={() => state.kind !== 'busy' && void signOut(false)}
          >
            {state.kind === 'busy' ? 'Bezig met afmelden…' : 'Afmelden'}
          </button>
        )}
      </div>
    </div>
  );
}
