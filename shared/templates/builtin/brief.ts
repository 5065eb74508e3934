// The plain letter: addressee, subject, opening, body, closing. The first template of the
// journey from the kitchen table to the DMS; the templates issue adds decisions and records.
import type { Template } from '../schema';

export const briefTemplate: Template = {
  id: 'brief',
  version: 1,
  kind: 'brief',
  title: 'Brief',
  description: 'Een brief aan een inwoner of ondernemer, bijvoorbeeld een advies na een gesprek.',
  titleField: 'onderwerp',
  zaakField: 'zaaknummer',
  fields: [
    { key: 'zaaknummer', type: 'zaaknummer', label: 'Zaaknummer', required: true, hint: 'Bijvoorbeeld ZAAK-2026-0042', print: 'always' },
    { key: 'betrokkeneNaam', type: 'text', label: 'Naam betrokkene', required: true, print: 'always' },
    { key: 'betrokkeneAdres', type: 'multiline', label: 'Adres betrokkene', required: true, hint: 'Straat en huisnummer, postcode en plaats', print: 'always' },
    { key: 'onderwerp', type: 'text', label: 'Onderwerp', required: true, print: 'always' },
    {
      key: 'uwKenmerk',
      type: 'text',
      label: 'Uw kenmerk',
      required: false,
      role: 'uwKenmerk',
      hint: 'Het kenmerk of de datum van de brief van de inwoner, als die er is.',
      print: 'always',
    },
  ],
  sections: [
    { key: 'aanhef', kind: 'plain', label: 'Aanhef', required: true, initial: 'Geachte heer, mevrouw,' },
    { key: 'kern', kind: 'plain', label: 'Kern van de brief', required: true, hint: 'Schrijf kort en duidelijk, in gewone taal (B1).' },
    { key: 'afsluiting', kind: 'plain', label: 'Afsluiting', required: true, initial: 'Met vriendelijke groet,' },
  ],
  dms: {
    documentType: 'Brief',
    confidentiality: 'zaakvertrouwelijk',
    // M2: example values; the municipality's archivist confirms them against its own selectielijst.
    archive: {
      archiefnominatie: 'vernietigen',
      bewaartermijn: 'P10Y',
      selectielijstklasse: { omschrijving: 'Brief aan een inwoner of ondernemer in een zaak' },
    },
  },
};
