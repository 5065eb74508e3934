// Case 1 and 5 of DOMAIN.md: the record of a kitchen-table conversation and the agreements made
// there (what, who, by when), for the citizen to read along and confirm.
import type { Template } from '../schema';
import { addresseeFields, zaaknummerField } from './common';

export const afsprakenverslagTemplate: Template = {
  id: 'afsprakenverslag',
  version: 1,
  kind: 'verslag',
  title: 'Afsprakenverslag keukentafelgesprek',
  description: 'Wat u samen besprak en wat u afsprak: wie doet wat, en wanneer.',
  titleField: 'onderwerp',
  zaakField: 'zaaknummer',
  fields: [
    zaaknummerField,
    ...addresseeFields(),
    { key: 'onderwerp', type: 'text', label: 'Onderwerp', required: true, hint: 'Bijvoorbeeld: Zorg voor uw moeder thuis', print: 'always' },
    { key: 'gespreksdatum', type: 'date', label: 'Datum van het gesprek', required: true, print: 'always' },
    { key: 'aanwezigen', type: 'multiline', label: 'Wie waren erbij?', required: true, hint: 'Eén naam per regel, met de rol (bijvoorbeeld: zoon, mantelzorger).', print: 'always' },
  ],
  sections: [
    {
      key: 'aanleiding',
      kind: 'plain',
      label: 'Waarom we met elkaar praatten',
      required: true,
      hint: 'Eén of twee zinnen: de vraag of de zorg van de inwoner.',
    },
    {
      key: 'situatie',
      kind: 'plain',
      label: 'Wat we bespraken',
      required: true,
      hint: 'Schrijf op wat de inwoner vertelde, in zijn of haar eigen woorden waar dat kan.',
    },
    { key: 'afspraken', kind: 'agreements', label: 'Wat we afspraken', required: true },
    {
      key: 'vervolg',
      kind: 'fixed',
      label: 'Klopt dit verslag?',
      required: true,
      text:
        'Dit verslag is gemaakt op {gespreksdatum}, samen met {betrokkeneNaam}. Klopt er iets niet, of mist er iets? ' +
        'Laat het ons dan binnen twee weken weten. Noem daarbij het zaaknummer {zaaknummer}.\n\n' +
        'Dit verslag is geen besluit. Heeft u iets aangevraagd? Dan krijgt u daarover een aparte brief.',
    },
  ],
  approval: 'never',
  dms: {
    documentType: 'Verslag',
    confidentiality: 'zaakvertrouwelijk',
    // M2: example values; the municipality's archivist confirms them against its own selectielijst.
    archive: {
      archiefnominatie: 'vernietigen',
      bewaartermijn: 'P20Y',
      selectielijstklasse: { omschrijving: 'Verslag van een gesprek en de afspraken over ondersteuning (Wmo)' },
    },
  },
};
