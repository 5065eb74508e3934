// Z20–Z25, pure: what a version's archive metadata (the template's `dms.zgw` block as printed)
// means for the ZGW records — which informatieobjecttype and besluittype for a zaak of this
// zaaktype, which vertrouwelijkheidaanduiding and indicatieGebruiksrecht, and the besluit's
// fields from a delivery. No I/O.
import { zgwTypeFor } from '../../../shared/templates/schema';
import type { ArchiveMetadata } from '../../store/types';
import type { Delivery } from '../types';
import type { BesluitInput } from './besluiten';

export interface TypeDefaults {
  /** ZGW_INFORMATIEOBJECTTYPE: what a template that names nothing gets. */
  informatieobjecttype: string;
  /** ZGW_CATALOGI_URL: O7's `documentType` counts as a type only under it. */
  catalogiUrl: string;
}

/**
 * Z20: the informatieobjecttype of a document of a zaak of `zaaktype` (null: unknown or no zaak):
 * the template's `dms.zgw.informatieobjecttype` (one URL, or the URL the map names for the
 * zaaktype); else O7's `documentType` when it is an informatieobjecttype URL under
 * ZGW_CATALOGI_URL; else ZGW_INFORMATIEOBJECTTYPE.
 */
export function informatieobjecttypeOf(metadata: Pick<ArchiveMetadata, 'zgw' | 'documenttype'>, zaaktype: string | null, defaults: TypeDefaults): string {
  const own = zgwTypeFor(metadata.zgw?.informatieobjecttype, zaaktype);
  if (own !== null) return own;
  const value = metadata.documenttype.trim();
  if (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol) && value.startsWith(`${defaults.catalogiUrl}/`)) return value;
  return defaults.informatieobjecttype;
}

/**
 * Z24: the besluittype of a decision for a zaak of `zaaktype`: the template's
 * `dms.zgw.besluittype` (one URL, or the map's for the zaaktype), else, for a template of kind
 * besluit (or a map without this zaaktype), ZGW_BESLUITTYPE; null: none is known.
 */
export function besluittypeOf(metadata: Pick<ArchiveMetadata, 'zgw' | 'besluit'>, zaaktype: string | null, defaultBesluittype?: string): string | null {
  const ref = metadata.zgw?.besluittype;
  if (ref !== undefined) return zgwTypeFor(ref, zaaktype) ?? defaultBesluittype ?? null;
  return metadata.besluit === true ? (defaultBesluittype ?? null) : null;
}

/** Z24: whether a delivery asks for a besluit: a decision template naming a besluittype, or of kind besluit with ZGW_BESLUITTYPE set. */
export function wantsBesluit(metadata: Pick<ArchiveMetadata, 'zgw' | 'besluit'>, defaultBesluittype?: string): boolean {
  return metadata.zgw?.besluittype !== undefined || (metadata.besluit === true && defaultBesluittype !== undefined);
}

/** Z21: ZGW's vertrouwelijkheidaanduiding: the `dms.zgw` override, else the template's confidentiality. */
export function vertrouwelijkheidOf(metadata: ArchiveMetadata): string {
  return metadata.zgw?.vertrouwelijkheidaanduiding ?? metadata.vertrouwelijkheidaanduiding;
}

/** Z21: indicatieGebruiksrecht: the template's value, else false (Open Zaak closes no zaak without one). */
export function indicatieGebruiksrechtOf(metadata: ArchiveMetadata): boolean {
  return metadata.zgw?.indicatieGebruiksrecht ?? false;
}

/**
 * Z25: the besluit of a decision delivery: datum = the dagtekening; ingangsdatum = the template's
 * ingangsdatum field, else the dagtekening; verzenddatum and uiterlijkeReactiedatum (the last day
 * of the objection term, J2/J6) when the letter left with this delivery.
 */
export function besluitInputOf(delivery: Delivery, besluittype: string, informatieobject: string, zaakUrl: string | null): BesluitInput {
  const datum = delivery.dagtekening ?? delivery.metadata.creatiedatum;
  return {
    identificatie: delivery.identificatie,
    besluittype,
    zaakUrl,
    informatieobject,
    ...(delivery.previous === undefined || delivery.previous.reference === informatieobject ? {} : { previousInformatieobject: delivery.previous.reference }),
    datum,
    ingangsdatum: delivery.metadata.ingangsdatum ?? datum,
    ...(delivery.verzenddatum === undefined ? {} : { verzenddatum: delivery.verzenddatum }),
    ...(delivery.bezwaartermijnEinde == null ? {} : { uiterlijkeReactiedatum: delivery.bezwaartermijnEinde }),
  };
}
