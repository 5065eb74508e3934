// Limits on what one connection may send. Devices are not trusted: a stuck or hostile client
// must not be able to exhaust memory or CPU for everyone else (S6).

export interface SyncLimits {
  /** Largest accepted message in bytes; bigger ones close the connection with 4413. */
  maxMessageBytes: number;
  /** Token bucket per connection: burst size and refill per second; empty bucket → 4429. */
  burstMessages: number;
  messagesPerSecond: number;
  /** Messages buffered while a connection is being authenticated and its room loaded. */
  maxQueuedMessages: number;
}

export const defaultSyncLimits: SyncLimits = {
  maxMessageBytes: 8 * 1024 * 1024,
  burstMessages: 600,
  messagesPerSecond: 150,
  maxQueuedMessages: 200,
};

/** A token bucket with an injected clock: `take()` is false once the sender is too fast. */
export function createTokenBucket(
  capacity: number,
  perSecond: number,
  now: () => number,
): { take(): boolean } {
  let tokens = capacity;
  let last = now();
  return {
    take(): boolean {
      const t = now();
      tokens = Math.min(capacity, tokens + ((t - last) / 1000) * perSecond);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
