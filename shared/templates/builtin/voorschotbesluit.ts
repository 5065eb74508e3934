// Case 3 of DOMAIN.md: an advance payment (voorschot) while the benefit decision is pending, so
// rent arrears do not pile up. Drafted at the table; the legal basis is filled in for the official.
import type { Template } from '../schema';
import {
  aanhefSection,
  addresseeFields,
  bsnField,
  ingangsdatumField,
  mandaatSection,
  onderwerpField,
  rechtsmiddelenSection,
  uwKenmerkField,
  zaaknummerField,
} from './common';

export const voorschotbesluitTemplate: Template = {
  id: 'voorschotbesluit',
  version: 1,
  kind: 'besluit',
  title: 'Besluit voorschot',
  description: 'Een voorschot op een uitkering, terwijl de aanvraag nog wordt beoordeeld.',
  titleField: 'onderwerp',
  zaakField: 'zaaknummer',
  fields: [
    zaaknummerField,
    ...addresseeFields('aanvrager'),
    uwKenmerkField,
    bsnField,
    { ...onderwerpField, hint: 'Bijvoorbeeld: Voorschot op uw bijstandsuitkering' },
    { key: 'bedrag', type: 'text', label: 'Bedrag van het voorschot', required: true, hint: 'Bijvoorbeeld € 850 per maand', print: 'always' },
    ingangsdatumField,
  ],
  sections: [
    aanhefSection,
    {
      key: 'besluit',
      kind: 'plain',
      label: 'Ons besluit',
      required: true,
      role: 'dictum',
      initial: 'U krijgt een voorschot op uw uitkering. Wij betalen het voorschot zo snel mogelijk uit.',
      hint: 'Noem het bedrag, vanaf wanneer, en tot wanneer het voorschot loopt.',
    },
    {
      key: 'motivering',
      kind: 'plain',
      label: 'Waarom u een voorschot krijgt',
      required: true,
      role: 'motivering',
      initial:
        'U heeft een uitkering aangevraagd. Wij hebben nog niet alles kunnen beoordelen. U heeft nu wel geld nodig om van te leven en om uw huur te betalen. ' +
        'Daarom geven wij u een voorschot. Dat doen wij op grond van artikel 52 van de Participatiewet.',
    },
    {
      key: 'verrekening',
      kind: 'plain',
      label: 'Wat er later gebeurt',
      required: true,
      initial:
        'Als wij over uw aanvraag hebben besloten, verrekenen wij het voorschot met uw uitkering. ' +
        'Krijgt u geen uitkering? Dan moet u het voorschot terugbetalen. Wij maken dan samen met u een betaalafspraak.',
    },
    rechtsmiddelenSection,
    mandaatSection,
  ],
  rules: ['besluit-awb'],
  approval: 'never',
  dms: {
    documentType: 'Beschikking',
    confidentiality: 'zaakvertrouwelijk',
    // M2: example values; the municipality's archivist confirms them against its own selectielijst.
    archive: {
      archiefnominatie: 'vernietigen',
      bewaartermijn: 'P10Y',
      selectielijstklasse: { omschrijving: 'Beschikking tot verlenen van een voorschot op een uitkering' },
      wooInformatiecategorie: 'beschikkingen',
    },
  },
};
