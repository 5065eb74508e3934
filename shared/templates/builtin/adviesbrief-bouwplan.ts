// Case 2 of DOMAIN.md: an advisory letter on a building plan, written on the spot (a second home
// in the barn of a listed farmhouse: what the rules say, what would be possible instead).
import type { Template } from '../schema';
import { aanhefSection, addresseeFields, afsluitingSection, onderwerpField, zaaknummerField } from './common';

export const adviesbriefBouwplanTemplate: Template = {
  id: 'adviesbrief-bouwplan',
  version: 1,
  kind: 'brief',
  title: 'Adviesbrief bouwplan',
  description: 'Een advies over een bouwplan: wat de regels zeggen en wat wel kan.',
  titleField: 'onderwerp',
  zaakField: 'zaaknummer',
  fields: [
    zaaknummerField,
    ...addresseeFields(),
    { ...onderwerpField, hint: 'Bijvoorbeeld: Uw plan voor een tweede woning in de schuur' },
    { key: 'locatie', type: 'address', label: 'Adres van het bouwplan', required: true, print: 'always' },
    { key: 'gesprekDatum', type: 'date', label: 'Datum van het gesprek', required: false, print: 'always' },
  ],
  sections: [
    aanhefSection,
    {
      key: 'plan',
      kind: 'plain',
      label: 'Uw plan',
      required: true,
      initial: 'Wij hebben met u gesproken over uw plan voor ',
      hint: 'Beschrijf het plan zoals de inwoner het vertelde.',
    },
    {
      key: 'regels',
      kind: 'plain',
      label: 'Wat de regels zeggen',
      required: true,
      hint: 'Noem het omgevingsplan of bestemmingsplan en wat het toestaat. Schrijf in gewone woorden.',
    },
    {
      key: 'advies',
      kind: 'plain',
      label: 'Ons advies',
      required: true,
      hint: 'Wat kan wel? Bijvoorbeeld: het kantoor naar de schuur en de woning in de boerderij.',
    },
    {
      key: 'vervolg',
      kind: 'plain',
      label: 'Wat kunt u nu doen?',
      required: true,
      initial: 'Wilt u verder met dit plan? Dan kunt u een vergunning aanvragen via het Omgevingsloket. Wij helpen u graag bij de aanvraag.',
    },
    {
      key: 'voorbehoud',
      kind: 'fixed',
      label: 'Let op',
      required: true,
      text:
        'Dit is een advies van de gemeente {gemeente}. Het is geen besluit en geen vergunning. U kunt er daarom geen bezwaar tegen maken. ' +
        'Pas als u een vergunning aanvraagt, nemen wij een besluit.',
    },
    afsluitingSection,
  ],
  approval: 'never',
  dms: {
    documentType: 'Brief',
    confidentiality: 'zaakvertrouwelijk',
    // M2: example values; the municipality's archivist confirms them against its own selectielijst.
    archive: {
      archiefnominatie: 'vernietigen',
      bewaartermijn: 'P10Y',
      selectielijstklasse: { omschrijving: 'Advies over een bouwplan (vooroverleg)' },
    },
  },
};
