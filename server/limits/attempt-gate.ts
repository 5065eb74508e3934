// Connection attempts per credential (L10): every upgrade on /sync is charged to the token it
// presents, before the token is verified, so a device (or a script holding one token) that opens
// sockets in a loop is refused by a map look-up instead of a signature check, a quota check and
// a room. Keyed by the raw token string: a forged or random token gets a bucket of its own and is
// then refused by verification as before. Idle full buckets are forgotten on a sweep.
import { createRateBucket, type RateBucket } from './rate-bucket';

export interface AttemptGate {
  /** Charges one attempt to `key`; false when it has used its burst faster than the refill. */
  take(key: string): boolean;
  /**
   * Charges `attempts` more to `key`: a socket closed for hostile input (4400, 4413) costs its
   * token several attempts, so a device that keeps sending what is refused comes back slowly.
   */
  penalize(key: string, attempts: number): void;
  /** Keys currently remembered (for tests). */
  readonly size: number;
}

/** How many remembered keys trigger a sweep of the full (idle) ones. */
const SWEEP_AT = 10_000;

export function createAttemptGate(burst: number, perSecond: number, now: () => number): AttemptGate {
  const buckets = new Map<string, RateBucket>();
  return {
    take(key) {
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        if (buckets.size >= SWEEP_AT) for (const [k, b] of buckets) if (b.isFull()) buckets.delete(k);
        bucket = createRateBucket(burst, perSecond, now);
        buckets.set(key, bucket);
      }
      return bucket.take();
    },
    penalize(key, attempts) {
      buckets.get(key)?.charge(attempts);
    },
    get size() {
      return buckets.size;
    },
  };
}
