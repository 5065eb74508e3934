// The Zaken API side of a delivery: the zaak by its identificatie (with its zaaktype and whether
// it is closed, Z5), and the ZaakInformatieObject that puts the document in its case, created at
// most once (look-up first, "niet uniek" counts). A link the DMS refuses because the zaak is
// closed, the type does not belong to its zaaktype or the client may not write to it is worded
// as such (Z6–Z8), not as a generic refusal.
import { z } from 'zod';
import type { ZgwUser } from './jwt';
import { isNotUnique, type Call, type Failed, type ZgwHttp } from './http';

const zaakSchema = z.object({
  url: z.url(),
  identificatie: z.string().optional(),
  zaaktype: z.url().optional(),
  /** Set once the zaak is closed (its eindstatus): Open Zaak then refuses new links. */
  einddatum: z.string().nullish(),
});
const zaakPageSchema = z.object({ results: z.array(zaakSchema) });

/** The zaak as a delivery needs it. */
export interface ZaakRef {
  identificatie: string;
  url: string;
  zaaktype: string | null;
  einddatum: string | null;
}
const zioListSchema = z.array(z.object({ url: z.url().optional(), zaak: z.string(), informatieobject: z.string() }));
const zioSchema = z.object({ url: z.url() });

/** Whether a delivery names a zaak at all (a filing without one is not linked). */
export const hasZaak = (zaak: string): boolean => zaak.trim() !== '';

/** The zaak from its identificatie; a zaak the DMS does not know (or hides) is a permanent refusal. */
export async function findZaak(http: ZgwHttp, zaak: string, user: ZgwUser): Promise<Call<ZaakRef>> {
  const { config } = http;
  const url = `${config.zakenUrl}/zaken?${new URLSearchParams({ identificatie: zaak, bronorganisatie: config.rsin }).toString()}`;
  const page = await http.call('GET', url, user, zaakPageSchema);
  if (!page.ok) return page;
  const hit = page.value.results.find((r) => r.identificatie === zaak);
  if (hit === undefined) {
    return { ok: false, retryable: false, failure: { code: 'dms-zaak-unknown', zaak, bronorganisatie: config.rsin } };
  }
  return { ok: true, value: { identificatie: zaak, url: hit.url, zaaktype: hit.zaaktype ?? null, einddatum: hit.einddatum ?? null }, status: page.status };
}

/** Whether the document is linked to the zaak. (The spec types the `zaak` filter as an
 *  integer, so we filter on the informatieobject and compare the zaak ourselves.) */
export async function isLinked(http: ZgwHttp, zaakUrl: string, eioUrl: string, user: ZgwUser): Promise<Call<boolean>> {
  const url = `${http.config.zakenUrl}/zaakinformatieobjecten?${new URLSearchParams({ informatieobject: eioUrl }).toString()}`;
  const list = await http.call('GET', url, user, zioListSchema);
  if (!list.ok) return list;
  return { ok: true, value: list.value.some((l) => l.zaak === zaakUrl && l.informatieobject === eioUrl), status: list.status };
}

/** Whether the document is in any zaak at all (an orphan is in none). */
export async function isLinkedAnywhere(http: ZgwHttp, eioUrl: string, user: ZgwUser): Promise<Call<boolean>> {
  const url = `${http.config.zakenUrl}/zaakinformatieobjecten?${new URLSearchParams({ informatieobject: eioUrl }).toString()}`;
  const list = await http.call('GET', url, user, zioListSchema);
  if (!list.ok) return list;
  return { ok: true, value: list.value.some((l) => l.informatieobject === eioUrl), status: list.status };
}

/** Open Zaak's code when the informatieobjecttype is not one of the zaaktype's (Z7). */
const TYPE_NOT_IN_ZAAKTYPE = 'missing-zaaktype-informatieobjecttype-relation';

export async function link(http: ZgwHttp, zaak: ZaakRef, eioUrl: string, informatieobjecttype: string, user: ZgwUser): Promise<Call<true>> {
  const zaakUrl = zaak.url;
  const linked = await isLinked(http, zaakUrl, eioUrl, user);
  if (!linked.ok) return linked;
  if (linked.value) return { ok: true, value: true, status: linked.status };
  const created = await http.call('POST', `${http.config.zakenUrl}/zaakinformatieobjecten`, user, zioSchema, { zaak: zaakUrl, informatieobject: eioUrl });
  if (created.ok) return { ok: true, value: true, status: created.status };
  // Linked by a parallel attempt in the meantime: that link counts.
  if (created.status === 400 && isNotUnique(created.body)) {
    const again = await isLinked(http, zaakUrl, eioUrl, user);
    if (again.ok && again.value) return { ok: true, value: true, status: again.status };
  }
  return linkRefusal(created, zaak, informatieobjecttype);
}

/**
 * Z6–Z8: what a refused link means, in the back office's words. The preflight (preflight.ts)
 * catches these before anything is created; this is for a zaak closed or an autorisatie taken
 * away in between, and for the write permission no read can show.
 */
function linkRefusal(failed: Failed, zaak: ZaakRef, informatieobjecttype: string): Failed {
  if (failed.retryable) return failed;
  const details = failed.failure.details;
  const withDetails = details === undefined ? {} : { details };
  if (failed.status === 403) {
    const closed = /gesloten|closed|afgesloten/i.test(`${failed.body?.detail ?? ''} ${failed.body?.title ?? ''} ${failed.body?.code ?? ''}`);
    return {
      ...failed,
      failure: closed
        ? { code: 'dms-zaak-closed', zaak: zaak.identificatie, einddatum: zaak.einddatum ?? 'onbekend', ...withDetails }
        : { code: 'dms-zaak-forbidden', zaak: zaak.identificatie, status: 403, ...withDetails },
    };
  }
  if (failed.status === 400 && (failed.body?.invalidParams ?? []).some((p) => p.code === TYPE_NOT_IN_ZAAKTYPE)) {
    return { ...failed, failure: { code: 'dms-type-not-allowed', zaak: zaak.identificatie, zaaktype: zaak.zaaktype ?? 'onbekend', informatieobjecttype, ...withDetails } };
  }
  return failed;
}
