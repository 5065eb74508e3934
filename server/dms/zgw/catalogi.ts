// The Catalogi API side of a delivery: which informatieobjecttype a document is filed as.
import type { ZgwConfig } from './config';

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
