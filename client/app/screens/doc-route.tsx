// The screens of one document (/document/:id, its Voorbeeld, Meelezen) read the id from the route
// the same way: lower-cased, and a link that is not a UUID shows "niet gevonden" instead of
// opening (and so creating) a local document the server would refuse. E10: a UUID the device does
// not know is asked of the server first; unknown or another team's: one message, nothing created.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { UNKNOWN_DOCUMENT_MESSAGE } from '../../../shared/protocol/drafts';
import { isUuid } from '../../../shared/protocol/rooms';
import { ScreenHeading } from '../components/ScreenHeading';
import { serverUrl } from '../config';
import { useSession } from '../session/context';
import { knowDocument, type DocumentKnowledge } from '../session/known-document';
import { NotFound } from './NotFound';

export function documentRoute(Screen: ComponentType<{ docId: string }>): ComponentType {
  return function DocumentRoute() {
    const { params } = useRoute();
    const docId = (params.id ?? '').toLowerCase();
    return isUuid(docId) ? <KnownDocument docId={docId} Screen={Screen} /> : <NotFound />;
  };
}

function KnownDocument({ docId, Screen }: { docId: string; Screen: ComponentType<{ docId: string }> }) {
  const session = useSession();
  const [knowledge, setKnowledge] = useState<DocumentKnowledge | 'asking'>('asking');
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let cancelled = false;
    setKnowledge('asking');
    void knowDocument(session, serverUrl(), docId).then((answer) => {
      if (!cancelled) setKnowledge(answer);
    });
    return () => {
      cancelled = true;
    };
  }, [session, docId, attempt]);

  if (knowledge === 'known') return <Screen docId={docId} />;
  if (knowledge === 'asking') {
    return (
      <div class="kt-screen">
        <p class="utrecht-paragraph" aria-busy="true" data-testid="document-asking">
          Document zoeken…
        </p>
      </div>
    );
  }
  return (
    <div class="kt-screen">
      <ScreenHeading title="Document niet gevonden" page="Document niet gevonden" />
      <div class="utrecht-alert utrecht-alert--warning kt-alert" role="alert" data-testid={knowledge === 'unknown' ? 'document-unknown' : 'document-unreachable'}>
        <div class="utrecht-alert__content">
          <p class="utrecht-paragraph">
            {knowledge === 'unknown'
              ? `${UNKNOWN_DOCUMENT_MESSAGE}.`
              : 'Dit document staat niet op dit apparaat en de server is nu niet bereikbaar. Probeer het opnieuw zodra er verbinding is.'}
          </p>
          {knowledge === 'unreachable' && (
            <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => setAttempt((n) => n + 1)}>
              Opnieuw proberen
            </button>
          )}
        </div>
      </div>
      <p class="utrecht-paragraph">
        <a class="utrecht-link utrecht-link--html-a" href="/">
          Naar Mijn documenten
        </a>
      </p>
    </div>
  );
}
