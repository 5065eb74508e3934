// Pure rule functions behind the T-rules of docs/SPEC.md: BSN 11-test, zaaknummer and date
// formats, the end of the bezwaartermijn (Awb 6:7, 6:8 with the Algemene termijnenwet), the
// legal-basis check of a motivering, and the plain-language measures (long sentences,
// officialese, Flesch-Douma). No clock, no I/O, no zod: the device runs them on every keystroke.
import { ARTICLE, namesLaw } from '../law/legal-bases';
import { bezwaartermijnEinde as termijnEinde, type DesignatedDay } from '../law/termijnen';

/**
 * A zaaknummer as case systems hand them out (ZAAK-2026-0042, Z24.00123, 2026/0042 is not):
 * letters, digits, dot, dash and underscore, at most 40 characters (the ZGW `identificatie`
 * limit). It also ends up in DMS folder names and file metadata, so nothing else gets through.
 */
const ZAAKNUMMER = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,38}[A-Za-z0-9])?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidZaaknummer(value: string): boolean {
  return ZAAKNUMMER.test(value);
}

/** A real calendar date written as YYYY-MM-DD (what input type=date gives). */
export function isIsoDate(value: string): boolean {
  return parseIsoDate(value) !== null;
}

function parseIsoDate(value: string): Date | null {
  const m = ISO_DATE.exec(value);
  if (m === null) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date : null;
}

/**
 * The BSN 11-test: nine digits (eight with a leading zero left off are padded), weights 9…2 and
 * −1 for the last digit; the sum is a multiple of 11 and not 0. Spaces and dots are allowed.
 */
export function isValidBsn(value: string): boolean {
  const digits = value.replace(/[\s.]/g, '');
  if (!/^\d{8,9}$/.test(digits)) return false;
  const nine = digits.padStart(9, '0');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(nine[i]) * (9 - i);
  sum -= Number(nine[8]);
  return sum !== 0 && sum % 11 === 0;
}

/**
 * Last day of the bezwaartermijn for a decision sent on `sentDate` (YYYY-MM-DD): six weeks
 * (Awb 6:7) beginning the day after sending (6:8), extended under the Algemene termijnenwet
 * (J5, J6: shared/law/termijnen.ts). `designated`: days designated under Atw art. 3 lid 3
 * beyond the built-in table (HOLIDAYS_FILE). Null for a date that does not exist.
 */
export function bezwaartermijnEinde(sentDate: string, designated: readonly DesignatedDay[] = []): string | null {
  return termijnEinde(sentDate, designated);
}

/**
 * Whether a motivering names a legal basis (T5, J8): one sentence holds an article reference and
 * a law or regulation the municipality decides on, in either order ("artikel 4:84 Awb",
 * "artikel 5.1 Omgevingswet", "Participatiewet artikel 18", "artikel 2:10 APV", "artikel 5 van de
 * Verordening maatschappelijke ondersteuning Gemeente Voorbeeld 2024"). An outdated law (Wabo,
 * Wob) still names a basis; `outdatedLawsIn` finds it for the hint.
 */
export function namesLegalBasis(text: string): boolean {
  return sentences(text).some((s) => ARTICLE.test(s) && namesLaw(s.replace(ARTICLE, ' ')));
}

/** Abbreviations whose full stop does not end a sentence (art. 2.1 Wabo, bijv. de huur). */
const ABBREVIATION = String.raw`(?<!\b(?:art|artt|nr|nrs|bijv|blz|ca|dhr|mevr|mr|dr|drs|ir|ing|jo|enz|etc|o\.a|m\.b\.t|t\.a\.v|z\.s\.m|e\.d|i\.v\.m|d\.w\.z)\.)`;
const SENTENCE_BREAK = new RegExp(String.raw`\n\s*\n|(?<=[.!?])${ABBREVIATION}\s+(?=[A-Z0-9À-Ý‘'"(])`, 'u');

/** Sentences of a text: split after . ! ? followed by a space and a capital or digit, and at blank lines. */
export function sentences(text: string): string[] {
  return text
    .split(SENTENCE_BREAK)
    .map((s) => s.trim())
    .filter((s) => /\p{L}/u.test(s));
}

export function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
}

export const LONG_SENTENCE_WORDS = 25;

/** Sentences longer than 25 words (B1 advice), in order. */
export function longSentences(text: string): string[] {
  return sentences(text).filter((s) => words(s).length > LONG_SENTENCE_WORDS);
}

/** Officialese with a plain alternative, as the hint says it. */
export const OFFICIALESE: Readonly<Record<string, string>> = {
  middels: 'met',
  teneinde: 'om',
  derhalve: 'daarom',
  inzake: 'over',
  conform: 'volgens',
  voornoemd: 'genoemd',
  voornoemde: 'genoemde',
  onderhavig: 'dit',
  onderhavige: 'deze',
  alsmede: 'en',
  dienen: 'moeten',
  doch: 'maar',
  indien: 'als',
  thans: 'nu',
  reeds: 'al',
  tevens: 'ook',
  woonachtig: 'wonend',
  'ten behoeve van': 'voor',
  'met betrekking tot': 'over',
  'in het kader van': 'bij',
};

/** The officialese a text uses, each once, in order of first use. */
export function officialeseIn(text: string): string[] {
  const lower = ` ${text.toLowerCase().replace(/[^\p{L}\s]/gu, ' ').replace(/\s+/g, ' ')} `;
  const found: { word: string; at: number }[] = [];
  for (const word of Object.keys(OFFICIALESE)) {
    const at = lower.indexOf(` ${word} `);
    if (at >= 0) found.push({ word, at });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.word);
}

/** Dutch syllables, approximated by vowel groups (ij, ei, oe, ui, … count once). */
export function syllables(word: string): number {
  const groups = word.toLowerCase().match(/[aeiouyáéíóúàèëïöü]+/g);
  return Math.max(1, groups?.length ?? 0);
}

/**
 * Flesch-Douma reading ease of a Dutch text: 206.835 − 0.93 × words per sentence − 77 ×
 * syllables per word. Above 60 reads easily; below 50 is hard for many readers. Null for text
 * too short to score (fewer than 15 words).
 */
export function fleschDouma(text: string): number | null {
  const all = words(text);
  const count = sentences(text).length;
  if (all.length < 15 || count === 0) return null;
  const syl = all.reduce((n, w) => n + syllables(w), 0);
  return Math.round((206.835 - 0.93 * (all.length / count) - 77 * (syl / all.length)) * 10) / 10;
}

export const READABILITY_HINT_BELOW = 50;
