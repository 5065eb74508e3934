// K13: the idle lock fires after `idleLockMs` without input, input postpones it, and a page that
// comes back from hidden after the time has passed locks at once. A controlled clock drives time.
import { describe, expect, it } from 'vitest';
import { createIdleTimer, type IdleClock } from '../../../client/app/logic/idle-timer';

function fakeClock(): IdleClock & { advance(ms: number): void; pending(): number } {
  let now = 1_000_000;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (due === undefined) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
    pending: () => timers.size,
  };
}

describe('idle timer', () => {
  it('[K13] locks after the idle time without input, once', () => {
    const clock = fakeClock();
    let idle = 0;
    createIdleTimer({ timeoutMs: 300_000, clock, onIdle: () => idle++ });
    clock.advance(299_999);
    expect(idle).toBe(0);
    clock.advance(1);
    expect(idle).toBe(1);
    clock.advance(10 * 300_000);
    expect(idle).toBe(1);
    expect(clock.pending()).toBe(0);
  });

  it('[K13] input postpones the lock to idle time after the last input', () => {
    const clock = fakeClock();
    let idle = 0;
    const timer = createIdleTimer({ timeoutMs: 300_000, clock, onIdle: () => idle++ });
    clock.advance(200_000);
    timer.activity();
    clock.advance(200_000);
    timer.activity();
    clock.advance(299_000);
    expect(idle).toBe(0);
    clock.advance(1_000);
    expect(idle).toBe(1);
    // Input after the lock does not revive the timer.
    timer.activity();
    clock.advance(600_000);
    expect(idle).toBe(1);
  });

  it('[K13] a page back from hidden locks at once when the time passed while its timers were frozen', () => {
    const clock = fakeClock();
    // A frozen page: time moves on, but no timer ever fires.
    const frozen: IdleClock = { now: () => clock.now(), setTimeout: () => 0, clearTimeout: () => undefined };
    let idle = 0;
    const timer = createIdleTimer({ timeoutMs: 300_000, clock: frozen, onIdle: () => idle++ });
    clock.advance(299_000);
    timer.check();
    expect(idle).toBe(0);
    clock.advance(101_000);
    expect(idle).toBe(0);
    timer.check();
    expect(idle).toBe(1);
  });

  it('[K13] stop() ends it without locking', () => {
    const clock = fakeClock();
    let idle = 0;
    const timer = createIdleTimer({ timeoutMs: 1_000, clock, onIdle: () => idle++ });
    timer.stop();
    clock.advance(5_000);
    timer.check();
    expect(idle).toBe(0);
    expect(clock.pending()).toBe(0);
  });
});
