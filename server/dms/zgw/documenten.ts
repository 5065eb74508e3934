// The Documenten API side of a delivery: the document by its identificatie, and its create.
// ZGW has no idempotency key; uniqueness of (bronorganisatie, identificatie) is what makes a
// retry safe, so a create answered "identificatie niet uniek" means "already there" (O2): the
// earlier attempt's document is found and finished, never filed twice.
import { foreignIdentificatie } from '../conflict';
import type { Delivery, DeliverResult } from '../types';
import { contentFields, documentBody } from './document-body';
import { eioPageSchema, eioSchema, isChunked, isComplete, isForeign, type Eio } from './eio';
import { isNotUnique, pathOf, type Call, type Failed, type ZgwError, type ZgwHttp } from './http';
import type { ZgwUser } from './jwt';
import { bringUpToDate, forgetRefusedLock, remember, unlock, uploadParts } from './locks';

const eioListUrl = (http: ZgwHttp, identificatie: string): string =>
  `${http.config.documentenUrl}/enkelvoudiginformatieobjecten?${new URLSearchParams({ bronorganisatie: http.config.rsin, identificatie }).toString()}`;

/** The document with this identificatie, if the DMS has it. */
export async function findDocument(http: ZgwHttp, identificatie: string, user: ZgwUser): Promise<Call<Eio | null>> {
  const page = await http.call('GET', eioListUrl(http, identificatie), user, eioPageSchema);
  if (!page.ok) return page;
  // A server that ignores a filter must not make us take someone else's document for ours.
  const hit = page.value.results.find((r) => r.identificatie === identificatie);
  return { ok: true, value: hit ?? null, status: page.status };
}

/**
 * F46: what a filing writes besides the steps: the create body, the fields of a version (O5's
 * PATCH, or completing a half-created document), and the type and name of its parts (O6). The
 * letter's by default; an attachment brings its own (attachments.ts).
 */
export interface FilingFields {
  create: Record<string, unknown>;
  content: Record<string, unknown>;
  mediaType: string;
  fileName: string;
}

/** The letter's fields (documentBody, contentFields), as every filing had before attachments. */
export function letterFields(http: ZgwHttp, delivery: Delivery, informatieobjecttype?: string): FilingFields {
  return {
    create: documentBody(delivery, http.config, informatieobjecttype),
    content: contentFields(delivery, http.config),
    mediaType: 'application/pdf',
    fileName: `${delivery.identificatie}.pdf`,
  };
}

/** Files the document (O6: in parts above the threshold); "niet uniek" finds and finishes ours (O2). */
export async function createDocument(http: ZgwHttp, delivery: Delivery, informatieobjecttype: string, user: ZgwUser, fields: FilingFields = letterFields(http, delivery, informatieobjecttype)): Promise<Call<string>> {
  const { config } = http;
  const created = await http.call('POST', `${config.documentenUrl}/enkelvoudiginformatieobjecten`, user, eioSchema, fields.create);
  if (created.ok) {
    if (!isChunked(delivery, config)) return { ok: true, value: created.value.url, status: created.status };
    // O6: created without inhoud and locked; the lock comes only in this answer.
    const lock = created.value.lock;
    if (lock === undefined || lock === '') {
      return { ok: false, retryable: true, failure: { code: 'dms-bad-answer', what: 'een document zonder inhoud kwam zonder lock terug' } };
    }
    await remember(delivery, lock);
    const uploaded = await uploadParts(http, created.value.bestandsdelen ?? [], delivery, lock, user, fields);
    if (!uploaded.ok) return uploaded;
    const unlocked = await unlock(http, created.value.url, lock, user);
    if (!unlocked.ok) return forgetRefusedLock(unlocked, delivery);
    await remember(delivery, null);
    return { ok: true, value: created.value.url, status: created.status };
  }
  if (created.status === 400 && isNotUnique(created.body)) {
    // Filed by an earlier attempt whose answer we never saw, or by a parallel one (O2).
    const found = await findDocument(http, delivery.identificatie, user);
    if (found.ok && found.value !== null) {
      if (isForeign(found.value, delivery.pdfSha256)) return foreignCall(delivery.identificatie, found.value);
      if (isComplete(found.value)) return { ok: true, value: found.value.url, status: found.status };
      const finished = await bringUpToDate(http, found.value.url, delivery, user, true, fields);
      return finished.ok ? { ok: true, value: found.value.url, status: finished.status } : finished;
    }
  }
  return created;
}

/**
 * The DMS refused to write a new version into the archived object because of its status (the
 * Documenten API validates "status NIET definitief" on update): a 400 naming `status`. Any other
 * refusal (a wrong lock, bad metadata) stays a refusal: filing a second document then would hide it.
 */
export function isUpdateRefused(failed: { retryable: boolean; status?: number; body?: ZgwError }): boolean {
  if (failed.retryable || failed.status !== 400) return false;
  return failed.body?.invalidParams?.some((p) => p.name === 'status' || /definitief/i.test(`${p.code ?? ''} ${p.reason}`)) ?? false;
}

/** J9: never overwrite or adopt someone else's document under our identificatie. */
export function foreignRefusal(identificatie: string, eio: Eio, rsin: string): DeliverResult {
  return foreignIdentificatie(identificatie, eio.integriteit?.waarde ?? undefined, `In het DMS (bronorganisatie ${rsin}, ${pathOf(eio.url)})`);
}

function foreignCall(identificatie: string, eio: Eio): Failed {
  const refused = foreignIdentificatie(identificatie, eio.integriteit?.waarde ?? undefined, `In het DMS (${pathOf(eio.url)})`);
  return { ok: false, retryable: false, failure: refused.failure };
}
