// Outbox recovery after a DMS outage, without waiting for one. The real OutboxWorker runs on a
// fresh SQLite store with an injected clock: during a simulated 10-minute outage the submissions
// arrive evenly spread, and every attempt the worker makes fails at once as a refused connection
// would (dms-unreachable: ECONNREFUSED), so each row ends the outage with the attempts, errors
// and next-attempt times the worker itself computed (retryDelay, default timing: 10 s doubling,
// jitter). Then the filesystem DMS is back: the clock runs in real time while the worker works,
// and jumps to the next due retry whenever nothing is due (the real worker sleeps exactly until
// then, as its timer is set to the earliest retry it recorded). Recovery = DMS back → last
// document archived on that clock; the real work in it and the skipped waiting are reported apart.
import { join } from 'node:path';
import { createFilesystemDms } from '../../server/dms/filesystem';
import type { DmsAdapter } from '../../server/dms/types';
import { OutboxWorker, defaultOutboxTiming, type OutboxWorkerOptions } from '../../server/outbox/outbox-worker';
import type { SubmissionStore } from '../../server/store/types';
import { BENCH_RSIN, openBenchStore, seedOne, type BenchPdf } from './outbox-seed';

export interface OutageResult {
  count: number;
  outageMs: number;
  /** Real time the simulated outage took to drive. */
  simulationRealMs: number;
  /** Failed attempts per submission at the end of the outage. */
  attemptsAtEnd: number[];
  /** Per submission: when it was due again at the end of the outage, ms after the DMS came back. */
  dueAfterBack: number[];
  /** Per archived submission: DMS back → archived, on the recovery clock. */
  archivedAfterBack: number[];
  /** Real time the worker spent working during recovery. */
  workRealMs: number;
  /** Clock time skipped while nothing was due (backoff waits). */
  waitedMs: number;
  notArchived: number;
  errors: string[];
}


export async function runOutage(pdf: BenchPdf, options: { count: number; outageMs: number; recoveryRealLimitMs: number }): Promise<OutageResult> {
  const { count, outageMs } = options;
  const bench = openBenchStore();
  const errors: string[] = [];
  try {
    const t0 = Date.UTC(2026, 10, 28, 9);
    const back = t0 + outageMs;
    let now: () => number = () => t0;
    let down = true;
    const filesystem = createFilesystemDms({ dir: join(bench.dir, 'dms'), bronorganisatie: BENCH_RSIN });
    const refused = 'dms-unreachable: ECONNREFUSED';
    const dms: DmsAdapter = {
      name: 'filesystem',
      deliver: (d) => (down ? Promise.resolve({ ok: false, retryable: true, reason: refused }) : filesystem.deliver(d)),
      lookup: (id, zaak) => (down ? Promise.resolve({ ok: false, reason: refused }) : filesystem.lookup(id, zaak)),
    };

    // Pending rows and when each is due next, as the worker's own writes say.
    const due = new Map<string, number>();
    const attempts = new Map<string, number>();
    const archivedAt = new Map<string, number>();
    // Observes the worker's own writes; everything else goes to the real store as it is.
    const observed: Pick<SubmissionStore, 'claimDueDeliveries' | 'recordDelivered' | 'recordDeliveryFailure'> = {
      claimDueDeliveries: async (at, leaseMs, limit) => {
        const claimed = await bench.store.claimDueDeliveries(at, leaseMs, limit);
        for (const c of claimed) due.set(c.delivery.identificatie, at + leaseMs);
        return claimed;
      },
      recordDelivered: async (outcome) => {
        due.delete(outcome.identificatie);
        archivedAt.set(outcome.identificatie, outcome.at);
        return bench.store.recordDelivered(outcome);
      },
      recordDeliveryFailure: async (outcome) => {
        due.set(outcome.identificatie, outcome.nextAttemptAt);
        attempts.set(outcome.identificatie, (attempts.get(outcome.identificatie) ?? 0) + 1);
        return bench.store.recordDeliveryFailure(outcome);
      },
    };
    const store: OutboxWorkerOptions['store'] = Object.assign(Object.create(bench.store) as typeof bench.store, observed);
    const worker = new OutboxWorker({
      store,
      dms,
      now: () => now(),
      timing: defaultOutboxTiming,
      documentChanged: () => Promise.resolve(),
      onError: (error, context) => errors.push(`${context}: ${error instanceof Error ? error.message : String(error)}`),
    });
    const earliestDue = (): number => Math.min(...due.values());

    // The outage, on the injected clock: arrivals evenly spread, passes whenever something is due.
    const simulationStart = performance.now();
    const arrival = (i: number): number => t0 + Math.floor((i * outageMs) / count);
    let clock = t0;
    now = () => clock;
    let next = 0;
    for (;;) {
      while (next < count && arrival(next) <= clock) {
        const at = arrival(next);
        due.set(await seedOne(bench.store, pdf, at), at);
        next += 1;
      }
      await worker.runOnce();
      const upcoming = Math.min(next < count ? arrival(next) : Number.POSITIVE_INFINITY, earliestDue());
      if (upcoming >= back) break;
      clock = Math.max(clock, upcoming);
    }
    const simulationRealMs = performance.now() - simulationStart;
    const attemptsAtEnd = [...due.keys()].map((id) => attempts.get(id) ?? 0);
    const dueAfterBack = [...due.values()].map((at) => Math.max(0, at - back));

    // The DMS is back: real time while working, a jump over every wait.
    down = false;
    const realStart = performance.now();
    let waitedMs = 0;
    // Whole milliseconds, as Date.now gives them (the store keeps integers).
    now = () => Math.round(back + (performance.now() - realStart) + waitedMs);
    while (due.size > 0 && performance.now() - realStart < options.recoveryRealLimitMs) {
      await worker.runOnce();
      if (due.size === 0) break;
      const wait = earliestDue() - now();
      if (wait > 0) waitedMs += wait;
    }
    const workRealMs = performance.now() - realStart;
    await worker.close();
    return {
      count,
      outageMs,
      simulationRealMs,
      attemptsAtEnd,
      dueAfterBack,
      archivedAfterBack: [...archivedAt.values()].map((at) => at - back),
      workRealMs,
      waitedMs,
      notArchived: due.size,
      errors,
    };
  } finally {
    await bench.remove();
  }
}
