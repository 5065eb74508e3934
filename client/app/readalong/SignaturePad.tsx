// The signature pad of read-along mode: a canvas the citizen draws on with a finger, pen or
// mouse (pointer events, so touch and mouse are one path). Points are kept in the 1000×400
// drawing box from the start, so turning the phone mid-signature does not distort what was
// drawn; the canvas is redrawn from them at the device's pixel ratio. "Opnieuw" clears it.
// Someone who cannot draw can set a cross, the old mark of a signature.
import { useEffect, useImperativeHandle, useRef, useState } from 'preact/hooks';
import type { Ref } from 'preact';
import { SIGNATURE_BOX, SIGNATURE_LIMITS } from '../../../shared/model/signatures';
import { toBoxPoint, type Point } from './stroke-geometry';

export interface SignaturePadHandle {
  /** The strokes drawn so far, in the drawing box (not yet simplified). */
  strokes(): Point[][];
  clear(): void;
}

interface Props {
  padRef: Ref<SignaturePadHandle>;
  /** Called when the drawing goes from empty to drawn or back. */
  onInkChange: (hasInk: boolean) => void;
  describedBy?: string | undefined;
}

const CROSS: Point[][] = [
  [
    { x: 400, y: 120 },
    { x: 600, y: 320 },
  ],
  [
    { x: 600, y: 120 },
    { x: 400, y: 320 },
  ],
];

export function SignaturePad({ padRef, onInkChange, describedBy }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const strokes = useRef<Point[][]>([]);
  const active = useRef<{ pointerId: number; stroke: Point[] } | null>(null);
  const [full, setFull] = useState(false);
  const inkChange = useRef(onInkChange);
  inkChange.current = onInkChange;

  const redraw = (): void => {
    const canvas = canvasRef.current;
    if (canvas === null) return;
    const rect = canvas.getBoundingClientRect();
    const ratio = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(rect.width * ratio));
    const h = Math.max(1, Math.round(rect.height * ratio));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = canvas.getContext('2d');
    if (ctx === null) return;
    ctx.clearRect(0, 0, w, h);
    ctx.lineWidth = Math.max(2, 3 * ratio);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.strokeStyle = '#0b0c0c';
    const sx = w / SIGNATURE_BOX.width;
    const sy = h / SIGNATURE_BOX.height;
    for (const stroke of strokes.current) {
      const first = stroke[0];
      if (first === undefined) continue;
      ctx.beginPath();
      ctx.moveTo(first.x * sx, first.y * sy);
      // A single tap is a dot: draw it as a very short line so round caps show it.
      if (stroke.length === 1) ctx.lineTo(first.x * sx + 0.1, first.y * sy);
      for (const p of stroke.slice(1)) ctx.lineTo(p.x * sx, p.y * sy);
      ctx.stroke();
    }
  };

  const setStrokes = (next: Point[][]): void => {
    const had = strokes.current.length > 0;
    strokes.current = next;
    setFull(next.length >= SIGNATURE_LIMITS.strokes);
    redraw();
    if (had !== next.length > 0) inkChange.current(next.length > 0);
  };

  useImperativeHandle(padRef, () => ({ strokes: () => strokes.current.map((s) => [...s]), clear: () => setStrokes([]) }), []);

  useEffect(() => {
    redraw();
    const onResize = (): void => redraw();
    addEventListener('resize', onResize);
    return () => removeEventListener('resize', onResize);
  }, []);

  const pointOf = (e: PointerEvent): Point => {
    const canvas = canvasRef.current!;
    const rect = canvas.getBoundingClientRect();
    return toBoxPoint({ x: e.clientX - rect.left, y: e.clientY - rect.top }, rect.width, rect.height);
  };

  const onPointerDown = (e: PointerEvent): void => {
    if (active.current !== null || strokes.current.length >= SIGNATURE_LIMITS.strokes) return;
    e.preventDefault();
    (e.currentTarget as HTMLCanvasElement).setPointerCapture(e.pointerId);
    const stroke = [pointOf(e)];
    active.current = { pointerId: e.pointerId, stroke };
    setStrokes([...strokes.current, stroke]);
  };

  const onPointerMove = (e: PointerEvent): void => {
    const current = active.current;
    if (current === null || current.pointerId !== e.pointerId) return;
    e.preventDefault();
    // Coalesced events keep a fast signature smooth on phones that batch pointer moves.
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const ev of events.length > 0 ? events : [e]) current.stroke.push(pointOf(ev));
    redraw();
  };

  const onPointerEnd = (e: PointerEvent): void => {
    if (active.current?.pointerId === e.pointerId) active.current = null;
  };

  return (
    <div class="kt-signature-pad">
      <canvas
        ref={canvasRef}
        class="kt-signature-pad__canvas"
        role="img"
        aria-label="Tekenvak voor uw handtekening"
        aria-describedby={describedBy}
        data-testid="signature-canvas"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerEnd}
        onPointerCancel={onPointerEnd}
      />
      {full && (
        <p class="utrecht-paragraph kt-muted" role="status">
          Het vak is vol. Tik op ‘Opnieuw’ als u opnieuw wilt tekenen.
        </p>
      )}
      <div class="utrecht-button-group kt-button-row">
        <button type="button" class="utrecht-button utrecht-button--secondary-action" data-testid="signature-clear" onClick={() => setStrokes([])}>
          Opnieuw
        </button>
        <button
          type="button"
          class="utrecht-button utrecht-button--secondary-action"
          data-testid="signature-cross"
          onClick={() => setStrokes(CROSS.map((s) => [...s]))}
        >
          Ik kan niet tekenen: zet een kruisje
        </button>
      </div>
    </div>
  );
}
