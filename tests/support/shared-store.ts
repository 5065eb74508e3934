// One opened store shared by several in-process servers, as processes share one database: each
// server gets a view that records what it appended, leaves the store open when the server closes,
// and can "die" (its commits fail from then on, as a killed process commits nothing more).
import type { Store, UpdateRecord } from '../../server/store/types';

export interface StoreView extends Store {
  /** What this server appended, in order. */
  readonly appended: UpdateRecord[];
  /** From now on every commit of this server fails and nothing more is stored by it. */
  kill(): void;
}

export function viewOf(inner: Store): StoreView {
  const appended: UpdateRecord[] = [];
  let dead = false;
  const extra = {
    appended,
    kill() {
      dead = true;
    },
    async appendUpdates(batch: readonly UpdateRecord[]): Promise<void> {
      if (dead) throw new Error('process killed (simulated)');
      await inner.appendUpdates(batch);
      appended.push(...batch);
    },
    // The store belongs to the test, which closes it after every server.
    async close(): Promise<void> {},
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (prop in extra) return (extra as Record<string | symbol, unknown>)[prop];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  }) as StoreView;
}
