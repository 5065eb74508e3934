// Whether the server can be reached, learnt only from the server itself: a socket that opened, a
// socket that never did, or `GET /api/health`. `navigator.onLine` says a network interface is up,
// which behind a captive portal or a dead municipal VPN means nothing.
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
  async probe(): Promise<'online' | 'offline'> {
    try {
      const res = await this.opts.fetchImpl(apiUrl(this.opts.serverUrl, '/api/health'), {
        signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
      });
      return res.ok ? 'online' : 'offline';
    } catch {
      return 'offline';
    }
  }
}
