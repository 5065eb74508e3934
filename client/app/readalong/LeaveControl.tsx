// "Terug naar ambtenaar": how the official ends read-along mode. A tap is not enough (the
// citizen holds the phone and taps things); the button must be held for HOLD_MS, with visible
// progress. Who cannot hold a button (keyboard, switch, screen reader: a click without a pointer
// press) gets a confirm step instead, which is just as deliberate.
import { useEffect, useRef, useState } from 'preact/hooks';

export const HOLD_MS = 2000;

export function LeaveControl({ onLeave }: { onLeave: () => void }) {
  const [progress, setProgress] = useState(0);
  const [hint, setHint] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const hold = useRef<{ start: number; frame: number } | null>(null);
  const pressed = useRef(false);
  const confirmRef = useRef<HTMLButtonElement>(null);

  const stop = (): void => {
    if (hold.current !== null) cancelAnimationFrame(hold.current.frame);
    hold.current = null;
    setProgress(0);
  };
  // Unmounted mid-hold (the document closed): no frame may fire onLeave afterwards.
  useEffect(
    () => () => {
      if (hold.current !== null) cancelAnimationFrame(hold.current.frame);
      hold.current = null;
    },
    [],
  );
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const tick = (): void => {
    const current = hold.current;
    if (current === null) return;
    const done = Math.min(1, (performance.now() - current.start) / HOLD_MS);
    setProgress(done);
    if (done >= 1) {
      hold.current = null;
      onLeave();
      return;
    }
    current.frame = requestAnimationFrame(tick);
  };

  const onPointerDown = (e: PointerEvent): void => {
    if (e.button !== 0) return;
    pressed.current = true;
    setHint(false);
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    hold.current = { start: performance.now(), frame: requestAnimationFrame(tick) };
  };

  const onPointerEnd = (): void => {
    if (hold.current !== null) setHint(true);
    stop();
  };

  const onClick = (): void => {
    // A click that followed a pointer press was a tap: the hold decides, not the click.
    if (pressed.current) {
      pressed.current = false;
      return;
    }
    setConfirming(true);
  };

  if (confirming) {
    return (
      <section class="kt-read-along__leave kt-read-along__leave--confirm" aria-label="Meelezen afsluiten" data-testid="leave-confirm">
        <p class="utrecht-paragraph">
          <strong>Dit is voor de ambtenaar.</strong> Wilt u meelezen afsluiten en het document teruggeven?
        </p>
        <div class="utrecht-button-group kt-button-row">
          <button ref={confirmRef} type="button" class="utrecht-button utrecht-button--primary-action" data-testid="leave-confirm-yes" onClick={onLeave}>
            Ja, terug naar ambtenaar
          </button>
          <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => setConfirming(false)}>
            Nee, blijf meelezen
          </button>
        </div>
      </section>
    );
  }

  return (
    <section class="kt-read-along__leave" aria-label="Terug naar ambtenaar">
      <button
        type="button"
        class="utrecht-button utrecht-button--secondary-action kt-hold-button"
        data-testid="leave-hold"
        aria-describedby="kt-leave-help"
        onPointerDown={onPointerDown}
        onPointerUp={onPointerEnd}
        onPointerCancel={onPointerEnd}
        onContextMenu={(e) => e.preventDefault()}
        onClick={onClick}
      >
        <span class="kt-hold-button__fill" style={{ transform: `scaleX(${progress})` }} aria-hidden="true" />
        <span class="kt-hold-button__label">Terug naar ambtenaar</span>
      </button>
      <progress class="kt-visually-hidden" max={100} value={Math.round(progress * 100)} aria-label="Vasthouden" />
      <p id="kt-leave-help" class="utrecht-paragraph kt-read-along__help" data-testid="leave-help">
        {hint ? 'Houd de knop 2 seconden ingedrukt.' : 'Voor de ambtenaar: houd de knop 2 seconden ingedrukt.'}{' '}
        <button type="button" class="kt-link-button" onClick={() => setConfirming(true)}>
          Of bevestig in twee stappen
        </button>
      </p>
    </section>
  );
}
