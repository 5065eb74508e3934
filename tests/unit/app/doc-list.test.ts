// "Mijn documenten" merges the server's index with the documents created on this device that the
// server does not list yet; the inbox filters by workflow status.
import { describe, expect, it } from 'vitest';
import type { IndexEntry } from '../../../shared/model/index-entry';
import { displayTitle, filterByStatus, mergeDocRows } from '../../../client/app/logic/doc-list';

const entry = (id: string, updatedAt: number, status: IndexEntry['status'] = 'concept'): IndexEntry => ({
  id,
  title: `Brief ${id}`,
  templateId: 'brief',
  kind: 'brief',
  zaak: 'ZAAK-1',
  teamId: 'centrum',
  createdBy: 'u1',
  createdAt: 0,
  updatedAt,
  status,
});

describe('mergeDocRows', () => {
  it('[S8] lists documents only this device knows, newest first, and prefers the index row', () => {
    const rows = mergeDocRows(
      [entry('a', 100), entry('b', 300)],
      [
        { id: 'b', templateId: 'brief', title: 'oud', createdAt: 50 },
        { id: 'c', templateId: 'brief', title: 'Offline geschreven', createdAt: 200 },
      ],
    );
    expect(rows.map((r) => [r.id, r.title, r.entry === null])).toEqual([
      ['b', 'Brief b', false],
      ['c', 'Offline geschreven', true],
      ['a', 'Brief a', false],
    ]);
  });
});

describe('filterByStatus', () => {
  it('keeps all or one status', () => {
    const list = [entry('a', 1, 'concept'), entry('b', 2, 'ingediend'), entry('c', 3, 'in-dms')];
    expect(filterByStatus(list, 'alle')).toHaveLength(3);
    expect(filterByStatus(list, 'ingediend').map((e) => e.id)).toEqual(['b']);
  });
});

describe('displayTitle', () => {
  it('names a document without a subject', () => {
    expect(displayTitle('  ')).toBe('Zonder onderwerp');
    expect(displayTitle('Voorschot')).toBe('Voorschot');
  });
});
