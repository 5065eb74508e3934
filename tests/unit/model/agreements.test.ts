// The agreements list as the editor changes it (A1): one field of one row at a time, so two
// people editing different fields of one agreement both keep their words; removal can be undone.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addAgreement,
  AGREEMENT_MAX_LENGTH,
  insertAgreement,
  readAgreements,
  removeAgreement,
  updateAgreement,
} from '../../../shared/model/agreements';

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('agreements', () => {
  it('[A1] updateAgreement changes one field of one agreement', () => {
    const doc = new Y.Doc();
    addAgreement(doc, { wat: 'Huishoudelijke hulp aanvragen', wie: 'Peter', wanneer: '' });
    expect(updateAgreement(doc, 0, 'wanneer', 'volgende week')).toBe(true);
    expect(readAgreements(doc)).toEqual([{ wat: 'Huishoudelijke hulp aanvragen', wie: 'Peter', wanneer: 'volgende week' }]);
    expect(updateAgreement(doc, 1, 'wat', 'x')).toBe(false);
    expect(updateAgreement(doc, -1, 'wat', 'x')).toBe(false);
    expect(updateAgreement(doc, 0.5, 'wat', 'x')).toBe(false);
  });

  it('[A1] edits of different fields of one agreement by two people merge per field', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    addAgreement(a, { wat: 'Gesprek', wie: '', wanneer: '' });
    sync(a, b);
    updateAgreement(a, 0, 'wie', 'Consulent');
    updateAgreement(b, 0, 'wanneer', '2026-04-01');
    sync(a, b);
    const expected = [{ wat: 'Gesprek', wie: 'Consulent', wanneer: '2026-04-01' }];
    expect(readAgreements(a)).toEqual(expected);
    expect(readAgreements(b)).toEqual(expected);
  });

  it('[A1] a value is capped and an unchanged value writes nothing', () => {
    const doc = new Y.Doc();
    addAgreement(doc, { wat: 'a', wie: 'b', wanneer: 'c' });
    let updates = 0;
    doc.on('update', () => updates++);
    updateAgreement(doc, 0, 'wat', 'a');
    expect(updates).toBe(0);
    updateAgreement(doc, 0, 'wat', 'x'.repeat(AGREEMENT_MAX_LENGTH + 10));
    expect(readAgreements(doc)[0]!.wat).toHaveLength(AGREEMENT_MAX_LENGTH);
  });

  it('[A1] removeAgreement returns what it removed and insertAgreement puts it back in place', () => {
    const doc = new Y.Doc();
    addAgreement(doc, { wat: 'een', wie: 'A', wanneer: 'maandag' });
    addAgreement(doc, { wat: 'twee', wie: 'B', wanneer: 'dinsdag' });
    addAgreement(doc, { wat: 'drie', wie: 'C', wanneer: 'woensdag' });
    const removed = removeAgreement(doc, 1);
    expect(removed).toEqual({ wat: 'twee', wie: 'B', wanneer: 'dinsdag' });
    expect(readAgreements(doc).map((a) => a?.wat)).toEqual(['een', 'drie']);
    insertAgreement(doc, 1, removed!);
    expect(readAgreements(doc).map((a) => a?.wat)).toEqual(['een', 'twee', 'drie']);
    expect(removeAgreement(doc, 7)).toBeNull();
    insertAgreement(doc, 99, { wat: 'vier', wie: 'D', wanneer: 'donderdag' });
    expect(readAgreements(doc).map((a) => a?.wat)).toEqual(['een', 'twee', 'drie', 'vier']);
  });

  it('[A1] an unreadable entry is removable but not updatable', () => {
    const doc = new Y.Doc();
    doc.getArray('agreements').push(['kapot']);
    expect(readAgreements(doc)).toEqual([null]);
    expect(updateAgreement(doc, 0, 'wat', 'x')).toBe(false);
    expect(removeAgreement(doc, 0)).toBeNull();
    expect(doc.getArray('agreements').length).toBe(0);
  });
});
