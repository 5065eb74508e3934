// Z24–Z29: the besluit step of a ZGW delivery, beside the document's. `plan` runs before anything
// is created (is a besluit registered for this delivery, and does the Catalogi API allow it for
// this zaak and document type?); `register` runs after the document is filed and linked;
// `isDone` tells the outbox's look-up (O2) whether the besluit is there too. Without
// ZGW_BESLUITEN_URL there is no step: decisions are archived as documents only (Z24).
import type { Delivery } from '../types';
import { createBesluiten, type BesluitenApi } from './besluiten';
import type { Call, ZgwHttp } from './http';
import type { ZgwUser } from './jwt';
import { besluitInputOf, besluittypeOf, wantsBesluit } from './template-types';

export interface BesluitPlan {
  besluittype: string;
  zaakUrl: string | null;
}

export interface BesluitStep {
  /** Z24: whether this delivery registers a besluit (with this configuration). */
  wants(delivery: Delivery): boolean;
  plan(delivery: Delivery, zaak: { url: string; zaaktype: string | null } | null, informatieobjecttype: string, user: ZgwUser): Promise<Call<BesluitPlan | null>>;
  register(plan: BesluitPlan, delivery: Delivery, eioUrl: string, user: ZgwUser): Promise<Call<string>>;
  isDone(delivery: Delivery, zaak: { url: string; zaaktype: string | null } | null, eioUrl: string, user: ZgwUser): Promise<Call<boolean>>;
}

export function createBesluitStep(http: ZgwHttp): BesluitStep | null {
  const { config } = http;
  if (config.besluitenUrl === undefined) return null;
  const api: BesluitenApi = createBesluiten(http, { besluitenUrl: config.besluitenUrl, rsin: config.rsin });
  const fallback = config.besluittype;

  return {
    wants: (delivery) => wantsBesluit(delivery.metadata, fallback),

    async plan(delivery, zaak, informatieobjecttype, user) {
      if (!wantsBesluit(delivery.metadata, fallback)) return { ok: true, value: null, status: 200 };
      const besluittype = besluittypeOf(delivery.metadata, zaak?.zaaktype ?? null, fallback);
      if (besluittype === null) {
        // Z20: a map per zaaktype that does not name this zaak's, and no ZGW_BESLUITTYPE: refused before anything is made.
        return { ok: false, retryable: false, failure: { code: 'dms-besluittype-missing', zaak: delivery.zaak, zaaktype: zaak?.zaaktype ?? null } };
      }
      const today = delivery.dagtekening ?? delivery.metadata.creatiedatum;
      const allowed = await api.preflight({ besluittype, zaak: delivery.zaak, zaaktype: zaak?.zaaktype ?? null, informatieobjecttype, today }, user);
      if (!allowed.ok) return allowed;
      return { ok: true, value: { besluittype, zaakUrl: zaak?.url ?? null }, status: 200 };
    },

    async register(plan, delivery, eioUrl, user) {
      const done = await api.ensure(besluitInputOf(delivery, plan.besluittype, eioUrl, plan.zaakUrl), user);
      return done.ok ? { ok: true, value: done.besluit, status: 200 } : done;
    },

    async isDone(delivery, zaak, eioUrl, user) {
      if (!wantsBesluit(delivery.metadata, fallback)) return { ok: true, value: true, status: 200 };
      const besluittype = besluittypeOf(delivery.metadata, zaak?.zaaktype ?? null, fallback);
      if (besluittype === null) return { ok: true, value: false, status: 200 };
      const done = await api.isDone(besluitInputOf(delivery, besluittype, eioUrl, zaak?.url ?? null), user);
      return done.ok ? { ok: true, value: done.done, status: 200 } : done;
    },
  };
}
