// Y4, Y6, Y14: "Meldingen" (`/meldingen`, lazy chunk): what changed for this official, from the
// index rooms on the device (offline: what was last known), newest first, each linking to its
// document; unseen ones marked "Nieuw" until opened or "Alles gelezen". Below, the switch for
// Web Push on this device: only on the user's click does the browser ask for permission.
import { useEffect, useState } from 'preact/hooks';
import { disablePush, enablePush, pushState, type PushResult, type PushState } from '../../push/web-push';
import { ScreenHeading } from '../components/ScreenHeading';
import { formatDateTime } from '../logic/format';
import { noticeLabels } from '../logic/notices';
import { authorizedFetch } from '../session/authorized-fetch';
import { useSession, useSyncEvents } from '../session/context';
import { useNotices } from '../session/notice-center';

const pushText: Record<PushState, string> = {
  unsupported: 'Deze browser kan geen meldingen op het apparaat tonen. U ziet ze hier in de app.',
  denied: 'Meldingen op dit apparaat zijn geblokkeerd in de instellingen van de browser. U ziet ze hier in de app.',
  off: 'Meldingen op dit apparaat staan uit. U ziet ze hier in de app.',
  on: 'Meldingen op dit apparaat staan aan. Er staat nooit een naam, zaak of inhoud in; open de app om te zien wat er is.',
};

const failureText: Record<Exclude<PushResult, { ok: true }>['reason'], string> = {
  denied: 'U heeft geen toestemming gegeven. Meldingen blijven hier in de app zichtbaar.',
  unsupported: 'Deze browser kan geen meldingen op het apparaat tonen.',
  network: 'Geen verbinding met de server. Probeer het opnieuw als u verbinding heeft.',
  refused: 'Aanzetten lukte niet. Probeer het later opnieuw.',
};

export function Notices() {
  const session = useSession();
  useSyncEvents(session);
  const { notices, seen, unseen, loaded, center } = useNotices(session);
  const [push, setPush] = useState<PushState | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const api = (path: string, init?: RequestInit): Promise<Response> => authorizedFetch(session, path, init);

  useEffect(() => {
    let cancelled = false;
    void pushState(api)
      .catch((): PushState => 'unsupported')
      .then((state) => {
        if (!cancelled) setPush(state);
      });
    return () => {
      cancelled = true;
    };
  }, [session]);

  const toggle = async (): Promise<void> => {
    setBusy(true);
    setMessage(null);
    const result = await (push === 'on' ? disablePush(api) : enablePush(api)).catch((): PushResult => ({ ok: false, reason: 'refused' }));
    setBusy(false);
    if (result.ok) setPush(result.state);
    else {
      setMessage(failureText[result.reason]);
      if (result.reason === 'denied') setPush('denied');
    }
  };

  return (
    <div class="kt-screen">
      <ScreenHeading title="Meldingen" page="Meldingen" />
      {session.sync.connectivity === 'offline' && (
        <p class="utrecht-paragraph kt-muted" data-testid="notices-offline">
          Zonder verbinding: dit zijn de laatst bekende meldingen.
        </p>
      )}
      {loaded && notices.length === 0 && (
        <p class="utrecht-paragraph" data-testid="notices-empty">
          Geen meldingen. Hier ziet u het als een document is teruggestuurd, op uw goedkeuring wacht, in het DMS staat of niet kon worden
          afgeleverd.
        </p>
      )}
      {unseen > 0 && (
        <p class="kt-actions">
          <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => void center.markSeen(notices.map((n) => n.key))}>
            Alles als gelezen markeren
          </button>
        </p>
      )}
      {notices.length > 0 && (
        <ul class="kt-doc-list" aria-label="Meldingen">
          {notices.map((notice) => {
            const fresh = !seen.has(notice.key);
            return (
              <li key={notice.key} class={`kt-doc kt-notice${fresh ? ' kt-notice--new' : ''}`} data-testid="notice" data-kind={notice.kind} data-doc-id={notice.docId} data-new={fresh ? 'true' : 'false'}>
                <a class="kt-doc__link" href={`/document/${notice.docId}`} onClick={() => void center.markSeen([notice.key])}>
                  <span class="kt-doc__title">
                    {fresh && <span class="kt-notice__new">Nieuw: </span>}
                    {noticeLabels[notice.kind]}
                  </span>
                  <span class="kt-doc__note">{notice.text}</span>
                  <span class="kt-doc__meta">{formatDateTime(notice.at)}</span>
                </a>
              </li>
            );
          })}
        </ul>
      )}
      <section class="kt-push" aria-labelledby="push-heading">
        <h2 class="utrecht-heading-2" id="push-heading">
          Meldingen op dit apparaat
        </h2>
        <p class="utrecht-paragraph" data-testid="push-state" data-state={push ?? 'loading'}>
          {push === null ? 'Even kijken…' : pushText[push]}
        </p>
        {(push === 'off' || push === 'on') && (
          <button type="button" class="utrecht-button utrecht-button--secondary-action" disabled={busy} onClick={() => void toggle()} data-testid="push-toggle">
            {push === 'on' ? 'Meldingen op dit apparaat uitzetten' : 'Meldingen op dit apparaat aanzetten'}
          </button>
        )}
        {message !== null && (
          <p class="utrecht-paragraph" role="alert">
            {message}
          </p>
        )}
      </section>
    </div>
  );
}
