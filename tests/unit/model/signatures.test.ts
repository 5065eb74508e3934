// Signatures given in read-along mode (A4): they keep name, time, the strokes and the agreement
// lines they covered; anything a hostile or broken device wrote out of bounds reads as null.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAgreement, updateAgreement } from '../../../shared/model/agreements';
import {
  addSignature,
  agreementLines,
  checkStrokes,
  coversCurrentAgreements,
  readSignatures,
  SIGNATURE_BOX,
  SIGNATURE_LIMITS,
} from '../../../shared/model/signatures';

const STROKES = [
  [0, 0, 500, 200, 1000, 400],
  [10, 390],
];

function docWithAgreement(): Y.Doc {
  const doc = new Y.Doc();
  addAgreement(doc, { wat: 'Huishoudelijke hulp aanvragen', wie: 'Peter', wanneer: '2026-04-01' });
  return doc;
}

/** Writes a raw signature entry, as any device could. */
function rawSignature(doc: Y.Doc, values: Record<string, unknown>): void {
  const entry = new Y.Map<unknown>();
  const base: Record<string, unknown> = { name: 'Jan', role: 'burger', signedAt: 1_700_000_000_000, strokes: STROKES, agreed: [] };
  for (const [k, v] of Object.entries({ ...base, ...values })) entry.set(k, v);
  doc.getArray('signatures').push([entry]);
}

describe('signatures', () => {
  it('[A4] a signature keeps name, time, strokes and the agreements it covered', () => {
    const doc = docWithAgreement();
    addSignature(doc, { name: '  Jan de Vries ', signedAt: 1_774_000_000_000, strokes: STROKES });
    const [sig] = readSignatures(doc);
    expect(sig).toEqual({
      name: 'Jan de Vries',
      role: 'burger',
      signedAt: 1_774_000_000_000,
      strokes: STROKES,
      agreed: ['Huishoudelijke hulp aanvragen — Peter, 1 april 2026'],
    });
    expect(agreementLines([null, { wat: ' a ', wie: ' b ', wanneer: 'volgende week' }])).toEqual(['a — b, volgende week']);
  });

  it('[A4] coversCurrentAgreements turns false when an agreement changes, is added or removed after signing', () => {
    const doc = docWithAgreement();
    addSignature(doc, { name: 'Jan', signedAt: 1, strokes: STROKES });
    const sig = readSignatures(doc)[0]!;
    expect(coversCurrentAgreements(sig, doc)).toBe(true);
    // Whitespace around a value does not change what was agreed.
    updateAgreement(doc, 0, 'wie', 'Peter ');
    expect(coversCurrentAgreements(sig, doc)).toBe(true);
    updateAgreement(doc, 0, 'wanneer', '2026-04-02');
    expect(coversCurrentAgreements(sig, doc)).toBe(false);
    updateAgreement(doc, 0, 'wanneer', '2026-04-01');
    expect(coversCurrentAgreements(sig, doc)).toBe(true);
    addAgreement(doc, { wat: 'Nog iets', wie: 'Consulent', wanneer: 'morgen' });
    expect(coversCurrentAgreements(sig, doc)).toBe(false);
    doc.getArray('agreements').delete(1, 1);
    expect(coversCurrentAgreements(sig, doc)).toBe(true);
    doc.getArray('agreements').delete(0, 1);
    expect(coversCurrentAgreements(sig, doc)).toBe(false);
  });

  it('[A4] strokes within the bounds pass; the box edges are inside', () => {
    expect(checkStrokes([[0, 0, SIGNATURE_BOX.width, SIGNATURE_BOX.height]])).toEqual([[0, 0, 1000, 400]]);
    const maxStrokes = Array.from({ length: SIGNATURE_LIMITS.strokes }, () => [1, 1]);
    expect(checkStrokes(maxStrokes)).toHaveLength(SIGNATURE_LIMITS.strokes);
    const maxPoints = [Array.from({ length: SIGNATURE_LIMITS.points * 2 }, () => 5)];
    expect(checkStrokes(maxPoints)).not.toBeNull();
  });

  it.each([
    ['no strokes', []],
    ['not an array', 'M0 0 L 10 10'],
    ['a stroke that is not an array', [{ 0: 1, 1: 2 }]],
    ['an odd number of coordinates', [[1, 2, 3]]],
    ['an empty stroke', [[]]],
    ['x beyond the box', [[1001, 0]]],
    ['y beyond the box', [[0, 401]]],
    ['a negative coordinate', [[-1, 0]]],
    ['a fraction', [[1.5, 0]]],
    ['NaN', [[Number.NaN, 0]]],
    ['Infinity', [[Number.POSITIVE_INFINITY, 0]]],
    ['a string coordinate', [['1', 0]]],
    ['too many strokes', Array.from({ length: SIGNATURE_LIMITS.strokes + 1 }, () => [1, 1])],
    ['too many points', [Array.from({ length: (SIGNATURE_LIMITS.points + 1) * 2 }, () => 5)]],
  ])('[A4] hostile strokes are refused: %s', (_label, strokes) => {
    expect(checkStrokes(strokes)).toBeNull();
  });

  it.each([
    ['an empty name', { name: '   ' }],
    ['a name that is too long', { name: 'x'.repeat(SIGNATURE_LIMITS.name + 1) }],
    ['a name of another type', { name: 42 }],
    ['another role', { role: 'ambtenaar' }],
    ['no time', { signedAt: undefined }],
    ['a time of zero', { signedAt: 0 }],
    ['a time that is not finite', { signedAt: Number.POSITIVE_INFINITY }],
    ['a time as text', { signedAt: '2026-03-01' }],
    ['agreed that is not a list', { agreed: 'alles' }],
    ['agreed with a number in it', { agreed: ['a', 3] }],
    ['strokes out of bounds', { strokes: [[0, 5000]] }],
  ])('[A4] a signature entry with %s reads as unreadable', (_label, values) => {
    const doc = new Y.Doc();
    rawSignature(doc, values);
    expect(readSignatures(doc)).toEqual([null]);
  });

  it('[A4] an entry that is not a map reads as unreadable; the others still read', () => {
    const doc = new Y.Doc();
    doc.getArray('signatures').push(['handtekening']);
    rawSignature(doc, {});
    expect(readSignatures(doc).map((s) => s?.name ?? null)).toEqual([null, 'Jan']);
  });

  it('[A4] addSignature refuses what it could not read back', () => {
    const doc = docWithAgreement();
    expect(() => addSignature(doc, { name: 'Jan', signedAt: 1, strokes: [] })).toThrow();
    expect(() => addSignature(doc, { name: 'Jan', signedAt: 1, strokes: [[0, 1.5]] })).toThrow();
    expect(() => addSignature(doc, { name: ' ', signedAt: 1, strokes: STROKES })).toThrow();
    expect(() => addSignature(doc, { name: 'x'.repeat(SIGNATURE_LIMITS.name + 1), signedAt: 1, strokes: STROKES })).toThrow();
    expect(doc.getArray('signatures').length).toBe(0);
  });
});
