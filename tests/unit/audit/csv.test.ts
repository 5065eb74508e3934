import { describe, expect, it } from 'vitest';
import { auditCsv, csvCell } from '../../../server/audit/csv';

describe('audit CSV (U7)', () => {
  it('[U7] a cell a spreadsheet would run as a formula starts with an apostrophe', () => {
    for (const hostile of ['=HYPERLINK("http://x")', '+31', '-1', '@SUM(A1)', '\tx', '\rx']) {
      expect(csvCell(hostile)).toBe(`"'${hostile.replace(/"/g, '""')}"`);
    }
    expect(csvCell('Vera "V" Veld')).toBe('"Vera ""V"" Veld"');
  });

  it('[U7] the file is UTF-8 with a BOM, a header and CRLF lines, every field quoted', () => {
    const text = auditCsv([
      { seq: 1, at: '2026-12-03T09:00:00.000Z', action: 'sign-in', userId: 'u', userName: '=Bea', deviceId: 'd', documentId: null, address: '::1', details: { method: 'password' } },
    ]);
    expect(text.startsWith('\uFEFF"volgnummer",')).toBe(true);
    expect(text.split('\r\n')[1]).toBe('"1","2026-12-03T09:00:00.000Z","sign-in","u","\'=Bea","d","","::1","{""method"":""password""}"');
    expect(text.endsWith('\r\n')).toBe(true);
  });
});
