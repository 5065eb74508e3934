// Z5–Z8: before anything is created, the delivery's zaak is checked: it exists (under our RSIN,
// and visible to the client), it is open (no einddatum), and its zaaktype allows the
// informatieobjecttype the document will get (Catalogi). Only then is the document created, so
// these refusals never leave a document without its case. What no read can show (the client may
// read the zaak but not write to it, a 403 at the link) is handled where the link is refused:
// the document this delivery filed is removed again (orphans.ts).
import type { Delivery } from '../types';
import { allowedTypes, informatieobjecttypeFor } from './catalogi';
import type { Call, ZgwHttp } from './http';
import type { ZgwUser } from './jwt';
import { findZaak, hasZaak, type ZaakRef } from './zaken';

export interface Cleared {
  /** null: the delivery names no zaak (filed without a link). */
  zaak: ZaakRef | null;
  /** Z9: what the document is filed as. */
  informatieobjecttype: string;
}

export async function preflight(http: ZgwHttp, delivery: Delivery, user: ZgwUser): Promise<Call<Cleared>> {
  if (!hasZaak(delivery.zaak)) return { ok: true, value: { zaak: null, informatieobjecttype: informatieobjecttypeFor(delivery, http.config) }, status: 200 };
  const found = await findZaak(http, delivery.zaak, user);
  if (!found.ok) return found;
  const zaak = found.value;
  // Z6: Open Zaak refuses new links to a closed zaak.
  if (zaak.einddatum !== null) return { ok: false, retryable: false, failure: { code: 'dms-zaak-closed', zaak: zaak.identificatie, einddatum: zaak.einddatum } };
  const informatieobjecttype = informatieobjecttypeFor(delivery, http.config, zaak.zaaktype);
  // Z7: a type outside the zaaktype is refused at the link; ask the Catalogi first.
  if (zaak.zaaktype !== null) {
    const allowed = await allowedTypes(http, zaak.zaaktype, user);
    if (!allowed.ok) return allowed;
    if (!allowed.value.has(informatieobjecttype)) {
      return { ok: false, retryable: false, failure: { code: 'dms-type-not-allowed', zaak: zaak.identificatie, zaaktype: zaak.zaaktype, informatieobjecttype } };
    }
  }
  return { ok: true, value: { zaak, informatieobjecttype }, status: found.status };
}
