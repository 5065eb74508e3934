// The ZGW adapter (O1–O3): files a submission as an EnkelvoudigInformatieObject in the Documenten
// API and links it to its zaak with a ZaakInformatieObject in the Zaken API. ZGW has no
// idempotency key; uniqueness of (bronorganisatie, identificatie) is what makes a retry safe, so
// `deliver` looks the identificatie up before creating (O2) and treats "identificatie niet uniek"
// as "already there". Every answer of the DMS is untrusted and checked with zod. Transport trouble
// (timeout, refused connection, 5xx, 429) is retryable; a 4xx refusal is permanent, with a Dutch
// reason built from the ZGW error body's `invalidParams` for the back office.
import { z } from 'zod';
import type { Delivery, DeliverResult, DmsAdapter, LookupResult } from '../types';
import type { ZgwConfig } from './config';
import { SYSTEM_USER, zgwToken, type ZgwUser } from './jwt';

/** A delivery that says who submitted it; without it calls are made as the application. */
export type ZgwDelivery = Delivery & { submittedBy?: ZgwUser };

export interface ZgwDmsOptions {
  config: ZgwConfig;
  /** Defaults to the global fetch (tests inject nothing; they run real servers). */
  fetch?: typeof fetch;
  now?: () => number;
}

// ---- Untrusted answers: only what we use, checked. ----

const eioSchema = z.object({ url: z.url(), identificatie: z.string().optional() });
const eioPageSchema = z.object({ count: z.number().int().nonnegative().optional(), results: z.array(eioSchema) });
const zaakPageSchema = z.object({ results: z.array(z.object({ url: z.url(), identificatie: z.string().optional() })) });
const zioListSchema = z.array(z.object({ url: z.url().optional(), zaak: z.string(), informatieobject: z.string() }));
const zioSchema = z.object({ url: z.url() });
const errorSchema = z.object({
  code: z.string().optional(),
  title: z.string().optional(),
  detail: z.string().optional(),
  invalidParams: z.array(z.object({ name: z.string(), code: z.string().optional(), reason: z.string() })).optional(),
});
type ZgwError = z.infer<typeof errorSchema>;

/** What one HTTP call came to. `fail` is already mapped to a DeliverResult-style refusal. */
type Call<T> = { ok: true; value: T; status: number } | { ok: false; retryable: boolean; reason: string; status?: number; body?: ZgwError };

/** Open Zaak's (vng-api-common's) code for a second document with the same identificatie. */
const NOT_UNIQUE = 'identificatie-niet-uniek';
const UNIQUE_CODES = new Set([NOT_UNIQUE, 'unique']);

const MAX_REASON = 600;

export function createZgwDms(options: ZgwDmsOptions): DmsAdapter & { deliver(delivery: ZgwDelivery): Promise<DeliverResult> } {
  const { config } = options;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;

  async function call<T>(
    method: 'GET' | 'POST',
    url: string,
    user: ZgwUser,
    schema: z.ZodType<T>,
    body?: unknown,
  ): Promise<Call<T>> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${await zgwToken(config.clientId, config.secret, user, now())}`,
      Accept: 'application/json',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    // Zaken carry geometry; Open Zaak refuses to answer without the CRS being named.
    if (url.startsWith(`${config.zakenUrl}/zaken`)) headers['Accept-Crs'] = 'EPSG:4326';

    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
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

  const eioListUrl = (identificatie: string): string =>
    `${config.documentenUrl}/enkelvoudiginformatieobjecten?${new URLSearchParams({ bronorganisatie: config.rsin, identificatie }).toString()}`;

  /** The document with this identificatie, if the DMS has it. */
  async function findDocument(identificatie: string, user: ZgwUser): Promise<Call<string | null>> {
    const page = await call('GET', eioListUrl(identificatie), user, eioPageSchema);
    if (!page.ok) return page;
    // A server that ignores a filter must not make us take someone else's document for ours.
    const hit = page.value.results.find((r) => r.identificatie === identificatie);
    return { ok: true, value: hit?.url ?? null, status: page.status };
  }

  /** The zaak's URL from its identificatie; a zaak the DMS does not know is a permanent refusal. */
  async function findZaak(zaak: string, user: ZgwUser): Promise<Call<string>> {
    const url = `${config.zakenUrl}/zaken?${new URLSearchParams({ identificatie: zaak, bronorganisatie: config.rsin }).toString()}`;
    const page = await call('GET', url, user, zaakPageSchema);
    if (!page.ok) return page;
    const hit = page.value.results.find((r) => r.identificatie === zaak);
    if (hit === undefined) {
      return { ok: false, retryable: false, reason: `dms-zaak-unknown: De zaak ${zaak} bestaat niet in het DMS (bronorganisatie ${config.rsin}); het document is niet gearchiveerd` };
    }
    return { ok: true, value: hit.url, status: page.status };
  }

  /** Whether the document is linked to the zaak. (The spec types the `zaak` filter as an
   *  integer, so we filter on the informatieobject and compare the zaak ourselves.) */
  async function isLinked(zaakUrl: string, eioUrl: string, user: ZgwUser): Promise<Call<boolean>> {
    const url = `${config.zakenUrl}/zaakinformatieobjecten?${new URLSearchParams({ informatieobject: eioUrl }).toString()}`;
    const list = await call('GET', url, user, zioListSchema);
    if (!list.ok) return list;
    return { ok: true, value: list.value.some((l) => l.zaak === zaakUrl && l.informatieobject === eioUrl), status: list.status };
  }

  async function link(zaakUrl: string, eioUrl: string, user: ZgwUser): Promise<Call<true>> {
    const linked = await isLinked(zaakUrl, eioUrl, user);
    if (!linked.ok) return linked;
    if (linked.value) return { ok: true, value: true, status: linked.status };
    const created = await call('POST', `${config.zakenUrl}/zaakinformatieobjecten`, user, zioSchema, { zaak: zaakUrl, informatieobject: eioUrl });
    if (created.ok) return { ok: true, value: true, status: created.status };
    // Linked by a parallel attempt in the meantime: that link counts.
    if (created.status === 400 && isNotUnique(created.body)) {
      const again = await isLinked(zaakUrl, eioUrl, user);
      if (again.ok && again.value) return { ok: true, value: true, status: again.status };
    }
    return created;
  }

  async function createDocument(delivery: ZgwDelivery, user: ZgwUser): Promise<Call<string>> {
    const created = await call('POST', `${config.documentenUrl}/enkelvoudiginformatieobjecten`, user, eioSchema, documentBody(delivery, config));
    if (created.ok) return { ok: true, value: created.value.url, status: created.status };
    if (created.status === 400 && isNotUnique(created.body)) {
      // Filed by an earlier attempt whose answer we never saw, or by a parallel one (O2).
      const found = await findDocument(delivery.identificatie, user);
      if (found.ok && found.value !== null) return { ok: true, value: found.value, status: found.status };
    }
    return created;
  }

  const hasZaak = (zaak: string): boolean => zaak.trim() !== '';

  return {
    name: 'zgw',

    async deliver(delivery: ZgwDelivery): Promise<DeliverResult> {
      const user = delivery.submittedBy ?? { id: SYSTEM_USER.id, representation: delivery.metadata.author || SYSTEM_USER.representation };
      // The zaak first: a zaak the DMS does not know must not leave a document without a case.
      let zaakUrl: string | null = null;
      if (hasZaak(delivery.zaak)) {
        const zaak = await findZaak(delivery.zaak, user);
        if (!zaak.ok) return refusal(zaak);
        zaakUrl = zaak.value;
      }
      // O2: never a second document for one identificatie, whatever the previous attempt did.
      const existing = await findDocument(delivery.identificatie, user);
      if (!existing.ok) return refusal(existing);
      let eioUrl = existing.value;
      if (eioUrl === null) {
        const created = await createDocument(delivery, user);
        if (!created.ok) return refusal(created);
        eioUrl = created.value;
      }
      if (zaakUrl !== null) {
        const linked = await link(zaakUrl, eioUrl, user);
        if (!linked.ok) return refusal(linked);
      }
      return { ok: true, reference: eioUrl };
    },

    async lookup(identificatie: string, zaak: string): Promise<LookupResult> {
      const found = await findDocument(identificatie, SYSTEM_USER);
      if (!found.ok) return { ok: false, reason: found.reason };
      if (found.value === null) return { found: false };
      // Archived means filed *and* in its case; a missing link is finished by the next deliver.
      if (hasZaak(zaak)) {
        const zaakUrl = await findZaak(zaak, SYSTEM_USER);
        if (!zaakUrl.ok) return { ok: false, reason: zaakUrl.reason };
        const linked = await isLinked(zaakUrl.value, found.value, SYSTEM_USER);
        if (!linked.ok) return { ok: false, reason: linked.reason };
        if (!linked.value) return { found: false };
      }
      return { found: true, reference: found.value };
    },
  };
}

/** The create body of an EnkelvoudigInformatieObject (Documenten API 1.4.2 / Open Zaak). */
export function documentBody(delivery: Delivery, config: Pick<ZgwConfig, 'rsin' | 'informatieobjecttype'>): Record<string, unknown> {
  const m = delivery.metadata;
  return {
    bronorganisatie: config.rsin,
    identificatie: delivery.identificatie,
    creatiedatum: m.creatiedatum,
    titel: m.title.slice(0, 200),
    auteur: m.author.slice(0, 200),
    taal: m.taal,
    formaat: 'application/pdf',
    bestandsnaam: `${delivery.identificatie}.pdf`,
    inhoud: Buffer.from(delivery.pdf.buffer, delivery.pdf.byteOffset, delivery.pdf.byteLength).toString('base64'),
    bestandsomvang: delivery.pdf.byteLength,
    integriteit: { algoritme: 'sha_256', waarde: delivery.pdfSha256, datum: m.creatiedatum },
    status: 'definitief',
    vertrouwelijkheidaanduiding: m.vertrouwelijkheidaanduiding,
    informatieobjecttype: config.informatieobjecttype,
  };
}

function refusal(failed: { retryable: boolean; reason: string }): DeliverResult {
  return { ok: false, retryable: failed.retryable, reason: failed.reason.slice(0, MAX_REASON) };
}

function isNotUnique(body: ZgwError | undefined): boolean {
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

function pathOf(url: string): string {
  return new URL(url).pathname;
}
