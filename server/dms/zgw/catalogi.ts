// The Catalogi API side of a delivery: which informatieobjecttype a document is filed as, and
// whether a zaaktype allows it (Z7: its zaaktype-informatieobjecttypen, as the zaaktype lists them).
import { z } from 'zod';
import type { Delivery } from '../types';
import type { ZgwConfig } from './config';
import type { Call, ZgwHttp } from './http';
import type { ZgwUser } from './jwt';
import { informatieobjecttypeOf } from './template-types';

/**
 * Z9, Z20: the ONE place that decides a delivery's informatieobjecttype: the template's
 * `dms.zgw.informatieobjecttype` as the version kept it (one URL, or the URL its map names for the
 * zaak's zaaktype); else a `dms.documentType` that is a URL in the configured Catalogi API (O7);
 * anything else (a plain name such as "Besluit") stays a label for the filesystem DMS, and
 * ZGW_INFORMATIEOBJECTTYPE is used.
 */
export function informatieobjecttypeFor(
  delivery: Pick<Delivery, 'metadata'>,
  config: Pick<ZgwConfig, 'informatieobjecttype' | 'catalogiUrl'>,
  zaaktype: string | null = null,
): string {
  return informatieobjecttypeOf(delivery.metadata, zaaktype, config);
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
