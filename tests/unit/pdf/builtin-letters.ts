// Every built-in template (both versions) filled as an official would at the kitchen table, from
// DOMAIN.md's cases, long enough for two or three pages: the P5–P8 tests and the page-by-page
// look (pdftoppm) print these. Plain sections get their text as Y.Text, rich ones as paragraphs
// and a list; agreements and a citizen's signature where the template has an agreements section.
import * as Y from 'yjs';
import { addAgreement } from '../../../shared/model/agreements';
import { initDocument, sectionText, writeFields } from '../../../shared/model/document';
import { addSignature } from '../../../shared/model/signatures';
import type { Template } from '../../../shared/templates/schema';
import { writeRich, zigzag, type RichInput } from './decision-fixture';

export const LETTER_NOW = Date.UTC(2026, 2, 2, 9, 30);

/** A BSN that passes the 11-test; the letter prints it as *****6782. */
export const SAMPLE_BSN = '123456782';

const FIELDS: Record<string, string> = {
  zaaknummer: 'ZAAK-2026-0042',
  betrokkeneNaam: 'Mevrouw A. de Boer',
  betrokkeneAdres: 'Molenweg 12\n1234 AB Voorbeeld',
  bsn: SAMPLE_BSN,
  uwKenmerk: 'Uw aanvraag van 12 februari 2026',
  uitkomst: 'toekenning',
  maatwerk: 'ja',
  ingangsdatum: '2026-03-01',
  bedrag: '€ 850 per maand',
  locatie: 'Dorpsstraat 3\n1234 CD Voorbeeld',
  gesprekDatum: '2026-02-26',
  gespreksdatum: '2026-02-26',
  aanwezigen: 'Mevrouw A. de Boer\nDe heer P. de Boer (zoon, mantelzorger)\nVera Veldwerker (wijkteam)',
  adviesDatum: '2026-02-20',
  initiatief: 'Sportzone langs de vaart',
  clientNaam: 'de heer J. Jansen',
  inrichting: 'Café De Molen, Marktplein 4, 1234 EF Voorbeeld',
};

const SUBJECTS: Record<string, string> = {
  brief: 'Uw vraag over zorg voor uw moeder',
  afsprakenverslag: 'Zorg voor uw moeder thuis',
  maatwerkbesluit: 'Uw bijstandsuitkering nu uw zoon bij u woont',
  voorschotbesluit: 'Voorschot op uw bijstandsuitkering',
  'adviesbrief-bouwplan': 'Uw plan voor een tweede woning in de schuur',
  'besluit-brandveiligheid': 'Uw aanvraag voor de uitbreiding van de manege',
  'brief-burgerinitiatief': 'Uw idee voor een sportzone langs de vaart',
  'brief-schuldhulpverlener': 'Auto van de heer Jansen nodig voor vervoer kinderen',
  'besluit-horeca': 'Exploitatievergunning café De Molen',
};

const LONG =
  'Wij hebben uw situatie met u besproken aan de keukentafel. U vertelde ons hoe het met u gaat, welke zorg er nodig is en wat u zelf nog kunt. ' +
  'Uw zoon woont sinds december bij u en helpt u elke dag met wassen, eten en de medicijnen. Zonder die hulp zou u thuiszorg nodig hebben.';

/** What each section says, by its key; the number of filler paragraphs sets the length. */
function sectionParagraphs(key: string, filler: number): string[] {
  const extra = Array.from({ length: filler }, (_, i) => `${LONG} (${i + 1})`);
  const texts: Record<string, string[]> = {
    kern: ['Op 26 februari spraken wij met u over de zorg voor uw moeder. U vroeg wat de gemeente kan doen.', ...extra],
    aanleiding: ['Mevrouw De Boer wil thuis blijven wonen. Haar zoon zorgt voor haar en vroeg wat dat betekent voor zijn uitkering.'],
    situatie: ['Mevrouw De Boer is 84 jaar en slecht ter been. Haar zoon woont sinds december bij haar.', ...extra],
    aanvraag: ['U heeft ons op 12 februari 2026 gevraagd om uw bijstandsuitkering niet te verlagen nu uw zoon bij u woont.'],
    besluit: [
      'Wij besluiten dat u vanaf 1 maart 2026 uw bijstandsuitkering houdt als alleenstaande. Wij verlagen de uitkering niet.',
      'Dit besluit geldt voor één jaar. Daarna kijken wij samen met u opnieuw naar uw situatie.',
    ],
    motivering: ['Dit besluit rust op artikel 18 van de Participatiewet. Wij mogen de uitkering afstemmen op uw situatie.', ...extra],
    normaleRegel: ['Normaal geldt de kostendelersnorm (artikel 22a Participatiewet): wie met een volwassene samenwoont, krijgt een lagere uitkering.'],
    waaromNietPassend: [
      'Uw zoon woont bij u om voor u te zorgen. Daardoor is geen thuiszorg nodig. Als wij de uitkering verlagen, moet hij verhuizen en komt de zorg bij de gemeente terecht.',
    ],
    verrekening: ['Als wij over uw aanvraag hebben besloten, verrekenen wij het voorschot met uw uitkering.'],
    plan: ['Wij hebben met u gesproken over uw plan voor een tweede woning in de schuur van uw boerderij aan de Dorpsstraat.', ...extra.slice(0, 2)],
    regels: ['Het omgevingsplan staat in de schuur geen tweede woning toe. De boerderij is een monument; de schuur hoort daarbij.'],
    advies: ['Wat wel kan: het kantoor naar de schuur en de woning in de boerderij. Daarvoor is een vergunning nodig, maar het past in de regels.', ...extra.slice(0, 2)],
    vervolg: ['Wij nemen binnen drie weken contact met u op. Dan spreken wij af wie wat doet.'],
    adviesBrandweer: ['De brandweer ziet een risico naar het lege perceel naast de manege. Zij adviseert een brandwerende muur van 60 minuten.', ...extra.slice(0, 3)],
    waardering: ['Bedankt voor uw idee en voor de tijd die u erin steekt. Het is mooi dat u zich inzet voor uw buurt.'],
    verzoek: ['Wij vragen u de auto buiten de boedel te laten. De heer Jansen brengt zijn kinderen ermee naar hun speciale school.'],
  };
  return texts[key] ?? [`Tekst van ${key}.`];
}

/** The template filled in; `filler` extra paragraphs in the long sections (4 makes 2–3 pages). */
export function filledLetter(template: Template, filler = 4): Y.Doc {
  const doc = new Y.Doc();
  initDocument(doc, template, { id: `doc-${template.id}`, teamId: 't', createdBy: 'u', createdAt: 0 });
  const values: Record<string, string> = {};
  for (const field of template.fields) {
    const value = field.key === 'onderwerp' ? SUBJECTS[template.id] : FIELDS[field.key];
    if (value !== undefined) values[field.key] = value;
  }
  writeFields(doc, template, values);
  for (const section of template.sections) {
    if (section.kind === 'fixed') continue;
    if (section.kind === 'agreements') {
      addAgreement(doc, { wat: 'Een aanvraag voor huishoudelijke hulp indienen', wie: 'De heer P. de Boer', wanneer: '2026-03-15' });
      addAgreement(doc, { wat: 'Langskomen om de woning te bekijken', wie: 'Wijkteam Centrum', wanneer: 'volgende week' });
      addAgreement(doc, { wat: 'Contact opnemen met de schuldhulpverlener', wie: 'Vera Veldwerker', wanneer: '2026-03-08' });
      addSignature(doc, { name: 'A. de Boer', signedAt: Date.UTC(2026, 2, 2, 13, 5), strokes: zigzag(2) });
      continue;
    }
    if (section.key === 'aanhef' || section.key === 'afsluiting') continue;
    const paragraphs = sectionParagraphs(section.key, filler);
    if (section.kind === 'rich') {
      const blocks: RichInput[] = paragraphs.map((p) => ({ p: [p] }));
      if (section.role === 'dictum' || section.key === 'advies' || section.key === 'kern') {
        blocks.push({ ul: [['Wij betalen elke maand op de 25e.'], ['U meldt ons elke verandering in uw situatie.']] });
      }
      writeRich(doc, section.key, blocks);
    } else {
      const text = sectionText(doc, section.key);
      if (text === null) continue;
      doc.transact(() => {
        text.delete(0, text.length);
        text.insert(0, paragraphs.join('\n\n'));
      });
    }
  }
  return doc;
}
