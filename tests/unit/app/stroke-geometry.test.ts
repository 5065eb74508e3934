// The signature pad's geometry (A4): pointer positions scaled into the 1000×400 drawing box as
// integers, clamped to it, and simplified until a long signature fits SIGNATURE_LIMITS, so what
// the pad hands to addSignature always passes checkStrokes.
import { describe, expect, it } from 'vitest';
import { checkStrokes, SIGNATURE_LIMITS } from '../../../shared/model/signatures';
import { dropRepeats, simplify, toBoxPoint, toStoredStrokes, type Point } from '../../../client/app/readalong/stroke-geometry';

describe('stroke geometry', () => {
  it('[A4] scales CSS pixels of any canvas size into the box, rounded and clamped', () => {
    expect(toBoxPoint({ x: 160, y: 64 }, 320, 128)).toEqual({ x: 500, y: 200 });
    expect(toBoxPoint({ x: 33.3, y: 10.1 }, 333, 133.2)).toEqual({ x: 100, y: 30 });
    expect(toBoxPoint({ x: -5, y: 999 }, 320, 128)).toEqual({ x: 0, y: 400 });
    expect(toBoxPoint({ x: Number.NaN, y: 10 }, 0, 0)).toEqual({ x: 0, y: 0 });
  });

  it('[A4] drops repeated points and simplifies a straight line to its ends', () => {
    expect(dropRepeats([{ x: 1, y: 1 }, { x: 1, y: 1 }, { x: 2, y: 2 }])).toEqual([{ x: 1, y: 1 }, { x: 2, y: 2 }]);
    const line = Array.from({ length: 50 }, (_, i) => ({ x: i * 10, y: i * 4 }));
    expect(simplify(line, 1)).toEqual([line[0], line[49]]);
    const corner = [{ x: 0, y: 0 }, { x: 50, y: 0 }, { x: 100, y: 0 }, { x: 100, y: 100 }];
    expect(simplify(corner, 1)).toEqual([{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 100, y: 100 }]);
  });

  it('[A4] a drawing is stored as flat integer strokes that pass checkStrokes', () => {
    const stored = toStoredStrokes([[{ x: 10.4, y: 20.6 }, { x: 10.4, y: 20.6 }, { x: 2000, y: -3 }], [], [{ x: 5, y: 5 }]]);
    expect(stored).toEqual([[10, 21, 1000, 0], [5, 5]]);
    expect(checkStrokes(stored)).toEqual(stored);
    expect(toStoredStrokes([])).toEqual([]);
  });

  it('[A4] a signature with too many points is simplified until it fits, keeping its shape', () => {
    // A scribble: 30 strokes of 400 points each, a wave through the box.
    const strokes: Point[][] = Array.from({ length: 30 }, (_, s) =>
      Array.from({ length: 400 }, (_, i) => ({ x: (i * 2.5) % 1000, y: 200 + Math.round(150 * Math.sin((i + s) / 7)) })),
    );
    const stored = toStoredStrokes(strokes);
    const points = stored.reduce((n, s) => n + s.length / 2, 0);
    expect(points).toBeLessThanOrEqual(SIGNATURE_LIMITS.points);
    expect(points).toBeGreaterThan(SIGNATURE_LIMITS.points / 10);
    expect(stored).toHaveLength(30);
    expect(checkStrokes(stored)).not.toBeNull();
  });

  it('[A4] more strokes than allowed are cut at the limit; a tiny budget keeps only ends', () => {
    const many = Array.from({ length: SIGNATURE_LIMITS.strokes + 5 }, (_, i) => [{ x: i, y: i }]);
    expect(toStoredStrokes(many)).toHaveLength(SIGNATURE_LIMITS.strokes);
    const zigzag = Array.from({ length: 3 }, () => Array.from({ length: 100 }, (_, i) => ({ x: i * 10, y: i % 2 === 0 ? 0 : 400 })));
    const stored = toStoredStrokes(zigzag, { strokes: 10, points: 5 });
    expect(stored.reduce((n, s) => n + s.length / 2, 0)).toBeLessThanOrEqual(5);
    expect(checkStrokes(stored)).not.toBeNull();
  });
});
