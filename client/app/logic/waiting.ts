// Q9: "wacht sinds" in the office's work list: how long a document has held its status, in
// plain Dutch ("net", "3 uur", "2 dagen"), beside the exact time.
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function waitingFor(since: number, now: number): string {
  const ms = Math.max(0, now - since);
  if (ms < HOUR) return 'minder dan een uur';
  if (ms < DAY) {
    const hours = Math.floor(ms / HOUR);
    return hours === 1 ? '1 uur' : `${hours} uur`;
  }
  const days = Math.floor(ms / DAY);
  return days === 1 ? '1 dag' : `${days} dagen`;
}
