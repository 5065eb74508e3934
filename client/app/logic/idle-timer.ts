// K13: the idle lock's clock. Calls `onIdle` once when no input came for `timeoutMs`. Input only
// records a time (no timer churn per keystroke); the single timer re-arms itself for what is
// left. `check()` catches up after the page was hidden, when browsers throttle or freeze timers.
// The clock is injected so tests drive time; `browserClock` is the real one.

export interface IdleClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const browserClock: IdleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => window.setTimeout(fn, ms),
  clearTimeout: (handle) => window.clearTimeout(handle as number),
};

export interface IdleTimer {
  /** Input happened: the idle time starts again. Ignored after idle fired or after stop. */
  activity(): void;
  /** Fires `onIdle` now when the idle time has passed (a page coming back from hidden). */
  check(): void;
  stop(): void;
}

export function createIdleTimer(opts: { timeoutMs: number; clock: IdleClock; onIdle: () => void }): IdleTimer {
  const { timeoutMs, clock, onIdle } = opts;
  let last = clock.now();
  let handle: unknown = null;
  let done = false;

  const arm = (ms: number): void => {
    handle = clock.setTimeout(() => {
      handle = null;
      check();
    }, Math.max(0, ms));
  };

  function check(): void {
    if (done) return;
    const left = last + timeoutMs - clock.now();
    if (left <= 0) {
      stop();
      onIdle();
    } else if (handle === null) arm(left);
  }

  function stop(): void {
    done = true;
    if (handle !== null) clock.clearTimeout(handle);
    handle = null;
  }

  arm(timeoutMs);
  return {
    activity() {
      if (!done) last = clock.now();
    },
    check,
    stop,
  };
}

/** The inputs that count as "the user is here" (capture: an editor that stops propagation still counts). */
export const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart', 'scroll'] as const;

/** Wires a timer to the document: input resets it, coming back from hidden checks it. */
export function watchDocumentActivity(doc: Document, timer: IdleTimer): () => void {
  const onActivity = (): void => timer.activity();
  const onVisibility = (): void => {
    if (doc.visibilityState === 'visible') timer.check();
  };
  for (const type of ACTIVITY_EVENTS) doc.addEventListener(type, onActivity, { capture: true, passive: true });
  doc.addEventListener('visibilitychange', onVisibility);
  return () => {
    for (const type of ACTIVITY_EVENTS) doc.removeEventListener(type, onActivity, { capture: true });
    doc.removeEventListener('visibilitychange', onVisibility);
  };
}
