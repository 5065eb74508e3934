// The loop both device queues run (W1's action queue, F24's attachment uploads): one pass at a
// time; a call during a pass asks for one more pass; a pass that could not finish ("stalled")
// waits for its backoff timer; a failing device store retries later. One place, so both queues
// behave alike when the network comes and goes.
import { backoffDelay, type BackoffOptions } from './backoff';

/** 'stalled': a backoff timer (or a new sign-in) brings the next attempt; anything else: done for now. */
export type PassResult = 'stalled' | 'finished' | 'gated';

export interface RetryRunnerOptions {
  pass: () => Promise<PassResult>;
  /** A pass threw (the device's store failed): said before the retry is scheduled. */
  onPassError?: () => void;
  backoff: BackoffOptions;
  random: () => number;
  /**
   * A call that came in during a stalled pass (the network came back while it failed) gets one
   * more try this soon, instead of the whole backoff.
   */
  calledDuringStallRetryMs?: number;
}

export interface RetryRunner {
  /** Runs a pass now, or one more after the running one; resolves when the running passes end. */
  run(): Promise<void>;
  /** A failed attempt: the next pass after the backoff, which grows with each failure. */
  retryLater(): void;
  /** An attempt that got through: the backoff starts over. */
  succeeded(): void;
  idle(): Promise<void>;
  readonly stopped: boolean;
  /** No more passes or timers; a running pass may finish. */
  stop(): void;
}

export const CALLED_DURING_STALL_RETRY_MS = 1_000;

export function createRetryRunner(opts: RetryRunnerOptions): RetryRunner {
  const soon = opts.calledDuringStallRetryMs ?? CALLED_DURING_STALL_RETRY_MS;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let failures = 0;
  let stopped = false;

  function later(delayMs: number): void {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, delayMs);
  }

  function retryLater(): void {
    if (stopped) return;
    failures++;
    later(backoffDelay(failures, opts.backoff, opts.random));
  }

  function run(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running !== null) {
      again = true;
      return running;
    }
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
    running = (async () => {
      let result: PassResult;
      do {
        again = false;
        try {
          result = await opts.pass();
        } catch {
          opts.onPassError?.();
          retryLater();
          return;
        }
        // A call that came in meanwhile may have news (an action, a saved document); a stalled
        // pass has its timer, and hammering a dead network once more per call helps nobody.
      } while (again && result !== 'stalled' && !stopped);
      // But a call during a failing attempt must not wait out the whole backoff: one more try
      // soon, however many calls came in.
      if (result === 'stalled' && again && !stopped) {
        again = false;
        later(soon);
      }
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    run,
    retryLater,
    succeeded: () => {
      failures = 0;
    },
    idle: () => running ?? Promise.resolve(),
    get stopped() {
      return stopped;
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
