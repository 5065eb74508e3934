// Small helpers of the submit path: the SHA-256 every frozen byte string carries (W2) and the
// Europe/Amsterdam calendar day of a moment, which is what a letter's date and the archive's
// creatiedatum say (J1).
import { createHash } from 'node:crypto';

/** YYYY-MM-DD of `ms` in Europe/Amsterdam: the date on the letter is the archive's creatiedatum. */
export function amsterdamDate(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
