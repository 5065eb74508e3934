// "Meelezen" (lazy chunk): the official hands the phone to the citizen. It shows this one
// document and nothing else of the official's (no header, no navigation, no list: App hides them
// on this route), as the printed letter in large type with every BSN masked, and follows live
// edits. The citizen may confirm the agreements with a signature. Leaving takes the official's
// deliberate action (LeaveControl); the back button and swipe-back stay here (useBackGuard).
// Works offline: the document is on the device, a signature is a local Yjs change synced later.
import { useState } from 'preact/hooks';
import { readAgreements } from '../../../shared/model/agreements';
import { buildLetterLayout } from '../../../shared/render/letter';
import { municipalityName } from '../config';
import { useDocument, useDocumentVersion } from '../editor/use-document';
import { useDocumentTemplate } from '../editor/use-template';
import { Letter } from '../letter/Letter';
import { ConfirmAgreements } from '../readalong/ConfirmAgreements';
import { LeaveControl } from '../readalong/LeaveControl';
import { useBackGuard } from '../readalong/use-back-guard';
import { useSession, useTemplates } from '../session/context';
import { ScreenHeading } from '../components/ScreenHeading';
import { documentRoute } from './doc-route';
import '../styles/read-along.css';

/** The read-along address of a document; App hides its header and navigation there. */
export const readAlongPath = (docId: string): string => `/document/${docId}/meelezen`;


function ReadAlongScreen({ docId }: { docId: string }) {
  const session = useSession();
  const templates = useTemplates(session);
  const { doc, meta, failed } = useDocument(session, docId);
  const template = useDocumentTemplate(session, templates, meta);
  const [blocked, setBlocked] = useState(0);
  const { leave } = useBackGuard(docId, `/document/${docId}`, () => setBlocked((n) => n + 1));

  // Live: every change, from this device or another, redraws the letter.
  useDocumentVersion(doc);

  const layout =
    doc === null || template === null
      ? null
      : buildLetterLayout(template, doc, {
          municipality: municipalityName,
          author: session.user.name,
          date: Date.now(),
          kenmerk: '',
          maskBsn: true,
        });
  const hasAgreements = doc !== null && readAgreements(doc).some((a) => a !== null);
  const withAgreements = template?.sections.some((s) => s.kind === 'agreements') ?? false;

  return (
    <div class="kt-read-along" data-testid="read-along">
      <ScreenHeading title="Meelezen" page="Meelezen" />
      <p class="utrecht-paragraph kt-read-along__intro">
        Dit schrijft de gemeente op. Lees rustig mee. Klopt er iets niet? Zeg het tegen de ambtenaar. Uw BSN is afgeschermd.
      </p>
      <p role="status" class="utrecht-paragraph kt-read-along__blocked" data-testid="back-blocked">
        {blocked > 0 ? 'U blijft in meelezen. Alleen de ambtenaar kan dit afsluiten, met de knop onderaan.' : ''}
      </p>
      {failed ? (
        <p class="utrecht-paragraph">Dit document kan niet worden getoond.</p>
      ) : layout === null || doc === null ? (
        <p class="utrecht-paragraph" aria-busy="true">
          Document wordt geladen…
        </p>
      ) : (
        <>
          <div class="kt-read-along__letter">
            <Letter layout={layout} size="large" label="De brief om mee te lezen" />
          </div>
          {withAgreements && <ConfirmAgreements doc={doc} hasAgreements={hasAgreements} />}
        </>
      )}
      <LeaveControl onLeave={leave} />
    </div>
  );
}

export const ReadAlong = documentRoute(ReadAlongScreen);
