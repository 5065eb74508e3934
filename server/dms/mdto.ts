// M3–M7: the archive's metadata of one filed letter in the MDTO 1.0 model of the Nationaal
// Archief (Metagegevens voor Duurzaam Toegankelijke Overheidsinformatie): one informatieobject
// (the letter, an archiefstuk in its zaak) and one bestand (its PDF/A). Pure: the filesystem DMS
// writes it into metadata.json (and its XML form, mdto-xml.ts). Keys and their order follow the
// MDTO XML schema (MDTO-XML 1.0.1), so the same tree serialises to valid MDTO XML. Mapping and
// the choice of begrippenlijsten: docs/DMS-ZGW.md "MDTO in the filesystem DMS".
import { DEFAULT_SELECTIELIJST, type ArchiveBlock } from '../../shared/templates/archive';
import type { Delivery } from './types';

export interface MdtoIdentificatie {
  identificatieKenmerk: string;
  identificatieBron: string;
}
export interface MdtoVerwijzing {
  verwijzingNaam: string;
  verwijzingIdentificatie?: MdtoIdentificatie;
}
export interface MdtoBegrip {
  begripLabel: string;
  begripCode?: string;
  begripBegrippenlijst: MdtoVerwijzing;
}
export interface MdtoEvent {
  eventType: MdtoBegrip;
  eventTijd?: string;
  eventVerantwoordelijkeActor?: MdtoVerwijzing;
  eventResultaat?: string;
}
export interface MdtoTermijn {
  termijnTriggerStartLooptijd?: MdtoBegrip;
  termijnStartdatumLooptijd?: string;
  termijnLooptijd?: string;
  termijnEinddatum?: string;
}
export interface MdtoInformatieobject {
  identificatie: MdtoIdentificatie[];
  naam: string;
  aggregatieniveau: MdtoBegrip;
  classificatie: MdtoBegrip[];
  omschrijving: string[];
  dekkingInTijd: { dekkingInTijdType: MdtoBegrip; dekkingInTijdBegindatum: string; dekkingInTijdEinddatum?: string }[];
  taal: string[];
  event: MdtoEvent[];
  waardering: MdtoBegrip;
  bewaartermijn?: MdtoTermijn;
  informatiecategorie?: MdtoBegrip;
  isOnderdeelVan: MdtoVerwijzing[];
  heeftRepresentatie: MdtoVerwijzing[];
  gerelateerdInformatieobject?: { gerelateerdInformatieobjectVerwijzing: MdtoVerwijzing; gerelateerdInformatieobjectTypeRelatie: MdtoBegrip }[];
  archiefvormer: MdtoVerwijzing[];
  beperkingGebruik: { beperkingGebruikType: MdtoBegrip; beperkingGebruikNadereBeschrijving?: string }[];
}
export interface MdtoBestand {
  identificatie: MdtoIdentificatie[];
  naam: string;
  omvang: number;
  bestandsformaat: MdtoBegrip;
  checksum: { checksumAlgoritme: MdtoBegrip; checksumWaarde: string; checksumDatum: string }[];
  isRepresentatieVan: MdtoVerwijzing;
}

/** What the DMS knows beyond the delivery: who forms the archive, the file as written. */
export interface MdtoContext {
  /** The municipality (MUNICIPALITY_NAME): MDTO's archiefvormer. */
  archiefvormer: string;
  /** Its RSIN (ZGW_RSIN), when set: identifies the archiefvormer. */
  bronorganisatie?: string;
  /** The file's name in the folder, its size and SHA-256 as computed when written, and when. */
  bestandsnaam: string;
  omvang: number;
  sha256: string;
  checksumAt: Date;
  /** F43: the attachments filed beside the letter (identificatie, name): related as "Bijlage". */
  attachments?: readonly { identificatie: string; naam: string }[];
}

/** The begrippenlijsten the values come from: MDTO's own where MDTO fixes one, else named here. */
export const BEGRIPPENLIJST = {
  aggregatieniveau: 'Begrippenlijst Aggregatieniveaus MDTO',
  waardering: 'Begrippenlijst Waarderingen MDTO',
  checksumAlgoritme: 'Begrippenlijst ChecksumAlgoritme MDTO',
  bestandsformaat: 'PRONOM-register',
  eventtype: 'Keukentafel eventtypen',
  documenttype: 'Keukentafel documenttypen',
  dekkingInTijd: 'Keukentafel dekking in tijd',
  relatie: 'Keukentafel relatietypen',
  mediatype: 'IANA Media Types',
  woo: 'Woo-informatiecategorieën (Woo artikel 3.3)',
  trigger: 'ZGW afleidingswijzen brondatum archiefprocedure',
  vertrouwelijkheid: 'ZGW vertrouwelijkheidaanduidingen',
} as const;

/** PRONOM's id of PDF/A-2b, the form every Keukentafel letter is printed in (P-rules). */
export const PDFA_2B = { code: 'fmt/477', label: 'Acrobat PDF/A - Portable Document Format 2b' } as const;

const begrip = (label: string, lijst: string, code?: string): MdtoBegrip => ({
  begripLabel: label,
  ...(code === undefined ? {} : { begripCode: code }),
  begripBegrippenlijst: { verwijzingNaam: lijst },
});

/** M4: waardering from the frozen archive block; a letter without one is "nader te bepalen". */
function waardering(block: ArchiveBlock | null): MdtoBegrip {
  if (block === null) return begrip('Nader te bepalen', BEGRIPPENLIJST.waardering, 'N');
  return block.archiefnominatie === 'blijvend_bewaren'
    ? begrip('Blijvend te bewaren', BEGRIPPENLIJST.waardering, 'B')
    : begrip('Tijdelijk te bewaren', BEGRIPPENLIJST.waardering, 'V');
}

const isoDate = (ms: number): string => new Date(ms).toISOString();

/** M5: opgesteld (the submitter, when submitted), goedgekeurd (four eyes), verzonden (when known). */
function events(delivery: Delivery, archiefvormer: string, kenmerkBron: string): MdtoEvent[] {
  const actor = (who: { id: string; representation: string }): MdtoVerwijzing => ({
    verwijzingNaam: who.representation,
    verwijzingIdentificatie: { identificatieKenmerk: who.id, identificatieBron: `${kenmerkBron} gebruikers` },
  });
  const out: MdtoEvent[] = [];
  const by = delivery.submittedBy;
  out.push({
    eventType: begrip('Opgesteld', BEGRIPPENLIJST.eventtype, 'opgesteld'),
    eventTijd: by?.at === undefined ? delivery.metadata.creatiedatum : isoDate(by.at),
    eventVerantwoordelijkeActor: by === undefined ? { verwijzingNaam: delivery.metadata.author } : actor(by),
  });
  if (delivery.approvedBy !== undefined) {
    out.push({
      eventType: begrip('Goedgekeurd', BEGRIPPENLIJST.eventtype, 'goedgekeurd'),
      eventTijd: isoDate(delivery.approvedBy.at),
      eventVerantwoordelijkeActor: actor(delivery.approvedBy),
      eventResultaat: 'Goedgekeurd door een tweede ambtenaar (vier ogen)',
    });
  }
  if (delivery.verzenddatum !== undefined) {
    out.push({
      eventType: begrip('Verzonden', BEGRIPPENLIJST.eventtype, 'verzonden'),
      eventTijd: delivery.verzenddatum,
      eventVerantwoordelijkeActor: { verwijzingNaam: archiefvormer },
      eventResultaat:
        delivery.bezwaartermijnEinde == null
          ? 'Verzonden bij archivering'
          : `Verzonden bij archivering; de bezwaartermijn eindigt op ${delivery.bezwaartermijnEinde}`,
    });
  }
  return out;
}

/** The informatieobject (the letter) and the bestand (its PDF) of one delivery. */
export function mdtoOf(delivery: Delivery, ctx: MdtoContext): { informatieobject: MdtoInformatieobject; bestand: MdtoBestand } {
  const m = delivery.metadata;
  const frozen = m.archive ?? null;
  const block = frozen?.block ?? null;
  const bron = 'Keukentafel';
  const kenmerkBron = `${bron} ${ctx.archiefvormer}`;
  const self: MdtoIdentificatie = { identificatieKenmerk: delivery.identificatie, identificatieBron: kenmerkBron };
  const fileId: MdtoIdentificatie = { identificatieKenmerk: `${delivery.identificatie}/${ctx.bestandsnaam}`, identificatieBron: kenmerkBron };

  const omschrijving = [
    frozen === null ? `${m.documenttype}` : `${m.documenttype} op sjabloon ${frozen.templateId} versie ${frozen.templateVersion}`,
    ...(delivery.version === undefined ? [] : [`Versie ${delivery.version} van het document`]),
  ];
  const classificatie = [
    begrip(m.documenttype, BEGRIPPENLIJST.documenttype, frozen?.templateId),
    ...(block?.wooInformatiecategorie === undefined ? [] : [begrip(block.wooInformatiecategorie, BEGRIPPENLIJST.woo)]),
  ];
  const klasse = block?.selectielijstklasse;
  const related: NonNullable<MdtoInformatieobject['gerelateerdInformatieobject']> = [
    ...(delivery.previous === undefined
      ? []
      : [
          {
            gerelateerdInformatieobjectVerwijzing: {
              verwijzingNaam: `Versie ${delivery.previous.version}`,
              verwijzingIdentificatie: { identificatieKenmerk: delivery.previous.identificatie, identificatieBron: kenmerkBron },
            },
            gerelateerdInformatieobjectTypeRelatie: begrip('Vorige versie', BEGRIPPENLIJST.relatie, 'vorige-versie'),
          },
        ]),
    // F43: each attachment is an informatieobject of its own, related to the letter both ways.
    ...(ctx.attachments ?? []).map((a) => ({
      gerelateerdInformatieobjectVerwijzing: { verwijzingNaam: a.naam, verwijzingIdentificatie: { identificatieKenmerk: a.identificatie, identificatieBron: kenmerkBron } },
      gerelateerdInformatieobjectTypeRelatie: begrip('Heeft bijlage', BEGRIPPENLIJST.relatie, 'heeft-bijlage'),
    })),
  ];
  const informatieobject: MdtoInformatieobject = {
    identificatie: [self],
    naam: m.title,
    aggregatieniveau: begrip('Archiefstuk', BEGRIPPENLIJST.aggregatieniveau),
    classificatie,
    omschrijving,
    dekkingInTijd: [
      {
        dekkingInTijdType: begrip('Dagtekening', BEGRIPPENLIJST.dekkingInTijd),
        dekkingInTijdBegindatum: delivery.dagtekening ?? m.creatiedatum,
      },
    ],
    taal: ['nl'],
    event: events(delivery, ctx.archiefvormer, bron),
    waardering: waardering(block),
    ...(block?.bewaartermijn === undefined
      ? {}
      : {
          bewaartermijn: {
            termijnTriggerStartLooptijd: begrip('Zaak afgehandeld', BEGRIPPENLIJST.trigger, 'afgehandeld'),
            termijnLooptijd: block.bewaartermijn,
          },
        }),
    ...(klasse === undefined ? {} : { informatiecategorie: begrip(klasse.omschrijving, klasse.selectielijst ?? DEFAULT_SELECTIELIJST, klasse.nummer) }),
    isOnderdeelVan: [
      { verwijzingNaam: `Zaak ${delivery.zaak}`, verwijzingIdentificatie: { identificatieKenmerk: delivery.zaak, identificatieBron: `Zaaknummer ${ctx.archiefvormer}` } },
    ],
    heeftRepresentatie: [{ verwijzingNaam: ctx.bestandsnaam, verwijzingIdentificatie: fileId }],
    ...(related.length === 0 ? {} : { gerelateerdInformatieobject: related }),
    archiefvormer: [
      {
        verwijzingNaam: ctx.archiefvormer,
        ...(ctx.bronorganisatie === undefined ? {} : { verwijzingIdentificatie: { identificatieKenmerk: ctx.bronorganisatie, identificatieBron: 'RSIN' } }),
      },
    ],
    beperkingGebruik: [
      {
        beperkingGebruikType: begrip(m.vertrouwelijkheidaanduiding, BEGRIPPENLIJST.vertrouwelijkheid),
        beperkingGebruikNadereBeschrijving: `Vertrouwelijkheidaanduiding ${m.vertrouwelijkheidaanduiding} (Documenten API)`,
      },
    ],
  };
  const bestand: MdtoBestand = {
    identificatie: [fileId],
    naam: ctx.bestandsnaam,
    omvang: ctx.omvang,
    bestandsformaat: begrip(PDFA_2B.label, BEGRIPPENLIJST.bestandsformaat, PDFA_2B.code),
    checksum: [{ checksumAlgoritme: begrip('SHA256', BEGRIPPENLIJST.checksumAlgoritme), checksumWaarde: ctx.sha256, checksumDatum: ctx.checksumAt.toISOString() }],
    isRepresentatieVan: { verwijzingNaam: m.title, verwijzingIdentificatie: self },
  };
  return { informatieobject, bestand };
}

/** F43: what the filesystem DMS knows of one attachment as written. */
export interface MdtoAttachmentContext {
  archiefvormer: string;
  bronorganisatie?: string;
  identificatie: string;
  /** Caption, else the file's name as shown: the informatieobject's naam. */
  naam: string;
  caption: string;
  /** The attachment's file name in the folder. */
  bestandsnaam: string;
  mediaType: string;
  omvang: number;
  sha256: string;
  checksumAt: Date;
  /** 1-based place beside the letter. */
  number: number;
}

/**
 * F43: an attachment (a photo, a scanned letter) as MDTO: an archiefstuk of its own in the same
 * zaak, with the letter's waardering, term and confidentiality (it shares the letter's fate),
 * related to the letter as "Bijlage bij"; its bestand names the media type (IANA: Keukentafel
 * does not identify a PRONOM format version of a photo) and the SHA256 computed when written.
 */
export function mdtoOfAttachment(delivery: Delivery, ctx: MdtoAttachmentContext): { informatieobject: MdtoInformatieobject; bestand: MdtoBestand } {
  const letter = mdtoOf(delivery, {
    archiefvormer: ctx.archiefvormer,
    ...(ctx.bronorganisatie === undefined ? {} : { bronorganisatie: ctx.bronorganisatie }),
    bestandsnaam: ctx.bestandsnaam,
    omvang: ctx.omvang,
    sha256: ctx.sha256,
    checksumAt: ctx.checksumAt,
  }).informatieobject;
  const kenmerkBron = `Keukentafel ${ctx.archiefvormer}`;
  const self: MdtoIdentificatie = { identificatieKenmerk: ctx.identificatie, identificatieBron: kenmerkBron };
  const fileId: MdtoIdentificatie = { identificatieKenmerk: `${ctx.identificatie}/${ctx.bestandsnaam}`, identificatieBron: kenmerkBron };
  const { bewaartermijn, informatiecategorie } = letter;
  const informatieobject: MdtoInformatieobject = {
    identificatie: [self],
    naam: ctx.naam,
    aggregatieniveau: letter.aggregatieniveau,
    classificatie: [begrip('Bijlage', BEGRIPPENLIJST.documenttype, 'bijlage')],
    omschrijving: [`Bijlage ${ctx.number} bij ${delivery.identificatie} (${delivery.metadata.title})`, ...(ctx.caption.trim() === '' ? [] : [ctx.caption])],
    dekkingInTijd: letter.dekkingInTijd,
    taal: letter.taal,
    event: [],
    waardering: letter.waardering,
    ...(bewaartermijn === undefined ? {} : { bewaartermijn }),
    ...(informatiecategorie === undefined ? {} : { informatiecategorie }),
    isOnderdeelVan: letter.isOnderdeelVan,
    heeftRepresentatie: [{ verwijzingNaam: ctx.bestandsnaam, verwijzingIdentificatie: fileId }],
    gerelateerdInformatieobject: [
      {
        gerelateerdInformatieobjectVerwijzing: { verwijzingNaam: delivery.metadata.title, verwijzingIdentificatie: letter.identificatie[0] ?? self },
        gerelateerdInformatieobjectTypeRelatie: begrip('Bijlage bij', BEGRIPPENLIJST.relatie, 'bijlage-bij'),
      },
    ],
    archiefvormer: letter.archiefvormer,
    beperkingGebruik: letter.beperkingGebruik,
  };
  const bestand: MdtoBestand = {
    identificatie: [fileId],
    naam: ctx.bestandsnaam,
    omvang: ctx.omvang,
    bestandsformaat: begrip(ctx.mediaType, BEGRIPPENLIJST.mediatype),
    checksum: [{ checksumAlgoritme: begrip('SHA256', BEGRIPPENLIJST.checksumAlgoritme), checksumWaarde: ctx.sha256, checksumDatum: ctx.checksumAt.toISOString() }],
    isRepresentatieVan: { verwijzingNaam: ctx.naam, verwijzingIdentificatie: self },
  };
  return { informatieobject, bestand };
}
