// "Nieuw document": pick a template; the device makes the id, opens the document, fills it from
// the template and remembers it as created here (so it is listed before the server knows it),
// all offline if need be, then opens the editor.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type { Template } from '../../../shared/templates/schema';
import { ScreenHeading } from '../components/ScreenHeading';
import { useSession, useTemplates } from '../session/context';
import { createLocalDocument } from '../session/create-document';

export function NewDocument() {
  const session = useSession();
  const templates = useTemplates(session);
  const { route } = useLocation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const create = async (template: Template): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const id = await createLocalDocument(session, template);
      route(`/document/${id}`);
    } catch {
      setBusy(false);
      setError('Het document kon niet op dit apparaat worden bewaard. Is de opslag vol?');
    }
  };

  return (
    <div class="kt-screen">
      <ScreenHeading title="Nieuw document" page="Nieuw document" />
      <p class="utrecht-paragraph">Kies wat u wilt opstellen. Het document wordt meteen op dit apparaat bewaard.</p>
      {error !== null && (
        <div class="utrecht-alert utrecht-alert--error kt-alert" role="alert">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">{error}</p>
          </div>
        </div>
      )}
      {templates === null ? (
        <p class="utrecht-paragraph" aria-busy="true">
          Sjablonen laden…
        </p>
      ) : (
        <ul class="kt-template-list">
          {newestOnly(templates).map((template) => (
            <li key={`${template.id}@${template.version}`}>
              <button
                type="button"
                class="kt-template"
                data-testid={`template-${template.id}`}
                aria-disabled={busy}
                onClick={() => void create(template)}
              >
                <span class="kt-template__title">{template.title}</span>
                {template.description !== undefined && <span class="kt-template__description">{template.description}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** New documents start on the newest version of each template; older ones stay for drafts (T3). */
function newestOnly(templates: readonly Template[]): Template[] {
  return templates.filter((t) => !templates.some((o) => o.id === t.id && o.version > t.version));
}
