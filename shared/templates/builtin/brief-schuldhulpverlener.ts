// Case 5 of DOMAIN.md: a letter to the debt counsellor about a client in debt restructuring
// (a father who needs his car to drive his disabled children to school), with his consent.
import type { Template } from '../schema';
import { addresseeFields, afsluitingSection, onderwerpField, uwKenmerkField, zaaknummerField } from './common';

export const briefSchuldhulpverlenerTemplate: Template = {
  id: 'brief-schuldhulpverlener',
  version: 1,
  kind: 'brief',
  title: 'Brief aan een schuldhulpverlener',
  description: 'Een brief aan de schuldhulpverlener of bewindvoerder over de situatie van een inwoner.',
  titleField: 'onderwerp',
  zaakField: 'zaaknummer',
  fields: [
    zaaknummerField,
    ...addresseeFields('schuldhulpverlener'),
    uwKenmerkField,
    { key: 'clientNaam', type: 'text', label: 'Naam van de inwoner', required: true, print: 'always' },
    { ...onderwerpField, hint: 'Bijvoorbeeld: Auto van de heer Jansen nodig voor vervoer kinderen' },
  ],
  sections: [
    { key: 'aanhef', kind: 'plain', label: 'Aanhef', required: true, initial: 'Geachte heer, mevrouw,' },
    {
      key: 'toestemming',
      kind: 'fixed',
      label: 'Waarom wij u schrijven',
      required: true,
      text: 'Wij schrijven u over {clientNaam}. Wij doen dat met toestemming van {clientNaam}. Ons zaaknummer is {zaaknummer}.',
    },
    {
      key: 'situatie',
      kind: 'plain',
      label: 'De situatie',
      required: true,
      hint: 'Beschrijf de situatie van de inwoner zoals die voor de schuldregeling van belang is. Alleen wat nodig is.',
    },
    {
      key: 'verzoek',
      kind: 'plain',
      label: 'Ons verzoek',
      required: true,
      hint: 'Wat vraagt u de schuldhulpverlener? Bijvoorbeeld: de auto buiten de boedel laten, omdat de kinderen ermee naar school gaan.',
    },
    {
      key: 'afspraken',
      kind: 'agreements',
      label: 'Wat we afspraken',
      required: false,
      hint: 'Afspraken die u met de inwoner maakte en die de schuldhulpverlener moet kennen.',
    },
    afsluitingSection,
  ],
  approval: 'never',
  dms: {
    documentType: 'Brief',
    confidentiality: 'vertrouwelijk',
    // M2: example values; the municipality's archivist confirms them against its own selectielijst.
    archive: {
      archiefnominatie: 'vernietigen',
      bewaartermijn: 'P7Y',
      selectielijstklasse: { omschrijving: 'Correspondentie in een zaak schuldhulpverlening' },
    },
  },
};
