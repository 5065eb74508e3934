// J3: who decides. A template names its bestuursorgaan (absent: the college van burgemeester en
// wethouders); from it follow the mandate line an official signs under (Awb 10:10), the body an
// objection goes to, and what the besluit-mandaat check (T5) accepts. Pure.

export const BESTUURSORGANEN = ['college', 'burgemeester', 'gemeenteraad', 'heffingsambtenaar'] as const;
export type Bestuursorgaan = (typeof BESTUURSORGANEN)[number];

interface OrgaanWords {
  /** As the letter names it in a sentence: "Stuur uw bezwaar naar {bestuursorgaan} van de gemeente …". */
  name: string;
  /** The default mandate wording; {gemeente} is the municipality's name. */
  mandaat: string;
  /** What a mandate line must say for this body (T5 `besluit-mandaat`). */
  pattern: RegExp;
}

const WORDS: Record<Bestuursorgaan, OrgaanWords> = {
  college: {
    name: 'het college van burgemeester en wethouders',
    mandaat: 'namens het college van burgemeester en wethouders van de gemeente {gemeente}',
    pattern: /namens\s+(?:het\s+college\s+van\s+)?burgemeester\s+en\s+wethouders/i,
  },
  burgemeester: {
    name: 'de burgemeester',
    mandaat: 'namens de burgemeester van de gemeente {gemeente}',
    pattern: /namens\s+de\s+burgemeester\b(?!\s+en\s+wethouders)/i,
  },
  gemeenteraad: {
    name: 'de gemeenteraad',
    mandaat: 'namens de gemeenteraad van de gemeente {gemeente}',
    pattern: /namens\s+de\s+(?:gemeente)?raad\b/i,
  },
  heffingsambtenaar: {
    name: 'de heffingsambtenaar',
    mandaat: 'namens de heffingsambtenaar van de gemeente {gemeente}',
    pattern: /namens\s+de\s+heffingsambtenaar\b/i,
  },
};

/** The body deciding under a template; the college when the template does not say. */
export function bestuursorgaanOf(template: { bestuursorgaan?: Bestuursorgaan | undefined }): Bestuursorgaan {
  return template.bestuursorgaan ?? 'college';
}

/** "het college van burgemeester en wethouders", "de burgemeester", … */
export function bestuursorgaanName(orgaan: Bestuursorgaan): string {
  return WORDS[orgaan].name;
}

/** The template's mandate wording ({gemeente} still in it): its own `mandaat`, else its body's default. */
export function mandaatWording(template: { bestuursorgaan?: Bestuursorgaan | undefined; mandaat?: string | undefined }): string {
  return template.mandaat ?? WORDS[bestuursorgaanOf(template)].mandaat;
}

/** Whether a mandate line names this body ("namens de burgemeester", …). */
export function namesMandate(orgaan: Bestuursorgaan, text: string): boolean {
  return WORDS[orgaan].pattern.test(text);
}

/** "Gemeente Voorbeeld" → "Voorbeeld": how {gemeente} reads after "van de gemeente". */
export function placeName(municipality: string): string {
  return municipality.trim().replace(/^gemeente\s+/i, '');
}

/** The mandate line with {gemeente} filled. */
export function mandaatLineOf(template: { bestuursorgaan?: Bestuursorgaan | undefined; mandaat?: string | undefined }, municipality: string): string {
  return mandaatWording(template).replace(/\{gemeente\}/g, placeName(municipality));
}
