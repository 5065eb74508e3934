// Z10: a document this delivery filed that is in no zaak (a link refused for good, or a crash
// between create and link followed by a refusal) is removed, so a refusal never leaves an orphan
// in the Documenten API. Only our own: found under this delivery's identificatie, with our bytes
// or none named (J9: never someone else's), and linked to no zaak at all. Best effort: a removal
// the DMS refuses (no scope documenten.verwijderen) leaves the document for the next attempt's
// look-up to find and reuse (O2), and is said in the reason's details.
import type { Delivery } from '../types';
import { findDocument } from './documenten';
import { isForeign } from './eio';
import { anything, type Failed, type ZgwHttp } from './http';
import type { ZgwUser } from './jwt';
import { isLinkedAnywhere } from './zaken';

/** Removes this delivery's unlinked document, if there is one; then answers `failed` as it was (with a note when removal failed). */
export async function withoutOrphan(http: ZgwHttp, delivery: Delivery, user: ZgwUser, failed: Failed): Promise<Failed> {
  if (failed.retryable) return failed;
  const note = (what: string): Failed => ({ ...failed, failure: { ...failed.failure, details: [failed.failure.details, what].filter((s) => s !== undefined && s !== '').join('\n') } });
  const found = await findDocument(http, delivery.identificatie, user);
  if (!found.ok) return note(`Keukentafel kon niet nagaan of ${delivery.identificatie} zonder zaak in het DMS staat; de volgende poging zoekt het eerst op.`);
  const doc = found.value;
  if (doc === null || isForeign(doc, delivery.pdfSha256) || doc.url === delivery.previous?.reference) return failed;
  const linked = await isLinkedAnywhere(http, doc.url, user);
  if (!linked.ok || linked.value) return failed;
  const removed = await http.call('DELETE', doc.url, user, anything);
  if (removed.ok) return failed;
  return note(`Het document ${delivery.identificatie} staat zonder zaak in het DMS (${doc.url}) en kon niet worden verwijderd; de volgende poging gebruikt het opnieuw.`);
}
