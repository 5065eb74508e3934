// V2, V4, V7: the versions of one document from `GET /api/documents/<id>`, fetched again when its
// workflow status changes (online only; offline the editor says what the index knows).
import { useEffect, useState } from 'preact/hooks';
import type { WorkflowStatus } from '../../../shared/model/index-entry';
import { apiUrl } from '../../sync/auth-client';
import type { Session } from '../../sync/session';
import { serverUrl } from '../config';
import { parseVersions, type VersionInfo } from '../logic/document-info';

export function useDocumentVersions(session: Session, docId: string, status: WorkflowStatus | null): VersionInfo[] | null {
  const [versions, setVersions] = useState<VersionInfo[] | null>(null);
  const online = session.sync.connectivity === 'online';
  useEffect(() => {
    if (status === null || !online) return undefined;
    const controller = new AbortController();
    void (async () => {
      try {
        const res = await fetch(apiUrl(serverUrl(), `/api/documents/${encodeURIComponent(docId)}`), {
          headers: { authorization: `Bearer ${session.auth.accessToken() ?? ''}` },
          signal: controller.signal,
        });
        if (res.ok) setVersions(parseVersions(await res.json()));
      } catch {
        // Offline or aborted: keep what was shown.
      }
    })();
    return () => controller.abort();
  }, [session, docId, status, online]);
  return versions;
}
