// Retry delays for sockets and queued actions: exponential with full-range jitter, so that forty
// tablets coming back after a network cut do not all knock on the server in the same second.

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/** Delay before attempt `attempt` (1 = first retry), between half and all of the capped step. */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number): number {
  const step = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}
