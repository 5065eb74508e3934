// F45–F50: a submission's attachments in the Documenten API. Each attachment is an
// EnkelvoudigInformatieObject of its own (identificatie `Delivery.attachments[i].identificatie`,
// its bestandsnaam, formaat, integriteit, the letter's bronorganisatie, auteur and
// confidentiality) with its own ZaakInformatieObject to the letter's zaak. They go through the
// same steps as the letter (documenten.ts, locks.ts, zaken.ts, orphans.ts) with their own
// fields: looked up by identificatie before anything is created (O2), completed when half
// uploaded (O6), never a second object, never someone else's adopted (J9). The adapter's look-up
// asks `attachmentsDone`, so a delivery cut between the letter and an attachment is not
// archived until the next attempt finished it.
import { createHash } from 'node:crypto';
import { zgwTypeFor } from '../../../shared/templates/schema';
import { attachmentDisplayName, attachmentTitle } from '../attachment-files';
import { foreignIdentificatie } from '../conflict';
import type { Delivery, DeliveryAttachment } from '../types';
import { allowedTypes } from './catalogi';
import { indicatieGebruiksrechtFor } from './document-body';
import { createDocument, findDocument, type FilingFields } from './documenten';
import { isChunked, isComplete, isForeign } from './eio';
import { pathOf, type Call, type Failed, type ZgwHttp } from './http';
import type { ZgwUser } from './jwt';
import { bringUpToDate } from './locks';
import { withoutOrphan } from './orphans';
import { vertrouwelijkheidOf } from './template-types';
import { isLinked, link, type ZaakRef } from './zaken';

/**
 * F49: the outbox row keeps one lock (O5, O6). An attachment's lock is stored tagged with its
 * identificatie, so a later attempt gives it back to that attachment only, never to the letter
 * or another attachment (whose calls would be refused with a wrong lock).
 */
const TAG = 'bijlage:';
export function tagLock(identificatie: string, lock: string): string {
  return `${TAG}${identificatie}:${lock}`;
}
/** The stored lock if it is this attachment's. */
export function lockOf(held: string | undefined, identificatie: string): string | undefined {
  const prefix = `${TAG}${identificatie}:`;
  return held?.startsWith(prefix) === true ? held.slice(prefix.length) : undefined;
}
/** The letter's own lock: an attachment's tagged lock is not the letter's. */
export function letterLock(held: string | undefined): string | undefined {
  return held?.startsWith(TAG) === true ? undefined : held;
}

/** F47: the type attachments are filed as: the template's `dms.zgw.bijlageInformatieobjecttype`, else the letter's. */
export function attachmentTypeFor(delivery: Delivery, zaaktype: string | null, letterType: string): string {
  return zgwTypeFor(delivery.metadata.zgw?.bijlageInformatieobjecttype, zaaktype) ?? letterType;
}

/** The attachment seen as a delivery of its own, for the steps the letter goes through. */
export function asDelivery(delivery: Delivery, attachment: DeliveryAttachment): Delivery {
  const heldLock = lockOf(delivery.heldLock, attachment.identificatie);
  const { previous: _previous, attachments: _attachments, heldLock: _held, ...rest } = delivery;
  return {
    ...rest,
    identificatie: attachment.identificatie,
    pdf: attachment.bytes,
    pdfSha256: attachment.sha256,
    ...(heldLock === undefined ? {} : { heldLock }),
    rememberLock: async (lock) => delivery.rememberLock?.(lock === null ? null : tagLock(attachment.identificatie, lock)),
  };
}

/** F46: the create body and version fields of one attachment (pure). */
export function attachmentFields(http: Pick<ZgwHttp, 'config'>, delivery: Delivery, attachment: DeliveryAttachment, index: number, informatieobjecttype: string): FilingFields {
  const m = delivery.metadata;
  const own = asDelivery(delivery, attachment);
  const fileName = attachmentDisplayName(attachment);
  const caption = attachment.caption.trim();
  const content = {
    titel: attachmentTitle(attachment),
    auteur: m.author.slice(0, 200),
    bestandsnaam: fileName,
    inhoud: isChunked(own, http.config) ? null : Buffer.from(attachment.bytes.buffer, attachment.bytes.byteOffset, attachment.bytes.byteLength).toString('base64'),
    bestandsomvang: attachment.bytes.byteLength,
    integriteit: { algoritme: 'sha_256', waarde: attachment.sha256, datum: m.creatiedatum },
    vertrouwelijkheidaanduiding: vertrouwelijkheidOf(m),
    indicatieGebruiksrecht: indicatieGebruiksrechtFor(delivery),
    beschrijving: `Bijlage ${index + 1} bij Keukentafel ${delivery.identificatie} (${m.title})${caption === '' ? '' : `: ${caption}`}`.slice(0, 1000),
  };
  return {
    create: {
      bronorganisatie: http.config.rsin,
      identificatie: attachment.identificatie,
      creatiedatum: delivery.dagtekening ?? m.creatiedatum,
      taal: m.taal,
      formaat: attachment.mediaType,
      status: 'definitief',
      informatieobjecttype,
      ...content,
    },
    content,
    mediaType: attachment.mediaType,
    fileName,
  };
}

/**
 * F42, F47: before anything is created (beside Z7 for the letter): the bytes are the frozen ones,
 * and the zaaktype allows the attachments' type too, when it is not the letter's. Answers the type.
 */
export async function planAttachments(http: ZgwHttp, delivery: Delivery, zaak: ZaakRef | null, letterType: string, user: ZgwUser): Promise<Call<string>> {
  // F42: exactly the bytes frozen at submit, or nothing is filed (their SHA-256 goes into integriteit).
  for (const a of delivery.attachments ?? []) {
    if (a.bytes.byteLength !== a.size || createHash('sha256').update(a.bytes).digest('hex') !== a.sha256) {
      return { ok: false, retryable: false, failure: { code: 'dms-attachment-mismatch', name: a.name, identificatie: a.identificatie } };
    }
  }
  const type = attachmentTypeFor(delivery, zaak?.zaaktype ?? null, letterType);
  if ((delivery.attachments ?? []).length === 0 || type === letterType || zaak === null || zaak.zaaktype === null) return { ok: true, value: type, status: 200 };
  const allowed = await allowedTypes(http, zaak.zaaktype, user);
  if (!allowed.ok) return allowed;
  if (!allowed.value.has(type)) {
    return { ok: false, retryable: false, failure: { code: 'dms-type-not-allowed', zaak: zaak.identificatie, zaaktype: zaak.zaaktype, informatieobjecttype: type } };
  }
  return { ok: true, value: type, status: 200 };
}

/**
 * F45, F48: files every attachment not yet there and links it to the zaak, in order, one at a
 * time (so at most one lock is held). Answers their URLs. A refusal for good of a link removes
 * that attachment's object again when it is in no zaak (Z10).
 */
export async function fileAttachments(http: ZgwHttp, delivery: Delivery, zaak: ZaakRef | null, informatieobjecttype: string, user: ZgwUser): Promise<Call<string[]>> {
  const urls: string[] = [];
  for (const [index, attachment] of (delivery.attachments ?? []).entries()) {
    const own = asDelivery(delivery, attachment);
    const fields = attachmentFields(http, delivery, attachment, index, informatieobjecttype);
    const url = await fileOne(http, own, fields, informatieobjecttype, user);
    if (!url.ok) return url;
    if (zaak !== null) {
      const linked = await link(http, zaak, url.value, informatieobjecttype, user);
      if (!linked.ok) return withoutOrphan(http, own, user, linked);
    }
    urls.push(url.value);
  }
  return { ok: true, value: urls, status: 200 };
}

/** One attachment's object: found (and completed) or created; never a second one, never someone else's. */
async function fileOne(http: ZgwHttp, own: Delivery, fields: FilingFields, informatieobjecttype: string, user: ZgwUser): Promise<Call<string>> {
  const existing = await findDocument(http, own.identificatie, user);
  if (!existing.ok) return existing;
  if (existing.value === null) return createDocument(http, own, informatieobjecttype, user, fields);
  if (isForeign(existing.value, own.pdfSha256)) return foreign(own.identificatie, existing.value.integriteit?.waarde ?? undefined, `In het DMS (bronorganisatie ${http.config.rsin}, ${pathOf(existing.value.url)})`);
  if (!isComplete(existing.value)) {
    // O6: half uploaded by an earlier attempt (its lock stored tagged, or lost): complete it.
    const finished = await bringUpToDate(http, existing.value.url, own, user, true, fields);
    if (!finished.ok) return finished;
  }
  return { ok: true, value: existing.value.url, status: existing.status };
}

function foreign(identificatie: string, theirs: string | undefined, where: string): Failed {
  return { ok: false, retryable: false, failure: foreignIdentificatie(identificatie, theirs, where).failure };
}

/**
 * F50: for the look-up: every attachment is there with its bytes, complete (unlocked, all parts)
 * and, with a zaak, linked to it. Anything missing means "not archived yet".
 */
export async function attachmentsDone(http: ZgwHttp, delivery: Delivery, zaakUrl: string | null, user: ZgwUser): Promise<Call<boolean>> {
  for (const attachment of delivery.attachments ?? []) {
    const found = await findDocument(http, attachment.identificatie, user);
    if (!found.ok) return found;
    if (found.value === null || !isComplete(found.value) || isForeign(found.value, attachment.sha256)) return { ok: true, value: false, status: found.status };
    if (zaakUrl !== null) {
      const linked = await isLinked(http, zaakUrl, found.value.url, user);
      if (!linked.ok) return linked;
      if (!linked.value) return { ok: true, value: false, status: linked.status };
    }
  }
  return { ok: true, value: true, status: 200 };
}
