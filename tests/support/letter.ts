// Gives a test document real content the way a device does: the letter template's structure
// (initDocument) and fields and sections written through the shared accessors, then waits for
// the server's persisted-ack, so a submit right after sees exactly this.
import type * as Y from 'yjs';
import { initDocument, sectionText, writeFields } from '../../shared/model/document';
import { briefTemplate } from '../../shared/templates/builtin/brief';
import type { AckingClient, Session } from './server';

export interface LetterContent {
  zaaknummer: string;
  betrokkeneNaam: string;
  betrokkeneAdres: string;
  onderwerp: string;
  kern: string;
}

export const sampleLetter: LetterContent = {
  zaaknummer: 'ZAAK-2026-0042',
  betrokkeneNaam: 'Mevrouw A. de Boer',
  betrokkeneAdres: 'Molenweg 12\n1234 AB Voorbeeld',
  onderwerp: 'Zorg voor uw moeder en uw uitkering',
  kern: 'U zorgt voor uw moeder. Daardoor heeft zij minder professionele zorg nodig.\n\nWij passen de kostendelersnorm daarom niet toe.',
};

/** Writes a complete letter into `doc` as a device does (template structure, fields, kern). */
export function fillLetter(doc: Y.Doc, info: { id: string; teamId: string; createdBy: string }, content: Partial<LetterContent> = {}): void {
  const letter = { ...sampleLetter, ...content };
  initDocument(doc, briefTemplate, { ...info, createdAt: 1_700_000_000_000 });
  writeFields(doc, briefTemplate, {
    zaaknummer: letter.zaaknummer,
    betrokkeneNaam: letter.betrokkeneNaam,
    betrokkeneAdres: letter.betrokkeneAdres,
    onderwerp: letter.onderwerp,
  });
  const kern = sectionText(doc, 'kern');
  if (kern === null) throw new Error('letter has no kern section');
  kern.insert(0, letter.kern);
}

/** Fills the document as the letter template and waits until the server has committed it. */
export async function writeLetter(
  client: AckingClient,
  docId: string,
  session: Session,
  content: Partial<LetterContent> = {},
): Promise<void> {
  fillLetter(client.doc, { id: docId, teamId: session.user.teamId, createdBy: session.user.id }, content);
  await client.waitSaved();
}
