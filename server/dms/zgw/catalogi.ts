// The Catalogi API side of a delivery: which informatieobjecttype a document is filed as, and
// whether a zaaktype allows it (Z7: its zaaktype-informatieobjecttypen, as the zaaktype lists them).
import { z } from 'zod';
import type { Delivery } from '../types';
import type { ZgwConfig } from './config';
import type { Call, ZgwHttp } from './http';
import type { ZgwUser } from './jwt';

/**
 * Z9: the ONE place that decides a delivery's informatieobjecttype. A template's
 * `dms.documentType` names it when it is a URL in the configured Catalogi API (O7); anything else
 * (a plain name such as "Besluit") stays a label for the filesystem DMS, and
 * ZGW_INFORMATIEOBJECTTYPE is used. `zaaktype` (the zaak's, when the delivery has a zaak) is here
 * for a template that names a type per zaaktype.
 */
export function informatieobjecttypeFor(
  delivery: Pick<Delivery, 'metadata'>,
  config: Pick<ZgwConfig, 'informatieobjecttype' | 'catalogiUrl'>,
  _zaaktype?: string | null,
): string {
  const value = delivery.metadata.documenttype.trim();
  if (URL.canParse(value) && /^https?:$/.test(new URL(value).protocol) && value.startsWith(`${config.catalogiUrl}/`)) return value;
  return config.informatieobjecttype;
}

const zaaktypeSchema = z.object({
  url: z.url().optional(),
  /** Read-only in the Catalogi API: what its zaaktype-informatieobjecttypen relate to this zaaktype. */
  informatieobjecttypen: z.array(z.string()),
});

/**
 * Z7: the informatieobjecttypen a zaaktype allows. Read from the zaaktype itself (one GET, its
 * `informatieobjecttypen`), not from `/zaaktype-informatieobjecttypen`: Open Zaak's spec types that
 * list's filters as integers, so a URL filter does not pass the contract (as for the link list).
 */
export async function allowedTypes(http: ZgwHttp, zaaktypeUrl: string, user: ZgwUser): Promise<Call<ReadonlySet<string>>> {
  const read = await http.call('GET', zaaktypeUrl, user, zaaktypeSchema);
  if (!read.ok) return read;
  return { ok: true, value: new Set(read.value.informatieobjecttypen), status: read.status };
}
