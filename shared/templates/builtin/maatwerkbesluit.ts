// Case 1 of DOMAIN.md: a tailored decision (toekenning or afwijzing) that may deviate from the
// policy rule. Maatwerk asks which rule would normally apply and why it does not fit, and sends
// the decision to a second official for approval.
import type { Template } from '../schema';
import {
  aanhefSection,
  addresseeFields,
  bsnField,
  ingangsdatumField,
  maatwerkField,
  maatwerkSections,
  mandaatSection,
  onderwerpField,
  rechtsmiddelenSection,
  uwKenmerkField,
  zaaknummerField,
} from './common';

export const maatwerkbesluitTemplate: Template = {
  id: 'maatwerkbesluit',
  version: 1,
  kind: 'besluit',
  title: 'Besluit op aanvraag (toekenning of afwijzing, met maatwerk)',
  description: 'Een besluit op een aanvraag, met ruimte om gemotiveerd af te wijken van de gewone regel.',
  titleField: 'onderwerp',
  zaakField: 'zaaknummer',
  fields: [
    zaaknummerField,
    ...addresseeFields('aanvrager'),
    uwKenmerkField,
    bsnField,
    onderwerpField,
    { key: 'uitkomst', type: 'choice', label: 'Uitkomst', required: true, options: ['toekenning', 'afwijzing', 'gedeeltelijke toekenning'], print: 'never' },
    maatwerkField,
    ingangsdatumField,
  ],
  sections: [
    aanhefSection,
    {
      key: 'aanvraag',
      kind: 'plain',
      label: 'Uw aanvraag',
      required: true,
      initial: 'U heeft ons gevraagd om ',
      hint: 'Wat vroeg de inwoner, en wanneer?',
    },
    {
      key: 'besluit',
      kind: 'plain',
      label: 'Ons besluit',
      required: true,
      role: 'dictum',
      hint: 'Schrijf in één of twee zinnen wat u besluit en vanaf wanneer. Bijvoorbeeld: U krijgt vanaf 1 maart een uitkering van …',
    },
    {
      key: 'motivering',
      kind: 'plain',
      label: 'Waarom wij zo besluiten',
      required: true,
      role: 'motivering',
      hint: 'Leg uit waarom, en noem de regel waarop het besluit rust, met artikel en wet. Bijvoorbeeld: artikel 3 van de Participatiewet.',
    },
    ...maatwerkSections,
    rechtsmiddelenSection,
    mandaatSection,
  ],
  rules: ['besluit-awb', 'maatwerk'],
  approval: 'when-maatwerk',
  dms: {
    documentType: 'Beschikking',
    confidentiality: 'zaakvertrouwelijk',
    // M2: example values; the municipality's archivist confirms them against its own selectielijst.
    archive: {
      archiefnominatie: 'vernietigen',
      bewaartermijn: 'P20Y',
      selectielijstklasse: { omschrijving: 'Beschikking op een aanvraag om maatwerk of een individuele voorziening' },
      wooInformatiecategorie: 'beschikkingen',
    },
  },
};
