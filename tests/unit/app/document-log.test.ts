import { describe, expect, it } from 'vitest';
import { documentLogLine } from '../../../client/app/logic/document-log';
import { formatDateTime } from '../../../client/app/logic/format';
import { AUDIT_ACTIONS } from '../../../server/audit/types';
import { AUDIT_ACTION_LABELS } from '../../../shared/protocol/audit';

describe('document log lines (U8)', () => {
  const at = Date.UTC(2026, 11, 3, 9, 30);
  it('[U8] says what happened in Dutch, with the version and by whom when known', () => {
    expect(documentLogLine({ at, action: 'approved', byName: 'Karim Kantoor', version: 2 })).toBe(`${formatDateTime(at)}: Goedgekeurd (versie 2) door Karim Kantoor`);
    expect(documentLogLine({ at, action: 'delivered', byName: null, version: 1 })).toBe(`${formatDateTime(at)}: In het DMS gezet (versie 1)`);
    expect(documentLogLine({ at, action: 'iets-nieuws', byName: null, version: null })).toBe(`${formatDateTime(at)}: iets-nieuws`);
  });

  it('[U8] every action the server records has a Dutch label', () => {
    expect(AUDIT_ACTIONS.filter((a) => AUDIT_ACTION_LABELS[a] === undefined)).toEqual([]);
  });
});
