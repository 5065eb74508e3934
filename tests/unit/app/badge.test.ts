// The one badge per document: device status (S1, S2) combined with the workflow status from the
// index room. Device trouble and unsent work win over any workflow label.
import { describe, expect, it } from 'vitest';
import { documentBadge } from '../../../client/app/logic/badge';

describe('documentBadge', () => {
  it('[S1] says nothing is stored while the last edit is on its way into IndexedDB', () => {
    expect(documentBadge({ sync: { state: 'local' }, workflow: null, savingLocally: true })).toEqual({
      label: 'Wordt bewaard op dit apparaat',
      tone: 'busy',
    });
  });

  it('shows the device status while work is not on the server, whatever the workflow says', () => {
    expect(documentBadge({ sync: { state: 'local' }, workflow: null }).label).toBe('Alleen op dit apparaat');
    expect(documentBadge({ sync: { state: 'local' }, workflow: 'ingediend' }).label).toBe('Alleen op dit apparaat');
    expect(documentBadge({ sync: { state: 'sending' }, workflow: 'in-dms' }).label).toBe('Wordt verzonden');
  });

  it('[S2] shows the workflow status only once the server holds everything', () => {
    expect(documentBadge({ sync: { state: 'saved' }, workflow: null }).label).toBe('Opgeslagen op server');
    expect(documentBadge({ sync: { state: 'saved' }, workflow: 'concept' }).label).toBe('Opgeslagen op server');
    expect(documentBadge({ sync: { state: 'saved' }, workflow: 'ingediend' }).label).toBe('Ingediend');
    expect(documentBadge({ sync: { state: 'saved' }, workflow: 'ter-goedkeuring' }).label).toBe('Ter goedkeuring');
    expect(documentBadge({ sync: { state: 'saved' }, workflow: 'in-dms' })).toEqual({ label: 'In DMS', tone: 'success' });
  });

  it('turns every error into "Fout: …" with the reason, before anything else', () => {
    expect(documentBadge({ sync: { state: 'error', reason: 'no-access' }, workflow: 'in-dms', savingLocally: true })).toEqual({
      label: 'Fout: geen toegang tot dit document',
      tone: 'error',
    });
    expect(documentBadge({ sync: { state: 'error', reason: 'storage-full' }, workflow: null }).label).toBe(
      'Fout: opslag op dit apparaat is vol',
    );
    expect(documentBadge({ sync: { state: 'saved' }, workflow: 'levering-mislukt' })).toEqual({
      label: 'Fout: levering aan het DMS mislukt',
      tone: 'error',
    });
  });
});

describe('frozen and returned badges (V3, V8)', () => {
  it('[V3] edits refused as frozen are never "saved"', () => {
    expect(documentBadge({ sync: { state: 'error', reason: 'frozen' }, workflow: 'ter-goedkeuring' })).toEqual({
      label: 'Wijzigingen niet ingediend (bewaard op dit apparaat)',
      tone: 'warning',
    });
  });

  it('[V8] a returned concept reads Teruggestuurd, not Opgeslagen op server', () => {
    expect(documentBadge({ sync: { state: 'saved' }, workflow: 'concept', returned: true })).toEqual({ label: 'Teruggestuurd', tone: 'warning' });
    expect(documentBadge({ sync: { state: 'saved' }, workflow: 'concept' }).label).toBe('Opgeslagen op server');
  });
});
