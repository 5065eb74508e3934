// The editor's "Ingediende PDF" link and DMS reference read the newest submission from
// `GET /api/documents/<id>`; an odd answer gives no link rather than a wrong one.
import { describe, expect, it } from 'vitest';
import { latestSubmission } from '../../../client/app/logic/latest-submission';

describe('latest submission', () => {
  it('[O1] the newest version carries its DMS reference only once archived', () => {
    expect(
      latestSubmission({
        submissions: [
          { version: 1, dmsReference: 'https://dms.example/eio/1' },
          { version: 2, dmsReference: null },
        ],
      }),
    ).toEqual({ version: 2, dmsReference: null });
    expect(latestSubmission({ submissions: [{ version: 3, dmsReference: 'KT-ab12-v3' }, { version: 1 }] })).toEqual({
      version: 3,
      dmsReference: 'KT-ab12-v3',
    });
  });

  it('ignores what is not a submission', () => {
    expect(latestSubmission(null)).toBeNull();
    expect(latestSubmission({ submissions: 'x' })).toBeNull();
    expect(latestSubmission({ submissions: [{ version: '2' }, { version: 1.5 }, null, { version: 1, dmsReference: '  ' }] })).toEqual({
      version: 1,
      dmsReference: null,
    });
  });
});
