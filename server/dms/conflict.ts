// J9: what a delivery says when the DMS already holds its identificatie for a document that is
// not ours (a look-up finds other bytes): a refusal that retrying cannot fix (O4), in Dutch for
// the back office, never a second document and never an overwrite of someone else's.
import { formatFailure, type DeliveryFailure } from '../../shared/protocol/delivery-failure';
import type { DeliverResult } from './types';

export function foreignIdentificatie(identificatie: string, theirSha256: string | undefined, where: string): DeliverResult & { ok: false; failure: DeliveryFailure } {
  const failure: DeliveryFailure = { code: 'duplicate-identificatie', identificatie, where, ...(theirSha256 === undefined ? {} : { theirSha256 }) };
  return { ok: false, retryable: false, reason: formatFailure(failure), failure };
}
