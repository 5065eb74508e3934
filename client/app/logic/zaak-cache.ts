// X8: what the device remembers of zaak look-ups, for offline use: whether this server has a
// look-up at all, the zaken its answers named (newest first, at most MAX_CACHED_ZAKEN) and the
// identificaties it said it does not know. Pure: the caller keeps it through the LocalStore (one
// setting, encrypted by the vault's codec), never in plaintext storage. Every read is defensive:
// the stored value may be old, damaged or from another version.
import { ZaakSummarySchema, type ZaakSummary } from '../../../shared/protocol/zaken';

export const MAX_CACHED_ZAKEN = 50;
export const MAX_MISSING = 50;
/** How long "this server has no look-up" is believed before asking again. */
export const AVAILABILITY_TTL_MS = 60 * 60 * 1000;

export interface CachedZaak {
  zaak: ZaakSummary;
  /** When the server last said this (ms). */
  at: number;
}

export interface ZaakCache {
  /** null: never asked; false: the server has no look-up (the field stays free text). */
  available: boolean | null;
  availableAt: number;
  zaken: CachedZaak[];
  /** Identificaties the DMS said it does not know, with when. */
  missing: { identificatie: string; at: number }[];
}

export const emptyZaakCache = (): ZaakCache => ({ available: null, availableAt: 0, zaken: [], missing: [] });

export const ZAAK_CACHE_SETTING = 'zaak-lookup';

export function parseZaakCache(value: unknown): ZaakCache {
  if (typeof value !== 'object' || value === null) return emptyZaakCache();
  const v = value as Record<string, unknown>;
  const zaken: CachedZaak[] = [];
  for (const item of Array.isArray(v.zaken) ? v.zaken : []) {
    if (typeof item !== 'object' || item === null) continue;
    const entry = item as Record<string, unknown>;
    const zaak = ZaakSummarySchema.safeParse(entry.zaak);
    if (zaak.success && typeof entry.at === 'number') zaken.push({ zaak: zaak.data, at: entry.at });
  }
  const missing: ZaakCache['missing'] = [];
  for (const item of Array.isArray(v.missing) ? v.missing : []) {
    if (typeof item !== 'object' || item === null) continue;
    const entry = item as Record<string, unknown>;
    if (typeof entry.identificatie === 'string' && typeof entry.at === 'number') missing.push({ identificatie: entry.identificatie, at: entry.at });
  }
  return {
    available: typeof v.available === 'boolean' ? v.available : null,
    availableAt: typeof v.availableAt === 'number' ? v.availableAt : 0,
    zaken: zaken.slice(0, MAX_CACHED_ZAKEN),
    missing: missing.slice(0, MAX_MISSING),
  };
}

/** The server said it has no look-up (or has one again). */
export function rememberAvailability(cache: ZaakCache, available: boolean, now: number): ZaakCache {
  return { ...cache, available, availableAt: now };
}

/**
 * An answer to a search for `q`: its zaken go first (newest), the oldest fall off past the bound;
 * `q` itself is remembered as missing when it looks like an identificatie and the answer lacks it.
 */
export function rememberAnswer(cache: ZaakCache, q: string, results: readonly ZaakSummary[], now: number): ZaakCache {
  const named = new Set(results.map((z) => z.identificatie));
  const zaken = [...results.map((zaak) => ({ zaak, at: now })), ...cache.zaken.filter((c) => !named.has(c.zaak.identificatie))].slice(0, MAX_CACHED_ZAKEN);
  const query = q.trim();
  const exactMissing = isIdentificatieLike(query) && !named.has(query);
  const missing = [
    ...(exactMissing ? [{ identificatie: query, at: now }] : []),
    ...cache.missing.filter((m) => m.identificatie !== query && !named.has(m.identificatie)),
  ].slice(0, MAX_MISSING);
  return { ...cache, available: true, availableAt: now, zaken, missing };
}

/** An identificatie has digits and no spaces (the server searches the same way). */
export function isIdentificatieLike(text: string): boolean {
  return /\d/.test(text) && !/\s/.test(text);
}

/** Should the device ask the server (again) whether it has a look-up? */
export function shouldAsk(cache: ZaakCache, now: number): boolean {
  return cache.available !== false || now - cache.availableAt >= AVAILABILITY_TTL_MS;
}

/** Offline suggestions: cached zaken whose identificatie or omschrijving contains the text. */
export function searchCache(cache: ZaakCache, q: string, limit = 10): CachedZaak[] {
  const needle = normalise(q);
  if (needle === '') return [];
  const hits = cache.zaken.filter((c) => normalise(c.zaak.identificatie).includes(needle) || normalise(c.zaak.omschrijving ?? '').includes(needle));
  return hits.sort((a, b) => Number(b.zaak.identificatie === q.trim()) - Number(a.zaak.identificatie === q.trim())).slice(0, limit);
}

export function cachedZaak(cache: ZaakCache, identificatie: string): CachedZaak | null {
  return cache.zaken.find((c) => c.zaak.identificatie === identificatie.trim()) ?? null;
}

export function knownMissing(cache: ZaakCache, identificatie: string): { at: number } | null {
  return cache.missing.find((m) => m.identificatie === identificatie.trim()) ?? null;
}

/** Case and diacritics do not matter when searching (Één = een). */
function normalise(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}
