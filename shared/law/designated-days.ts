// J5: days designated by royal decree under art. 3 lid 3 of the Algemene termijnenwet as equal to
// an algemeen erkende feestdag (the bridge days), as a table an operator can extend with a
// HOLIDAYS_FILE: one "YYYY-MM-DD description" a line. Pure: parsing only, the server reads the file.

export interface DesignatedDay {
  /** YYYY-MM-DD. */
  date: string;
  /** Why the day counts, as the back office and the log show it. */
  description: string;
}

/**
 * Designations published so far (the decrees are taken about once every three years, each for
 * the coming years). Sources, by their titles as published (Staatsblad):
 * - Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december 2024 en
 *   30 mei 2025 met een algemeen erkende feestdag;
 * - Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en
 *   26 mei 2028 met een algemeen erkende feestdag.
 * Later years are not designated yet: add them with HOLIDAYS_FILE when the decree is published.
 */
const DECREE_2023_2025 = 'Besluit gelijkstelling van 28 april 2023, 19 mei 2023, 10 mei 2024, 27 december 2024 en 30 mei 2025';
const DECREE_2026_2028 = 'Besluit gelijkstelling van 2 januari 2026, 15 mei 2026, 7 mei 2027, 28 april 2028 en 26 mei 2028';

export const DESIGNATED_DAYS: readonly DesignatedDay[] = [
  { date: '2023-04-28', description: `vrijdag na Koningsdag (${DECREE_2023_2025})` },
  { date: '2023-05-19', description: `vrijdag na Hemelvaartsdag (${DECREE_2023_2025})` },
  { date: '2024-05-10', description: `vrijdag na Hemelvaartsdag (${DECREE_2023_2025})` },
  { date: '2024-12-27', description: `vrijdag na Tweede Kerstdag (${DECREE_2023_2025})` },
  { date: '2025-05-30', description: `vrijdag na Hemelvaartsdag (${DECREE_2023_2025})` },
  { date: '2026-01-02', description: `vrijdag na Nieuwjaarsdag (${DECREE_2026_2028})` },
  { date: '2026-05-15', description: `vrijdag na Hemelvaartsdag (${DECREE_2026_2028})` },
  { date: '2027-05-07', description: `vrijdag na Hemelvaartsdag (${DECREE_2026_2028})` },
  { date: '2028-04-28', description: `vrijdag na Koningsdag (${DECREE_2026_2028})` },
  { date: '2028-05-26', description: `vrijdag na Hemelvaartsdag (${DECREE_2026_2028})` },
];

export type ParsedDesignatedDays = { ok: true; days: DesignatedDay[] } | { ok: false; problem: string };

const LINE = /^(\d{4}-\d{2}-\d{2})\s+(\S.*)$/;

/**
 * The lines of a HOLIDAYS_FILE: "YYYY-MM-DD description" each, blank lines and lines starting
 * with # ignored. The first line that is not a real date with a description is the problem
 * (Dutch, with its line number); at most 1000 days.
 */
export function parseDesignatedDays(text: string): ParsedDesignatedDays {
  const days: DesignatedDay[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    const date = m?.[1] ?? '';
    if (m === null || !isRealDate(date)) {
      return { ok: false, problem: `regel ${i + 1}: verwacht "JJJJ-MM-DD omschrijving", gevonden "${line.slice(0, 60)}"` };
    }
    days.push({ date, description: (m[2] ?? '').trim().slice(0, 200) });
    if (days.length > 1000) return { ok: false, problem: 'meer dan 1000 dagen' };
  }
  return { ok: true, days };
}

function isRealDate(iso: string): boolean {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
