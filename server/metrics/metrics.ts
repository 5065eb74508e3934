// What operators scrape at /metrics (Prometheus text, prom-client): outbox depth by status
// (read from the store at scrape time, so every process sharing a database reports the same),
// delivery latency from submit to archive and failures by normalised reason (fed by the outbox
// worker's hooks), open sockets and loaded rooms (read from the sync server), updates that failed to apply,
// the process's resident memory and heap. One registry per
// server, so tests can run many servers in one process.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DeliveryCounts } from '../store/types';

export interface MetricsSources {
  countDeliveries: () => Promise<DeliveryCounts>;
  openSockets: () => number;
  loadedRooms: () => number;
}

export interface Metrics {
  readonly registry: Registry;
  /** Outbox worker hook: a delivery was archived `latencyMs` after its submit. */
  onDelivered(latencyMs: number, adapterName: string): void;
  /** Outbox worker hook: an attempt failed with this `lastError`. */
  onFailed(reason: string): void;
  /** Sync hook (L2): applying a client's update threw and its room was reloaded from the store. */
  onUpdateApplyFailed(): void;
  /** Sync server hook: a traffic limit acted (L5–L9), e.g. 'send-queue-full', 'ping-timeout'. */
  onLimit(event: string): void;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

export const FAILURE_REASONS = ['dms-unreachable', 'dms-server-error', 'refused', 'outcome-unknown', 'other'] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

/**
 * A `lastError` ('dms-server-error: 503', 'dms-refused: 400 …') as one of a few label values, so
 * the counter's cardinality stays small whatever detail an adapter adds.
 */
export function normaliseFailureReason(error: string): FailureReason {
  const kind = (error.split(':', 1)[0] ?? '').trim();
  switch (kind) {
    case 'dms-unreachable':
    case 'dms-timeout':
    case 'dms-write-failed':
    case 'dms-unreadable':
      return 'dms-unreachable';
    case 'dms-server-error':
    case 'dms-rate-limited':
    case 'dms-bad-answer':
      return 'dms-server-error';
    case 'dms-refused':
    case 'dms-not-authorised':
    case 'dms-zaak-unknown':
    case 'dms-zaak-closed':
    case 'dms-type-not-allowed':
    case 'dms-zaak-forbidden':
    case 'duplicate-identificatie':
    case 'unsafe-path':
    case 'dms-folder-incomplete':
      return 'refused';
    case 'outcome-unknown':
    case 'lookup-failed':
      return 'outcome-unknown';
    default:
      return 'other';
  }
}

/** Seconds from a submit to its archive: a healthy DMS takes seconds, an outage hours. */
const LATENCY_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600];

export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  new Gauge({
    name: 'keukentafel_outbox_deliveries',
    help: 'Outbox rows by status: wacht-op-dms (waiting), mislukt (last attempt failed, will be retried), in-dms (archived).',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const counts = await sources.countDeliveries();
      this.set({ status: 'wacht-op-dms' }, counts.waiting);
      this.set({ status: 'mislukt' }, counts.failed);
      this.set({ status: 'in-dms' }, counts.delivered);
    },
  });
  const latency = new Histogram({
    name: 'keukentafel_delivery_latency_seconds',
    help: 'Time from submit to the DMS reference being recorded, per DMS adapter.',
    labelNames: ['adapter'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const failures = new Counter({
    name: 'keukentafel_delivery_failures_total',
    help: 'Failed or unknown delivery attempts by normalised reason.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  // Present at 0 from the start, so a rate() over a fresh process works.
  for (const reason of FAILURE_REASONS) failures.inc({ reason }, 0);
  new Gauge({
    name: 'keukentafel_sync_open_sockets',
    help: 'Open WebSocket connections of the sync server.',
    registers: [registry],
    collect() {
      this.set(sources.openSockets());
    },
  });
  new Gauge({
    name: 'keukentafel_sync_loaded_rooms',
    help: 'Documents and index rooms loaded in memory.',
    registers: [registry],
    collect() {
      this.set(sources.loadedRooms());
    },
  });

  const applyFailures = new Counter({
    name: 'keukentafel_sync_apply_failures_total',
    help: 'Client updates whose application threw; each reloaded its room from the store (L2).',
    registers: [registry],
  });
  applyFailures.inc(0);
  const limitEvents = new Counter({
    name: 'keukentafel_sync_limit_events_total',
    help: 'Times a sync traffic limit acted: a close with 4429 by reason, awareness-dropped, ping-timeout.',
    labelNames: ['event'] as const,
    registers: [registry],
  });

  // The process's own memory under prom-client's standard names (what dashboards already chart),
  // read at scrape time; not collectDefaultMetrics, whose GC observers would pile up with the many
  // servers one test process starts.
  new Gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  new Gauge({
    name: 'nodejs_heap_size_used_bytes',
    help: 'Process heap size used from Node.js in bytes.',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage().heapUsed);
    },
  });

  return {
    registry,
    onUpdateApplyFailed() {
      applyFailures.inc();
    },
    onLimit(event) {
      limitEvents.inc({ event });
    },
    onDelivered(latencyMs, adapterName) {
      latency.observe({ adapter: adapterName }, latencyMs / 1000);
    },
    onFailed(reason) {
      failures.inc({ reason: normaliseFailureReason(reason) });
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
