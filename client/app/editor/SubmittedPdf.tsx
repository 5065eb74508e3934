// A link to the PDF the server rendered on submit (W2), newest version first, and the DMS's
// reference once that version is archived (O1). Both come from `GET /api/documents/<id>`; the link
// carries a one-use ticket (N8, PdfLink). Online only: the PDF is not kept on the device.
import { useEffect, useState } from 'preact/hooks';
import type { WorkflowStatus } from '../../../shared/model/index-entry';
import { apiUrl } from '../../sync/auth-client';
import type { Session } from '../../sync/session';
import { latestSubmission, type LatestSubmission } from '../logic/latest-submission';
import { serverUrl } from '../config';
import { PdfLink } from './PdfLink';

export function SubmittedPdf({ session, docId, status }: { session: Session; docId: string; status: WorkflowStatus | null }) {
  const [latest, setLatest] = useState<LatestSubmission | null>(null);
  const online = session.sync.connectivity === 'online';
  useEffect(() => {
    if (status === null || status === 'concept' || !online) return undefined;
    const controller = new AbortController();
    void (async () => {
      try {
        const res = await fetch(apiUrl(serverUrl(), `/api/documents/${encodeURIComponent(docId)}`), {
          headers: { authorization: `Bearer ${session.auth.accessToken() ?? ''}` },
          signal: controller.signal,
        });
        if (res.ok) setLatest(latestSubmission(await res.json()));
      } catch {
        // Offline or aborted: no link, the status badge still tells the state.
      }
    })();
    return () => controller.abort();
  }, [session, docId, status, online]);
  if (latest === null || !online) return null;
  const { version, dmsReference } = latest;
  return (
    <>
    <p class="utrecht-paragraph kt-pdf-link">
      <PdfLink session={session} docId={docId} version={version} testId="submitted-pdf">
        Ingediende PDF openen (versie {version})<span class="kt-visually-hidden"> (opent in een nieuw venster)</span>
      </PdfLink>
    </p>
    {dmsReference !== null && (
      <p class="utrecht-paragraph kt-dms-reference" data-testid="dms-reference">
        Gearchiveerd in het DMS, referentie: <span class="kt-dms-reference__value">{dmsReference}</span>
      </p>
    )}
    </>
  );
}
