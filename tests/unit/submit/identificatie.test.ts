// J9: the form of an identificatie: KT-<year>-<seven digits>, within ZGW's 40 characters, the
// year of the submit in Europe/Amsterdam (a clock the test sets, New Year's night included).
import { describe, expect, it } from 'vitest';
import { amsterdamYear, formatIdentificatie, reserveIdentificatie } from '../../../server/submit/identificatie';
import { createMemoryStore } from '../../../server/store/memory/store';

describe('identificatie', () => {
  it.each([
    [2026, 1, 'KT-2026-0000001'],
    [2026, 123, 'KT-2026-0000123'],
    [2030, 9_999_999, 'KT-2030-9999999'],
  ])('[J9] year %i number %i is %s', (year, seq, expected) => {
    expect(formatIdentificatie(year, seq)).toBe(expected);
    expect(expected.length).toBeLessThanOrEqual(40);
  });
  it.each([
    [1999, 1],
    [2026, 0],
    [2026, 10_000_000],
    [2026, 1.5],
  ])('[J9] year %i number %i has none', (year, seq) => {
    expect(() => formatIdentificatie(year, seq)).toThrow();
  });
  it('[J9] the year is the one in Amsterdam: 23:30 UTC on 31 December is already next year there', () => {
    expect(amsterdamYear(Date.UTC(2026, 11, 31, 22, 59))).toBe(2026);
    expect(amsterdamYear(Date.UTC(2026, 11, 31, 23, 30))).toBe(2027);
  });
  it('[J9] reserving twice for one version gives one identificatie; the next version the next number', async () => {
    const store = createMemoryStore();
    const at = Date.UTC(2026, 2, 2, 10);
    expect(await reserveIdentificatie(store, 'doc-1', 1, at)).toBe('KT-2026-0000001');
    expect(await reserveIdentificatie(store, 'doc-1', 1, at + 1000)).toBe('KT-2026-0000001');
    expect(await reserveIdentificatie(store, 'doc-1', 2, at)).toBe('KT-2026-0000002');
    expect(await reserveIdentificatie(store, 'doc-2', 1, Date.UTC(2027, 0, 1, 12))).toBe('KT-2027-0000001');
    await store.close();
  });
});
