// The Besluiten API (Z24–Z30): a decision template's document is registered as a BESLUIT
// (besluittype, datum = dagtekening, ingangsdatum, verzenddatum, uiterlijkeReactiedatum = the last
// day of the objection term) with its BESLUITINFORMATIEOBJECT, exactly once under retries like the
// document: the besluit is found before anything is created — through the link of this document
// (or of the version it follows), else by its deterministic identificatie (the document's own) —
// and a new version (return after DMS) updates the same besluit. Before the document is created
// the adapter asks `preflight` whether the besluittype is published and allows this zaaktype and
// informatieobjecttype, so a refusal never leaves an orphan (Z27). Every answer is checked with zod.
import { z } from 'zod';
import type { DeliveryFailure } from '../../../shared/protocol/delivery-failure';
import { isNotUnique as bodyNotUnique, type Call, type Failed, type ZgwHttp } from './http';
import type { ZgwUser } from './jwt';

export interface BesluitenSettings {
  /** Root of the Besluiten API without a trailing slash (ZGW_BESLUITEN_URL). */
  besluitenUrl: string;
  /** verantwoordelijkeOrganisatie: the municipality's RSIN. */
  rsin: string;
}

/** What one decision registers. Dates are YYYY-MM-DD. */
export interface BesluitInput {
  /** Deterministic: the identificatie of the document (J9), unique per verantwoordelijkeOrganisatie. */
  identificatie: string;
  besluittype: string;
  /** The zaak the decision is the outcome of; null without one. */
  zaakUrl: string | null;
  /** The document (EnkelvoudigInformatieObject) that holds the decision. */
  informatieobject: string;
  /** O5: the object of the version this one follows, when that was filed as its own document. */
  previousInformatieobject?: string;
  /** The dagtekening (J1). */
  datum: string;
  ingangsdatum: string;
  /** Absent until the letter left (J2: `sentOn` manual, before mark-sent). */
  verzenddatum?: string;
  uiterlijkeReactiedatum?: string;
}

export type BesluitResult = { ok: true; besluit: string } | { ok: false; retryable: boolean; failure: DeliveryFailure };

export interface BesluitenApi {
  /** Z27: before the document is created: the besluittype is published and allows this zaaktype and informatieobjecttype. */
  preflight(input: { besluittype: string; zaak: string; zaaktype: string | null; informatieobjecttype: string; today: string }, user: ZgwUser): Promise<BesluitResult | { ok: true }>;
  /** Z24, Z26, Z28: the besluit of this document exists with these values and links the document; never a second one. */
  ensure(input: BesluitInput, user: ZgwUser): Promise<BesluitResult>;
  /** Z26: whether `ensure` has nothing left to do (the outbox's look-up after an unknown outcome, O2). */
  isDone(input: BesluitInput, user: ZgwUser): Promise<{ ok: true; done: boolean } | Failed>;
}

// ---- Untrusted answers: only what we use, checked. ----

const dateOrNull = z.string().nullish();
const besluitSchema = z.object({
  url: z.url(),
  identificatie: z.string().optional(),
  verantwoordelijkeOrganisatie: z.string().optional(),
  besluittype: z.string().optional(),
  zaak: z.string().nullish(),
  datum: dateOrNull,
  ingangsdatum: dateOrNull,
  verzenddatum: dateOrNull,
  uiterlijkeReactiedatum: dateOrNull,
});
type Besluit = z.infer<typeof besluitSchema>;
const besluitPageSchema = z.object({ results: z.array(besluitSchema) });
const bioListSchema = z.array(z.object({ url: z.string().optional(), besluit: z.string(), informatieobject: z.string() }));
const bioSchema = z.object({ url: z.url() });
const besluittypeSchema = z.object({
  url: z.string().optional(),
  concept: z.boolean().optional(),
  zaaktypen: z.array(z.string()).optional(),
  informatieobjecttypen: z.array(z.string()).optional(),
  eindeGeldigheid: z.string().nullish(),
  omschrijving: z.string().nullish(),
});

function isNotUnique(failed: { status?: number; body?: Parameters<typeof bodyNotUnique>[0] }): boolean {
  return failed.status === 400 && bodyNotUnique(failed.body);
}

function fail(failed: Failed): { ok: false; retryable: boolean; failure: DeliveryFailure } {
  return { ok: false, retryable: failed.retryable, failure: failed.failure };
}

/** The fields of the besluit this delivery wants; what a create sends and an update compares. */
export function besluitBody(input: BesluitInput, rsin: string): Record<string, unknown> {
  return {
    verantwoordelijkeOrganisatie: rsin,
    identificatie: input.identificatie.slice(0, 50),
    besluittype: input.besluittype,
    ...(input.zaakUrl === null ? {} : { zaak: input.zaakUrl }),
    datum: input.datum,
    ingangsdatum: input.ingangsdatum,
    ...(input.verzenddatum === undefined ? {} : { verzenddatum: input.verzenddatum }),
    ...(input.uiterlijkeReactiedatum === undefined ? {} : { uiterlijkeReactiedatum: input.uiterlijkeReactiedatum }),
  };
}

/** Z28: the dates that differ between the registered besluit and this version (what a PATCH sends). */
export function besluitChanges(existing: Besluit, input: BesluitInput): Record<string, string> {
  const wanted: Record<string, string | undefined> = {
    datum: input.datum,
    ingangsdatum: input.ingangsdatum,
    verzenddatum: input.verzenddatum,
    uiterlijkeReactiedatum: input.uiterlijkeReactiedatum,
  };
  const changes: Record<string, string> = {};
  for (const [name, value] of Object.entries(wanted)) {
    if (value !== undefined && (existing as Record<string, unknown>)[name] !== value) changes[name] = value;
  }
  return changes;
}

export function createBesluiten(http: ZgwHttp, settings: BesluitenSettings): BesluitenApi {
  const root = settings.besluitenUrl;

  /** The besluiten (ours: our RSIN) that link this informatieobject. */
  async function linkedTo(informatieobject: string, user: ZgwUser): Promise<Call<{ besluit: Besluit; linked: true }[]>> {
    const list = await http.call('GET', `${root}/besluitinformatieobjecten?${new URLSearchParams({ informatieobject }).toString()}`, user, bioListSchema);
    if (!list.ok) return list;
    const found: { besluit: Besluit; linked: true }[] = [];
    // The spec types the `besluit` filter as an integer, so we filter on the document and read each besluit.
    for (const url of new Set(list.value.filter((l) => l.informatieobject === informatieobject).map((l) => l.besluit))) {
      const read = await http.call('GET', url, user, besluitSchema);
      if (!read.ok) return read;
      if (read.value.verantwoordelijkeOrganisatie === undefined || read.value.verantwoordelijkeOrganisatie === settings.rsin) found.push({ besluit: read.value, linked: true });
    }
    return { ok: true, value: found, status: list.status };
  }

  async function byIdentificatie(identificatie: string, user: ZgwUser): Promise<Call<Besluit | null>> {
    const query = new URLSearchParams({ verantwoordelijkeOrganisatie: settings.rsin, identificatie: identificatie.slice(0, 50) });
    const page = await http.call('GET', `${root}/besluiten?${query.toString()}`, user, besluitPageSchema);
    if (!page.ok) return page;
    // A server that ignores a filter must not make us take someone else's besluit for ours.
    const hit = page.value.results.find((b) => b.identificatie === identificatie.slice(0, 50) && (b.verantwoordelijkeOrganisatie ?? settings.rsin) === settings.rsin);
    return { ok: true, value: hit ?? null, status: page.status };
  }

  /** Z26: the besluit of this document, if any attempt (or an earlier version) registered it. */
  async function find(input: BesluitInput, user: ZgwUser): Promise<Call<{ besluit: Besluit; linked: boolean } | null>> {
    const own = await linkedTo(input.informatieobject, user);
    if (!own.ok) return own;
    if (own.value[0] !== undefined) return { ok: true, value: own.value[0], status: own.status };
    if (input.previousInformatieobject !== undefined && input.previousInformatieobject !== input.informatieobject) {
      const earlier = await linkedTo(input.previousInformatieobject, user);
      if (!earlier.ok) return earlier;
      if (earlier.value[0] !== undefined) return { ok: true, value: { besluit: earlier.value[0].besluit, linked: false }, status: earlier.status };
    }
    const named = await byIdentificatie(input.identificatie, user);
    if (!named.ok) return named;
    return { ok: true, value: named.value === null ? null : { besluit: named.value, linked: false }, status: named.status };
  }

  async function create(input: BesluitInput, user: ZgwUser): Promise<Call<Besluit>> {
    const created = await http.call('POST', `${root}/besluiten`, user, besluitSchema, besluitBody(input, settings.rsin));
    if (created.ok || !isNotUnique(created)) return created;
    // Registered by an attempt whose answer we never saw (Z26): that one is ours.
    const again = await byIdentificatie(input.identificatie, user);
    if (again.ok && again.value !== null) return { ok: true, value: again.value, status: again.status };
    return created;
  }

  async function link(besluit: string, informatieobject: string, user: ZgwUser): Promise<Call<true>> {
    const created = await http.call('POST', `${root}/besluitinformatieobjecten`, user, bioSchema, { informatieobject, besluit });
    if (created.ok) return { ok: true, value: true, status: created.status };
    if (isNotUnique(created)) {
      const again = await linkedTo(informatieobject, user);
      if (again.ok && again.value.some((b) => b.besluit.url === besluit)) return { ok: true, value: true, status: again.status };
    }
    return created;
  }

  return {
    async preflight(input, user) {
      const read = await http.call('GET', input.besluittype, user, besluittypeSchema);
      const refuse = (failure: DeliveryFailure): BesluitResult => ({ ok: false, retryable: false, failure });
      if (!read.ok) return read.status === 404 ? refuse({ code: 'dms-besluittype-unknown', besluittype: input.besluittype }) : fail(read);
      const type = read.value;
      const named = { besluittype: input.besluittype, name: type.omschrijving ?? input.besluittype };
      if (type.concept === true) return refuse({ code: 'dms-besluittype-concept', ...named });
      if (type.eindeGeldigheid != null && type.eindeGeldigheid !== '' && type.eindeGeldigheid < input.today) {
        return refuse({ code: 'dms-besluittype-expired', ...named, einde: type.eindeGeldigheid });
      }
      if (input.zaaktype !== null && type.zaaktypen !== undefined && !type.zaaktypen.includes(input.zaaktype)) {
        return refuse({ code: 'dms-besluittype-not-allowed', ...named, zaak: input.zaak, zaaktype: input.zaaktype });
      }
      if (type.informatieobjecttypen !== undefined && !type.informatieobjecttypen.includes(input.informatieobjecttype)) {
        return refuse({ code: 'dms-besluittype-document-not-allowed', ...named, informatieobjecttype: input.informatieobjecttype });
      }
      return { ok: true };
    },

    async ensure(input, user) {
      const found = await find(input, user);
      if (!found.ok) return fail(found);
      let besluit: Besluit;
      let linked = false;
      if (found.value === null) {
        const created = await create(input, user);
        if (!created.ok) return fail(created);
        besluit = created.value;
      } else {
        besluit = found.value.besluit;
        linked = found.value.linked;
        // Z28: a new version of the decision (return after DMS) brings the same besluit up to date.
        const changes = besluitChanges(besluit, input);
        if (Object.keys(changes).length > 0) {
          const patched = await http.call('PATCH', besluit.url, user, besluitSchema, changes);
          if (!patched.ok) return fail(patched);
        }
      }
      if (!linked) {
        const done = await link(besluit.url, input.informatieobject, user);
        if (!done.ok) return fail(done);
      }
      return { ok: true, besluit: besluit.url };
    },

    async isDone(input, user) {
      const own = await linkedTo(input.informatieobject, user);
      if (!own.ok) return own;
      const hit = own.value[0];
      return { ok: true, done: hit !== undefined && Object.keys(besluitChanges(hit.besluit, input)).length === 0 };
    },
  };
}
