// Whether the server can be reached, learnt only from the server itself: a socket that opened, a
// socket that never did, or `GET /api/health`. `navigator.onLine` says a network interface is up,
// which behind a captive portal or a dead municipal VPN means nothing.
//
// Y1–Y3: sockets alone are too slow a witness. A cut that drops packets silently leaves every
// socket "open" until y-websocket's 30-second watchdog, and the list screen's index sockets never
// told anyone at all. So `ConnectivityWatch` asks the health endpoint on a fixed beat while the
// app is visible: a probe starts every `intervalMs` (whether the previous one answered or not) and
// counts as failed after `timeoutMs`, so a change shows within `intervalMs + timeoutMs` (< 5 s).
import { apiUrl, type FetchLike } from './auth-client';
import type { Connectivity } from './sync-status';

const HEALTH_TIMEOUT_MS = 5_000;

export class ConnectivityTracker {
  private current: Connectivity = 'unknown';
  private contactAt: number | null = null;

  constructor(
    private readonly opts: {
      serverUrl: string;
      fetchImpl: FetchLike;
      now: () => number;
      onChange: (next: Connectivity, previous: Connectivity) => void;
    },
  ) {}

  get state(): Connectivity {
    return this.current;
  }

  /** When the server last answered, from `now()`. */
  get lastContactAt(): number | null {
    return this.contactAt;
  }

  set(next: Connectivity): void {
    if (next === 'online') this.contactAt = this.opts.now();
    if (next === this.current) return;
    const previous = this.current;
    this.current = next;
    this.opts.onChange(next, previous);
  }

  /** Asks the server's health endpoint; does not change the state itself. */
  async probe(timeoutMs = HEALTH_TIMEOUT_MS): Promise<'online' | 'offline'> {
    try {
      const res = await this.opts.fetchImpl(apiUrl(this.opts.serverUrl, '/api/health'), {
        signal: AbortSignal.timeout(timeoutMs),
        cache: 'no-store',
      });
      // Any answer from our server is contact; a 503 (disk nearly full, stopping) still answers.
      // A captive portal or a proxy's error page is not our server: it has no JSON status.
      if (res.status !== 200 && res.status !== 503) return 'offline';
      const body = (await res.json()) as unknown;
      return typeof body === 'object' && body !== null && typeof (body as { status?: unknown }).status === 'string' ? 'online' : 'offline';
    } catch {
      return 'offline';
    }
  }
}

export interface WatchTiming {
  /** A probe starts this often while watching. */
  intervalMs: number;
  /** A probe without an answer after this long counts as "not reachable". */
  timeoutMs: number;
}

/** Y1: detection within intervalMs + timeoutMs = 4.5 s, inside the 5 s the app promises. */
export const defaultWatchTiming: WatchTiming = { intervalMs: 2_000, timeoutMs: 2_500 };

export interface ConnectivityWatchOptions {
  timing: WatchTiming;
  /** One health probe with this time limit. */
  probe: (timeoutMs: number) => Promise<'online' | 'offline'>;
  /** The newest finished probe's answer. */
  onAnswer: (answer: 'online' | 'offline') => void;
  /** False pauses the beat (a hidden tab, a simulated cut, signed out); a wake resumes it. */
  active: () => boolean;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * The beat of health probes. Answers are applied newest-first: a probe that started before a
 * newer one already answered is ignored, so a slow old answer cannot undo a fresh one.
 */
export class ConnectivityWatch {
  private timer: unknown = null;
  private started = 0;
  private applied = 0;
  private stopped = false;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly opts: ConnectivityWatchOptions) {
    this.setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  }

  /** Probes now and keeps the beat; calling it again restarts the beat from now. */
  start(): void {
    if (this.stopped) return;
    this.cancel();
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private cancel(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private tick(): void {
    this.timer = null;
    if (this.stopped) return;
    if (this.opts.active()) {
      const seq = ++this.started;
      void this.opts.probe(this.opts.timing.timeoutMs).then((answer) => {
        if (this.stopped || seq <= this.applied || !this.opts.active()) return;
        this.applied = seq;
        this.opts.onAnswer(answer);
      });
    }
    this.timer = this.setTimer(() => this.tick(), this.opts.timing.intervalMs);
  }
}
