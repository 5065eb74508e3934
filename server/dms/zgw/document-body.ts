// What the adapter writes into an EnkelvoudigInformatieObject: the create body and the fields
// every version carries (create and O5's PATCH alike). Pure: a delivery and settings in, JSON out.
// Z11–Z14: a complete record as Open Zaak and an archivist expect it: indicatieGebruiksrecht
// (without it Open Zaak will not close the zaak), creatiedatum = the dagtekening, verzenddatum for
// a letter that left with the delivery (an outgoing letter has no ontvangstdatum), auteur = the
// official, taal, formaat, bestandsomvang.
import type { Delivery } from '../types';
import { informatieobjecttypeFor } from './catalogi';
import type { ZgwConfig } from './config';
import { isChunked } from './eio';
import { indicatieGebruiksrechtOf, vertrouwelijkheidOf } from './template-types';

export type BodyConfig = Pick<ZgwConfig, 'rsin' | 'informatieobjecttype' | 'catalogiUrl' | 'chunkThresholdBytes'>;

/**
 * The create body of an EnkelvoudigInformatieObject (Documenten API 1.4.2 / Open Zaak).
 * `informatieobjecttype`: as the preflight settled it (Z9); without, `informatieobjecttypeFor`.
 */
export function documentBody(delivery: Delivery, config: BodyConfig, informatieobjecttype?: string): Record<string, unknown> {
  const m = delivery.metadata;
  return {
    bronorganisatie: config.rsin,
    identificatie: delivery.identificatie,
    // Z12: the letter's date (J1); the metadata's creatiedatum is that same day for older callers.
    creatiedatum: delivery.dagtekening ?? m.creatiedatum,
    taal: m.taal,
    formaat: 'application/pdf',
    status: 'definitief',
    informatieobjecttype: informatieobjecttype ?? informatieobjecttypeFor(delivery, config),
    // J2: the letter leaves with this delivery (a template whose `dms.sentOn` is 'delivery').
    ...(delivery.verzenddatum === undefined ? {} : { verzenddatum: delivery.verzenddatum }),
    ...contentFields(delivery, config),
  };
}

/**
 * What a version carries (create and O5's PATCH alike): title, author, the bytes (in `inhoud`,
 * or announced by `bestandsomvang` with `inhoud` null for an upload in parts, O6), their hash,
 * confidentiality and a `beschrijving` naming the version, who submitted and who approved (W4).
 */
export function contentFields(delivery: Delivery, config: Pick<ZgwConfig, 'chunkThresholdBytes'>): Record<string, unknown> {
  const m = delivery.metadata;
  return {
    titel: m.title.slice(0, 200),
    auteur: m.author.slice(0, 200),
    bestandsnaam: `${delivery.identificatie}.pdf`,
    inhoud: isChunked(delivery, config) ? null : Buffer.from(delivery.pdf.buffer, delivery.pdf.byteOffset, delivery.pdf.byteLength).toString('base64'),
    bestandsomvang: delivery.pdf.byteLength,
    integriteit: { algoritme: 'sha_256', waarde: delivery.pdfSha256, datum: m.creatiedatum },
    // Z21: the template's `dms.zgw` vertrouwelijkheidaanduiding, else its confidentiality.
    vertrouwelijkheidaanduiding: vertrouwelijkheidOf(m),
    // Z11: on every version too, so an object filed before this rule gets it with its next version.
    indicatieGebruiksrecht: indicatieGebruiksrechtFor(delivery),
    beschrijving: archiveDescription(delivery),
  };
}

/**
 * Z11, Z21: whether rights of use (gebruiksrechten) are recorded for the document: the template's
 * `dms.zgw.indicatieGebruiksrecht` as the version kept it, else `false` — a value, which is what
 * Open Zaak needs to close the zaak (null blocks it).
 */
export function indicatieGebruiksrechtFor(delivery: Delivery): boolean {
  return indicatieGebruiksrechtOf(delivery.metadata);
}

/** Dutch, for the DMS user reading the object: which version, who submitted, who approved (W4). */
export function archiveDescription(delivery: Delivery): string {
  const version = delivery.version === undefined ? '' : ` (versie ${delivery.version})`;
  const submitter = delivery.submittedBy?.representation ?? delivery.metadata.author;
  const approval =
    delivery.approvedBy === undefined
      ? ''
      : `; goedgekeurd door ${delivery.approvedBy.representation} op ${new Date(delivery.approvedBy.at).toISOString()}`;
  // A version filed as its own document (the DMS would not update the earlier one) says which it follows.
  const follows = delivery.previous === undefined ? '' : `; volgt op ${delivery.previous.identificatie}`;
  return `Keukentafel ${delivery.identificatie}${version}, ingediend door ${submitter}${approval}${follows}`.slice(0, 1000);
}
