// The Zaken API side of a delivery: the zaak by its identificatie, and the ZaakInformatieObject
// that puts the document in its case, created at most once (look-up first, "niet uniek" counts).
import { z } from 'zod';
import type { ZgwUser } from './jwt';
import { isNotUnique, type Call, type ZgwHttp } from './http';

const zaakPageSchema = z.object({ results: z.array(z.object({ url: z.url(), identificatie: z.string().optional() })) });
const zioListSchema = z.array(z.object({ url: z.url().optional(), zaak: z.string(), informatieobject: z.string() }));
const zioSchema = z.object({ url: z.url() });

/** Whether a delivery names a zaak at all (a filing without one is not linked). */
export const hasZaak = (zaak: string): boolean => zaak.trim() !== '';

/** The zaak's URL from its identificatie; a zaak the DMS does not know is a permanent refusal. */
export async function findZaak(http: ZgwHttp, zaak: string, user: ZgwUser): Promise<Call<string>> {
  const { config } = http;
  const url = `${config.zakenUrl}/zaken?${new URLSearchParams({ identificatie: zaak, bronorganisatie: config.rsin }).toString()}`;
  const page = await http.call('GET', url, user, zaakPageSchema);
  if (!page.ok) return page;
  const hit = page.value.results.find((r) => r.identificatie === zaak);
  if (hit === undefined) {
    return { ok: false, retryable: false, reason: `dms-zaak-unknown: De zaak ${zaak} bestaat niet in het DMS (bronorganisatie ${config.rsin}); het document is niet gearchiveerd` };
  }
  return { ok: true, value: hit.url, status: page.status };
}

/** Whether the document is linked to the zaak. (The spec types the `zaak` filter as an
 *  integer, so we filter on the informatieobject and compare the zaak ourselves.) */
export async function isLinked(http: ZgwHttp, zaakUrl: string, eioUrl: string, user: ZgwUser): Promise<Call<boolean>> {
  const url = `${http.config.zakenUrl}/zaakinformatieobjecten?${new URLSearchParams({ informatieobject: eioUrl }).toString()}`;
  const list = await http.call('GET', url, user, zioListSchema);
  if (!list.ok) return list;
  return { ok: true, value: list.value.some((l) => l.zaak === zaakUrl && l.informatieobject === eioUrl), status: list.status };
}

export async function link(http: ZgwHttp, zaakUrl: string, eioUrl: string, user: ZgwUser): Promise<Call<true>> {
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
  return created;
}
