// HTTP bodies of the zaak look-up (issue 14, X1–X12), typed once for client and server. The
// device asks the server, the server asks the Zaken API (ZGW) under the municipality's RSIN; the
// device never talks to the DMS itself.
//
//   POST /api/zaken/zoek   ZaakSearchRequestSchema → ZaakSearchAnswerSchema (200)
//                          400 bad-request · 401 · 403 no-document-role · 429 rate-limited (Retry-After)
//                          502 zaak-lookup-unreachable | zaak-lookup-bad-answer | zaak-lookup-refused · 504 zaak-lookup-timeout
//
// A POST, not a GET with a query string: what an official types (a citizen's name in an
// omschrijving, say) stays out of URLs and so out of access logs (X12). Without ZGW the answer is
// `{available: false}` and the zaak field stays free text (X1).
import * as z from 'zod/mini';

export const ZAAK_SEARCH_PATH = '/api/zaken/zoek';

/** Longest text the device may search for; a zaaknummer is at most 100 characters (T-rules). */
export const MAX_ZAAK_QUERY = 100;
/** Most zaken one answer carries. */
export const MAX_ZAAK_RESULTS = 10;

export const ZaakSearchRequestSchema = z.object({
  /** An identificatie (or part of one) or words of the omschrijving. */
  q: z.string().check(z.trim(), z.minLength(1), z.maxLength(MAX_ZAAK_QUERY)),
});
export type ZaakSearchRequest = z.infer<typeof ZaakSearchRequestSchema>;

/** One zaak as the field shows it. Strings are clamped by the server (the DMS is untrusted). */
export const ZaakSummarySchema = z.object({
  identificatie: z.string().check(z.minLength(1), z.maxLength(100)),
  omschrijving: z.nullable(z.string().check(z.maxLength(200))),
  /** X3: closed when its einddatum is set or its current status is the eindstatus. */
  status: z.enum(['open', 'closed']),
  /** The current status's name (statustype omschrijving), when the DMS tells it. */
  statusName: z.nullable(z.string().check(z.maxLength(200))),
  /** YYYY-MM-DD, set once the zaak is closed. */
  einddatum: z.nullable(z.string().check(z.maxLength(10))),
  /** The zaaktype's omschrijving ("Aanvraag omgevingsvergunning"), when the DMS tells it. */
  zaaktype: z.nullable(z.string().check(z.maxLength(200))),
});
export type ZaakSummary = z.infer<typeof ZaakSummarySchema>;

export const ZaakSearchAnswerSchema = z.union([
  z.object({ available: z.literal(false) }),
  z.object({
    available: z.literal(true),
    /** Exact identificatie first, then identificaties that contain the text, then omschrijvingen. */
    results: z.array(ZaakSummarySchema).check(z.maxLength(MAX_ZAAK_RESULTS)),
    /** The DMS had more than MAX_ZAAK_RESULTS: type more to narrow it down. */
    more: z.boolean(),
  }),
]);
export type ZaakSearchAnswer = z.infer<typeof ZaakSearchAnswerSchema>;

/** Why a look-up gave no answer; each has a Dutch message on the device. */
export const ZaakLookupFailure = {
  timeout: 'zaak-lookup-timeout',
  unreachable: 'zaak-lookup-unreachable',
  badAnswer: 'zaak-lookup-bad-answer',
  /** The DMS refused our credentials (401/403): a setting for the administrator. */
  refused: 'zaak-lookup-refused',
  rateLimited: 'rate-limited',
} as const;
export type ZaakLookupFailure = (typeof ZaakLookupFailure)[keyof typeof ZaakLookupFailure];
