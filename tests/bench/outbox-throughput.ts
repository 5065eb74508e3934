// Deliveries per second, three ways over the same PDFs: the real OutboxWorker draining a backlog
// from SQLite through an adapter ("outbox"), the same adapter's deliver() called in a bare loop
// ("adapter", no store), and the peer's bare writes ("bare", outbox-peers.ts). Each run starts
// from a fresh store and a fresh target; per-item times are one delivery's claim → recorded.
import { randomUUID } from 'node:crypto';
import type { DmsAdapter, Delivery } from '../../server/dms/types';
import { OutboxWorker, type OutboxWorkerOptions } from '../../server/outbox/outbox-worker';
import type { SubmissionStore } from '../../server/store/types';
import { identificatieFor } from '../../server/submit/identificatie';
import { BENCH_ZAAK, openBenchStore, seedSubmissions, type BenchPdf } from './outbox-seed';

export type DeliveryMode = 'outbox' | 'adapter' | 'bare';

export interface ThroughputRun {
  target: string;
  mode: DeliveryMode;
  count: number;
  /** First attempt started → last delivery recorded (or returned, without the outbox). */
  totalMs: number;
  /** One delivery each, in ms. */
  perItem: number[];
  failed: number;
}

export function benchDelivery(pdf: BenchPdf): Delivery {
  return {
    identificatie: identificatieFor(randomUUID(), 1),
    zaak: BENCH_ZAAK,
    pdf: pdf.pdf,
    pdfSha256: pdf.pdfSha256,
    metadata: pdf.metadata,
    submittedBy: { id: 'bench-user', representation: 'Vera Veldwerker' },
  };
}


/** Seeds `count` due submissions, then times one worker pass that delivers them all. */
export async function runOutboxDrain(target: string, makeAdapter: (dir: string) => DmsAdapter, pdf: BenchPdf, count: number): Promise<ThroughputRun> {
  const bench = openBenchStore();
  try {
    await seedSubmissions(bench.store, pdf, count, () => Date.now() - 1_000);
    const claimedAt = new Map<string, number>();
    const perItem: number[] = [];
    let failed = 0;
    // Observes the worker's own writes; everything else goes to the real store as it is.
    const observed: Pick<SubmissionStore, 'claimDueDeliveries' | 'recordDelivered' | 'recordDeliveryFailure'> = {
      claimDueDeliveries: async (now, leaseMs, limit) => {
        const claimed = await bench.store.claimDueDeliveries(now, leaseMs, limit);
        for (const c of claimed) claimedAt.set(c.delivery.identificatie, performance.now());
        return claimed;
      },
      recordDelivered: async (outcome) => {
        const result = await bench.store.recordDelivered(outcome);
        perItem.push(performance.now() - (claimedAt.get(outcome.identificatie) ?? Number.NaN));
        return result;
      },
      recordDeliveryFailure: async (outcome) => {
        failed += 1;
        return bench.store.recordDeliveryFailure(outcome);
      },
    };
    const store: OutboxWorkerOptions['store'] = Object.assign(Object.create(bench.store) as typeof bench.store, observed);
    const worker = new OutboxWorker({
      store,
      dms: makeAdapter(bench.dir),
      now: Date.now,
      documentChanged: () => Promise.resolve(),
      onError: () => {
        failed += 1;
      },
    });
    const t0 = performance.now();
    // Exactly the pass the running worker makes when kicked: claim one due row, deliver, record, repeat.
    await worker.runOnce();
    const totalMs = performance.now() - t0;
    await worker.close();
    const counts = await bench.store.countDeliveries();
    return { target, mode: 'outbox', count: counts.delivered, totalMs, perItem, failed: failed + (count - perItem.length) };
  } finally {
    await bench.remove();
  }
}

/** Times `count` sequential calls of `deliverOne` (the adapter alone, or the peer's bare writes). */
export async function runLoop(target: string, mode: DeliveryMode, pdf: BenchPdf, count: number, deliverOne: (delivery: Delivery) => Promise<boolean>): Promise<ThroughputRun> {
  const perItem: number[] = [];
  let failed = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i += 1) {
    const delivery = benchDelivery(pdf);
    const start = performance.now();
    let ok = false;
    try {
      ok = await deliverOne(delivery);
    } catch {
      ok = false;
    }
    if (ok) perItem.push(performance.now() - start);
    else failed += 1;
  }
  return { target, mode, count: perItem.length, totalMs: performance.now() - t0, perItem, failed };
}
