// Case 4 of DOMAIN.md: a decision on a building permit with the fire service's advice (a riding
// school extension and a firewall towards an empty plot), and room for a reasoned deviation.
import type { Template } from '../schema';
import {
  aanhefSection,
  addresseeFields,
  ingangsdatumField,
  maatwerkField,
  maatwerkSections,
  mandaatSection,
  onderwerpField,
  rechtsmiddelenSection,
  uwKenmerkField,
  zaaknummerField,
} from './common';

export const besluitBrandveiligheidTemplate: Template = {
  id: 'besluit-brandveiligheid',
  version: 1,
  kind: 'besluit',
  title: 'Besluit met advies brandveiligheid',
  description: 'Een besluit op een omgevingsvergunning, met het advies van de brandweer en ruimte voor maatwerk.',
  titleField: 'onderwerp',
  zaakField: 'zaaknummer',
  fields: [
    zaaknummerField,
    ...addresseeFields('aanvrager'),
    uwKenmerkField,
    { ...onderwerpField, hint: 'Bijvoorbeeld: Uw aanvraag voor de uitbreiding van de manege' },
    { key: 'locatie', type: 'address', label: 'Adres van het bouwwerk', required: true, print: 'always' },
    { key: 'uitkomst', type: 'choice', label: 'Uitkomst', required: true, options: ['verlening', 'verlening met voorwaarden', 'weigering'], print: 'never' },
    { key: 'adviesDatum', type: 'date', label: 'Datum advies brandweer', required: true, print: 'always' },
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
      initial: 'U heeft een omgevingsvergunning aangevraagd voor ',
    },
    {
      key: 'besluit',
      kind: 'plain',
      label: 'Ons besluit',
      required: true,
      role: 'dictum',
      hint: 'Schrijf wat u besluit. Noem de voorwaarden, bijvoorbeeld een brandwerende muur.',
    },
    {
      key: 'adviesBrandweer',
      kind: 'plain',
      label: 'Het advies van de brandweer',
      required: true,
      hint: 'Vat het advies samen: welk risico ziet de brandweer, en welke maatregel adviseert zij?',
    },
    {
      key: 'motivering',
      kind: 'plain',
      label: 'Waarom wij zo besluiten',
      required: true,
      role: 'motivering',
      hint: 'Leg uit hoe u het advies heeft gewogen. Noem het artikel, bijvoorbeeld artikel 5.21 van de Omgevingswet of artikel 4.52 van het Besluit bouwwerken leefomgeving.',
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
      archiefnominatie: 'blijvend_bewaren',
      selectielijstklasse: { omschrijving: 'Beschikking op een aanvraag omgevingsvergunning voor een bouwactiviteit' },
      wooInformatiecategorie: 'beschikkingen',
    },
  },
};
