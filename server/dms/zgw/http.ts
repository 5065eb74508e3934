// The ZGW call layer: one authenticated HTTP call to a ZGW API, its answer checked with zod and
// its failure sorted. Transport trouble (timeout, refused connection, 5xx, 429) is retryable; a
// 4xx refusal is permanent, with a Dutch reason built from the ZGW error body's `invalidParams`
// for the back office. Every answer of the DMS is untrusted.
import { z } from 'zod';
import { formatFailure, type DeliveryFailure } from '../../../shared/protocol/delivery-failure';
import type { DeliverResult } from '../types';
import type { ZgwConfig } from './config';
import { zgwToken, type ZgwUser } from './jwt';

export const errorSchema = z.object({
  code: z.string().optional(),
  title: z.string().optional(),
  detail: z.string().optional(),
  invalidParams: z.array(z.object({ name: z.string(), code: z.string().optional(), reason: z.string() })).optional(),
});
export type ZgwError = z.infer<typeof errorSchema>;

/** What one HTTP call came to: its checked answer, or why it failed (Z1) and whether a retry may help. */
export type Call<T> = { ok: true; value: T; status: number } | Failed;
export type Failed = { ok: false; retryable: boolean; failure: DeliveryFailure; status?: number; body?: ZgwError };

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** The call layer with its settings: what every resource module gets. */
export interface ZgwHttp {
  readonly config: ZgwConfig;
  call<T>(method: Method, url: string, user: ZgwUser, schema: z.ZodType<T>, body?: unknown): Promise<Call<T>>;
}

export interface ZgwHttpOptions {
  config: ZgwConfig;
  /** Defaults to the global fetch (tests inject nothing; they run real servers). */
  fetch?: typeof fetch;
  now?: () => number;
}

/** Any answer body: for calls whose answer we do not read. */
export const anything = z.unknown();

/** Open Zaak's (vng-api-common's) code for a second document with the same identificatie. */
const NOT_UNIQUE = 'identificatie-niet-uniek';
const UNIQUE_CODES = new Set([NOT_UNIQUE, 'unique']);

export function createZgwHttp(options: ZgwHttpOptions): ZgwHttp {
  const { config } = options;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;

  async function call<T>(method: Method, url: string, user: ZgwUser, schema: z.ZodType<T>, body?: unknown): Promise<Call<T>> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${await zgwToken(config.clientId, config.secret, user, now())}`,
      Accept: 'application/json',
    };
    // The Documenten API declares Content-Type on every write, lock and unlock included (they
    // may carry no body); a multipart body brings its own with the boundary.
    if (method !== 'GET' && method !== 'DELETE' && !(body instanceof FormData)) headers['Content-Type'] = 'application/json';
    // Zaken carry geometry; Open Zaak refuses to answer without the CRS being named.
    if (url.startsWith(`${config.zakenUrl}/zaken`)) headers['Accept-Crs'] = 'EPSG:4326';
    // X2: the zaak search by body (`/zaken/_zoek`) names the CRS of what it sends as well.
    if (url.startsWith(`${config.zakenUrl}/zaken/_zoek`)) headers['Content-Crs'] = 'EPSG:4326';

    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(config.timeoutMs),
        redirect: 'error',
      });
    } catch (error) {
      return { ok: false, retryable: true, failure: transportFailure(error) };
    }

    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The status came, the body did not: for a create the outcome is unknown (the look-up decides).
      return { ok: false, retryable: true, failure: transportFailure(error), status: response.status };
    }

    if (response.ok) {
      const parsed = schema.safeParse(parseJson(text));
      if (!parsed.success) {
        return {
          ok: false,
          retryable: true,
          failure: { code: 'dms-bad-answer', what: `${method} ${pathOf(url)} ${response.status}`, details: `${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` },
          status: response.status,
        };
      }
      return { ok: true, value: parsed.data, status: response.status };
    }
    const status = response.status;
    const errorBody = errorSchema.safeParse(parseJson(text));
    const body_ = errorBody.success ? errorBody.data : undefined;
    // Z2: the DMS's own answer goes along verbatim (trimmed), for whoever fixes the cause.
    const details = text.trim().slice(0, 1500);
    if (status === 429) return { ok: false, retryable: true, failure: { code: 'dms-rate-limited', details }, status };
    if (status >= 500) return { ok: false, retryable: true, failure: { code: 'dms-server-error', status, details }, status, body: body_ };
    if (status === 401 || status === 403) {
      return { ok: false, retryable: false, failure: { code: 'dms-not-authorised', status, request: `${method} ${pathOf(url)}`, details }, status, body: body_ };
    }
    return { ok: false, retryable: false, failure: { code: 'dms-refused', status, fields: refusedFields(body_), details }, status, body: body_ };
  }

  return { config, call };
}

/** A failed call as the outbox takes it: the stored form of its reason (Z1), and the reason itself. */
export function refusal(failed: { retryable: boolean; failure: DeliveryFailure }): DeliverResult {
  return { ok: false, retryable: failed.retryable, reason: formatFailure(failed.failure), failure: failed.failure };
}

/** A failed look-up as the outbox takes it. */
export function lookupFailure(failed: { failure: DeliveryFailure }): { ok: false; reason: string } {
  return { ok: false, reason: formatFailure(failed.failure) };
}

/** A 400 that says the object (identificatie, link) is already there. */
export function isNotUnique(body: ZgwError | undefined): boolean {
  return body?.invalidParams?.some((p) => p.code !== undefined && UNIQUE_CODES.has(p.code)) ?? false;
}

/** What a ZGW error body says is wrong, in its own (Dutch) words: invalidParams first. */
export function refusedFields(body: ZgwError | undefined): string {
  const params = body?.invalidParams ?? [];
  if (params.length > 0) return params.map((p) => `${p.name === 'nonFieldErrors' ? 'algemeen' : p.name}: ${p.reason}`).join('; ');
  const detail = body?.detail?.trim() || body?.title?.trim();
  return detail === undefined || detail === '' ? 'zonder opgave van reden' : detail;
}

function transportFailure(error: unknown): DeliveryFailure {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return { code: 'dms-timeout' };
  // undici puts the socket error in `cause`; with several addresses, in `cause.errors`.
  const cause = error instanceof Error ? (error.cause as { code?: unknown; errors?: unknown } | undefined) : undefined;
  const inner = Array.isArray(cause?.errors) ? (cause.errors[0] as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : typeof inner?.code === 'string' ? inner.code : undefined;
  if (error instanceof Error && error.name === 'TimeoutError') return { code: 'dms-timeout' };
  return { code: 'dms-unreachable', cause: code ?? (error instanceof Error ? error.message : 'unknown') };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function pathOf(url: string): string {
  return new URL(url).pathname;
}
