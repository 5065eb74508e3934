// J5, J6: the objection term as the law counts it. Six weeks (Awb 6:7) beginning the day after the
// decision was sent (6:8), a last day on a Saturday, Sunday or algemeen erkende feestdag extended
// to the next day that is none (Algemene termijnenwet art. 1 and 3). Pure: dates are YYYY-MM-DD.
import { DESIGNATED_DAYS, type DesignatedDay } from './designated-days';

export type { DesignatedDay } from './designated-days';

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a real YYYY-MM-DD date; null for anything else. */
export function dayNumber(iso: string): number | null {
  const m = ISO_DATE.exec(iso);
  if (m === null) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date.getTime() / DAY_MS;
}

export function isoOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(day: number): number {
  return new Date(day * DAY_MS).getUTCDay();
}

function dayOf(year: number, month: number, date: number): number {
  return Date.UTC(year, month - 1, date) / DAY_MS;
}

/**
 * Easter Sunday of a Gregorian year, YYYY-MM-DD: the anonymous Gregorian computus (Meeus, Jones,
 * Butcher; Nature 1876), exact for every year from 1583 on. Tested against published dates.
 */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoOfDay(dayOf(year, month, day));
}

/**
 * The algemeen erkende feestdagen of one year with their names: Atw art. 3 lid 1 (Nieuwjaarsdag,
 * Tweede Paas- en Pinksterdag, both Christmas days, Hemelvaartsdag, the day the King's birthday
 * is celebrated, 5 mei), lid 2 (Goede Vrijdag) and the Christian first days of Easter and
 * Pentecost (Sundays anyway). Koningsdag is 27 April, or 26 April when the 27th is a Sunday.
 */
export function statutoryHolidays(year: number): { date: string; name: string }[] {
  const easter = dayNumber(easterSunday(year)) ?? 0;
  const april27 = dayOf(year, 4, 27);
  const koningsdag = weekday(april27) === 0 ? april27 - 1 : april27;
  return [
    [dayOf(year, 1, 1), 'Nieuwjaarsdag'],
    [easter - 2, 'Goede Vrijdag'],
    [easter, 'Eerste Paasdag'],
    [easter + 1, 'Tweede Paasdag'],
    [koningsdag, 'Koningsdag'],
    [dayOf(year, 5, 5), 'Bevrijdingsdag'],
    [easter + 39, 'Hemelvaartsdag'],
    [easter + 49, 'Eerste Pinksterdag'],
    [easter + 50, 'Tweede Pinksterdag'],
    [dayOf(year, 12, 25), 'Eerste Kerstdag'],
    [dayOf(year, 12, 26), 'Tweede Kerstdag'],
  ]
    .map(([day, name]) => ({ date: isoOfDay(day as number), name: name as string }))
    .sort((x, y) => x.date.localeCompare(y.date));
}

/**
 * Why `iso` is an algemeen erkende feestdag for the Atw (its name, or the designation's
 * description), or null. `extra`: days designated under art. 3 lid 3 beyond the built-in table.
 */
export function feestdag(iso: string, extra: readonly DesignatedDay[] = []): string | null {
  const day = dayNumber(iso);
  if (day === null) return null;
  const year = Number(iso.slice(0, 4));
  const statutory = statutoryHolidays(year).find((h) => h.date === iso);
  if (statutory !== undefined) return statutory.name;
  const designated = [...DESIGNATED_DAYS, ...extra].find((d) => d.date === iso);
  return designated === undefined ? null : designated.description;
}

/** Whether a term may not end on `iso`: a Saturday, a Sunday or an algemeen erkende feestdag. */
export function isNonWorkingDay(iso: string, extra: readonly DesignatedDay[] = []): boolean {
  const day = dayNumber(iso);
  if (day === null) return false;
  const wd = weekday(day);
  return wd === 0 || wd === 6 || feestdag(iso, extra) !== null;
}

/** Atw art. 1 lid 1: a term ending on `iso` runs to and including the next day that is none of these. */
export function extendedEnd(iso: string, extra: readonly DesignatedDay[] = []): string | null {
  let day = dayNumber(iso);
  if (day === null) return null;
  while (isNonWorkingDay(isoOfDay(day), extra)) day += 1;
  return isoOfDay(day);
}

/** The weeks of the bezwaar- and beroepstermijn (Awb 6:7). */
export const OBJECTION_TERM_WEEKS = 6;

/**
 * Last day of the bezwaartermijn of a decision sent on `sentIso`: the term begins the day after
 * (6:8) and lasts six weeks (6:7), so it ends on the same weekday six weeks on; extended under
 * the Atw. Null for a date that does not exist.
 */
export function bezwaartermijnEinde(sentIso: string, extra: readonly DesignatedDay[] = []): string | null {
  const sent = dayNumber(sentIso);
  if (sent === null) return null;
  const firstDay = sent + 1;
  const lastDay = firstDay + OBJECTION_TERM_WEEKS * 7 - 1;
  return extendedEnd(isoOfDay(lastDay), extra);
}
