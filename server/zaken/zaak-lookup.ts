// X1–X4, X7: the zaak look-up behind one small interface, with a real implementation on the
// Zaken API (server/dms/zgw/zaak-search.ts) and an in-memory one for tests. `search` serves the
// editor's field; `check` serves the submit (X7): it says `unknown`/`closed` only when the DMS
// answered, and `unreachable` when it could not know (the outbox's preflight, Z5/Z6, decides then).
import { ZaakLookupFailure, type ZaakSummary } from '../../shared/protocol/zaken';
import type { DeliveryFailure } from '../../shared/protocol/delivery-failure';
import type { ZgwConfig } from '../dms/zgw/config';
import { createZgwHttp } from '../dms/zgw/http';
import { findZaakSummary, searchZaken, type ZaakSearchDeps, type ZaakSearchResult } from '../dms/zgw/zaak-search';

export type ZaakSearchOutcome = { ok: true; value: ZaakSearchResult } | { ok: false; reason: ZaakLookupFailure };

export type ZaakCheck =
  | { kind: 'open'; zaak: ZaakSummary }
  | { kind: 'closed'; zaak: ZaakSummary }
  | { kind: 'unknown' }
  /** The DMS did not answer in time or made no sense: nobody can know now. */
  | { kind: 'unreachable'; reason: ZaakLookupFailure };

/** Who asks: the DMS writes it into its audit trail (JWT-ZGW user claims). */
export interface Asker {
  id: string;
  name: string;
}

export interface ZaakLookup {
  search(q: string, asker: Asker): Promise<ZaakSearchOutcome>;
  check(identificatie: string, asker: Asker): Promise<ZaakCheck>;
}

/** X4: a failed call to the DMS in the look-up's own words. */
export function lookupFailureOf(failure: DeliveryFailure): ZaakLookupFailure {
  switch (failure.code) {
    case 'dms-timeout':
      return ZaakLookupFailure.timeout;
    case 'dms-bad-answer':
      return ZaakLookupFailure.badAnswer;
    case 'dms-not-authorised':
      return ZaakLookupFailure.refused;
    default:
      return ZaakLookupFailure.unreachable;
  }
}

export interface ZgwZaakLookupOptions {
  config: ZgwConfig;
  /** X4: per call to the DMS, shorter than a delivery's (an official is waiting). */
  timeoutMs: number;
  now?: () => number;
  fetch?: typeof fetch;
}

export function createZgwZaakLookup(options: ZgwZaakLookupOptions): ZaakLookup {
  const now = options.now ?? Date.now;
  const http = createZgwHttp({
    config: { ...options.config, timeoutMs: options.timeoutMs },
    now,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const zaaktypeNames: ZaakSearchDeps['zaaktypeNames'] = new Map();
  const depsFor = (asker: Asker): ZaakSearchDeps => ({ http, user: { id: asker.id, representation: asker.name }, zaaktypeNames, now });
  return {
    async search(q, asker) {
      const found = await searchZaken(depsFor(asker), q);
      return found.ok ? { ok: true, value: found.value } : { ok: false, reason: lookupFailureOf(found.failure) };
    },
    async check(identificatie, asker) {
      const found = await findZaakSummary(depsFor(asker), identificatie);
      if (!found.ok) return { kind: 'unreachable', reason: lookupFailureOf(found.failure) };
      if (found.value === null) return { kind: 'unknown' };
      return { kind: found.value.status, zaak: found.value };
    },
  };
}

/** In memory, for tests and demos: the same answers from a list of zaken. */
export function createMemoryZaakLookup(zaken: ZaakSummary[]): ZaakLookup & { zaken: ZaakSummary[] } {
  return {
    zaken,
    search(q) {
      const needle = q.toLowerCase();
      const hits = zaken
        .filter((z) => z.identificatie.toLowerCase().includes(needle) || (z.omschrijving ?? '').toLowerCase().includes(needle))
        .sort((a, b) => Number(b.identificatie === q) - Number(a.identificatie === q));
      return Promise.resolve({ ok: true, value: { results: hits.slice(0, 10), more: hits.length > 10 } });
    },
    check(identificatie) {
      const zaak = zaken.find((z) => z.identificatie === identificatie);
      return Promise.resolve(zaak === undefined ? { kind: 'unknown' } : { kind: zaak.status, zaak });
    },
  };
}
