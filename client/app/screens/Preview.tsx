// "Voorbeeld" (lazy chunk): the letter as it will be printed, from the same layout model the
// server uses for the PDF (shared/render/letter.ts), so what the official shows at the kitchen
// table is what is archived. Works offline; follows remote edits live.
import { useEffect, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import { isUuid } from '../../../shared/protocol/rooms';
import { buildLetterLayout, type LetterLayout } from '../../../shared/render/letter';
import { ScreenHeading } from '../components/ScreenHeading';
import { NotFound } from './NotFound';
import { municipalityName } from '../config';
import { useDocument } from '../editor/use-document';
import { useDocumentTemplate } from '../editor/use-template';
import { useSession, useTemplates } from '../session/context';

export function Preview() {
  const { params } = useRoute();
  const docId = (params.id ?? '').toLowerCase();
  // A mistyped link must not create a local document the server would refuse.
  return isUuid(docId) ? <PreviewScreen docId={docId} /> : <NotFound />;
}

function PreviewScreen({ docId }: { docId: string }) {
  const session = useSession();
  const templates = useTemplates(session);
  const { doc, meta } = useDocument(session, docId);
  const [, setVersion] = useState(0);
  useEffect(() => {
    if (doc === null) return undefined;
    const onUpdate = (): void => setVersion((v) => v + 1);
    doc.on('update', onUpdate);
    return () => doc.off('update', onUpdate);
  }, [doc]);

  const template = useDocumentTemplate(session, templates, meta);
  const layout =
    doc === null || template === null
      ? null
      : buildLetterLayout(template, doc, { municipality: municipalityName, author: session.user.name, date: Date.now(), kenmerk: '' });

  return (
    <div class="kt-screen kt-preview">
      <p class="kt-back">
        <a class="utrecht-link utrecht-link--html-a" href={`/document/${docId}`}>
          Terug naar bewerken
        </a>
      </p>
      <ScreenHeading title="Voorbeeld" />
      <p class="utrecht-paragraph kt-muted">Zo ziet de brief er gedrukt uit. Het kenmerk krijgt de brief bij indienen.</p>
      {layout === null ? (
        <p class="utrecht-paragraph" aria-busy="true">
          Voorbeeld wordt gemaakt…
        </p>
      ) : (
        <Letter layout={layout} />
      )}
    </div>
  );
}

export function Letter({ layout }: { layout: LetterLayout }) {
  return (
    <article class="kt-letter" aria-label="Voorbeeld van de brief" data-testid="letter">
      <header class="kt-letter__head">
        <p class="kt-letter__municipality">{layout.municipality}</p>
      </header>
      <div class="kt-letter__top">
        <p class="kt-letter__addressee" aria-label="Geadresseerde">
          {layout.addressee.length > 0 ? (
            layout.addressee.map((line, i) => (
              <span key={i} class="kt-letter__line">
                {line}
              </span>
            ))
          ) : (
            <span class="kt-letter__missing">Naam en adres ontbreken</span>
          )}
        </p>
        <dl class="kt-letter__refs">
          <div>
            <dt>Datum</dt>
            <dd>{layout.date}</dd>
          </div>
          <div>
            <dt>Kenmerk</dt>
            <dd>{layout.kenmerk !== '' ? layout.kenmerk : 'volgt bij indienen'}</dd>
          </div>
          {layout.zaak !== '' && (
            <div>
              <dt>Zaaknummer</dt>
              <dd>{layout.zaak}</dd>
            </div>
          )}
          {layout.details.map((d) => (
            <div key={d.label}>
              <dt>{d.label}</dt>
              <dd>{d.value}</dd>
            </div>
          ))}
        </dl>
      </div>
      <p class="kt-letter__subject">
        <span class="kt-letter__subject-label">Onderwerp: </span>
        {layout.subject !== '' ? layout.subject : <span class="kt-letter__missing">geen onderwerp</span>}
      </p>
      {layout.blocks.map((block) => (
        <section key={block.key} class="kt-letter__block" aria-label={block.label}>
          {block.paragraphs.map((paragraph, i) => (
            <p key={i} class="kt-letter__paragraph">
              {paragraph}
            </p>
          ))}
        </section>
      ))}
      <footer class="kt-letter__signature">
        <p class="kt-letter__paragraph">{layout.signature.line}</p>
        <p class="kt-letter__paragraph kt-letter__signer">{layout.signature.name}</p>
      </footer>
    </article>
  );
}
