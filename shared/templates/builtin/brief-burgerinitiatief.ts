// Case 6 of DOMAIN.md: a letter to a citizen initiative (a sports zone along a canal that
// carries hazardous goods): thanks, what the municipality thinks of it, and the next step.
import type { Template } from '../schema';
import { addresseeFields, afsluitingSection, onderwerpField, uwKenmerkField, zaaknummerField } from './common';

export const briefBurgerinitiatiefTemplate: Template = {
  id: 'brief-burgerinitiatief',
  version: 1,
  kind: 'brief',
  title: 'Brief aan een burgerinitiatief',
  description: 'Een reactie op een idee van inwoners: wat we ervan vinden en hoe we verder gaan.',
  titleField: 'onderwerp',
  zaakField: 'zaaknummer',
  fields: [
    zaaknummerField,
    ...addresseeFields('initiatiefnemer'),
    uwKenmerkField,
    { key: 'initiatief', type: 'text', label: 'Naam van het initiatief', required: true, hint: 'Bijvoorbeeld: Sportzone langs de vaart', print: 'always' },
    { ...onderwerpField, hint: 'Bijvoorbeeld: Uw idee voor een sportzone langs de vaart' },
  ],
  sections: [
    { key: 'aanhef', kind: 'plain', label: 'Aanhef', required: true, initial: 'Beste initiatiefnemers,' },
    {
      key: 'waardering',
      kind: 'plain',
      label: 'Dank voor uw idee',
      required: true,
      initial: 'Bedankt voor uw idee en voor de tijd die u erin steekt. Het is mooi dat u zich inzet voor uw buurt.',
    },
    {
      key: 'kern',
      kind: 'plain',
      label: 'Wat wij van het idee vinden',
      required: true,
      hint: 'Wat is goed aan het idee? Waar zitten de moeilijke punten, bijvoorbeeld veiligheid of geld? Schrijf eerlijk en concreet.',
    },
    {
      key: 'vervolg',
      kind: 'plain',
      label: 'Hoe we verder gaan',
      required: true,
      hint: 'Wat is de volgende stap, wie doet wat, en wanneer hoort de initiatiefnemer weer van ons?',
    },
    {
      key: 'contact',
      kind: 'fixed',
      label: 'Contact',
      required: true,
      text: 'Over {initiatief} heeft u vanaf nu één vast contactpersoon bij de gemeente {gemeente}. Noem bij contact het zaaknummer {zaaknummer}.',
    },
    afsluitingSection,
  ],
  approval: 'never',
  dms: {
    documentType: 'Brief',
    confidentiality: 'openbaar',
    // M2: example values; the municipality's archivist confirms them against its own selectielijst.
    archive: {
      archiefnominatie: 'blijvend_bewaren',
      selectielijstklasse: { omschrijving: 'Reactie op een initiatief van inwoners (burgerparticipatie)' },
    },
  },
};
