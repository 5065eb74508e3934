// U8: the document's own audit entries under its history: what happened, by whom, when (created,
// signed in read-along, submitted, approved, returned, delivered, PDF opened). From
// `GET /api/documents/<id>/log`, fetched again when the workflow status changes; online only.
import { useEffect, useState } from 'preact/hooks';
import type { WorkflowStatus } from '../../../shared/model/index-entry';
import { DocumentLogSchema, type DocumentLogEntry } from '../../../shared/protocol/audit';
import { apiUrl } from '../../sync/auth-client';
import type { Session } from '../../sync/session';
import { serverUrl } from '../config';
import { documentLogLine } from '../logic/document-log';

export function useDocumentLog(session: Session, docId: string, status: WorkflowStatus | null): DocumentLogEntry[] | null {
  const [entries, setEntries] = useState<DocumentLogEntry[] | null>(null);
  const online = session.sync.connectivity === 'online';
  useEffect(() => {
    if (!online) return undefined;
    const controller = new AbortController();
    void (async () => {
      try {
        const res = await fetch(apiUrl(serverUrl(), `/api/documents/${encodeURIComponent(docId)}/log`), {
          headers: { authorization: `Bearer ${session.auth.accessToken() ?? ''}` },
          signal: controller.signal,
        });
        if (!res.ok) return;
        const parsed = DocumentLogSchema.safeParse(await res.json());
        if (parsed.success) setEntries(parsed.data.entries);
      } catch {
        // Offline or aborted: keep what was shown.
      }
    })();
    return () => controller.abort();
  }, [session, docId, status, online]);
  return entries;
}

export function DocumentLog({ entries }: { entries: readonly DocumentLogEntry[] }) {
  if (entries.length === 0) return null;
  return (
    <section class="kt-history" aria-labelledby="kt-log-title" data-testid="document-log">
      <h2 class="utrecht-heading-2" id="kt-log-title">
        Logboek
      </h2>
      <ol class="kt-history__list">
        {entries.map((e, i) => (
          <li key={i} class="utrecht-paragraph" data-testid="document-log-entry">
            {documentLogLine(e)}
          </li>
        ))}
      </ol>
    </section>
  );
}
