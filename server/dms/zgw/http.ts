// The ZGW call layer: one authenticated HTTP call to a ZGW API, its answer checked with zod and
// its failure sorted. Transport trouble (timeout, refused connection, 5xx, 429) is retryable; a
// 4xx refusal is permanent, with a Dutch reason built from the ZGW error body's `invalidParams`
// for the back office. Every answer of the DMS is untrusted.
import { z } from 'zod';
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

/** What one HTTP call came to. `fail` is already mapped to a DeliverResult-style refusal. */
export type Call<T> = { ok: true; value: T; status: number } | Failed;
export type Failed = { ok: false; retryable: boolean; reason: string; status?: number; body?: ZgwError };

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';

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

const MAX_REASON = 600;

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
    if (method !== 'GET' && !(body instanceof FormData)) headers['Content-Type'] = 'application/json';
    // Zaken carry geometry; Open Zaak refuses to answer without the CRS being named.
    if (url.startsWith(`${config.zakenUrl}/zaken`)) headers['Accept-Crs'] = 'EPSG:4326';

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
      return { ok: false, retryable: true, reason: transportReason(error) };
    }

    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The status came, the body did not: for a create the outcome is unknown (the look-up decides).
      return { ok: false, retryable: true, reason: transportReason(error), status: response.status };
    }

    if (response.ok) {
      const parsed = schema.safeParse(parseJson(text));
      if (!parsed.success) {
        return { ok: false, retryable: true, reason: `dms-bad-answer: ${method} ${pathOf(url)} ${response.status} did not have the expected form`, status: response.status };
      }
      return { ok: true, value: parsed.data, status: response.status };
    }
    const status = response.status;
    const errorBody = errorSchema.safeParse(parseJson(text));
    const body_ = errorBody.success ? errorBody.data : undefined;
    if (status === 429) return { ok: false, retryable: true, reason: 'dms-rate-limited: 429', status };
    if (status >= 500) return { ok: false, retryable: true, reason: `dms-server-error: ${status}`, status, body: body_ };
    if (status === 401 || status === 403) {
      return {
        ok: false,
        retryable: false,
        reason: `dms-not-authorised: ${status} Het DMS weigert de toegang (${method} ${pathOf(url)}); controleer ZGW_CLIENT_ID, ZGW_SECRET en de autorisaties van de applicatie in het DMS`,
        status,
        body: body_,
      };
    }
    return { ok: false, retryable: false, reason: `dms-refused: ${status} ${dutchRefusal(body_, status)}`, status, body: body_ };
  }

  return { config, call };
}

/** A failed call as the outbox takes it. */
export function refusal(failed: { retryable: boolean; reason: string }): DeliverResult {
  return { ok: false, retryable: failed.retryable, reason: failed.reason.slice(0, MAX_REASON) };
}

/** A 400 that says the object (identificatie, link) is already there. */
export function isNotUnique(body: ZgwError | undefined): boolean {
  return body?.invalidParams?.some((p) => p.code !== undefined && UNIQUE_CODES.has(p.code)) ?? false;
}

/** A Dutch sentence for the back office from a ZGW error body (invalidParams first). */
export function dutchRefusal(body: ZgwError | undefined, status: number): string {
  const params = body?.invalidParams ?? [];
  if (params.length > 0) {
    const list = params.map((p) => `${p.name === 'nonFieldErrors' ? 'algemeen' : p.name}: ${p.reason}`).join('; ');
    return `Het DMS weigert het document: ${list}`;
  }
  const detail = body?.detail ?? body?.title;
  return detail === undefined ? `Het DMS weigert het document (HTTP ${status})` : `Het DMS weigert het document: ${detail}`;
}

function transportReason(error: unknown): string {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'dms-timeout';
  // undici puts the socket error in `cause`; with several addresses, in `cause.errors`.
  const cause = error instanceof Error ? (error.cause as { code?: unknown; errors?: unknown } | undefined) : undefined;
  const inner = Array.isArray(cause?.errors) ? (cause.errors[0] as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : typeof inner?.code === 'string' ? inner.code : undefined;
  if (error instanceof Error && error.name === 'TimeoutError') return 'dms-timeout';
  return `dms-unreachable: ${code ?? (error instanceof Error ? error.message : 'unknown')}`;
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
