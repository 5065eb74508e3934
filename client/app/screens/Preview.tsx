// "Voorbeeld" (lazy chunk): the letter as it will be printed, from the same layout model the
// server uses for the PDF (shared/render/letter.ts), so what the official shows at the kitchen
// table is what is archived. Works offline; follows remote edits live.
import { buildLetterLayout } from '../../../shared/render/letter';
import { Letter } from '../letter/Letter';
import { useMunicipalityLogo } from '../letter/use-logo';
import { useMunicipalityContact } from '../letter/use-municipality';
import { ScreenHeading } from '../components/ScreenHeading';
import { documentRoute } from './doc-route';
import { municipalityName } from '../config';
import { useDocument, useDocumentVersion } from '../editor/use-document';
import { useDocumentTemplate } from '../editor/use-template';
import { useSession, useTemplates } from '../session/context';


function PreviewScreen({ docId }: { docId: string }) {
  const session = useSession();
  const templates = useTemplates(session);
  const { doc, meta } = useDocument(session, docId);
  // Live: every change, from this device or another, redraws the letter.
  useDocumentVersion(doc);

  const template = useDocumentTemplate(session, templates, meta);
  const logo = useMunicipalityLogo();
  const contact = useMunicipalityContact() ?? undefined;
  const layout =
    doc === null || template === null
      ? null
      : buildLetterLayout(template, doc, {
          municipality: municipalityName,
          author: session.user.name,
          date: Date.now(),
          kenmerk: '',
          contact,
          official: { name: session.user.name },
        });

  return (
    <div class="kt-screen kt-preview">
      <p class="kt-back">
        <a class="utrecht-link utrecht-link--html-a" href={`/document/${docId}`}>
          Terug naar bewerken
        </a>
      </p>
      <ScreenHeading title="Voorbeeld" page="Voorbeeld" />
      <p class="utrecht-paragraph kt-muted">Zo ziet de brief er gedrukt uit. Het kenmerk krijgt de brief bij indienen.</p>
      {layout === null ? (
        <p class="utrecht-paragraph" aria-busy="true">
          Voorbeeld wordt gemaakt…
        </p>
      ) : (
        <Letter layout={layout} logo={logo} />
      )}
    </div>
  );
}

export const Preview = documentRoute(PreviewScreen);
