// The Catalogi API side of a delivery: which informatieobjecttype a document is filed as.
import type { ArchiveMetadata } from '../../store/types';
import type { ZgwConfig } from './config';
import { informatieobjecttypeOf } from './template-types';

/**
 * The one place a delivery's informatieobjecttype is chosen (O7, Z20). Given the version's
 * archive metadata: the template's `dms.zgw.informatieobjecttype` (per zaaktype when it is a map),
 * else O7 below, else ZGW_INFORMATIEOBJECTTYPE. Given a `dms.documentType` string (O7): it names
 * the informatieobjecttype when it is a URL in the configured Catalogi API; anything else (a
 * plain name such as "Besluit") stays a label for the filesystem DMS, and ZGW_INFORMATIEOBJECTTYPE
 * is used.
 */
export function informatieobjecttypeFor(
  source: string | ArchiveMetadata,
  config: Pick<ZgwConfig, 'informatieobjecttype' | 'catalogiUrl'>,
  zaaktype: string | null = null,
): string {
  const metadata = typeof source === 'string' ? { documenttype: source } : source;
  return informatieobjecttypeOf(metadata, zaaktype, config);
}
