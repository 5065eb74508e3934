// Pieces the built-in Dutch templates share: the case and addressee fields, the maatwerk switch
// and its two questions, and the fixed texts every decision carries (the rechtsmiddelenclausule
// with its computed end date, Awb 3:45 and 6:7/6:8, and the mandate line, Awb 10:10).
import type { TemplateField, TemplateSection } from '../schema';

export const zaaknummerField: TemplateField = {
  key: 'zaaknummer',
  type: 'zaaknummer',
  label: 'Zaaknummer',
  required: true,
  hint: 'Bijvoorbeeld ZAAK-2026-0042',
  print: 'always',
};

export function addresseeFields(who = 'betrokkene'): TemplateField[] {
  return [
    { key: 'betrokkeneNaam', type: 'text', label: `Naam ${who}`, required: true, print: 'always' },
    { key: 'betrokkeneAdres', type: 'address', label: `Adres ${who}`, required: true, hint: 'Straat en huisnummer, postcode en plaats', print: 'always' },
  ];
}

export const onderwerpField: TemplateField = { key: 'onderwerp', type: 'text', label: 'Onderwerp', required: true, print: 'always' };

/** P6: the citizen's own reference, for letters that answer something the citizen sent first. */
export const uwKenmerkField: TemplateField = {
  key: 'uwKenmerk',
  type: 'text',
  label: 'Uw kenmerk',
  required: false,
  role: 'uwKenmerk',
  hint: 'Het kenmerk of de datum van de brief of aanvraag van de inwoner, als die er is.',
  print: 'always',
};

export const bsnField: TemplateField = {
  key: 'bsn',
  type: 'bsn',
  label: 'BSN betrokkene',
  required: false,
  hint: 'Alleen als het besluit over één persoon gaat. Het BSN komt niet in lijsten of titels; de brief toont alleen de laatste vier cijfers.',
  print: 'masked',
};

export const ingangsdatumField: TemplateField = {
  key: 'ingangsdatum',
  type: 'date',
  label: 'Het besluit geldt vanaf',
  required: true,
  role: 'ingangsdatum',
  print: 'always',
};

export const maatwerkField: TemplateField = {
  key: 'maatwerk',
  type: 'choice',
  label: 'Maatwerk: wijkt dit besluit af van de gewone regel?',
  required: true,
  options: ['nee', 'ja'],
  hint: 'Kies ja als u bewust afwijkt van het beleid. Een collega moet het besluit dan goedkeuren.',
  // Internal: decides the rules and the approval; the letter says it in words, never as "ja".
  print: 'never',
};

export const maatwerkSections: TemplateSection[] = [
  {
    key: 'normaleRegel',
    kind: 'plain',
    label: 'Maatwerk: welke regel geldt normaal?',
    required: false,
    hint: 'Alleen bij maatwerk. Noem de beleidsregel of het artikel dat normaal zou gelden.',
  },
  {
    key: 'waaromNietPassend',
    kind: 'plain',
    label: 'Maatwerk: waarom past die regel hier niet?',
    required: false,
    hint: 'Alleen bij maatwerk. Leg uit wat er in deze situatie anders is, en waarom afwijken redelijk is.',
  },
];

export const aanhefSection: TemplateSection = {
  key: 'aanhef',
  kind: 'plain',
  label: 'Aanhef',
  required: true,
  initial: 'Geachte heer, mevrouw,',
};

export const afsluitingSection: TemplateSection = {
  key: 'afsluiting',
  kind: 'plain',
  label: 'Afsluiting',
  required: true,
  initial: 'Heeft u vragen over deze brief? Bel of mail ons gerust. Zet dan het zaaknummer erbij.\n\nMet vriendelijke groet,',
};

export const rechtsmiddelenSection: TemplateSection = {
  key: 'rechtsmiddelen',
  kind: 'fixed',
  label: 'Bent u het niet eens met dit besluit?',
  required: true,
  role: 'rechtsmiddelen',
  text:
    // J7: Awb 6:7 and 6:8 (six weeks from the day after sending), Atw art. 1 (a last day on a
    // weekend or feestdag moves on), Awb 6:9 (received in time; by post: posted in time and received
    // within a week after). No date: the letter is printed before it is sent, so any date could be wrong.
    'Bent u het niet eens met dit besluit? Dan kunt u bezwaar maken. Dat doet u binnen zes weken. ' +
    'De zes weken beginnen op de dag nadat wij dit besluit hebben verstuurd. ' +
    'Is de laatste dag een zaterdag, zondag of officiële feestdag? Dan mag u ook nog op de eerstvolgende werkdag bezwaar maken.\n\n' +
    'Uw bezwaar is op tijd als wij het binnen de zes weken ontvangen. Stuurt u uw bezwaar met de post? ' +
    'Dan is het ook op tijd als u het binnen de zes weken op de post doet en wij het uiterlijk een week na de laatste dag ontvangen.\n\n' +
    'Stuur uw bezwaar naar {bestuursorgaan} van de gemeente {gemeente}. Zet in uw brief: uw naam en adres, de datum, ' +
    'het kenmerk {kenmerk}, waarom u het niet eens bent met het besluit, en uw handtekening.\n\n' +
    'Is het besluit erg dringend voor u? Dan kunt u de voorzieningenrechter van de rechtbank vragen om een voorlopige voorziening. ' +
    'Dat kan alleen als u ook bezwaar maakt. Aan zo’n verzoek zijn kosten verbonden.',
};

export const mandaatSection: TemplateSection = {
  key: 'ondertekening',
  kind: 'fixed',
  label: 'Ondertekening (mandaat)',
  required: true,
  role: 'mandaat',
  hint: 'De mandaatregel boven de handtekening.',
  // J3: the template's own mandate wording (its bestuursorgaan's, the college's by default).
  text: '{mandaat}',
};
