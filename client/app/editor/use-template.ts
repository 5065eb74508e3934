// The exact template version a document was started on (T3): from the device's templates when
// it has that version, otherwise fetched once by id and version (and cached). Until then, or
// offline, the newest version of the same template stands in, so the document stays readable.
import { useEffect, useState } from 'preact/hooks';
import type { DocumentMeta } from '../../../shared/model/document';
import type { Template } from '../../../shared/templates/schema';
import type { Session } from '../../sync/session';
import { serverUrl } from '../config';
import { fetchTemplateVersion, findTemplate } from '../session/templates';

export function useDocumentTemplate(session: Session, templates: readonly Template[] | null, meta: DocumentMeta | null): Template | null {
  const [fetched, setFetched] = useState<Template | null>(null);
  const id = meta?.templateId ?? null;
  const version = meta?.templateVersion ?? null;
  const found = templates === null ? null : findTemplate(templates, id, version);
  const missing = found !== null && version !== null && found.version !== version;
  useEffect(() => {
    if (!missing || id === null || version === null) return undefined;
    let cancelled = false;
    void fetchTemplateVersion(session, serverUrl(), id, version).then((t) => {
      if (!cancelled && t !== null) setFetched(t);
    });
    return () => {
      cancelled = true;
    };
  }, [session, missing, id, version]);
  if (fetched !== null && fetched.id === id && fetched.version === version) return fetched;
  return found;
}
