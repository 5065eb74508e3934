// A letter with what Dutch officials meet in names and pasted text: Arabic (a right-to-left run
// inside a Dutch sentence, with digits and a comma), Greek, Cyrillic, Polish and Turkish names,
// ✓ and →, and a word far longer than a line. Used by the glyph tests and for looking at the PDF.
import * as Y from 'yjs';
import { addAgreement } from '../../../shared/model/agreements';
import { initDocument, sectionText, writeFields } from '../../../shared/model/document';
import { buildLetterLayout, type LetterLayout } from '../../../shared/render/letter';
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import type { LetterPdfInput } from '../../../server/pdf/render-letter';

export const NAMES = {
  arabic: 'محمد العلي',
  greek: 'Αλέξανδρος Παπαδόπουλος',
  cyrillic: 'Олександр Шевченко',
  polish: 'Łukasz Żółć-Gdańska',
  turkish: 'Şükrü Çağlayan İğdır',
} as const;

export const KERN = [
  `Op 3 maart spraken wij met ${NAMES.arabic} (dossier ٤٥) over de aanvraag. Aanwezig: ${NAMES.greek}, ${NAMES.cyrillic}, ${NAMES.polish} en ${NAMES.turkish}.`,
  'Afgesproken ✓ huur betaald → schuldhulp ✔ ≤ € 850 • klaar … “zo” ‘ja’.',
  `Het adres in het Arabisch: شارع الملك فهد ١٢، الرياض — daarna verder in het Nederlands.`,
  'Lang woord: ' + 'Donaudampfschifffahrtsgesellschaftskapitänswitwe'.repeat(6) + ' einde.',
].join('\n\n');

export function multilingualLayout(kern = KERN): LetterLayout {
  const doc = new Y.Doc();
  initDocument(doc, briefTemplate, { id: 'd', teamId: 't', createdBy: 'u', createdAt: 0 });
  writeFields(doc, briefTemplate, {
    zaaknummer: 'ZAAK-2026-0042',
    betrokkeneNaam: `${NAMES.arabic} / ${NAMES.turkish}`,
    betrokkeneAdres: 'Kanaalweg 7\n1234 AB Voorbeeld',
    onderwerp: `Uw aanvraag ✓ → ${NAMES.cyrillic}`,
  });
  sectionText(doc, 'kern')?.insert(0, kern);
  addAgreement(doc, { wat: `Gesprek met ${NAMES.arabic} ✓`, wie: NAMES.greek, wanneer: '2026-03-15 →' });
  return buildLetterLayout(briefTemplate, doc, {
    municipality: 'Gemeente Voorbeeld',
    author: 'Karin Kantoor',
    date: Date.UTC(2026, 2, 2, 9, 30),
    kenmerk: 'KT-0123456789abcdef-v1',
  });
}

export function multilingualInput(kern = KERN): LetterPdfInput {
  return {
    layout: multilingualLayout(kern),
    title: 'Uw aanvraag',
    author: 'Karin Kantoor',
    subject: 'Brief, zaak ZAAK-2026-0042',
    keywords: ['ZAAK-2026-0042'],
    now: Date.UTC(2026, 2, 2, 9, 30),
  };
}
