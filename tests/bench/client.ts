// Waiting helpers shared by the benchmark parts. All of them are event driven (no polling
// loops that would add load to the client process) and all are bounded by a timeout: a
// benchmark that hangs measures nothing.
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { BenchClient } from './target';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves true once `check()` holds, re-checking whenever `subscribe` fires; false on timeout. */
export function until(
  check: () => boolean,
  subscribe: (wake: () => void) => () => void,
  timeoutMs: number,
): Promise<boolean> {
  if (check()) return Promise.resolve(true);
  return new Promise((resolveUntil) => {
    let done = false;
    const finish = (value: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      resolveUntil(value);
    };
    const timer = setTimeout(() => finish(check()), timeoutMs);
    const unsubscribe = subscribe(() => {
      if (check()) finish(true);
    });
  });
}

/** The provider has received the server's sync step 2. */
export function whenSynced(provider: WebsocketProvider, timeoutMs: number): Promise<boolean> {
  return until(
    () => provider.synced,
    (wake) => {
      provider.on('sync', wake);
      return () => provider.off('sync', wake);
    },
    timeoutMs,
  );
}

/** Our server's ack covers the client's whole local state (AckingClient's `saved`). */
export function whenSaved(client: BenchClient, timeoutMs: number): Promise<boolean> {
  return until(() => client.saved, (wake) => client.onAck(wake), timeoutMs);
}

/** `doc` holds at least every item `target` (a state vector) names: inserts only. */
export function covers(doc: Y.Doc, target: ReadonlyMap<number, number>): boolean {
  for (const [client, clock] of target) {
    if (Y.getState(doc.store, client) < clock) return false;
  }
  return true;
}

/** `doc` has caught up with `target`'s state vector. */
export function whenCovers(doc: Y.Doc, target: ReadonlyMap<number, number>, timeoutMs: number): Promise<boolean> {
  return until(
    () => covers(doc, target),
    (wake) => {
      doc.on('update', wake);
      return () => doc.off('update', wake);
    },
    timeoutMs,
  );
}

/**
 * Runs `jobs` with at most `concurrency` in flight, like a sync manager with a bound: the rest
 * wait in a queue. Stops starting new jobs after `deadline` (ms since epoch); those count as
 * not run.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  deadline: number,
  job: (item: T, index: number) => Promise<void>,
): Promise<{ started: number }> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && Date.now() < deadline) {
      const index = next++;
      const item = items[index];
      if (item !== undefined) await job(item, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, () => worker()));
  return { started: next };
}
