// The ZGW adapter (O1–O6): files a submission as an EnkelvoudigInformatieObject in the Documenten
// API and links it to its zaak with a ZaakInformatieObject in the Zaken API. ZGW has no
// idempotency key; uniqueness of (bronorganisatie, identificatie) is what makes a retry safe, so
// `deliver` looks the identificatie up before creating (O2) and treats "identificatie niet uniek"
// as "already there". A later version of an archived document becomes a new version of the same
// object through lock → PATCH → unlock (O5); a PDF above the chunk threshold goes up in
// `bestandsdelen` under the lock the create hands out (O6). Both keep their lock with the outbox
// row, so an attempt after an unknown outcome finishes and unlocks instead of starting over.
// Every answer of the DMS is untrusted and checked with zod. Transport trouble (timeout, refused
// connection, 5xx, 429) is retryable; a 4xx refusal is permanent, with a Dutch reason built from
// the ZGW error body's `invalidParams` for the back office.
import { z } from 'zod';
import { foreignIdentificatie } from '../conflict';
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

const partSchema = z.object({
  url: z.url(),
  volgnummer: z.number().int(),
  omvang: z.number().int().nonnegative(),
  voltooid: z.boolean(),
});
type Part = z.infer<typeof partSchema>;
const eioSchema = z.object({
  url: z.url(),
  identificatie: z.string().optional(),
  locked: z.boolean().optional(),
  /** Only in the answer to a create without inhoud (O6). */
  lock: z.string().optional(),
  integriteit: z.object({ waarde: z.string().optional() }).nullish(),
  bestandsdelen: z.array(partSchema).optional(),
});
type Eio = z.infer<typeof eioSchema>;
const eioPageSchema = z.object({ count: z.number().int().nonnegative().optional(), results: z.array(eioSchema) });
const lockSchema = z.object({ lock: z.string().min(1) });
const anything = z.unknown();
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

/**
 * J9: a document under our identificatie whose integrity value names other bytes is someone
 * else's (ours carry our SHA-256 from the create on, even half-uploaded). Without a value we
 * cannot tell, and take it as ours, as before.
 */
function isForeign(eio: Eio, sha256: string): boolean {
  const theirs = eio.integriteit?.waarde;
  return theirs !== undefined && theirs !== '' && theirs !== sha256;
}

/** Archived means: there, unlocked, every part uploaded, and (when asked) with these bytes. */
function isComplete(eio: Eio, sha256?: string): boolean {
  if (eio.locked === true) return false;
  if ((eio.bestandsdelen ?? []).some((p) => !p.voltooid)) return false;
  return sha256 === undefined || eio.integriteit?.waarde === sha256;
}

export function createZgwDms(options: ZgwDmsOptions): DmsAdapter & { deliver(delivery: ZgwDelivery): Promise<DeliverResult> } {
  const { config } = options;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;

  async function call<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT',
    url: string,
    user: ZgwUser,
    schema: z.ZodType<T>,
    body?: unknown,
  ): Promise<Call<T>> {
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

  const eioListUrl = (identificatie: string): string =>
    `${config.documentenUrl}/enkelvoudiginformatieobjecten?${new URLSearchParams({ bronorganisatie: config.rsin, identificatie }).toString()}`;

  /** The document with this identificatie, if the DMS has it. */
  async function findDocument(identificatie: string, user: ZgwUser): Promise<Call<Eio | null>> {
    const page = await call('GET', eioListUrl(identificatie), user, eioPageSchema);
    if (!page.ok) return page;
    // A server that ignores a filter must not make us take someone else's document for ours.
    const hit = page.value.results.find((r) => r.identificatie === identificatie);
    return { ok: true, value: hit ?? null, status: page.status };
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

  /** O5, O6: the lock goes into the outbox row before anything is written under it. */
  async function remember(delivery: Delivery, lock: string | null): Promise<void> {
    await delivery.rememberLock?.(lock);
  }

  /** O6: uploads the parts not yet complete, in order, each with its slice of the PDF. */
  async function uploadParts(parts: readonly Part[], delivery: Delivery, lock: string, user: ZgwUser): Promise<Call<true>> {
    const sorted = [...parts].sort((a, b) => a.volgnummer - b.volgnummer);
    const total = sorted.reduce((sum, p) => sum + p.omvang, 0);
    if (total !== delivery.pdf.byteLength) {
      return { ok: false, retryable: true, reason: `dms-bad-answer: bestandsdelen cover ${total} bytes, the PDF has ${delivery.pdf.byteLength}` };
    }
    let offset = 0;
    for (const part of sorted) {
      const bytes = delivery.pdf.slice(offset, offset + part.omvang);
      offset += part.omvang;
      if (part.voltooid) continue;
      const form = new FormData();
      form.append('inhoud', new Blob([bytes], { type: 'application/pdf' }), `${delivery.identificatie}.pdf`);
      form.append('lock', lock);
      const put = await call('PUT', part.url, user, anything, form);
      if (!put.ok) return put;
    }
    return { ok: true, value: true, status: 200 };
  }

  async function unlock(eioUrl: string, lock: string | null, user: ZgwUser): Promise<Call<true>> {
    // Without a lock this is a forced unlock (scope documenten.geforceerd-unlock).
    const done = await call('POST', `${eioUrl}/unlock`, user, anything, lock === null ? {} : { lock });
    return done.ok ? { ok: true, value: true, status: done.status } : done;
  }

  /**
   * Brings the object at `eioUrl` to this delivery's bytes and leaves it unlocked (O2, O5, O6):
   * already there → nothing; locked by the lock this delivery holds → finish under it; unlocked →
   * lock, PATCH, upload the parts, unlock. A lock the delivery does not hold is someone else's
   * (a colleague editing in the DMS): wait and retry, except for our own half-created document,
   * whose create answer (with its lock) was lost — that one is unlocked by force and redone.
   */
  async function bringUpToDate(eioUrl: string, delivery: ZgwDelivery, user: ZgwUser, ownCreate: boolean): Promise<Call<true>> {
    const read = await call('GET', eioUrl, user, eioSchema);
    if (!read.ok) return read;
    let eio = read.value;
    if (isComplete(eio, delivery.pdfSha256)) return { ok: true, value: true, status: read.status };

    let lock: string;
    let written = false;
    if (eio.locked === true && delivery.heldLock !== undefined) {
      lock = delivery.heldLock;
      // Written under this lock already when the bytes' hash is there; only parts may be missing.
      written = eio.integriteit?.waarde === delivery.pdfSha256;
    } else {
      if (eio.locked === true) {
        if (!ownCreate) {
          return {
            ok: false,
            retryable: true,
            reason: `dms-locked: Het document is in het DMS vergrendeld door iemand anders (${pathOf(eioUrl)}); de nieuwe versie volgt zodra het is vrijgegeven`,
          };
        }
        const forced = await unlock(eioUrl, null, user);
        if (!forced.ok) return lockedRefusal(forced, eioUrl);
        const again = await call('GET', eioUrl, user, eioSchema);
        if (!again.ok) return again;
        eio = again.value;
      }
      const locked = await call('POST', `${eioUrl}/lock`, user, lockSchema);
      if (!locked.ok) return locked;
      lock = locked.value.lock;
      await remember(delivery, lock);
    }

    let parts = eio.bestandsdelen ?? [];
    if (!written) {
      const patched = await call('PATCH', eioUrl, user, eioSchema, { lock, ...contentFields(delivery, config) });
      if (!patched.ok) return releaseAfter(patched, eioUrl, lock, delivery, user);
      parts = patched.value.bestandsdelen ?? [];
    }
    if (isChunked(delivery, config)) {
      const uploaded = await uploadParts(parts, delivery, lock, user);
      if (!uploaded.ok) return releaseAfter(uploaded, eioUrl, lock, delivery, user);
    }
    const unlocked = await unlock(eioUrl, lock, user);
    if (!unlocked.ok) return forgetRefusedLock(unlocked, delivery);
    await remember(delivery, null);
    return { ok: true, value: true, status: unlocked.status };
  }

  /**
   * A permanent refusal under our lock must not leave the object locked for good: unlock first
   * (best effort). A transient one keeps the lock, stored with the row, for the next attempt.
   * A lock the DMS no longer takes (refused, e.g. unlocked and re-locked by someone in the DMS)
   * is forgotten too, so the next attempt does not keep presenting it.
   */
  async function releaseAfter(failed: Call<never> & { ok: false }, eioUrl: string, lock: string, delivery: Delivery, user: ZgwUser): Promise<Call<true>> {
    if (failed.retryable) return failed;
    const released = await unlock(eioUrl, lock, user);
    if (released.ok || !released.retryable) await remember(delivery, null);
    return failed;
  }

  /** An unlock the DMS refuses for good means the stored lock is worthless: forget it. */
  async function forgetRefusedLock(failed: Call<never> & { ok: false }, delivery: Delivery): Promise<Call<never>> {
    if (!failed.retryable) await remember(delivery, null);
    return failed;
  }

  async function createDocument(delivery: ZgwDelivery, user: ZgwUser): Promise<Call<string>> {
    const created = await call('POST', `${config.documentenUrl}/enkelvoudiginformatieobjecten`, user, eioSchema, documentBody(delivery, config));
    if (created.ok) {
      if (!isChunked(delivery, config)) return { ok: true, value: created.value.url, status: created.status };
      // O6: created without inhoud and locked; the lock comes only in this answer.
      const lock = created.value.lock;
      if (lock === undefined || lock === '') {
        return { ok: false, retryable: true, reason: 'dms-bad-answer: a create without inhoud answered without a lock' };
      }
      await remember(delivery, lock);
      const uploaded = await uploadParts(created.value.bestandsdelen ?? [], delivery, lock, user);
      if (!uploaded.ok) return uploaded;
      const unlocked = await unlock(created.value.url, lock, user);
      if (!unlocked.ok) return forgetRefusedLock(unlocked, delivery);
      await remember(delivery, null);
      return { ok: true, value: created.value.url, status: created.status };
    }
    if (created.status === 400 && isNotUnique(created.body)) {
      // Filed by an earlier attempt whose answer we never saw, or by a parallel one (O2).
      const found = await findDocument(delivery.identificatie, user);
      if (found.ok && found.value !== null) {
        if (isForeign(found.value, delivery.pdfSha256)) return foreignCall(delivery.identificatie, found.value);
        if (isComplete(found.value)) return { ok: true, value: found.value.url, status: found.status };
        const finished = await bringUpToDate(found.value.url, delivery, user, true);
        return finished.ok ? { ok: true, value: found.value.url, status: finished.status } : finished;
      }
    }
    return created;
  }

  const hasZaak = (zaak: string): boolean => zaak.trim() !== '';

  /** Archived means filed *and* in its case; a missing link is finished by the next deliver. */
  async function linkedOrNot(eioUrl: string, zaak: string): Promise<LookupResult> {
    if (hasZaak(zaak)) {
      const zaakUrl = await findZaak(zaak, SYSTEM_USER);
      if (!zaakUrl.ok) return { ok: false, reason: zaakUrl.reason };
      const linked = await isLinked(zaakUrl.value, eioUrl, SYSTEM_USER);
      if (!linked.ok) return { ok: false, reason: linked.reason };
      if (!linked.value) return { found: false };
    }
    return { found: true, reference: eioUrl };
  }

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
      let eioUrl: string;
      const updated = delivery.previous === undefined ? null : await bringUpToDate(delivery.previous.reference, delivery, user, false);
      if (delivery.previous !== undefined && updated !== null && updated.ok) {
        // O5: a new version of the archived object, under its first identificatie.
        eioUrl = delivery.previous.reference;
      } else if (updated !== null && !updated.ok && !isUpdateRefused(updated)) {
        return refusal(updated);
      } else {
        // A first version; or (O5) a DMS that will not update an archived object: the Documenten
        // API may refuse a definitief document ("status NIET definitief"). Then this version is
        // filed as its own document under its own identificatie, named in its beschrijving as
        // following the earlier one, rather than left failing for good.
        // O2: never a second document for one identificatie, whatever the previous attempt did.
        const existing = await findDocument(delivery.identificatie, user);
        if (!existing.ok) return refusal(existing);
        if (existing.value === null) {
          const created = await createDocument(delivery, user);
          if (!created.ok) return refusal(created);
          eioUrl = created.value;
        } else if (isForeign(existing.value, delivery.pdfSha256)) {
          // J9: never overwrite or adopt someone else's document under our identificatie.
          return foreignRefusal(delivery.identificatie, existing.value, config.rsin);
        } else {
          eioUrl = existing.value.url;
          // O6: half-uploaded by an earlier attempt: complete it, never file it twice.
          if (!isComplete(existing.value)) {
            const finished = await bringUpToDate(eioUrl, delivery, user, true);
            if (!finished.ok) return refusal(finished);
          }
        }
      }
      if (zaakUrl !== null) {
        const linked = await link(zaakUrl, eioUrl, user);
        if (!linked.ok) return refusal(linked);
      }
      return { ok: true, reference: eioUrl };
    },

    async lookup(identificatie: string, zaak: string, delivery?: Delivery): Promise<LookupResult> {
      if (delivery?.previous !== undefined) {
        // O5: the new version is there when the object holds its bytes, unlocked, or (when the
        // DMS would not update it) as a document of its own under this identificatie.
        const read = await call('GET', delivery.previous.reference, SYSTEM_USER, eioSchema);
        if (!read.ok) return { ok: false, reason: read.reason };
        if (isComplete(read.value, delivery.pdfSha256)) return linkedOrNot(read.value.url, zaak);
      }
      const found = await findDocument(identificatie, SYSTEM_USER);
      if (!found.ok) return { ok: false, reason: found.reason };
      // O6: a half-uploaded document is not archived yet; deliver completes it.
      if (found.value === null || !isComplete(found.value)) return { found: false };
      // J9: someone else's document under this identificatie is not ours; deliver says so.
      if (delivery !== undefined && isForeign(found.value, delivery.pdfSha256)) return { found: false };
      return linkedOrNot(found.value.url, zaak);
    },
  };
}

/**
 * The DMS refused to write a new version into the archived object because of its status (the
 * Documenten API validates "status NIET definitief" on update): a 400 naming `status`. Any other
 * refusal (a wrong lock, bad metadata) stays a refusal: filing a second document then would hide it.
 */
function isUpdateRefused(failed: { retryable: boolean; status?: number; body?: ZgwError }): boolean {
  if (failed.retryable || failed.status !== 400) return false;
  return failed.body?.invalidParams?.some((p) => p.name === 'status' || /definitief/i.test(`${p.code ?? ''} ${p.reason}`)) ?? false;
}

function isChunked(delivery: Delivery, config: Pick<ZgwConfig, 'chunkThresholdBytes'>): boolean {
  return delivery.pdf.byteLength > config.chunkThresholdBytes;
}

function lockedRefusal(failed: { retryable: boolean; reason: string; status?: number }, eioUrl: string): Call<never> {
  if (failed.retryable) return { ok: false, retryable: true, reason: failed.reason };
  return {
    ok: false,
    retryable: false,
    reason: `dms-locked: ${failed.status === undefined ? '' : `${failed.status} `}Het half geleverde document ${pathOf(eioUrl)} is vergrendeld en kon niet worden ontgrendeld; geef de applicatie de scope documenten.geforceerd-unlock of ontgrendel het in het DMS, en kies daarna "Opnieuw proberen"`,
  };
}

type BodyConfig = Pick<ZgwConfig, 'rsin' | 'informatieobjecttype' | 'catalogiUrl' | 'chunkThresholdBytes'>;

/** The create body of an EnkelvoudigInformatieObject (Documenten API 1.4.2 / Open Zaak). */
export function documentBody(delivery: Delivery, config: BodyConfig): Record<string, unknown> {
  const m = delivery.metadata;
  return {
    bronorganisatie: config.rsin,
    identificatie: delivery.identificatie,
    creatiedatum: m.creatiedatum,
    taal: m.taal,
    formaat: 'application/pdf',
    status: 'definitief',
    informatieobjecttype: informatieobjecttypeFor(m.documenttype, config),
    // J2: the letter leaves with this delivery (a template whose `dms.sentOn` is 'delivery').
    ...(delivery.verzenddatum === undefined ? {} : { verzenddatum: delivery.verzenddatum }),
    ...contentFields(delivery, config),
  };
}

/**
 * What a version carries (create and O5's PATCH alike): title, author, the bytes (in `inhoud`,
 * or announced by `bestandsomvang` with `inhoud` null for an upload in parts, O6), their hash,
 * confidentiality and a `beschrijving` naming the version, who submitted and who approved (W4).
 */
export function contentFields(delivery: Delivery, config: Pick<ZgwConfig, 'chunkThresholdBytes'>): Record<string, unknown> {
  const m = delivery.metadata;
  return {
    titel: m.title.slice(0, 200),
    auteur: m.author.slice(0, 200),
    bestandsnaam: `${delivery.identificatie}.pdf`,
    inhoud: isChunked(delivery, config) ? null : Buffer.from(delivery.pdf.buffer, delivery.pdf.byteOffset, delivery.pdf.byteLength).toString('base64'),
    bestandsomvang: delivery.pdf.byteLength,
    integriteit: { algoritme: 'sha_256', waarde: delivery.pdfSha256, datum: m.creatiedatum },
    vertrouwelijkheidaanduiding: m.vertrouwelijkheidaanduiding,
    beschrijving: archiveDescription(delivery),
  };
}

/**
 * A template's `dms.documentType` names the informatieobjecttype when it is a URL in the
 * configured Catalogi API; anything else (a plain name such as "Besluit") stays a label for the
 * filesystem DMS, and ZGW_INFORMATIEOBJECTTYPE is used.
 */
export function informatieobjecttypeFor(documenttype: string, config: Pick<ZgwConfig, 'informatieobjecttype' | 'catalogiUrl'>): string {
  const value = documenttype.trim();
  if (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol) && value.startsWith(`${config.catalogiUrl}/`)) return value;
  return config.informatieobjecttype;
}

/** Dutch, for the DMS user reading the object: which version, who submitted, who approved (W4). */
export function archiveDescription(delivery: Delivery): string {
  const version = delivery.version === undefined ? '' : ` (versie ${delivery.version})`;
  const submitter = delivery.submittedBy?.representation ?? delivery.metadata.author;
  const approval =
    delivery.approvedBy === undefined
      ? ''
      : `; goedgekeurd door ${delivery.approvedBy.representation} op ${new Date(delivery.approvedBy.at).toISOString()}`;
  // A version filed as its own document (the DMS would not update the earlier one) says which it follows.
  const follows = delivery.previous === undefined ? '' : `; volgt op ${delivery.previous.identificatie}`;
  return `Keukentafel ${delivery.identificatie}${version}, ingediend door ${submitter}${approval}${follows}`.slice(0, 1000);
}

function foreignRefusal(identificatie: string, eio: Eio, rsin: string): DeliverResult {
  return foreignIdentificatie(identificatie, eio.integriteit?.waarde ?? undefined, `In het DMS (bronorganisatie ${rsin}, ${pathOf(eio.url)})`);
}

function foreignCall(identificatie: string, eio: Eio): Call<never> {
  const refused = foreignIdentificatie(identificatie, eio.integriteit?.waarde ?? undefined, `In het DMS (${pathOf(eio.url)})`);
  return { ok: false, retryable: false, reason: refused.reason };
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
