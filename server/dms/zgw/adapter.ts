// The ZGW adapter (O1–O6, Z5–Z10): files a submission as an EnkelvoudigInformatieObject in the
// Documenten API and links it to its zaak with a ZaakInformatieObject in the Zaken API. This
// module is the order of steps only; the steps live by resource: the call layer (http.ts), the
// preflight of the zaak before anything is created (preflight.ts), the document and its create
// (documenten.ts, eio.ts, document-body.ts), the zaak and its link (zaken.ts), the
// informatieobjecttype (catalogi.ts), locks and parts for new versions and large PDFs (locks.ts),
// and the removal of a document a refusal would leave without its case (orphans.ts). ZGW has no idempotency key; uniqueness of (bronorganisatie, identificatie) is what
// makes a retry safe, so `deliver` looks the identificatie up before creating (O2). A later
// version of an archived document becomes a new version of the same object (O5); a large PDF goes
// up in parts (O6). A decision also registers its besluit in the Besluiten API (besluit-step.ts,
// Z24–Z28), planned before anything is created and registered after the link. A submission's
// attachments (F45–F50, attachments.ts) are planned with the zaak's preflight and filed after the
// letter's link, each its own document linked to the same zaak; the look-up counts the delivery
// archived only when the letter and every attachment are there and linked.
import type { Delivery, DeliverResult, DmsAdapter, LookupResult } from '../types';
import type { ZgwConfig } from './config';
import { createDocument, findDocument, foreignRefusal, isUpdateRefused } from './documenten';
import { eioSchema, isComplete, isForeign } from './eio';
import { createZgwHttp, lookupFailure, refusal, type Failed, type ZgwHttp } from './http';
import { SYSTEM_USER, type ZgwUser } from './jwt';
import { bringUpToDate } from './locks';
import { withoutOrphan } from './orphans';
import { preflight } from './preflight';
import { createBesluitStep, type BesluitPlan } from './besluit-step';
import { checkTemplateTypes } from './template-check';
import { asDelivery, attachmentsDone, fileAttachments, letterLock, planAttachments } from './attachments';
import { findZaak, hasZaak, isLinked, link } from './zaken';

export { archiveDescription, contentFields, documentBody } from './document-body';
export { informatieobjecttypeFor } from './catalogi';

/** A delivery that says who submitted it; without it calls are made as the application. */
export type ZgwDelivery = Delivery & { submittedBy?: ZgwUser };

export interface ZgwDmsOptions {
  config: ZgwConfig;
  /** Defaults to the global fetch (tests inject nothing; they run real servers). */
  fetch?: typeof fetch;
  now?: () => number;
}

export function createZgwDms(options: ZgwDmsOptions): DmsAdapter & { deliver(delivery: ZgwDelivery): Promise<DeliverResult> } {
  const http: ZgwHttp = createZgwHttp(options);
  const { config } = http;
  // Z24: the Besluiten API's step, when ZGW_BESLUITEN_URL is set; else decisions are documents only.
  const besluitStep = createBesluitStep(http);

  /**
   * Archived means filed *and* in its case (and, Z26, its besluit registered and up to date); a
   * missing link or besluit is finished by the next deliver.
   */
  async function linkedOrNot(eioUrl: string, zaak: string, delivery?: Delivery): Promise<LookupResult> {
    let zaakRef: { url: string; zaaktype: string | null } | null = null;
    if (hasZaak(zaak)) {
      const zaakUrl = await findZaak(http, zaak, SYSTEM_USER);
      if (!zaakUrl.ok) return lookupFailure(zaakUrl);
      zaakRef = zaakUrl.value;
      const linked = await isLinked(http, zaakUrl.value.url, eioUrl, SYSTEM_USER);
      if (!linked.ok) return lookupFailure(linked);
      if (!linked.value) return { found: false };
    }
    if (besluitStep !== null && delivery !== undefined && besluitStep.wants(delivery)) {
      const done = await besluitStep.isDone(delivery, zaakRef, eioUrl, SYSTEM_USER);
      if (!done.ok) return lookupFailure(done);
      if (!done.value) return { found: false };
    }
    // F50: and every attachment filed and linked: a delivery cut between them is finished next time.
    if (delivery !== undefined && (delivery.attachments ?? []).length > 0) {
      const done = await attachmentsDone(http, delivery, zaakRef?.url ?? null, SYSTEM_USER);
      if (!done.ok) return lookupFailure(done);
      if (!done.value) return { found: false };
    }
    return { found: true, reference: eioUrl };
  }

  /** Archived: the object holds this delivery's bytes, unlocked, complete, in its zaak (O2, O5, O6, J9) and, Z26, with its besluit. */
  async function lookup(identificatie: string, zaak: string, delivery?: Delivery): Promise<LookupResult> {
    if (delivery?.previous !== undefined) {
      // O5: the new version is there when the object holds its bytes, unlocked, or (when the
      // DMS would not update it) as a document of its own under this identificatie.
      const read = await http.call('GET', delivery.previous.reference, SYSTEM_USER, eioSchema);
      if (!read.ok) return lookupFailure(read);
      if (isComplete(read.value, delivery.pdfSha256)) return linkedOrNot(read.value.url, zaak, delivery);
    }
    const found = await findDocument(http, identificatie, SYSTEM_USER);
    if (!found.ok) return lookupFailure(found);
    // O6: a half-uploaded document is not archived yet; deliver completes it.
    if (found.value === null || !isComplete(found.value)) return { found: false };
    // J9: someone else's document under this identificatie is not ours; deliver says so.
    if (delivery !== undefined && isForeign(found.value, delivery.pdfSha256)) return { found: false };
    return linkedOrNot(found.value.url, zaak, delivery);
  }

  return {
    name: 'zgw',
    lookup,

    async deliver(withAttachments: ZgwDelivery): Promise<DeliverResult> {
      // F49: an attachment's stored lock is its own; the letter's steps see only the letter's.
      const held = letterLock(withAttachments.heldLock);
      const { heldLock: _held, ...withoutLock } = withAttachments;
      const delivery: ZgwDelivery = held === undefined ? withoutLock : { ...withoutLock, heldLock: held };
      const user = delivery.submittedBy ?? { id: SYSTEM_USER.id, representation: delivery.metadata.author || SYSTEM_USER.representation };
      /** Z10, F48: a refusal for good leaves no document of this delivery (letter or attachment) without its case. */
      const refused = async (failed: Failed): Promise<DeliverResult> => {
        let answer = await withoutOrphan(http, delivery, user, failed);
        for (const attachment of failed.retryable ? [] : (delivery.attachments ?? [])) answer = await withoutOrphan(http, asDelivery(delivery, attachment), user, answer);
        return refusal(answer);
      };
      // Z5–Z7: the zaak first (exists, open, allows the type): a refusal must not leave a document without a case.
      const cleared = await preflight(http, delivery, user);
      if (!cleared.ok) {
        // O2: already archived by an earlier attempt (its answer lost), before the zaak was closed
        // or its zaaktype changed: delivering it again is not a refusal.
        if (!cleared.retryable && cleared.failure.code !== 'dms-zaak-unknown') {
          const there = await lookup(delivery.identificatie, delivery.zaak, delivery);
          if ('found' in there && there.found) return { ok: true, reference: there.reference };
        }
        return refused(cleared);
      }
      const { zaak, informatieobjecttype } = cleared.value;
      // F42, F47: the attachments' bytes and type, also before anything is created.
      const attachmentPlan = await planAttachments(http, delivery, zaak, informatieobjecttype, user);
      if (!attachmentPlan.ok) return refusal(attachmentPlan);
      // Z27: the besluittype allows this zaak and document, also before anything is created.
      let besluit: BesluitPlan | null = null;
      if (besluitStep !== null) {
        const planned = await besluitStep.plan(delivery, zaak, informatieobjecttype, user);
        if (!planned.ok) {
          // O2: archived with its besluit by an earlier attempt before the besluittype changed: not a refusal.
          const there = planned.retryable ? null : await lookup(delivery.identificatie, delivery.zaak, delivery);
          if (there !== null && 'found' in there && there.found) return { ok: true, reference: there.reference };
          return refusal(planned);
        }
        besluit = planned.value;
      }
      let eioUrl: string;
      const updated = delivery.previous === undefined ? null : await bringUpToDate(http, delivery.previous.reference, delivery, user, false);
      if (delivery.previous !== undefined && updated !== null && updated.ok) {
        // O5: a new version of the archived object, under its first identificatie.
        eioUrl = delivery.previous.reference;
      } else if (updated !== null && !updated.ok && !isUpdateRefused(updated)) {
        return refusal(updated);
      } else {
        // A first version; or (O5) a DMS that will not update an archived object: the Documenten
        // API may refuse a definitief document ("status NIET definitief"). Then this version is
        // filed as its own document under its own identificatie, named in its beschrijving as
        // following the earlier one, rather than left failing for good.
        // O2: never a second document for one identificatie, whatever the previous attempt did.
        const existing = await findDocument(http, delivery.identificatie, user);
        if (!existing.ok) return refusal(existing);
        if (existing.value === null) {
          const created = await createDocument(http, delivery, informatieobjecttype, user);
          if (!created.ok) return refusal(created);
          eioUrl = created.value;
        } else if (isForeign(existing.value, delivery.pdfSha256)) {
          // J9: never overwrite or adopt someone else's document under our identificatie.
          return foreignRefusal(delivery.identificatie, existing.value, config.rsin);
        } else {
          eioUrl = existing.value.url;
          // O6: half-uploaded by an earlier attempt: complete it, never file it twice.
          if (!isComplete(existing.value)) {
            const finished = await bringUpToDate(http, eioUrl, delivery, user, true);
            if (!finished.ok) return refusal(finished);
          }
        }
      }
      if (zaak !== null) {
        const linked = await link(http, zaak, eioUrl, informatieobjecttype, user);
        if (!linked.ok) return refused(linked);
      }
      // F45, F48: each attachment its own document in the same zaak, found before it is created.
      const filedAttachments = await fileAttachments(http, withAttachments, zaak, attachmentPlan.value, user);
      if (!filedAttachments.ok) return refusal(filedAttachments);
      // Z24, Z26: the besluit with its besluitinformatieobject, found before it is created. The
      // document stays filed and linked when this fails: the next attempt adds only the besluit.
      if (besluitStep !== null && besluit !== null) {
        const registered = await besluitStep.register(besluit, delivery, eioUrl, user);
        if (!registered.ok) return refusal(registered);
      }
      return { ok: true, reference: eioUrl };
    },

    // Z22, Z23: the Catalogi check at start.
    checkTemplates: (templates, today) => checkTemplateTypes(http, templates, today),
  };
}
