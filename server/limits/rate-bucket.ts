// A token bucket measured in any unit (messages, bytes, documents) with an injected clock:
// `take(n)` is false, and takes nothing, once the sender has used its burst faster than the
// refill; one amount above the capacity passes a full bucket and leaves a debt (a single large
// message is never refused for its size here). Used per connection, per user and per device.

export interface RateBucket {
  take(amount?: number): boolean;
  /** Whether `take(amount)` would succeed now, without taking. */
  has(amount?: number): boolean;
  /** Takes `amount` whatever is left, into debt if need be (a penalty). */
  charge(amount: number): void;
  /** True when nothing has been taken that has not been refilled (safe to forget). */
  isFull(): boolean;
}

export function createRateBucket(capacity: number, perSecond: number, now: () => number): RateBucket {
  let tokens = capacity;
  let last = now();
  const refill = (): void => {
    const t = now();
    tokens = Math.min(capacity, tokens + (Math.max(0, t - last) / 1000) * perSecond);
    last = t;
  };
  return {
    take(amount = 1) {
      refill();
      if (tokens < Math.min(amount, capacity)) return false;
      tokens -= amount;
      return true;
    },
    has(amount = 1) {
      refill();
      return tokens >= Math.min(amount, capacity);
    },
    charge(amount) {
      refill();
      tokens -= amount;
    },
    isFull() {
      refill();
      return tokens >= capacity;
    },
  };
}
