// E11: "Concept verwijderen" for a concept that was never submitted, for its author or the office.
// A confirmation says what happens before anything is queued; the discard is an action through
// the action queue (idempotent, sent when there is a network), after which the app goes back to
// the list. The server refuses what it must (submitted before, someone else's).
import { useState } from 'preact/hooks';
import { ActionType } from '../../../shared/model/status';
import type { Session } from '../../sync/session';
import { removeLocalDoc } from '../session/local-docs';

interface Props {
  session: Session;
  docId: string;
  /** Where the app goes once the discard is queued. */
  after: () => void;
}

export function DiscardPanel({ session, docId, after }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const discard = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await session.actions.enqueue(docId, ActionType.discard);
      await removeLocalDoc(session.store, docId).catch(() => undefined);
      after();
    } catch {
      setBusy(false);
      setError('Het verwijderen kon niet op dit apparaat worden bewaard. Probeer het opnieuw.');
    }
  };

  return (
    <section class="kt-discard" aria-label="Concept verwijderen" data-testid="discard-panel">
      {!asking ? (
        <button type="button" class="utrecht-button utrecht-button--secondary-action" data-testid="discard" onClick={() => setAsking(true)}>
          Concept verwijderen
        </button>
      ) : (
        <div class="utrecht-alert utrecht-alert--warning kt-alert" role="alertdialog" aria-labelledby="discard-title" aria-describedby="discard-text" data-testid="discard-confirm">
          <div class="utrecht-alert__content">
            <h2 class="utrecht-heading-3" id="discard-title">
              Concept verwijderen?
            </h2>
            <p class="utrecht-paragraph" id="discard-text">
              Het concept verdwijnt uit Mijn documenten en uit de lijst van het kantoor, ook op andere apparaten. Het kantoor kan het
              nog een tijd terugzetten (standaard 30 dagen) onder ‘Verwijderde concepten’; daarna wordt het definitief gewist. Zonder
              verbinding wordt het verwijderd zodra er verbinding is.
            </p>
            {error !== null && (
              <p class="utrecht-paragraph" role="alert">
                {error}
              </p>
            )}
            <div class="kt-actions">
              <button type="button" class="utrecht-button utrecht-button--primary-action" data-testid="discard-yes" aria-disabled={busy} onClick={() => void discard()}>
                Ja, verwijderen
              </button>
              <button type="button" class="utrecht-button utrecht-button--secondary-action" data-testid="discard-no" onClick={() => setAsking(false)}>
                Annuleren
              </button>
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
