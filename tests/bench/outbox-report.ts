// Prints the outbox section's tables: deliveries per second (the outbox, the adapter alone and
// the bare peer), submit → archived latency, and recovery after a simulated DMS outage, each
// with its peer in the same run and the ratio. Medians over passes; no assertions.
import type { LatencyRun } from './outbox-latency';
import type { OutageResult } from './outbox-outage';
import type { ThroughputRun } from './outbox-throughput';
import { ms, printSection, ratio, renderTable, summarize, type Cell } from './table';

export interface OutboxFigures {
  throughput: ThroughputRun[];
  latency: LatencyRun[];
  outage: OutageResult | null;
  /** The peer for the outage: the same number of PDFs written by the bare loop. */
  outagePeer: ThroughputRun | null;
  errors: string[];
}

export const emptyOutboxFigures = (): OutboxFigures => ({ throughput: [], latency: [], outage: null, outagePeer: null, errors: [] });

const MODES: Record<ThroughputRun['mode'], string> = {
  outbox: 'outbox (OutboxWorker + SQLite FULL + adapter)',
  adapter: 'adapter alone (deliver() in a loop)',
  bare: 'peer: bare writes',
};

const perSecond = (r: ThroughputRun): number => (r.totalMs > 0 ? (r.count * 1000) / r.totalMs : Number.NaN);
const rate = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '–');
const seconds = (v: number): string => (Number.isFinite(v) ? (v / 1000).toFixed(1) : '–');

function groups(runs: readonly ThroughputRun[]): { target: string; mode: ThroughputRun['mode']; runs: ThroughputRun[] }[] {
  const out = new Map<string, { target: string; mode: ThroughputRun['mode']; runs: ThroughputRun[] }>();
  for (const r of runs) {
    const key = `${r.target}\u0000${r.mode}`;
    const group = out.get(key) ?? { target: r.target, mode: r.mode, runs: [] };
    group.runs.push(r);
    out.set(key, group);
  }
  return [...out.values()];
}

/** Median deliveries/s over passes, and the median per-delivery time over all pooled deliveries. */
export function throughputOf(runs: readonly ThroughputRun[], target: string, mode: ThroughputRun['mode']): { perSecond: number; perItemMedian: number } {
  const mine = runs.filter((r) => r.target === target && r.mode === mode);
  return { perSecond: summarize(mine.map(perSecond)).median, perItemMedian: summarize(mine.flatMap((r) => r.perItem)).median };
}

export function printOutboxFigures(f: OutboxFigures): void {
  const g = groups(f.throughput);
  const rows: Cell[][] = g.map(({ target, mode, runs }) => {
    const rates = runs.map(perSecond).filter((v) => Number.isFinite(v));
    const items = summarize(runs.flatMap((r) => r.perItem));
    return [
      target,
      MODES[mode],
      runs.length,
      runs[0]?.count ?? 0,
      rate(summarize(rates).median),
      rates.length > 1 ? `${rate(Math.min(...rates))}–${rate(Math.max(...rates))}` : '',
      ms(items.median),
      ms(items.p95),
      runs.reduce((a, r) => a + r.failed, 0),
    ];
  });
  const ratioRows: Cell[][] = [...new Set(g.map((x) => x.target))].flatMap((target) => {
    const ours = throughputOf(f.throughput, target, 'outbox');
    return (['adapter', 'bare'] as const).map((mode) => {
      const other = throughputOf(f.throughput, target, mode);
      return [target, `outbox / ${MODES[mode]}`, ratio(other.perSecond, ours.perSecond), ratio(ours.perItemMedian, other.perItemMedian)];
    });
  });
  printSection(
    'Outbox 1: deliveries per second, a backlog drained one at a time',
    renderTable(['DMS', 'way', 'passes', 'n/pass', 'deliveries/s', 'pass range', 'per-delivery median ms', 'p95 ms', 'failed'], rows, 2),
    [
      'outbox: n submissions (a real letter PDF/A rendered once, same bytes each) are put into a fresh SQLite store (WAL, synchronous FULL) with their delivery due; then one OutboxWorker pass (runOnce, what a kick starts) claims, delivers and records them one at a time. Per delivery = claim → reference recorded.',
      'adapter alone: the same adapter\'s deliver() called n times in a loop, no store. peer (filesystem): the same PDF + metadata.json written by a bare loop with the adapter\'s durability (temp folder, write+fsync each file, fsync folder, rename, fsync parent), no look-up. peer (Prism): POST enkelvoudiginformatieobject + POST zaakinformatieobject straight to Prism (2 calls; the adapter makes 5: zaak search, look-up, create, link list, link).',
      'Prism: @stoplight/prism-cli mock --errors on Open Zaak\'s documenten.yaml and zaken.yaml (tests/fixtures/zgw), every request validated against the spec, behind one local proxy that steers the zaak search and the link list as the contract test does; all three ways go through that proxy. Passes interleaved in rotating order.',
      ...f.errors.filter((e) => e.startsWith('throughput')).map((e) => `could not measure: ${e}`),
    ],
  );
  if (ratioRows.length > 0) {
    printSection('Ratios for Outbox 1 (time per delivery, higher = the outbox costs more)', renderTable(['DMS', 'compared', 'by deliveries/s', 'by per-delivery median'], ratioRows, 2));
  }

  const latencyRows: Cell[][] = f.latency.map((r) => {
    const s = summarize(r.samples);
    const server = summarize(r.serverSide);
    const bare = throughputOf(f.throughput, r.target, 'bare').perItemMedian;
    // Against one bare write only when nothing queues: a burst's wait is not the delivery's cost.
    const idle = r.scenario === 'one at a time';
    return [r.target, r.scenario, s.n, ms(s.median), ms(s.p95), ms(s.max), `${ms(server.median)} / ${ms(server.p95)}`, r.lost, idle ? ms(bare) : '', idle ? ratio(s.median, bare) : ''];
  });
  printSection(
    'Outbox 2: submit accepted (202) → the back office\'s live list shows "In DMS", real server',
    renderTable(['DMS', 'scenario', 'n', 'median ms', 'p95 ms', 'max ms', 'to archivedAt median / p95', 'lost', 'peer bare write ms', 'median / peer'], latencyRows, 2),
    [
      'server/main.ts in a child process (tests/support/child-server.ts), fresh SQLite (FULL); letters written over y-websocket first, then submitted over HTTP. t0 = the 202 arrives here; t1 = the team index room, held live by a back-office client, shows the document in-dms (so: outbox wake-up, delivery, commit of the reference, index mirror, WebSocket).',
      '"one at a time": each submit after the previous letter was archived (idle outbox). "burst": all submitted back to back, two requests at a time; later ones wait behind earlier deliveries and the server rendering PDFs. Peer = the bare write\'s median time for one delivery (Outbox 1) on the same DMS.',
      '"to archivedAt": the same t0 (wall clock) to the archivedAt the server stored with the reference (GET /api/outbox, same machine clock): the part before the index mirror and the WebSocket.',
      ...f.errors.filter((e) => e.startsWith('latency')).map((e) => `could not measure: ${e}`),
    ],
  );

  const o = f.outage;
  if (o === null) {
    printSection('Outbox 3: recovery after a DMS outage', '(not measured)', f.errors.filter((e) => e.startsWith('outage')).map((e) => `could not measure: ${e}`));
    return;
  }
  const attempts = summarize(o.attemptsAtEnd);
  const dueAgain = summarize(o.dueAfterBack);
  const archived = [...o.archivedAfterBack].sort((a, b) => a - b);
  const at = (p: number): number => archived[Math.min(archived.length - 1, Math.max(0, Math.ceil((p / 100) * archived.length) - 1))] ?? Number.NaN;
  const peer = f.outagePeer;
  const workRate = (archived.length * 1000) / o.workRealMs;
  const outageRows: Cell[][] = [
    ['submissions waiting when the DMS comes back', o.count, ''],
    ['failed attempts per submission during the outage, median / max', `${attempts.median} / ${attempts.max}`, ''],
    ['next attempt after the DMS is back, median / max (s)', `${seconds(dueAgain.median)} / ${seconds(dueAgain.max)}`, ''],
    ['DMS back → first / half / 95% archived (s)', `${seconds(at(0))} / ${seconds(at(50))} / ${seconds(at(95))}`, ''],
    ['DMS back → all archived (s)', o.notArchived === 0 ? seconds(at(100)) : `${o.notArchived} not archived`, peer === null ? '' : `peer: ${seconds(peer.totalMs)}`],
    ['  of which the outbox worked (real time, s)', seconds(o.workRealMs), peer === null ? '' : `ratio ${ratio(o.workRealMs, peer.totalMs)}`],
    ['  of which waiting for backoff (clock skipped, s)', seconds(o.waitedMs), ''],
    ['deliveries/s while working', rate(workRate), peer === null ? '' : `peer ${rate(perSecond(peer))}/s`],
  ];
  printSection(
    `Outbox 3: recovery after a ${Math.round(o.outageMs / 60_000)}-minute DMS outage with ${o.count} submissions waiting (filesystem DMS)`,
    renderTable(['figure', 'outbox', 'peer'], outageRows, 1),
    [
      `Simulated, not waited for: the real OutboxWorker on a fresh SQLite store (FULL) with an injected clock. The ${o.count} submissions arrive evenly over the ${Math.round(o.outageMs / 60_000)} minutes; every attempt fails at once as a refused connection does (dms-unreachable: ECONNREFUSED), so attempts, errors and next attempts are what the worker itself wrote (retryDelay with the default timing: 10 s doubling to 1 h, equal jitter). Driving the outage took ${seconds(o.simulationRealMs)} s real time.`,
      'Then the filesystem DMS is back: the clock runs in real time while the worker works and jumps to the next due retry whenever nothing is due (the running worker sleeps exactly until its earliest recorded retry). So "all archived" = real work + backoff waiting; the waiting is the backoff design, not slowness.',
      'Peer: the same number of PDFs written by the bare loop (Outbox 1) as soon as the DMS is back: no outbox, no backoff.',
      ...o.errors.map((e) => `worker error: ${e}`),
      ...f.errors.filter((e) => e.startsWith('outage')).map((e) => `could not measure: ${e}`),
    ],
  );
}
