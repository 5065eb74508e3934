// X2–X4, X12: the Zaken API side of the zaak look-up. Finds zaken of the municipality (its RSIN as
// bronorganisatie) by identificatie (exact, and containing the text) and by omschrijving
// (`POST /zaken/_zoek`, so the words stay out of the DMS's URLs), and says of each: omschrijving,
// open or closed (einddatum, or a current status that is the eindstatus), the status's name and
// the zaaktype's name. Names come from `expand` where the DMS offers it; a zaaktype the answer did
// not expand is read once from the Catalogi API and remembered. Every answer is untrusted: parsed
// with zod, strings clamped, zaken of another bronorganisatie dropped.
import { z } from 'zod';
import { MAX_ZAAK_RESULTS, type ZaakSummary } from '../../../shared/protocol/zaken';
import type { Call, ZgwHttp } from './http';
import type { ZgwUser } from './jwt';

const named = z.object({ omschrijving: z.string().nullish() }).loose();
const statusSchema = z
  .object({
    statustoelichting: z.string().nullish(),
    _expand: z.object({ statustype: z.object({ omschrijving: z.string().nullish(), isEindstatus: z.boolean().nullish() }).loose().nullish() }).loose().nullish(),
  })
  .loose();

const zaakSchema = z
  .object({
    identificatie: z.string().min(1),
    bronorganisatie: z.string().nullish(),
    omschrijving: z.string().nullish(),
    zaaktype: z.string().nullish(),
    einddatum: z.string().nullish(),
    _expand: z.object({ zaaktype: named.nullish(), status: statusSchema.nullish() }).loose().nullish(),
  })
  .loose();
type ZgwZaak = z.infer<typeof zaakSchema>;

/** A page of zaken; an entry that does not parse is dropped, not the page (one odd zaak hides nothing else). */
const pageSchema = z.object({ count: z.number().nullish(), next: z.string().nullish(), results: z.array(z.unknown()) });

/** What the route answers after the DMS did. */
export interface ZaakSearchResult {
  results: ZaakSummary[];
  /** More matches than the answer carries. */
  more: boolean;
}

const EXPAND = 'zaaktype,status,status.statustype';
/** One more than we show, to know whether there are more. */
const PAGE = MAX_ZAAK_RESULTS + 1;

const clamp = (value: string | null | undefined, max: number): string | null => {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed.slice(0, max);
};

/** Zaaktype URL → its omschrijving, for DMSes whose answers do not expand it (X2). */
export type ZaaktypeNames = Map<string, { name: Promise<string | null>; at: number }>;
const ZAAKTYPE_NAME_TTL_MS = 60 * 60 * 1000;

export interface ZaakSearchDeps {
  http: ZgwHttp;
  user: ZgwUser;
  zaaktypeNames: ZaaktypeNames;
  now: () => number;
}

/** X2: exact identificatie first, then identificaties containing the text, then omschrijvingen. */
export async function searchZaken(deps: ZaakSearchDeps, q: string): Promise<Call<ZaakSearchResult>> {
  const { http } = deps;
  const rsin = http.config.rsin;
  // An identificatie has digits and no spaces; anything else is only looked for in omschrijvingen.
  const looksLikeId = /\d/.test(q) && !/\s/.test(q);
  const base = `${http.config.zakenUrl}/zaken`;
  const exact = looksLikeId ? listZaken(deps, `${base}?${new URLSearchParams({ identificatie: q, bronorganisatie: rsin, expand: EXPAND }).toString()}`) : null;
  // identificatie__icontains is experimental in Open Zaak: a DMS that refuses it (4xx) just adds nothing.
  const containing = looksLikeId ? zoek(deps, { identificatie__icontains: q }) : null;
  const described = zoek(deps, { omschrijving: q });
  const calls = await Promise.all([exact, containing, described]);
  // A DMS that is down, slow or talking nonsense fails the whole look-up (X4): half an answer
  // would read as "not found". A refusal (4xx) of the experimental filters adds nothing quietly;
  // of the call that decides (the exact one, or the omschrijving for words), it fails too.
  for (const call of calls) if (call !== null && !call.ok && call.retryable) return call;
  const decisive = calls[0] ?? calls[2];
  if (decisive !== undefined && decisive !== null && !decisive.ok) return decisive;
  const seen = new Set<string>();
  const ordered: ZgwZaak[] = [];
  let more = false;
  for (const call of calls) {
    if (call === null || !call.ok) continue;
    if (call.value.length >= PAGE) more = true;
    for (const zaak of call.value) {
      if (seen.has(zaak.identificatie)) continue;
      seen.add(zaak.identificatie);
      ordered.push(zaak);
    }
  }
  // Within the exact call a DMS may still list near misses: the exact one goes first.
  ordered.sort((a, b) => Number(b.identificatie === q) - Number(a.identificatie === q));
  if (ordered.length > MAX_ZAAK_RESULTS) more = true;
  const results = await Promise.all(ordered.slice(0, MAX_ZAAK_RESULTS).map((zaak) => summarise(deps, zaak)));
  return { ok: true, value: { results, more }, status: 200 };
}

/** X7: the one zaak with exactly this identificatie, or null when the DMS does not know it. */
export async function findZaakSummary(deps: ZaakSearchDeps, identificatie: string): Promise<Call<ZaakSummary | null>> {
  const { http } = deps;
  const url = `${http.config.zakenUrl}/zaken?${new URLSearchParams({ identificatie, bronorganisatie: http.config.rsin, expand: EXPAND }).toString()}`;
  const list = await listZaken(deps, url);
  if (!list.ok) return list;
  const hit = list.value.find((zaak) => zaak.identificatie === identificatie);
  return { ok: true, value: hit === undefined ? null : await summarise(deps, hit), status: list.status };
}

async function listZaken(deps: ZaakSearchDeps, url: string): Promise<Call<ZgwZaak[]>> {
  const page = await deps.http.call('GET', url, deps.user, pageSchema);
  if (!page.ok) return page;
  return { ok: true, value: ours(deps, page.value.results), status: page.status };
}

/** X12: a search by what the official typed goes in the body of `/zaken/_zoek`, never in a URL. */
async function zoek(deps: ZaakSearchDeps, filter: { omschrijving: string } | { identificatie__icontains: string }): Promise<Call<ZgwZaak[]>> {
  const { http } = deps;
  const url = `${http.config.zakenUrl}/zaken/_zoek?${new URLSearchParams({ expand: EXPAND, pageSize: String(PAGE) }).toString()}`;
  const page = await http.call('POST', url, deps.user, pageSchema, { ...filter, bronorganisatie: http.config.rsin });
  if (!page.ok) return page;
  return { ok: true, value: ours(deps, page.value.results), status: page.status };
}

/** X12: entries that parse, of our own bronorganisatie (a DMS that ignores the filter shows no one else's). */
function ours(deps: ZaakSearchDeps, results: unknown[]): ZgwZaak[] {
  const list: ZgwZaak[] = [];
  for (const item of results) {
    const parsed = zaakSchema.safeParse(item);
    if (!parsed.success) continue;
    const zaak = parsed.data;
    if (zaak.bronorganisatie != null && zaak.bronorganisatie !== deps.http.config.rsin) continue;
    if (zaak.identificatie.length > 100) continue;
    list.push(zaak);
  }
  return list;
}

/** X3: open or closed, and the names the field shows. */
async function summarise(deps: ZaakSearchDeps, zaak: ZgwZaak): Promise<ZaakSummary> {
  const statustype = zaak._expand?.status?._expand?.statustype ?? null;
  const einddatum = /^\d{4}-\d{2}-\d{2}/.test(zaak.einddatum ?? '') ? (zaak.einddatum ?? '').slice(0, 10) : null;
  const closed = einddatum !== null || statustype?.isEindstatus === true;
  const expandedType = clamp(zaak._expand?.zaaktype?.omschrijving, 200);
  return {
    identificatie: zaak.identificatie,
    omschrijving: clamp(zaak.omschrijving, 200),
    status: closed ? 'closed' : 'open',
    statusName: clamp(statustype?.omschrijving, 200),
    einddatum,
    zaaktype: expandedType ?? (zaak.zaaktype == null ? null : await zaaktypeName(deps, zaak.zaaktype)),
  };
}

const zaaktypeSchema = z.object({ omschrijving: z.string().nullish() }).loose();

/** The zaaktype's omschrijving from the Catalogi API, remembered an hour; null when it cannot be read. */
async function zaaktypeName(deps: ZaakSearchDeps, url: string): Promise<string | null> {
  const { http } = deps;
  if (!url.startsWith(`${http.config.catalogiUrl}/`)) return null;
  const known = deps.zaaktypeNames.get(url);
  if (known !== undefined && deps.now() - known.at < ZAAKTYPE_NAME_TTL_MS) return known.name;
  // One read for all results of one answer (kept as a promise); a failed read is not remembered.
  const name = http.call('GET', url, deps.user, zaaktypeSchema).then((read) => {
    if (!read.ok) deps.zaaktypeNames.delete(url);
    return read.ok ? clamp(read.value.omschrijving, 200) : null;
  });
  // Bounded: a DMS with thousands of zaaktypen does not grow this without end.
  if (deps.zaaktypeNames.size >= 500) deps.zaaktypeNames.clear();
  deps.zaaktypeNames.set(url, { name, at: deps.now() });
  return name;
}
