// "Afspraken worden een brief": one tap makes a new letter to the citizen with the agreements as
// a list in its body and the addressee and case copied (shared/model/agreements-letter.ts), then
// opens it. Local-first like "Nieuw document": the device makes the id and stores the letter
// before anything else, so it works offline; the server learns of it when there is a network.
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import type * as Y from 'yjs';
import { copyAgreementsIntoLetter, pickLetterTemplate } from '../../../shared/model/agreements-letter';
import { useSession, useTemplates } from '../session/context';
import { createLocalDocument } from '../session/create-document';

export function AgreementsToLetter({ doc }: { doc: Y.Doc }) {
  const session = useSession();
  const templates = useTemplates(session);
  const { route } = useLocation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const template = templates === null ? null : pickLetterTemplate(templates);

  const create = async (): Promise<void> => {
    if (busy || template === null) return;
    setBusy(true);
    setError(null);
    try {
      const id = await createLocalDocument(session, template, (letter) => copyAgreementsIntoLetter(doc, letter, template));
      route(`/document/${id}`);
    } catch {
      setBusy(false);
      setError('De brief kon niet op dit apparaat worden bewaard. Is de opslag vol?');
    }
  };

  if (template === null) return null;
  return (
    <div class="kt-agreements__letter">
      <button
        type="button"
        class="utrecht-button utrecht-button--secondary-action"
        data-testid="agreements-to-letter"
        aria-disabled={busy}
        aria-describedby="kt-agreements-letter-help"
        onClick={() => void create()}
      >
        Afspraken worden een brief
      </button>
      <p id="kt-agreements-letter-help" class="utrecht-paragraph kt-muted">
        Maakt een nieuwe brief aan de inwoner met deze afspraken erin
        {template.id === 'brief' ? '' : ` (sjabloon ‘${template.title}’)`}.
      </p>
      {error !== null && (
        <p class="utrecht-paragraph kt-error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
