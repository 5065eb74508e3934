// Gives a test document a complete maatwerkbesluit the way a device does (template structure,
// fields, sections), optionally with maatwerk 'ja' and its two justifications, so it passes the
// T-rules and (with maatwerk) needs a second official's approval (W4).
import type * as Y from 'yjs';
import { initDocument, sectionText, writeFields } from '../../shared/model/document';
import { maatwerkbesluitTemplate } from '../../shared/templates/builtin/maatwerkbesluit';
import type { AckingClient, Session } from './server';

const template = maatwerkbesluitTemplate;

export const sampleDecision = {
  motivering: 'U zorgt voor uw moeder. Wij stemmen de uitkering af op grond van artikel 18 van de Participatiewet.',
  normaleRegel: 'Normaal geldt de kostendelersnorm van artikel 22a van de Participatiewet.',
  waaromNietPassend: 'U woont alleen tijdelijk bij uw moeder om voor haar te zorgen. Dan past die norm niet.',
};

/** Replaces the text of one section. */
export function writeSection(doc: Y.Doc, key: string, text: string): void {
  const t = sectionText(doc, key);
  if (t === null) throw new Error(`no section ${key}`);
  t.delete(0, t.length);
  t.insert(0, text);
}

export function fillDecision(doc: Y.Doc, info: { id: string; teamId: string; createdBy: string }, opts: { maatwerk: boolean }): void {
  initDocument(doc, template, { ...info, createdAt: 1_700_000_000_000 });
  writeFields(doc, template, {
    zaaknummer: 'ZAAK-2026-0007',
    betrokkeneNaam: 'De heer P. Bakker',
    betrokkeneAdres: 'Molenweg 4\n1234 AB Voorbeeld',
    bsn: '111222333',
    onderwerp: 'Uw bijstandsuitkering',
    uitkomst: 'toekenning',
    maatwerk: opts.maatwerk ? 'ja' : 'nee',
    ingangsdatum: '2026-03-01',
  });
  writeSection(doc, 'aanvraag', 'U vroeg om een uitkering.');
  writeSection(doc, 'besluit', 'U krijgt vanaf 1 maart 2026 een uitkering.');
  writeSection(doc, 'motivering', sampleDecision.motivering);
  if (opts.maatwerk) {
    writeSection(doc, 'normaleRegel', sampleDecision.normaleRegel);
    writeSection(doc, 'waaromNietPassend', sampleDecision.waaromNietPassend);
  }
}

/** Fills the document as a maatwerkbesluit and waits until the server has committed it. */
export async function writeDecision(client: AckingClient, docId: string, session: Session, opts: { maatwerk: boolean }): Promise<void> {
  fillDecision(client.doc, { id: docId, teamId: session.user.teamId, createdBy: session.user.id }, opts);
  await client.waitSaved();
}
