// J5, J6: the Algemene termijnenwet calendar and the end of the objection term. Every expected
// date below was counted by hand: the sending day S, the raw last day S + 42 (six weeks from the
// day after, Awb 6:7 and 6:8: the same weekday six weeks on), then day by day past Saturdays,
// Sundays, the feestdagen of Atw art. 3 and the designated days (art. 3 lid 3) to the first day
// that is none of them (art. 1). Weekdays checked against a printed calendar.
import { describe, expect, it } from 'vitest';
import { DESIGNATED_DAYS, parseDesignatedDays } from '../../../shared/law/designated-days';
import { bezwaartermijnEinde, easterSunday, extendedEnd, feestdag, isNonWorkingDay, statutoryHolidays } from '../../../shared/law/termijnen';
import { amsterdamIsoDate } from '../../../shared/templates/fill';
import { bezwaartermijnEinde as viaRules } from '../../../shared/validate/rules';

describe('Easter (computus)', () => {
  it.each([
    // Published dates of Western Easter, the extremes among them: 22 March and 25 April.
    [1818, '1818-03-22'],
    [1943, '1943-04-25'],
    [2000, '2000-04-23'],
    [2008, '2008-03-23'],
    [2011, '2011-04-24'],
    [2019, '2019-04-21'],
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2028, '2028-04-16'],
    [2029, '2029-04-01'],
    [2030, '2030-04-21'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('[J5] Easter %i is %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });
  it('[J5] Easter is a Sunday between 22 March and 25 April in every year 1583–4099', () => {
    for (let year = 1583; year <= 4099; year++) {
      const date = easterSunday(year);
      expect(new Date(`${date}T00:00Z`).getUTCDay()).toBe(0);
      expect(date.slice(5) >= '03-22' && date.slice(5) <= '04-25').toBe(true);
    }
  });
});

describe('algemeen erkende feestdagen (Atw art. 3)', () => {
  it.each([
    ['2024-01-01', 'Nieuwjaarsdag'],
    ['2024-03-29', 'Goede Vrijdag'], // art. 3 lid 2; Easter 31 March 2024
    ['2024-04-01', 'Tweede Paasdag'],
    ['2024-05-09', 'Hemelvaartsdag'], // Easter + 39
    ['2024-05-20', 'Tweede Pinksterdag'], // Easter + 50
    ['2025-04-26', 'Koningsdag'], // 27 April 2025 is a Sunday: celebrated on Saturday the 26th
    ['2026-04-27', 'Koningsdag'],
    ['2027-05-05', 'Bevrijdingsdag'], // every year for the Atw, not only every fifth
    ['2028-12-25', 'Eerste Kerstdag'],
    ['2028-12-26', 'Tweede Kerstdag'],
    ['2030-04-19', 'Goede Vrijdag'], // Easter 21 April 2030
  ])('[J5] %s is %s', (date, name) => {
    expect(feestdag(date)).toBe(name);
    expect(isNonWorkingDay(date)).toBe(true);
  });
  it('[J5] the 26/27 April rule: 27 April 2025 (a Sunday) is no Koningsdag, 26 April 2026 no feestdag', () => {
    expect(feestdag('2025-04-27')).toBeNull();
    expect(feestdag('2026-04-26')).toBeNull();
    expect(statutoryHolidays(2031).find((h) => h.name === 'Koningsdag')?.date).toBe('2031-04-26'); // 27 April 2031: Sunday
  });
  it.each(['2024-12-24', '2024-12-31', '2026-04-28', '2027-12-24', '2029-05-11', '2030-12-27'])('[J5] %s is a working day', (date) => {
    expect(isNonWorkingDay(date)).toBe(false);
  });
  it('[J5] the designated days of the decrees so far are in the table, each with its source', () => {
    expect(DESIGNATED_DAYS.map((d) => d.date)).toEqual(
      expect.arrayContaining(['2024-05-10', '2024-12-27', '2025-05-30', '2026-01-02', '2026-05-15', '2027-05-07', '2028-04-28', '2028-05-26']),
    );
    for (const d of DESIGNATED_DAYS) {
      expect(d.description).toMatch(/Besluit gelijkstelling/);
      expect(new Date(`${d.date}T00:00Z`).getUTCDay()).toBe(5); // every bridge day so far is a Friday
    }
    expect(feestdag('2024-12-27')).toMatch(/Tweede Kerstdag/);
  });
  it('[J5] extra designated days (HOLIDAYS_FILE) count like the built-in ones', () => {
    const extra = [{ date: '2029-05-11', description: 'vrijdag na Hemelvaartsdag (besluit 2029)' }];
    expect(isNonWorkingDay('2029-05-11')).toBe(false);
    expect(isNonWorkingDay('2029-05-11', extra)).toBe(true);
    expect(extendedEnd('2029-05-10', extra)).toBe('2029-05-14');
  });
});

describe('HOLIDAYS_FILE lines', () => {
  it('[J5] reads "YYYY-MM-DD description" lines, skipping comments and blank lines', () => {
    const parsed = parseDesignatedDays('# aangewezen dagen\n\n2029-05-11 vrijdag na Hemelvaartsdag\r\n2029-12-24  maandag voor Eerste Kerstdag\n');
    expect(parsed).toEqual({
      ok: true,
      days: [
        { date: '2029-05-11', description: 'vrijdag na Hemelvaartsdag' },
        { date: '2029-12-24', description: 'maandag voor Eerste Kerstdag' },
      ],
    });
  });
  it.each([
    ['2029-02-30 bestaat niet', 'regel 1'],
    ['# kop\n2029-05-11', 'regel 2'],
    ['11-05-2029 vrijdag', 'regel 1'],
  ])('[J5] refuses %j, naming the line', (text, where) => {
    const parsed = parseDesignatedDays(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(where);
  });
});

describe('bezwaartermijnEinde (Awb 6:7, 6:8, Atw art. 1)', () => {
  // [sent, last day, how it was counted]
  const table: [string, string, string][] = [
    ['2024-02-16', '2024-04-02', 'raw Fri 29 Mar 2024 Goede Vrijdag → Sat, Sun (Easter), Mon Tweede Paasdag → Tue'],
    ['2024-02-19', '2024-04-02', 'raw Mon 1 Apr 2024 Tweede Paasdag → Tue'],
    ['2024-03-28', '2024-05-13', 'raw Thu 9 May 2024 Hemelvaart → Fri 10 May designated → weekend → Mon'],
    ['2024-03-29', '2024-05-13', 'raw Fri 10 May 2024 designated (Besluit 2023–2025) → Mon'],
    ['2024-04-08', '2024-05-21', 'raw Mon 20 May 2024 Tweede Pinksterdag → Tue'],
    ['2024-11-13', '2024-12-30', 'raw Wed 25 Dec 2024 → Thu 26 → Fri 27 designated → weekend → Mon 30'],
    ['2024-11-15', '2024-12-30', 'raw Fri 27 Dec 2024 designated → Mon 30'],
    ['2024-11-19', '2024-12-31', 'raw Tue 31 Dec 2024: an ordinary working day, year end'],
    ['2024-11-20', '2025-01-02', 'raw Wed 1 Jan 2025 Nieuwjaarsdag → Thu 2 Jan'],
    ['2025-03-07', '2025-04-22', 'raw Fri 18 Apr 2025 Goede Vrijdag → Tue 22 Apr after Easter Monday'],
    ['2025-03-15', '2025-04-28', 'raw Sat 26 Apr 2025 Koningsdag (27th a Sunday) → Sun 27 → Mon 28'],
    ['2025-03-24', '2025-05-06', 'raw Mon 5 May 2025 Bevrijdingsdag → Tue'],
    ['2025-04-17', '2025-06-02', 'raw Thu 29 May 2025 Hemelvaart → Fri 30 designated → Mon 2 Jun'],
    ['2025-04-28', '2025-06-10', 'raw Mon 9 Jun 2025 Tweede Pinksterdag → Tue'],
    ['2025-11-13', '2025-12-29', 'raw Thu 25 Dec 2025 → Fri 26 → weekend → Mon 29'],
    ['2025-11-20', '2026-01-05', 'raw Thu 1 Jan 2026 → Fri 2 Jan designated (Besluit 2026–2028) → Mon 5 Jan'],
    ['2026-02-20', '2026-04-07', 'raw Fri 3 Apr 2026 Goede Vrijdag → Tue 7 Apr'],
    ['2026-03-16', '2026-04-28', 'raw Mon 27 Apr 2026 Koningsdag → Tue'],
    ['2026-03-24', '2026-05-06', 'raw Tue 5 May 2026 Bevrijdingsdag → Wed'],
    ['2026-04-02', '2026-05-18', 'raw Thu 14 May 2026 Hemelvaart → Fri 15 designated → Mon 18'],
    ['2026-04-13', '2026-05-26', 'raw Mon 25 May 2026 Tweede Pinksterdag → Tue'],
    ['2026-11-13', '2026-12-28', 'raw Fri 25 Dec 2026 → Sat 26 (Tweede Kerstdag) → Sun → Mon 28'],
    ['2026-11-20', '2027-01-04', 'raw Fri 1 Jan 2027 → weekend → Mon 4 Jan'],
    ['2027-02-12', '2027-03-30', 'raw Fri 26 Mar 2027 Goede Vrijdag → Tue 30 Mar'],
    ['2027-02-15', '2027-03-30', 'raw Mon 29 Mar 2027 Tweede Paasdag → Tue'],
    ['2027-03-16', '2027-04-28', 'raw Tue 27 Apr 2027 Koningsdag → Wed'],
    ['2027-03-24', '2027-05-10', 'raw Wed 5 May 2027 → Thu 6 Hemelvaart → Fri 7 designated → Mon 10'],
    ['2027-11-12', '2027-12-24', 'raw Fri 24 Dec 2027: Christmas Eve is a working day'],
    ['2028-03-03', '2028-04-18', 'raw Fri 14 Apr 2028 Goede Vrijdag → Tue 18 Apr'],
    ['2028-03-16', '2028-05-01', 'raw Thu 27 Apr 2028 Koningsdag → Fri 28 designated → Mon 1 May'],
    ['2028-03-24', '2028-05-08', 'raw Fri 5 May 2028 Bevrijdingsdag → Mon 8'],
    ['2028-04-13', '2028-05-29', 'raw Thu 25 May 2028 Hemelvaart → Fri 26 designated → Mon 29'],
    ['2028-11-13', '2028-12-27', 'raw Mon 25 Dec 2028 → Tue 26 → Wed 27'],
    ['2028-01-18', '2028-02-29', 'raw Tue 29 Feb 2028: a leap day, a working day'],
    ['2029-02-16', '2029-04-03', 'raw Fri 30 Mar 2029 Goede Vrijdag → Tue 3 Apr'],
    ['2029-03-29', '2029-05-11', 'raw Thu 10 May 2029 Hemelvaart → Fri 11 (not designated yet) '],
    ['2029-11-13', '2029-12-27', 'raw Tue 25 Dec 2029 → Wed 26 → Thu 27'],
    ['2029-11-20', '2030-01-02', 'raw Tue 1 Jan 2030 → Wed 2 Jan'],
    ['2030-03-08', '2030-04-23', 'raw Fri 19 Apr 2030 Goede Vrijdag → Tue 23 Apr'],
    ['2030-04-29', '2030-06-11', 'raw Mon 10 Jun 2030 Tweede Pinksterdag → Tue'],
    ['2030-11-14', '2030-12-27', 'raw Thu 26 Dec 2030 → Fri 27'],
    ['2026-01-20', '2026-03-03', 'raw Tue 3 Mar 2026: nothing to extend'],
    ['2026-01-24', '2026-03-09', 'sent on a Saturday: raw Sat 7 Mar 2026 → Mon 9'],
  ];
  it.each(table)('[J6] sent %s: last day %s (%s)', (sent, end) => {
    expect(bezwaartermijnEinde(sent)).toBe(end);
    expect(viaRules(sent)).toBe(end); // the old entry point delegates
  });
  it('[J6] the table covers 2024–2030 and at least 30 dates', () => {
    expect(table.length).toBeGreaterThanOrEqual(30);
    expect(new Set(table.map(([, end]) => end.slice(0, 4)))).toEqual(new Set(['2024', '2025', '2026', '2027', '2028', '2029', '2030']));
  });
  it('[J6] a day designated later (HOLIDAYS_FILE) extends the term too', () => {
    expect(bezwaartermijnEinde('2029-03-29', [{ date: '2029-05-11', description: 'vrijdag na Hemelvaartsdag' }])).toBe('2029-05-14');
    expect(viaRules('2029-03-29', [{ date: '2029-05-11', description: 'vrijdag na Hemelvaartsdag' }])).toBe('2029-05-14');
  });
  it('[J6] counted from the day of sending in Europe/Amsterdam, with a clock the test sets', () => {
    // 23:30 UTC on 12 November 2024 is 00:30 on the 13th in Amsterdam: the letter left on the 13th.
    const clock = { now: Date.UTC(2024, 10, 12, 23, 30) };
    expect(bezwaartermijnEinde(amsterdamIsoDate(clock.now))).toBe('2024-12-30');
    clock.now -= 60 * 60_000; // 23:30 on the 12th in Amsterdam: raw end Tue 24 Dec 2024, a working day
    expect(bezwaartermijnEinde(amsterdamIsoDate(clock.now))).toBe('2024-12-24');
  });
  it('[J6] no end date for a date that does not exist', () => {
    expect(bezwaartermijnEinde('2026-02-30')).toBeNull();
    expect(bezwaartermijnEinde('morgen')).toBeNull();
  });
});
