// F11: bytes of attachments one user may upload per day, over all their devices: a token bucket
// of a day's bytes that refills over 24 hours. In memory and per process, like the sync quotas
// (usage-ledger.ts); an entry whose bucket is full again is forgotten.
import { createRateBucket, type RateBucket } from './rate-bucket';

const DAY_S = 24 * 3600;

export class UploadQuota {
  private readonly users = new Map<string, RateBucket>();

  constructor(
    private readonly dailyBytes: number,
    private readonly now: () => number,
  ) {}

  /** Takes `bytes` from the user's day; false (nothing taken) when the day's bytes are spent. */
  take(userId: string, bytes: number): boolean {
    let bucket = this.users.get(userId);
    if (bucket === undefined) {
      bucket = createRateBucket(this.dailyBytes, this.dailyBytes / DAY_S, this.now);
      this.users.set(userId, bucket);
    }
    // Bytes, not messages: a chunk larger than what is left is refused, never passed into debt.
    if (!bucket.has(bytes) || bytes > this.dailyBytes) return false;
    bucket.charge(bytes);
    this.sweep();
    return true;
  }

  /** Gives bytes back that were taken for a chunk the store did not keep (a conflict). */
  giveBack(userId: string, bytes: number): void {
    this.users.get(userId)?.charge(-bytes);
  }

  private sweep(): void {
    if (this.users.size < 1024) return;
    for (const [id, bucket] of this.users) if (bucket.isFull()) this.users.delete(id);
  }
}
