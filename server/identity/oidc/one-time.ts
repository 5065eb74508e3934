// A bounded, expiring map whose entries can be taken once (I2): the pending authorization
// requests (by state) and the tickets that hand a finished sign-in to the app. In memory, one
// process: a sign-in started on one server process must finish on the same one (README).
export interface OneTime<T> {
  put(key: string, value: T): void;
  /** The value, removed; null when unknown, taken already or expired. */
  take(key: string): T | null;
  readonly size: number;
}

export function createOneTime<T>(options: { ttlMs: number; max: number; now: () => number }): OneTime<T> {
  const entries = new Map<string, { value: T; expiresAt: number }>();
  const sweep = (): void => {
    const t = options.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= t) entries.delete(key);
    // Still full: the oldest go first (a flood of started sign-ins costs only other unfinished ones).
    for (const key of entries.keys()) {
      if (entries.size < options.max) break;
      entries.delete(key);
    }
  };
  return {
    put(key, value) {
      sweep();
      entries.set(key, { value, expiresAt: options.now() + options.ttlMs });
    },
    take(key) {
      const entry = entries.get(key);
      if (entry === undefined) return null;
      entries.delete(key);
      return entry.expiresAt > options.now() ? entry.value : null;
    },
    get size() {
      return entries.size;
    },
  };
}
