// The little protocol between the benchmark and its server child processes (ours and the
// peer): the child says `ready` once it listens, then answers `memory` (after a forced GC) and
// `close`, and reports its event-loop delay. Types and small helpers only (node: built-ins),
// so a child that imports this loads nothing else.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ChildMemory {
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
  /** Whether `global.gc` was available (child started with --expose-gc) and was run. */
  gcRan: boolean;
  /** Rooms/documents the server holds in memory right now. */
  rooms: number;
  /** Open WebSocket connections the server holds right now. */
  sockets: number;
}

/**
 * `memory` forces GC first; `counts` is the same reading without GC (cheap, for polling);
 * `lag` returns the server's event-loop delay since the previous `lag` and starts over.
 */
export type ChildRequest = { id: number; op: 'memory' | 'counts' | 'lag' | 'close' };

export interface LoopLag {
  /** p99 and max event-loop delay beyond the probe's own interval, ms. */
  p99Ms: number;
  maxMs: number;
}

export type ChildMessage =
  | { op: 'ready'; port: number }
  | { op: 'memory'; id: number; memory: ChildMemory }
  | { op: 'lag'; id: number; lag: LoopLag }
  | { op: 'closed'; id: number }
  | { op: 'error'; id: number; message: string };

export function isChildRequest(value: unknown): value is ChildRequest {
  return (
    typeof value === 'object' &&
    value !== null &&
    'id' in value &&
    typeof value.id === 'number' &&
    'op' in value &&
    (value.op === 'memory' || value.op === 'counts' || value.op === 'lag' || value.op === 'close')
  );
}

/** Runs a full GC (twice, so weak references and finalizers settle) and reads process memory. */
export function measureSelf(rooms: number, sockets: number, runGc: boolean): ChildMemory {
  const gc = runGc ? globalThis.gc : undefined;
  if (gc !== undefined) {
    gc();
    gc();
  }
  const usage = process.memoryUsage();
  return {
    rssBytes: usage.rss,
    heapUsedBytes: usage.heapUsed,
    externalBytes: usage.external,
    gcRan: gc !== undefined,
    rooms,
    sockets,
  };
}

const LOOP_PROBE_MS = 5;

/**
 * Watches the child's own event loop from start to exit (a 5 ms timer, the same in both
 * servers). A server that blocks its loop (a synchronous fsync, a long decode) delays every
 * socket it serves; this makes that visible next to the latencies.
 */
export function startLoopMonitor(): () => LoopLag {
  const histogram = monitorEventLoopDelay({ resolution: LOOP_PROBE_MS });
  histogram.enable();
  return () => {
    const lag = {
      p99Ms: histogram.count > 0 ? Math.max(0, histogram.percentile(99) / 1e6 - LOOP_PROBE_MS) : Number.NaN,
      maxMs: histogram.count > 0 ? Math.max(0, histogram.max / 1e6 - LOOP_PROBE_MS) : Number.NaN,
    };
    histogram.reset();
    return lag;
  };
}

export function sendToParent(message: ChildMessage): void {
  process.send?.(message);
}
