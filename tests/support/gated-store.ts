// Wraps a real Store so a test can hold commits or loads at a gate and count commits. The
// store underneath is real; only timing is controlled.
import type { Store, UpdateRecord } from '../../server/store/types';

export interface Gate {
  closed: boolean;
  open(): void;
  wait(): Promise<void>;
  /** How many calls are held at the gate right now. */
  readonly held: number;
  /** Resolves once a call is held at the gate: the server got that far and is waiting on the store. */
  whenHeld(): Promise<void>;
}

export function createGate(): Gate {
  let waiters: (() => void)[] = [];
  let heldWatchers: (() => void)[] = [];
  return {
    closed: false,
    open() {
      this.closed = false;
      for (const w of waiters.splice(0)) w();
      waiters = [];
    },
    wait() {
      if (!this.closed) return Promise.resolve();
      const held = new Promise<void>((r) => waiters.push(r));
      for (const w of heldWatchers.splice(0)) w();
      heldWatchers = [];
      return held;
    },
    get held() {
      return waiters.length;
    },
    whenHeld() {
      if (waiters.length > 0) return Promise.resolve();
      return new Promise<void>((r) => heldWatchers.push(r));
    },
  };
}

export interface GatedStore extends Store {
  commitGate: Gate;
  loadGate: Gate;
  commits: { at: number; records: number }[];
  failNextCommits: number;
}

export function gateStore(inner: Store): GatedStore {
  const extra = {
    commitGate: createGate(),
    loadGate: createGate(),
    commits: [] as { at: number; records: number }[],
    failNextCommits: 0,
    async appendUpdates(batch: readonly UpdateRecord[]): Promise<void> {
      await extra.commitGate.wait();
      if (extra.failNextCommits > 0) {
        extra.failNextCommits -= 1;
        throw new Error('disk full (simulated)');
      }
      await inner.appendUpdates(batch);
      extra.commits.push({ at: Date.now(), records: batch.length });
    },
    async loadUpdates(docId: string) {
      await extra.loadGate.wait();
      return inner.loadUpdates(docId);
    },
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (prop in extra) return (extra as Record<string | symbol, unknown>)[prop];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
    set(_target, prop, value) {
      if (prop in extra) {
        (extra as Record<string | symbol, unknown>)[prop] = value;
        return true;
      }
      return false;
    },
  }) as GatedStore;
}
