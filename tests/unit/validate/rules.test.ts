// The pure rule functions behind the T-rules (docs/SPEC.md): BSN 11-test (T4), dates and the end
// of the bezwaartermijn (T4, Awb 6:7/6:8 with the Algemene termijnenwet), the legal basis of a
// motivering (T5) and the plain-language measures behind the hints (T8).
import { describe, expect, it } from 'vitest';
import {
  bezwaartermijnEinde,
  fleschDouma,
  isIsoDate,
  isValidBsn,
  longSentences,
  namesLegalBasis,
  officialeseIn,
  sentences,
  syllables,
} from '../../../shared/validate/rules';

describe('BSN 11-test', () => {
  it.each(['111222333', '123456782', '999993653', '1112.22.333', '111 222 333', '12345672'])('[T4] %j passes', (bsn) => {
    expect(isValidBsn(bsn)).toBe(true);
  });
  it.each(['123456789', '000000000', '11122233', '1112223334', '11122233a', '', '111-222-333'])('[T4] %j fails', (bsn) => {
    expect(isValidBsn(bsn)).toBe(false);
  });
});

describe('dates', () => {
  it.each([
    ['2028-02-29', true],
    ['2026-02-29', false],
    ['2026-02-30', false],
    ['2026-13-01', false],
    ['2026-1-5', false],
    ['5 januari 2026', false],
    ['2026-12-31', true],
  ])('[T4] %j is a date: %j', (value, ok) => {
    expect(isIsoDate(value)).toBe(ok);
  });
});

describe('bezwaartermijnEinde', () => {
  it.each([
    ['an ordinary Monday: six weeks later, same weekday', '2026-01-05', '2026-02-16'],
    ['across a month end (30 January → 13 March)', '2026-01-30', '2026-03-13'],
    ['across the turn of the year', '2025-12-31', '2026-02-11'],
    ['onto a leap day', '2028-01-18', '2028-02-29'],
    ['across a leap day', '2028-02-10', '2028-03-23'],
    ['sent on a Saturday: the last day moves to Monday (Atw art. 1)', '2026-01-31', '2026-03-16'],
    ['ending on Christmas: moves past both Christmas days and the weekend', '2026-11-13', '2026-12-28'],
    ['ending on Koningsdag (27 April 2026): moves to the 28th', '2026-03-16', '2026-04-28'],
    ['ending on Easter Monday 2027 (29 March): moves to Tuesday', '2027-02-15', '2027-03-30'],
  ])('[T4] %s', (_case, sent, end) => {
    expect(bezwaartermijnEinde(sent)).toBe(end);
  });
  it('[T4] no end date for a date that does not exist', () => {
    expect(bezwaartermijnEinde('2026-02-30')).toBeNull();
    expect(bezwaartermijnEinde('morgen')).toBeNull();
  });
});

describe('legal basis', () => {
  it.each([
    'Wij besluiten dit op grond van artikel 4:84 Awb.',
    'Dit volgt uit art. 2.1 Wabo.',
    'Participatiewet artikel 18 bepaalt dat wij de bijstand afstemmen.',
    'Op grond van artikel 18, eerste lid, van de Participatiewet stemmen wij de bijstand af.',
    'Dat staat in artikel 4.52 van het Besluit bouwwerken leefomgeving.',
    'U woont samen. Daarom geldt artikel 3 van de Participatiewet.',
  ])('[T5] %j names a legal basis', (text) => {
    expect(namesLegalBasis(text)).toBe(true);
  });
  it.each([
    'Wij vinden dit redelijk.',
    'Volgens artikel 18 mag dat niet.',
    'De wet zegt dat het niet mag.',
    'Artikel 18. De Participatiewet is duidelijk.',
  ])('[T5] %j does not', (text) => {
    expect(namesLegalBasis(text)).toBe(false);
  });
});

describe('plain language', () => {
  it('[T8] splits sentences, but not after art. or bijv.', () => {
    expect(sentences('Dit is één. Dit is twee! Zie art. 3 Awb, bijv. lid 2.\n\nNieuwe alinea')).toEqual([
      'Dit is één.',
      'Dit is twee!',
      'Zie art. 3 Awb, bijv. lid 2.',
      'Nieuwe alinea',
    ]);
  });
  it('[T8] finds sentences over 25 words', () => {
    const long = `Dit ${'woord '.repeat(25).trim()}.`;
    expect(longSentences(`Kort. ${long} Ook kort.`)).toEqual([long]);
    expect(longSentences(`${'woord '.repeat(25).trim()}.`)).toEqual([]);
  });
  it('[T8] finds officialese as whole words, each once, in order', () => {
    expect(officialeseIn('Middels deze brief, teneinde u te helpen. Met betrekking tot uw aanvraag, middels.')).toEqual([
      'middels',
      'teneinde',
      'met betrekking tot',
    ]);
    expect(officialeseIn('U kunt bezwaar indienen bij de commissie.')).toEqual([]);
    expect(officialeseIn('Derhalve besluiten wij conform het beleid inzake voornoemd verzoek.')).toEqual([
      'derhalve',
      'conform',
      'inzake',
      'voornoemd',
    ]);
  });
  it('[T8] counts Dutch syllables by vowel groups', () => {
    expect(syllables('huis')).toBe(1);
    expect(syllables('gemeente')).toBe(3);
    expect(syllables('uitkering')).toBe(3);
    expect(syllables('bsn')).toBe(1);
  });
  it('[T8] Flesch-Douma: plain text scores high, officialese low, short text not at all', () => {
    const plain = 'U krijgt hulp bij het huishouden. Wij komen op maandag. Dan praten we over de zorg voor uw moeder. Dat is fijn.';
    const stiff =
      'Onderhavige beschikking inzake de tegemoetkoming in de kosten van maatschappelijke ondersteuning wordt derhalve conform de desbetreffende ' +
      'verordeningsbepalingen, teneinde administratieve complicaties te voorkomen, middels deze correspondentie aan belanghebbende medegedeeld.';
    expect(fleschDouma(plain)).toBeGreaterThan(80);
    expect(fleschDouma(stiff)).toBeLessThan(30);
    expect(fleschDouma('Met vriendelijke groet,')).toBeNull();
  });
});
