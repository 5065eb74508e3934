// J8: legal bases that exist. The check knows the laws and regulations a municipality decides on
// (national laws by name and abbreviation, the municipality's own verordeningen and APV); an
// outdated basis names its successor and transitional law in a hint that never blocks.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { OUTDATED_LAWS, outdatedLawsIn } from '../../../shared/law/legal-bases';
import { initDocument, sectionText, writeFields } from '../../../shared/model/document';
import { maatwerkbesluitTemplate as besluit } from '../../../shared/templates/builtin/maatwerkbesluit';
import { namesLegalBasis } from '../../../shared/validate/rules';
import { validateDocument } from '../../../shared/validate/validate-document';

describe('current laws and regulations are a legal basis', () => {
  it.each([
    'Wij besluiten dit op grond van artikel 4:84 Awb.',
    'Dit staat in artikel 4:84 van de Algemene wet bestuursrecht.',
    'De burgemeester is bevoegd op grond van artikel 174 Gemeentewet.',
    'Op grond van artikel 18, eerste lid, van de Participatiewet stemmen wij de bijstand af.',
    'Wij verlagen de bijstand (art. 18 lid 2 Pw).',
    'U krijgt een maatwerkvoorziening op grond van artikel 2.3.5 Wmo 2015.',
    'Dit volgt uit artikel 2.3.2 van de Wmo.',
    'Op grond van artikel 2.3 van de Jeugdwet krijgt u jeugdhulp.',
    'Wij kennen de uitkering toe op grond van artikel 2 van de IOAW.',
    'Wij kennen de uitkering toe op grond van artikel 2 IOAZ.',
    'Artikel 5.1 van de Omgevingswet bepaalt dat een vergunning nodig is.',
    'Wij weigeren de vergunning op grond van artikel 5.18 Ow.',
    'Dat staat in artikel 4.52 van het Besluit bouwwerken leefomgeving.',
    'Wij maken de stukken openbaar op grond van artikel 5.1 van de Wet open overheid.',
    'Dat volgt uit artikel 5.2 Woo.',
    'Op grond van artikel 1.61 van de Wet kinderopvang geven wij een aanwijzing.',
    'Op grond van artikel 3 van de Wet gemeentelijke schuldhulpverlening bieden wij u hulp.',
    'De burgemeester besluit dit op grond van artikel 2:10 APV.',
    'Op grond van artikel 2:10 van de Algemene plaatselijke verordening Voorbeeld 2024 is dit verboden.',
    'Wij geven u hulp op grond van artikel 5 van de Verordening maatschappelijke ondersteuning Gemeente Voorbeeld 2024.',
    'Artikel 9 van de Afstemmingsverordening Participatiewet bepaalt de verlaging.',
    'Op grond van artikel 13b Opiumwet sluit de burgemeester de woning.',
    'Dat staat in artikel 3 van de Alcoholwet.',
    'Op grond van artikel 22.36 van het omgevingsplan is dit toegestaan.',
    'Artikel 4 van de beleidsregels bijzondere bijstand bepaalt dit.',
  ])('[J8] %j names a legal basis', (text) => {
    expect(namesLegalBasis(text)).toBe(true);
    expect(outdatedLawsIn(text)).toEqual([]);
  });

  it.each([
    'Wij vinden dit redelijk.',
    'Volgens artikel 18 mag dat niet.',
    'De Omgevingswet is duidelijk.',
    'Artikel 18. De Participatiewet is duidelijk.',
    'Dat zegt de APV.',
  ])('[J8] %j does not (no article, or article and law in different sentences)', (text) => {
    expect(namesLegalBasis(text)).toBe(false);
  });
});

describe('outdated legal bases', () => {
  it.each([
    ['Dit volgt uit art. 2.1 Wabo.', 'Wabo', 'Omgevingswet', '1 januari 2024', 'Invoeringswet Omgevingswet'],
    ['Op grond van artikel 2.1 van de Wet algemene bepalingen omgevingsrecht is een vergunning nodig.', 'Wabo', 'Omgevingswet', '1 januari 2024', 'Invoeringswet Omgevingswet'],
    ['Op grond van artikel 3.1 Wro wijzigen wij het plan.', 'Wet ruimtelijke ordening', 'Omgevingswet', '1 januari 2024', 'Invoeringswet Omgevingswet'],
    ['Dat volgt uit artikel 4 van bijlage II Bor.', 'Besluit omgevingsrecht', 'Omgevingsbesluit', '1 januari 2024', 'Invoeringswet Omgevingswet'],
    ['Dit is in strijd met artikel 2.1 van het Bouwbesluit 2012.', 'Bouwbesluit 2012', 'Besluit bouwwerken leefomgeving', '1 januari 2024', 'Invoeringswet Omgevingswet'],
    ['Wij weigeren dit op grond van artikel 10 Wob.', 'Wob', 'Wet open overheid', '1 mei 2022', 'hoofdstuk 10 van de Woo'],
    ['Op grond van artikel 10 van de Wet openbaarheid van bestuur weigeren wij dit.', 'Wob', 'Wet open overheid', '1 mei 2022', 'hoofdstuk 10 van de Woo'],
    ['Op grond van artikel 14 WWB stemmen wij af.', 'Wet werk en bijstand', 'Participatiewet', '1 januari 2015', 'Invoeringswet Participatiewet'],
    ['Dit volgt uit artikel 4 Wmo 2007.', 'Wmo 2007', 'Wmo 2015', '1 januari 2015', 'hoofdstuk 8 van de Wmo 2015'],
    ['Dit volgt uit artikel 4 van de Wet maatschappelijke ondersteuning.', 'Wmo 2007', 'Wmo 2015', '1 januari 2015', 'hoofdstuk 8 van de Wmo 2015'],
    ['Op grond van artikel 3 Drank- en Horecawet is een vergunning nodig.', 'Drank- en Horecawet', 'Alcoholwet', '1 juli 2021', 'Alcoholwet'],
  ])('[J8] %j still names a basis, with a hint: %s → %s', (text, name, successor, since, transitional) => {
    expect(namesLegalBasis(text)).toBe(true);
    const [law, ...more] = outdatedLawsIn(text);
    expect(more).toEqual([]);
    expect(law?.name).toContain(name);
    expect(law?.successor).toContain(successor);
    expect(law?.since).toBe(since);
    expect(law?.transitional).toContain(transitional);
  });

  it('[J8] "Wmo 2015" and "Wet maatschappelijke ondersteuning 2015" are not outdated', () => {
    expect(outdatedLawsIn('artikel 2.3.5 Wmo 2015; artikel 1 van de Wet maatschappelijke ondersteuning 2015')).toEqual([]);
  });

  it('[J8] every outdated law names its successor, since when and its transitional law', () => {
    for (const law of OUTDATED_LAWS) {
      expect(law.successor).not.toBe('');
      expect(law.since).toMatch(/^\d{1,2} \p{L}+ \d{4}$/u);
      expect(law.transitional).toMatch(/overgangsrecht/);
    }
  });

  it('[J8][T8] in a decision the outdated basis is a hint at the motivering, never an error', () => {
    const doc = new Y.Doc();
    initDocument(doc, besluit, { id: 'doc-1', teamId: 'centrum', createdBy: 'u1', createdAt: 1 });
    writeFields(doc, besluit, {
      zaaknummer: 'ZAAK-2026-0001',
      betrokkeneNaam: 'De heer P. Bakker',
      betrokkeneAdres: 'Molenweg 4\n1234 AB Voorbeeld',
      bsn: '111222333',
      onderwerp: 'Uw aanvraag',
      uitkomst: 'toekenning',
      maatwerk: 'nee',
      ingangsdatum: '2026-03-01',
    });
    for (const [key, text] of [
      ['aanvraag', 'U vroeg om een vergunning.'],
      ['besluit', 'U krijgt de vergunning.'],
      ['motivering', 'Uw bouwplan past. Wij geven de vergunning op grond van artikel 2.1 van de Wabo.'],
    ] as const) {
      sectionText(doc, key)?.insert(0, text);
    }
    const problems = validateDocument(besluit, doc);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(problems).toContainEqual({
      section: 'motivering',
      rule: 'verouderde-grondslag',
      severity: 'hint',
      message: expect.stringMatching(/Wabo geldt niet meer: sinds 1 januari 2024 is dat de Omgevingswet\..*Invoeringswet Omgevingswet/) as string,
    });
  });
});
