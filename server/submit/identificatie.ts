// J9, O2: a submission's identificatie is unique across the installation by construction: the
// municipality's year sequence (KT-2026-0000123, as Open Zaak numbers its documents), one number
// per (document, version), reserved in the store before the PDF is rendered (the kenmerk prints
// it) and the same for every retry, look-up and re-render. At most 40 characters (ZGW's limit).
import type { SubmissionStore } from '../store/types';

const PREFIX = 'KT';

/** KT-<year>-<seq, seven digits>: 15 characters. */
export function formatIdentificatie(year: number, seq: number): string {
  if (!Number.isInteger(year) || year < 2000 || year > 9999 || !Number.isInteger(seq) || seq < 1 || seq > 9_999_999) {
    throw new Error(`no identificatie for year ${year} number ${seq}`);
  }
  return `${PREFIX}-${year}-${String(seq).padStart(7, '0')}`;
}

/** The year of `ms` in Europe/Amsterdam: a letter submitted on New Year's night counts in the new year. */
export function amsterdamYear(ms: number): number {
  return Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric' }).format(ms));
}

/** The identificatie of (docId, version): reserved now, or the one reserved by an earlier try. */
export async function reserveIdentificatie(
  store: Pick<SubmissionStore, 'reserveIdentificatie'>,
  docId: string,
  version: number,
  at: number,
): Promise<string> {
  const { year, seq } = await store.reserveIdentificatie({ docId, version, year: amsterdamYear(at) });
  return formatIdentificatie(year, seq);
}

/**
 * The form before J9 (16 hex digits of the document id): submissions made then keep it, and
 * benches seed stores with it. New submissions never get it.
 */
export function identificatieFor(docId: string, version: number): string {
  const hex = docId.replace(/[^0-9a-fA-F]/g, '').toLowerCase().slice(0, 16);
  if (hex.length < 16 || !Number.isInteger(version) || version < 1) {
    throw new Error(`no identificatie for document ${docId} version ${version}`);
  }
  return `KT-${hex}-v${version}`;
}
