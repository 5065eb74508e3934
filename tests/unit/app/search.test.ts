// Q3–Q6: search, filters and sort over the lists on the device, as pure functions.
import { describe, expect, it } from 'vitest';
import {
  authorsOf,
  compareItems,
  emptyQuery,
  findRows,
  isNarrowed,
  normalise,
  periodStart,
  queryWords,
  type FindItem,
  type FindQuery,
} from '../../../client/app/logic/search';

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const DAY = 86_400_000;

const item = (id: string, over: Partial<FindItem> = {}): FindItem => ({
  id,
  title: `Brief ${id}`,
  zaak: null,
  status: 'concept',
  templateId: 'brief',
  authorId: 'u-vera',
  authorName: 'Vera Veld',
  updatedAt: NOW - DAY,
  statusSince: NOW - DAY,
  ...over,
});

const q = (over: Partial<FindQuery>): FindQuery => ({ ...emptyQuery, ...over });
const ids = (rows: readonly FindItem[]): string[] => rows.map((r) => r.id);
const noText = (): undefined => undefined;

describe('search on the device (Q3–Q6)', () => {
  it('[Q3] case and diacritics do not matter: José, JOSE and jose find each other; ß, ĳ and punctuation too', () => {
    expect(normalise('José Müller-Çelik')).toBe('jose muller celik');
    expect(normalise('  ZAAK-2026/0042 ')).toBe('zaak 2026 0042');
    expect(normalise('Straße')).toBe('strasse');
    expect(normalise('ĳsselmeer')).toBe('ijsselmeer');
    const rows = [item('a', { title: 'Gesprek met José' }), item('b', { title: 'Gesprek met Jan' })];
    expect(ids(findRows(rows, q({ text: 'JOSE' }), NOW, noText).rows)).toEqual(['a']);
    expect(ids(findRows(rows, q({ text: 'josé' }), NOW, noText).rows)).toEqual(['a']);
  });

  it('[Q4] every word must occur, in title, zaak, author or the document text (citizen\'s name)', () => {
    const rows = [
      item('a', { title: 'Keukentafelgesprek', zaak: 'ZAAK-0042' }),
      item('b', { title: 'Keukentafelgesprek', zaak: 'ZAAK-0043' }),
      item('c', { title: 'Besluit horeca', authorName: 'Kees Kantoor', authorId: 'u-kees' }),
    ];
    const text = (id: string): string | undefined => (id === 'b' ? normalise('Naam: Fatima El Amrani. Schulden bij de woningcorporatie.') : undefined);
    expect(ids(findRows(rows, q({ text: 'keukentafel 0042' }), NOW, text).rows)).toEqual(['a']);
    expect(ids(findRows(rows, q({ text: 'amrani' }), NOW, text).rows)).toEqual(['b']);
    expect(ids(findRows(rows, q({ text: 'el amrani keukentafel' }), NOW, text).rows)).toEqual(['b']);
    expect(ids(findRows(rows, q({ text: 'amrani horeca' }), NOW, text).rows)).toEqual([]);
    expect(ids(findRows(rows, q({ text: 'kees' }), NOW, text).rows)).toEqual(['c']);
    expect(queryWords('  a  A, b ')).toEqual(['a', 'b']);
    // No words: everything, in order.
    expect(findRows(rows, q({ text: ' ,. ' }), NOW, text).rows).toHaveLength(3);
  });

  it('[Q5] status, template, author and period narrow together; "alle" leaves the list', () => {
    const rows = [
      item('a', { status: 'ter-goedkeuring', templateId: 'besluit', updatedAt: NOW - 2 * DAY }),
      item('b', { status: 'ter-goedkeuring', templateId: 'brief', updatedAt: NOW - 2 * DAY }),
      item('c', { status: 'concept', templateId: 'besluit', authorId: 'u-kees', authorName: 'Kees', updatedAt: NOW - 40 * DAY }),
      item('d', { status: null, templateId: 'besluit', updatedAt: NOW - 1000 }),
    ];
    expect(ids(findRows(rows, q({ status: 'ter-goedkeuring' }), NOW, noText).rows)).toEqual(['a', 'b']);
    expect(ids(findRows(rows, q({ templateId: 'besluit' }), NOW, noText).rows)).toEqual(['d', 'a', 'c']);
    expect(ids(findRows(rows, q({ templateId: 'besluit', author: 'u-kees' }), NOW, noText).rows)).toEqual(['c']);
    expect(ids(findRows(rows, q({ period: 'week' }), NOW, noText).rows)).toEqual(['d', 'a', 'b']);
    expect(ids(findRows(rows, q({ period: 'vandaag' }), NOW, noText).rows)).toEqual(['d']);
    expect(ids(findRows(rows, q({ period: 'maand', templateId: 'besluit', status: 'ter-goedkeuring' }), NOW, noText).rows)).toEqual(['a']);
    expect(findRows(rows, q({ period: 'maand' }), NOW, noText).total).toBe(4);
    expect(periodStart('alle', NOW)).toBeNull();
    expect(isNarrowed(emptyQuery)).toBe(false);
    expect(isNarrowed(q({ author: 'u-kees' }))).toBe(true);
    expect(authorsOf(rows)).toEqual([
      { id: 'u-kees', name: 'Kees' },
      { id: 'u-vera', name: 'Vera Veld' },
    ]);
  });

  it('[Q6] sort by updated (newest first), by status (order of work, longest waiting first), by zaak (numeric, none last)', () => {
    const rows = [
      item('a', { zaak: 'ZAAK-10', status: 'in-dms', updatedAt: 5, statusSince: 5 }),
      item('b', { zaak: 'ZAAK-9', status: 'ter-goedkeuring', updatedAt: 4, statusSince: 1 }),
      item('c', { zaak: null, status: 'ter-goedkeuring', updatedAt: 3, statusSince: 3 }),
      item('d', { zaak: 'zaak-9', status: 'levering-mislukt', updatedAt: 2, statusSince: 2 }),
      item('e', { zaak: '', status: null, updatedAt: 1, statusSince: 1 }),
    ];
    const sorted = (key: FindQuery['sort']): string[] => ids([...rows].sort(compareItems(key)));
    expect(sorted('bijgewerkt')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(sorted('status')).toEqual(['e', 'd', 'b', 'c', 'a']);
    expect(sorted('zaak')).toEqual(['b', 'd', 'a', 'c', 'e']);
    // Ties on every key: the id decides, so the order never jumps between renders.
    const same = [item('y', { updatedAt: 1 }), item('x', { updatedAt: 1 })];
    expect(ids([...same].sort(compareItems('bijgewerkt')))).toEqual(['x', 'y']);
  });
});
