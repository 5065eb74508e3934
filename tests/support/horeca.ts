// Gives a test document a complete horeca decision of the burgemeester (J3: besluit-horeca) the
// way a device writes it, so it passes the T-rules; it always needs approval and the office marks
// it sent itself (J2: dms.sentOn 'manual').
import { initDocument, writeFields } from '../../shared/model/document';
import { besluitHorecaTemplate } from '../../shared/templates/builtin/besluit-horeca';
import { writeSection } from './decision';
import type { AckingClient, Session } from './server';

export async function writeHoreca(client: AckingClient, id: string, session: Session, createdAt = 1_700_000_000_000): Promise<void> {
  const t = besluitHorecaTemplate;
  initDocument(client.doc, t, { id, teamId: session.user.teamId, createdBy: session.user.id, createdAt });
  writeFields(client.doc, t, {
    zaaknummer: 'ZAAK-2026-0100',
    betrokkeneNaam: 'Café De Molen B.V.',
    betrokkeneAdres: 'Markt 1\n1234 AB Voorbeeld',
    onderwerp: 'Uw exploitatievergunning',
    inrichting: 'Café De Molen, Markt 1',
    uitkomst: 'verlening',
    ingangsdatum: '2026-04-01',
  });
  writeSection(client.doc, 'aanvraag', 'U vroeg een exploitatievergunning aan voor uw café.');
  writeSection(client.doc, 'besluit', 'De burgemeester verleent u de exploitatievergunning.');
  writeSection(client.doc, 'motivering', 'De burgemeester beslist op grond van artikel 2:28 van de Algemene plaatselijke verordening.');
  await client.waitSaved();
}
