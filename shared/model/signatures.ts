// The `signatures` root of a document: a Y.Array of Y.Map, one per signature drawn on the
// device in read-along mode (the citizen confirming the agreements). A signature keeps who signed,
// when, the strokes as drawn and the agreements as they read when signed (`agreed`), so a change
// to the agreements afterwards is visible: that signature no longer covers them. Strokes are
// vectors, not an image: small in the CRDT, sharp in the PDF, and checkable. Reads are
// defensive: a signature came from a device, so anything out of bounds reads as unreadable.
import * as Y from 'yjs';
import { dutchDateOf } from '../templates/fill';
import { readAgreements, type Agreement } from './agreements';

/** The drawing box: x in 0..WIDTH, y in 0..HEIGHT, integers (2.5 : 1, a signature line). */
export const SIGNATURE_BOX = { width: 1000, height: 400 } as const;
/** Bounds a hostile or stuck device cannot exceed. */
export const SIGNATURE_LIMITS = { strokes: 64, points: 4000, name: 120 } as const;

/** One stroke: x0, y0, x1, y1, … in the drawing box. */
export type Stroke = number[];

export interface Signature {
  /** The name the signer gave, as printed under the signature. */
  name: string;
  /** 'burger': the citizen at the table; the only role so far. */
  role: 'burger';
  /** ms since epoch, the device's clock when the signer confirmed. */
  signedAt: number;
  strokes: Stroke[];
  /** The agreements as they read when signed, one line each (agreementLines). */
  agreed: string[];
}

/** The agreements as one line each, the text a signature covers. */
export function agreementLines(agreements: readonly (Agreement | null)[]): string[] {
  return agreements.flatMap((a) => (a === null ? [] : [`${a.wat.trim()} — ${a.wie.trim()}, ${dutchDateOf(a.wanneer.trim())}`]));
}

/** Null when the strokes break a bound; a drawing with no ink is no signature either. */
export function checkStrokes(value: unknown): Stroke[] | null {
  if (!Array.isArray(value) || value.length === 0 || value.length > SIGNATURE_LIMITS.strokes) return null;
  let points = 0;
  const strokes: Stroke[] = [];
  for (const stroke of value) {
    if (!Array.isArray(stroke) || stroke.length < 2 || stroke.length % 2 !== 0) return null;
    points += stroke.length / 2;
    if (points > SIGNATURE_LIMITS.points) return null;
    const out: number[] = [];
    for (let i = 0; i < stroke.length; i += 2) {
      const x: unknown = stroke[i];
      const y: unknown = stroke[i + 1];
      if (!isCoordinate(x, SIGNATURE_BOX.width) || !isCoordinate(y, SIGNATURE_BOX.height)) return null;
      out.push(x, y);
    }
    strokes.push(out);
  }
  return strokes;
}

function isCoordinate(v: unknown, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;
}

/** The `signatures` list; an entry that breaks a bound reads as null (unreadable). */
export function readSignatures(doc: Y.Doc): (Signature | null)[] {
  return doc
    .getArray<unknown>('signatures')
    .toArray()
    .map((item) => {
      if (!(item instanceof Y.Map)) return null;
      const name: unknown = item.get('name');
      const signedAt: unknown = item.get('signedAt');
      const agreed: unknown = item.get('agreed');
      const strokes = checkStrokes(item.get('strokes'));
      if (typeof name !== 'string' || name.trim() === '' || name.length > SIGNATURE_LIMITS.name) return null;
      if (typeof signedAt !== 'number' || !Number.isFinite(signedAt) || signedAt <= 0) return null;
      if (!Array.isArray(agreed) || !agreed.every((l): l is string => typeof l === 'string')) return null;
      if (strokes === null || item.get('role') !== 'burger') return null;
      return { name: name.trim(), role: 'burger', signedAt, strokes, agreed };
    });
}

/** Whether a signature still covers the document's agreements as they read now. */
export function coversCurrentAgreements(signature: Signature, doc: Y.Doc): boolean {
  const now = agreementLines(readAgreements(doc));
  return now.length === signature.agreed.length && now.every((line, i) => line === signature.agreed[i]);
}

/**
 * Adds a signature over the agreements as they read now. Throws when the strokes or the name
 * break a bound: the caller (the read-along screen) checks first and says what to do.
 */
export function addSignature(doc: Y.Doc, input: { name: string; signedAt: number; strokes: Stroke[] }): void {
  const strokes = checkStrokes(input.strokes);
  const name = input.name.trim();
  if (strokes === null) throw new Error('signature strokes out of bounds');
  if (name === '' || name.length > SIGNATURE_LIMITS.name) throw new Error('signature name empty or too long');
  const entry = new Y.Map<unknown>();
  doc.transact(() => {
    entry.set('name', name);
    entry.set('role', 'burger');
    entry.set('signedAt', input.signedAt);
    entry.set('strokes', strokes);
    entry.set('agreed', agreementLines(readAgreements(doc)));
    doc.getArray('signatures').push([entry]);
  });
}
