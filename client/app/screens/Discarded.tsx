// E12: "Verwijderde concepten" (`/kantoor/verwijderd`, office only, lazy chunk): the team's
// discarded concepts with author, who discarded them and until when they can be restored.
// "Terugzetten" queues a `restore` action (idempotent, through the action queue); once the server
// took it the list is read again and the concept is back in the lists. Needs a connection.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ActionType } from '../../../shared/model/status';
import { DISCARDED_PATH, DiscardedListSchema, type DiscardedDraft } from '../../../shared/protocol/drafts';
import { apiUrl } from '../../sync/auth-client';
import { ScreenHeading } from '../components/ScreenHeading';
import { serverUrl } from '../config';
import { displayTitle } from '../logic/doc-list';
import { formatDateTime } from '../logic/format';
import { isOffice, useSession, useSyncEvents } from '../session/context';

type Load = { kind: 'loading' } | { kind: 'loaded'; documents: DiscardedDraft[] } | { kind: 'failed'; message: string };

export function Discarded() {
  const session = useSession();
  useSyncEvents(session);
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [restoring, setRestoring] = useState<ReadonlySet<string>>(new Set());
  const [refusal, setRefusal] = useState<string | null>(null);
  const online = session.sync.connectivity !== 'offline';

  const read = useCallback(async (): Promise<void> => {
    try {
      const res = await fetch(apiUrl(serverUrl(), DISCARDED_PATH), {
        headers: { authorization: `Bearer ${session.auth.accessToken() ?? ''}` },
        cache: 'no-store',
      });
      if (res.status === 401 && (await session.auth.refresh()) === 'ok') return read();
      if (!res.ok) throw new Error(String(res.status));
      setLoad({ kind: 'loaded', documents: DiscardedListSchema.parse(await res.json()).documents });
    } catch {
      setLoad({ kind: 'failed', message: 'De lijst kon niet worden opgehaald. Er is een verbinding met de server nodig.' });
    }
  }, [session]);

  useEffect(() => {
    void read();
  }, [read, online]);

  useEffect(
    () =>
      session.actions.subscribe((event) => {
        if (event.kind === 'waiting' || event.action?.type !== ActionType.restore) return;
        const docId = event.action.docId;
        setRestoring((ids) => new Set([...ids].filter((id) => id !== docId)));
        if (event.kind === 'rejected') {
          const error = (event.body as { error?: unknown } | null)?.error;
          setRefusal(error === 'retention-expired' ? 'Dit concept kan niet meer worden teruggezet: de bewaartermijn is voorbij.' : 'Terugzetten is niet gelukt.');
        }
        void read();
      }),
    [session, read],
  );

  const restore = async (id: string): Promise<void> => {
    setRefusal(null);
    setRestoring((ids) => new Set([...ids, id]));
    await session.actions.enqueue(id, ActionType.restore);
  };

  if (!isOffice(session)) {
    return (
      <div class="kt-screen">
        <ScreenHeading title="Verwijderde concepten" page="Verwijderde concepten" />
        <p class="utrecht-paragraph">Deze lijst is voor het kantoor.</p>
      </div>
    );
  }
  return (
    <div class="kt-screen">
      <ScreenHeading title="Verwijderde concepten" page="Verwijderde concepten" />
      <p class="utrecht-paragraph">
        Concepten die zijn verwijderd voordat ze werden ingediend. U kunt ze terugzetten tot de datum die erbij staat; daarna worden ze
        definitief gewist.
      </p>
      {refusal !== null && (
        <div class="utrecht-alert utrecht-alert--error kt-alert" role="alert">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">{refusal}</p>
          </div>
        </div>
      )}
      {load.kind === 'loading' && (
        <p class="utrecht-paragraph" aria-busy="true">
          Lijst laden…
        </p>
      )}
      {load.kind === 'failed' && (
        <p class="utrecht-paragraph" role="alert" data-testid="discarded-failed">
          {load.message}
        </p>
      )}
      {load.kind === 'loaded' && load.documents.length === 0 && (
        <p class="utrecht-paragraph" data-testid="discarded-empty">
          Er zijn geen verwijderde concepten.
        </p>
      )}
      {load.kind === 'loaded' && load.documents.length > 0 && (
        <ul class="kt-doc-list" aria-label="Verwijderde concepten" data-testid="discarded-list">
          {load.documents.map((d) => (
            <li key={d.id} class="kt-doc" data-testid={`discarded-${d.id}`}>
              <span class="kt-discarded__text">
                <span class="kt-doc__title kt-discarded__title">{displayTitle(d.title)}</span>
                <span class="kt-doc__meta">
                  {d.zaak === null || d.zaak === '' ? '' : `${d.zaak} · `}Opgesteld door {d.authorName} · Verwijderd op {formatDateTime(d.discardedAt)}
                  {d.discardedByName === '' ? '' : ` door ${d.discardedByName}`}
                </span>
                <span class="kt-doc__meta">Terug te zetten tot {formatDateTime(d.purgeAfter)}</span>
              </span>
              <button
                type="button"
                class="utrecht-button utrecht-button--secondary-action"
                data-testid={`restore-${d.id}`}
                aria-disabled={restoring.has(d.id)}
                onClick={() => !restoring.has(d.id) && void restore(d.id)}
              >
                {restoring.has(d.id) ? 'Wordt teruggezet…' : 'Terugzetten'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
