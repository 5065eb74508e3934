// J8: the laws and regulations a municipality decides on, to recognise a legal basis in a
// motivering ("artikel 18 van de Participatiewet", "artikel 2:10 APV"), and the ones that no
// longer apply with their successor and transitional law, for a hint that never blocks. Pure.

export interface OutdatedLaw {
  /** How the motivering names it. */
  pattern: RegExp;
  /** The name the hint uses. */
  name: string;
  successor: string;
  /** Dutch date since which the successor applies. */
  since: string;
  /** Where the transitional law is, for a case that started under the old law. */
  transitional: string;
}

/**
 * Laws a municipality decides on, by abbreviation or full name. Names that end in -wet,
 * -verordening, -besluit, -regeling or -reglement (Jeugdwet, Afstemmingsverordening) and names
 * that begin with Wet, Besluit, Regeling or Verordening are recognised anyway (GENERIC).
 */
const KNOWN: readonly RegExp[] = [
  /\bAwb\b/,
  /\bAlgemene wet bestuursrecht\b/i,
  /\bGemeentewet\b/i,
  /\bPw\b/, // Participatiewet
  /\bWmo(?:\s*2015)?\b/,
  /\bIOAW\b/,
  /\bIOAZ\b/,
  /\bIOW\b/,
  /\bBbz(?:\s*2004)?\b/,
  /\bOw\b/,
  /\bBal\b|\bBbl\b|\bBkl\b/,
  /\bWoo\b/,
  /\bWko\b/,
  /\bWgs\b/,
  /\bWsnp\b/,
  /\bWet\s+Bibob\b|\bBibob\b/i,
  /\bWVW\s*1994\b/,
  /\bAWR\b/,
  /\bWet\s+WOZ\b/,
  /\bBW\b|\bBurgerlijk\s+Wetboek\b/,
  /\bA\.?P\.?V\.?\b/, // Algemene plaatselijke verordening, by its usual abbreviation
  /\bomgevingsplan\b/i,
  /\bbeleidsregels?\b/i,
];

/** A law named by its kind: Jeugdwet, Omgevingswet, Huisvestingsverordening, Wet open overheid, Besluit … */
const GENERIC =
  /(?:\b\p{Lu}[\p{L}-]*(?:wet|verordening|besluit|regeling|reglement)\b|\b(?:Wet|Besluit|Regeling|Verordening)\s+\p{L}|\b(?:wet|verordening)\b)/u;

/** Outdated bases: named, so the motivering is not refused, but with a hint (J8). */
export const OUTDATED_LAWS: readonly OutdatedLaw[] = [
  {
    pattern: /\bWabo\b|\bWet\s+algemene\s+bepalingen\s+omgevingsrecht\b/i,
    name: 'Wabo',
    successor: 'Omgevingswet',
    since: '1 januari 2024',
    transitional: 'het overgangsrecht van de Invoeringswet Omgevingswet (hoofdstuk 4), voor een aanvraag van vóór 1 januari 2024',
  },
  {
    pattern: /\bWro\b|\bWet\s+ruimtelijke\s+ordening\b/i,
    name: 'Wet ruimtelijke ordening',
    successor: 'Omgevingswet',
    since: '1 januari 2024',
    transitional: 'het overgangsrecht van de Invoeringswet Omgevingswet (hoofdstuk 4)',
  },
  {
    pattern: /\bBor\b|\bBesluit\s+omgevingsrecht\b/,
    name: 'Besluit omgevingsrecht (Bor)',
    successor: 'Omgevingsbesluit en het Besluit activiteiten leefomgeving (Bal)',
    since: '1 januari 2024',
    transitional: 'het overgangsrecht van de Invoeringswet Omgevingswet (hoofdstuk 4)',
  },
  {
    pattern: /\bBouwbesluit(?:\s+2012)?\b/i,
    name: 'Bouwbesluit 2012',
    successor: 'Besluit bouwwerken leefomgeving (Bbl)',
    since: '1 januari 2024',
    transitional: 'het overgangsrecht van de Invoeringswet Omgevingswet (hoofdstuk 4)',
  },
  {
    pattern: /\bWob\b|\bWet\s+openbaarheid\s+van\s+bestuur\b/i,
    name: 'Wob',
    successor: 'Wet open overheid (Woo)',
    since: '1 mei 2022',
    transitional: 'het overgangsrecht in hoofdstuk 10 van de Woo',
  },
  {
    pattern: /\bWWB\b|\bWet\s+werk\s+en\s+bijstand\b/i,
    name: 'Wet werk en bijstand (WWB)',
    successor: 'Participatiewet',
    since: '1 januari 2015',
    transitional: 'het overgangsrecht van de Invoeringswet Participatiewet',
  },
  {
    pattern: /\bWmo\s*2007\b|\bWet\s+maatschappelijke\s+ondersteuning\b(?!\s*2015)/i,
    name: 'Wmo 2007',
    successor: 'Wmo 2015',
    since: '1 januari 2015',
    transitional: 'het overgangsrecht in hoofdstuk 8 van de Wmo 2015',
  },
  {
    pattern: /\bDrank-\s+en\s+Horecawet\b|\bDHW\b/i,
    name: 'Drank- en Horecawet',
    successor: 'Alcoholwet',
    since: '1 juli 2021',
    transitional: 'het overgangsrecht in de wet die de Drank- en Horecawet wijzigde in de Alcoholwet',
  },
];

/** An article reference: artikel 18, art. 2:10, artikel 4.52a, artikelen 3 en 4. */
export const ARTICLE = /\b(?:artikel(?:en)?|art\.?)\s*\d+[a-z]?(?:[.:]\d+[a-z]?)*/i;

/** Whether a sentence (with its article reference taken out) names a law or regulation. */
export function namesLaw(sentence: string): boolean {
  return KNOWN.some((p) => p.test(sentence)) || GENERIC.test(sentence) || OUTDATED_LAWS.some((o) => o.pattern.test(sentence));
}

/** The outdated laws a text names, each once, in table order. */
export function outdatedLawsIn(text: string): OutdatedLaw[] {
  return OUTDATED_LAWS.filter((o) => o.pattern.test(text));
}

/** The hint for an outdated basis: Dutch, naming the successor, since when, and the transitional law. */
export function outdatedHint(law: OutdatedLaw): string {
  return `De ${law.name} geldt niet meer: sinds ${law.since} is dat de ${law.successor}. Noem de ${law.successor} als grondslag, of het overgangsrecht als de oude wet hier nog geldt (${law.transitional}).`;
}
