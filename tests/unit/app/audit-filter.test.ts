import { describe, expect, it } from 'vitest';
import { auditQuery } from '../../../client/app/logic/audit-filter';

describe('audit screen filter (U6)', () => {
  it('[U6] sends the local days as instants, "tot en met" as the start of the next day', () => {
    const q = new URLSearchParams(auditQuery({ user: ' u-1 ', document: '', from: '2026-12-01', through: '2026-12-03' }, { after: 40 }));
    expect(q.get('user')).toBe('u-1');
    expect(q.has('document')).toBe(false);
    expect(q.get('from')).toBe(new Date(2026, 11, 1).toISOString());
    expect(q.get('to')).toBe(new Date(2026, 11, 4).toISOString());
    expect(q.get('after')).toBe('40');
  });

  it('[U7] asks for CSV with the same filter, and sends nothing for an empty one', () => {
    expect(new URLSearchParams(auditQuery({ user: '', document: 'doc-1', from: '', through: '' }, { format: 'csv' })).toString()).toBe('document=doc-1&format=csv');
    expect(auditQuery({ user: '', document: '', from: 'gisteren', through: '' })).toBe('');
  });
});
