// J3: a decision of the burgemeester, not of the college: an exploitatievergunning for a horeca
// business under the municipality's APV (Gemeentewet art. 174, APV art. 2:28). Signed under the
// burgemeester's mandate; always approved by a second official; the office posts it (J2: manual).
import type { Template } from '../schema';
import { aanhefSection, addresseeFields, ingangsdatumField, mandaatSection, onderwerpField, rechtsmiddelenSection, uwKenmerkField, zaaknummerField } from './common';

export const besluitHorecaTemplate: Template = {
  id: 'besluit-horeca',
  version: 1,
  kind: 'besluit',
  title: 'Besluit exploitatievergunning horeca (burgemeester)',
  description: 'Een besluit van de burgemeester op een aanvraag voor een exploitatievergunning onder de APV.',
  titleField: 'onderwerp',
  zaakField: 'zaaknummer',
  fields: [
    zaaknummerField,
    ...addresseeFields('aanvrager'),
    { ...onderwerpField, hint: 'Bijvoorbeeld: Uw aanvraag voor een exploitatievergunning voor café De Molen' },
    uwKenmerkField,
    { key: 'inrichting', type: 'text', label: 'Naam en adres van het horecabedrijf', required: true, print: 'always' },
    // Internal: the dictum says the outcome in words; the choice itself never prints (P5).
    { key: 'uitkomst', type: 'choice', label: 'Uitkomst', required: true, options: ['verlening', 'verlening met voorschriften', 'weigering'], print: 'never' },
    ingangsdatumField,
  ],
  sections: [
    aanhefSection,
    {
      key: 'aanvraag',
      kind: 'plain',
      label: 'Uw aanvraag',
      required: true,
      initial: 'U heeft een exploitatievergunning aangevraagd voor ',
    },
    {
      key: 'besluit',
      kind: 'plain',
      label: 'Ons besluit',
      required: true,
      role: 'dictum',
      hint: 'Schrijf wat de burgemeester besluit: verlenen, met welke voorschriften (openingstijden, terras), of weigeren.',
    },
    {
      key: 'motivering',
      kind: 'plain',
      label: 'Waarom de burgemeester zo besluit',
      required: true,
      role: 'motivering',
      hint: 'Noem het artikel, bijvoorbeeld artikel 2:28 van de Algemene plaatselijke verordening, en wat het Bibob-onderzoek of het advies van de politie zegt.',
      initial: 'De burgemeester beslist over een exploitatievergunning op grond van artikel 2:28 van de Algemene plaatselijke verordening. ',
    },
    rechtsmiddelenSection,
    mandaatSection,
  ],
  rules: ['besluit-awb'],
  approval: 'always',
  bestuursorgaan: 'burgemeester',
  dms: {
    documentType: 'Beschikking',
    confidentiality: 'zaakvertrouwelijk',
    sentOn: 'manual',
    // M2: example values; the municipality's archivist confirms them against its own selectielijst.
    archive: {
      archiefnominatie: 'vernietigen',
      bewaartermijn: 'P10Y',
      selectielijstklasse: { omschrijving: 'Beschikking op een aanvraag exploitatievergunning horeca (APV)' },
      wooInformatiecategorie: 'beschikkingen',
    },
  },
};
