// J9: what a delivery says when the DMS already holds its identificatie for a document that is
// not ours (a look-up finds other bytes): a refusal that retrying cannot fix (O4), in Dutch for
// the back office, never a second document and never an overwrite of someone else's.
import type { DeliverResult } from './types';

export function foreignIdentificatie(identificatie: string, theirSha256: string | undefined, where: string): DeliverResult & { ok: false } {
  const theirs = theirSha256 === undefined || theirSha256 === '' ? 'onbekende inhoud' : `SHA-256 ${theirSha256.slice(0, 12)}…`;
  return {
    ok: false,
    retryable: false,
    reason:
      `duplicate-identificatie: ${where} staat al een ander document met identificatie ${identificatie} (${theirs}). ` +
      'Dit document is niet gearchiveerd en er is niets overschreven. Vraag de beheerder van het DMS wat dat andere document is, en kies daarna "Opnieuw proberen".',
  };
}
