// Turns what a finger drew on the signature pad into strokes a document may keep: scaled from
// the canvas's CSS pixels into the 1000×400 drawing box (shared/model/signatures.ts), integer
// coordinates, clamped into the box, and simplified (Ramer–Douglas–Peucker, tolerance raised
// step by step) until the whole signature fits SIGNATURE_LIMITS. Pure, so it is unit-tested;
// the pad only collects points.
import { SIGNATURE_BOX, SIGNATURE_LIMITS, type Stroke } from '../../../shared/model/signatures';

export interface Point {
  x: number;
  y: number;
}

/** One pointer position in CSS pixels of a canvas of `width`×`height`, into the drawing box. */
export function toBoxPoint(p: Point, width: number, height: number): Point {
  const sx = width > 0 ? SIGNATURE_BOX.width / width : 0;
  const sy = height > 0 ? SIGNATURE_BOX.height / height : 0;
  return { x: clampInt(p.x * sx, SIGNATURE_BOX.width), y: clampInt(p.y * sy, SIGNATURE_BOX.height) };
}

function clampInt(v: number, max: number): number {
  if (!Number.isFinite(v)) return 0;
  return Math.min(max, Math.max(0, Math.round(v)));
}

/** Drops a point equal to the one before it: a finger that rests adds nothing. */
export function dropRepeats(points: readonly Point[]): Point[] {
  return points.filter((p, i) => i === 0 || p.x !== points[i - 1]!.x || p.y !== points[i - 1]!.y);
}

/** Ramer–Douglas–Peucker: the fewest points that stay within `tolerance` of the line drawn. */
export function simplify(points: readonly Point[], tolerance: number): Point[] {
  if (points.length <= 2 || tolerance <= 0) return [...points];
  const keep = new Array<boolean>(points.length).fill(false);
  keep[0] = true;
  keep[points.length - 1] = true;
  // An explicit stack instead of recursion: a long stroke must not exhaust the call stack.
  const stack: [number, number][] = [[0, points.length - 1]];
  while (stack.length > 0) {
    const [first, last] = stack.pop()!;
    let farthest = -1;
    let distance = tolerance;
    for (let i = first + 1; i < last; i++) {
      const d = distanceToSegment(points[i]!, points[first]!, points[last]!);
      if (d > distance) {
        distance = d;
        farthest = i;
      }
    }
    if (farthest >= 0) {
      keep[farthest] = true;
      stack.push([first, farthest], [farthest, last]);
    }
  }
  return points.filter((_, i) => keep[i]);
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  if (length2 === 0) return Math.hypot(p.x - a.x, p.y - a.y);
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/**
 * The strokes as the document keeps them: points already in the drawing box, repeats dropped,
 * simplified until the total fits `limits.points`; strokes beyond `limits.strokes` are dropped
 * (the pad stops taking new strokes before that). An empty drawing gives [].
 */
export function toStoredStrokes(
  strokes: readonly (readonly Point[])[],
  limits: { strokes: number; points: number } = SIGNATURE_LIMITS,
): Stroke[] {
  const cleaned = strokes
    .slice(0, limits.strokes)
    .map((s) => dropRepeats(s.map((p) => ({ x: clampInt(p.x, SIGNATURE_BOX.width), y: clampInt(p.y, SIGNATURE_BOX.height) }))))
    .filter((s) => s.length > 0);
  let tolerance = 0;
  let result = cleaned;
  const total = (list: readonly Point[][]): number => list.reduce((n, s) => n + s.length, 0);
  while (total(result) > limits.points) {
    tolerance = tolerance === 0 ? 0.5 : tolerance * 2;
    result = cleaned.map((s) => simplify(s, tolerance));
    // Even a straight line keeps its two ends: past a tolerance the size of the box nothing
    // more can go, so a drawing of more strokes than half the point budget keeps ends only.
    if (tolerance > SIGNATURE_BOX.width * 2) {
      result = result.map((s) => (s.length > 2 ? [s[0]!, s[s.length - 1]!] : s));
      while (total(result) > limits.points) result = result.slice(0, -1);
      break;
    }
  }
  return result.map((s) => s.flatMap((p) => [p.x, p.y]));
}
