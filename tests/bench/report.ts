// Turns the results of the benchmark parts into the printed tables: figures as measured
// (median, nearest-rank p95, max), ratios ours/peer, and notes on what each figure means.
// No assertions: a ratio above the 1.5× goal is printed, not failed.
import type { BacklogResult } from './backlog';
import type { LatencyResult } from './latency';
import type { MemoryResult } from './memory';
import type { MemorySample } from './target';
import { mib, ms, printSection, ratio, renderTable, summarize, type Cell } from './table';

const GOAL = 1.5;

function goal(ours: number, peer: number): string {
  if (!Number.isFinite(ours) || !Number.isFinite(peer) || peer <= 0) return '–';
  return ours / peer <= GOAL ? 'yes' : 'no';
}

/** Results of one (scenario, server) pair over all passes, samples pooled. */
interface LatencyGroup {
  scenario: string;
  target: string;
  passes: LatencyResult[];
  ack: number[];
  seen: number[];
}

function groupLatency(results: readonly LatencyResult[]): LatencyGroup[] {
  const groups = new Map<string, LatencyGroup>();
  for (const r of results) {
    const key = `${r.scenario.label}\u0000${r.target}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { scenario: r.scenario.label, target: r.target, passes: [], ack: [], seen: [] };
      groups.set(key, group);
    }
    group.passes.push(r);
    group.ack.push(...r.ack);
    group.seen.push(...r.seen);
  }
  return [...groups.values()];
}

/** "a–b": the lowest and highest of the per-pass medians. */
function spread(values: readonly number[]): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length < 2) return '';
  return `${ms(Math.min(...finite))}–${ms(Math.max(...finite))}`;
}

const sumOf = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Median over passes of each pass's p95. */
function typicalP95(passes: readonly LatencyResult[], samples: (r: LatencyResult) => number[]): number {
  return summarize(passes.map((p) => summarize(samples(p)).p95).filter((v) => Number.isFinite(v))).median;
}

export function printLatency(results: readonly LatencyResult[], errors: readonly string[]): void {
  const groups = groupLatency(results);
  const rows: Cell[][] = [];
  for (const g of groups) {
    const metrics: [string, number[], (r: LatencyResult) => number[], (r: LatencyResult) => number][] = [];
    if (g.ack.length > 0 || g.passes.some((p) => p.lostAck > 0)) metrics.push(['edit→ack', g.ack, (r) => r.ack, (r) => r.lostAck]);
    metrics.push(['edit→seen', g.seen, (r) => r.seen, (r) => r.lostSeen]);
    const cpu = g.passes.map((p) => p.serverCpuMs);
    for (const [metric, samples, perPass, lost] of metrics) {
      const sum = summarize(samples);
      rows.push([
        g.scenario,
        g.target,
        metric,
        sum.n,
        ms(sum.median),
        ms(sum.p95),
        ms(sum.max),
        spread(g.passes.map((p) => summarize(perPass(p)).median)),
        spread(g.passes.map((p) => summarize(perPass(p)).p95)),
        sumOf(g.passes.map(lost)),
        sumOf(g.passes.map((p) => p.closes)),
        cpu.some((c) => c === null) ? '–' : Math.round(sumOf(cpu.map((c) => c ?? 0)) / g.passes.length),
        ms(Math.max(...g.passes.map((p) => p.serverLoopP99Ms))),
        ms(Math.max(...g.passes.map((p) => p.serverLoopMaxMs))),
        ms(Math.max(...g.passes.map((p) => p.clientLoopP99Ms))),
      ]);
    }
  }
  const passes = Math.max(0, ...groups.map((g) => g.passes.length));
  printSection(
    '1+2. Edit latency: edit → persisted-ack (ours) and edit → second client sees it (both)',
    renderTable(
      [
        'scenario',
        'server',
        'metric',
        'n',
        'median ms',
        'p95 ms',
        'max ms',
        'pass medians',
        'pass p95s',
        'lost',
        'closes',
        'srv CPU ms/pass',
        'srv lag p99',
        'srv lag max',
        'bench lag p99',
      ],
      rows,
      3,
    ),
    [
      `Each client makes ${results[0]?.scenario.editsPerClient ?? '?'} one-word inserts at ${results[0]?.scenario.rateHz ?? '?'}/s (random phase). "50 docs × 1" = 50 documents with one editing client each; "10 docs × 5" = 10 documents with five editing clients each. Plus one observer client per document.`,
      'edit→ack: t0 just before the local Y.Text insert, until that client holds a persisted-ack (type 100) whose snapshot contains the edit (committed to SQLite).',
      'edit→seen: same t0, until the observer client of that document (never edits) holds the edit. The only thing the peer lets us observe.',
      `Both timestamps are taken in the benchmark process (no clock sync). ${passes} passes, servers interleaved and restarted per pass; n = samples pooled over clients, rounds and passes; pass medians / pass p95s = lowest–highest per-pass value; lost = edits not covered within 10 s (not in n).`,
      'srv CPU = server process user+system CPU during one pass\'s edit phase (/proc, 10 ms ticks). srv lag p99/max = worst per-pass event-loop delay of the server process during the edit phase (ms beyond a 5 ms probe timer): a blocked server loop delays every socket. bench lag p99 = the same for the client process, which every latency includes.',
      'Both servers relay an update to other clients before storing it (ours: broadcast, then batched commit; peer: broadcast, LevelDB put not awaited), so "seen" compares relay paths; only ours can report "ack".',
      ...errors.map((e) => `could not measure: ${e}`),
    ],
  );

  const ratioRows: Cell[][] = [];
  const scenarios = [...new Set(groups.map((g) => g.scenario))];
  for (const label of scenarios) {
    const peer = groups.find((g) => g.scenario === label && g.target.startsWith('peer'));
    if (peer === undefined) continue;
    const peerSeen = summarize(peer.seen);
    const peerTypicalP95 = typicalP95(peer.passes, (r) => r.seen);
    for (const ours of groups.filter((g) => g.scenario === label && g.target.startsWith('ours'))) {
      const pairs: [string, number[], (r: LatencyResult) => number[]][] = [
        ['seen / peer seen', ours.seen, (r) => r.seen],
        ['ack / peer seen', ours.ack, (r) => r.ack],
      ];
      for (const [compared, samples, perPass] of pairs) {
        const o = summarize(samples);
        const oTypical = typicalP95(ours.passes, perPass);
        ratioRows.push([
          label,
          ours.target,
          compared,
          ratio(o.median, peerSeen.median),
          ratio(o.p95, peerSeen.p95),
          ratio(oTypical, peerTypicalP95),
          `${goal(o.median, peerSeen.median)} / ${goal(o.p95, peerSeen.p95)} / ${goal(oTypical, peerTypicalP95)}`,
        ]);
      }
    }
  }
  if (ratioRows.length > 0) {
    printSection(
      `Ratios ours/peer for figures 1+2 (goal: within ${GOAL}×)`,
      renderTable(['scenario', 'ours', 'compared', 'median', 'p95', 'typical-pass p95', `≤${GOAL}×: median / p95 / typical`], ratioRows, 3),
      [
        'median and p95 are over all pooled samples; typical-pass p95 = the median of the per-pass p95s, which one disturbed pass (shared machine) cannot move.',
        '"seen / peer seen" is like for like. "ack / peer seen" sets our durable commit against the peer\'s mere relay: stricter for us than for the peer.',
      ],
    );
  }
}

interface BacklogGroup {
  target: string;
  options: BacklogResult['options'];
  passes: BacklogResult[];
  perDoc: number[];
  totals: number[];
}

function groupBacklog(results: readonly BacklogResult[]): BacklogGroup[] {
  const groups = new Map<string, BacklogGroup>();
  for (const r of results) {
    const key = `${r.target}\u0000${r.options.criterion}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { target: r.target, options: r.options, passes: [], perDoc: [], totals: [] };
      groups.set(key, group);
    }
    group.passes.push(r);
    group.perDoc.push(...r.perDoc);
    group.totals.push(r.totalMs);
  }
  return [...groups.values()];
}

const seconds = (value: number): string => (Number.isFinite(value) ? (value / 1000).toFixed(2) : '–');

export function printBacklog(results: readonly BacklogResult[], errors: readonly string[]): void {
  const groups = groupBacklog(results);
  const rows: Cell[][] = groups.map((g) => {
    const sum = summarize(g.perDoc);
    const total = summarize(g.totals).median;
    const sockets = g.options.criterion === 'observer' ? g.options.concurrency * 2 : g.options.concurrency;
    const cpu = g.passes.map((p) => p.serverCpuMs);
    return [
      g.target,
      g.options.criterion,
      `${g.options.concurrency} (${sockets})`,
      `${g.perDoc.length}/${g.options.docs * g.passes.length}`,
      sumOf(g.passes.map((p) => p.failed)),
      sumOf(g.passes.map((p) => p.notRun)),
      seconds(total),
      g.totals.length > 1 ? `${seconds(Math.min(...g.totals))}–${seconds(Math.max(...g.totals))}` : '',
      (g.options.docs / (total / 1000)).toFixed(0),
      ms(sum.median),
      ms(sum.p95),
      ms(sum.max),
      sumOf(g.passes.map((p) => p.closes)),
      cpu.some((c) => c === null) ? '–' : Math.round(sumOf(cpu.map((c) => c ?? 0)) / g.passes.length),
    ];
  });
  const first = groups[0];
  printSection(
    `3. Offline backlog: ${first?.options.docs ?? '?'} documents × ${first?.options.editsPerDoc ?? '?'} offline edits, reconnected through a bounded pool`,
    renderTable(
      ['server', 'done when', 'pool (sockets)', 'docs done', 'failed', 'not run', 'total s', 'pass totals s', 'docs/s', 'per-doc median ms', 'p95 ms', 'max ms', 'closes', 'srv CPU ms/pass'],
      rows,
      2,
    ),
    [
      'Each document is built with no provider (one transaction per edit), then a pool job connects it, waits for "done when", disconnects; at most "pool" jobs at once, the rest queued. total = first connect → last document done (median over passes; servers interleaved and restarted per pass).',
      'per-doc = one document\'s connect → done, pooled over passes; docs/s from the median total.',
      'ack: the writer holds a persisted-ack covering its whole local state (committed to SQLite).',
      'observer: the writer is synced, then a fresh second client opens the document and we wait until it holds the writer\'s whole state vector: the server had all of it in memory and served it. For the peer this is the strongest honest criterion: it never says whether its LevelDB write (not awaited, not fsynced) happened.',
      ...errors.map((e) => `could not measure: ${e}`),
    ],
  );
  const peer = groups.find((g) => g.target.startsWith('peer'));
  if (peer !== undefined) {
    const ratioRows: Cell[][] = groups
      .filter((g) => g.target.startsWith('ours'))
      .map((g) => [
        `${g.target} (${g.options.criterion})`,
        `peer (${peer.options.criterion})`,
        ratio(summarize(g.totals).median, summarize(peer.totals).median),
        ratio(summarize(g.perDoc).median, summarize(peer.perDoc).median),
        ratio(summarize(g.perDoc).p95, summarize(peer.perDoc).p95),
      ]);
    printSection(
      `Ratios ours/peer for figure 3 (goal: within ${GOAL}×)`,
      renderTable(['ours', 'against', 'total', 'per-doc median', 'per-doc p95'], ratioRows, 2),
      ['"observer vs observer" is like for like; "ack vs observer" sets our durable commit against the peer\'s in-memory state.'],
    );
  }
}

function memoryRow(label: string, state: string, s: MemorySample | null, base: MemorySample, docs: number): Cell[] {
  if (s === null) return [label, state, '–', '–', '–', '–', '–', '–', '–'];
  const rss = s.vmRssBytes ?? s.rssBytes;
  const baseRss = base.vmRssBytes ?? base.rssBytes;
  const perDoc = state.startsWith('open') && docs > 0 ? ((s.heapUsedBytes - base.heapUsedBytes) / docs / 1024).toFixed(1) : '';
  return [
    label,
    state,
    s.rooms,
    s.sockets,
    mib(rss),
    mib(s.heapUsedBytes),
    mib(s.externalBytes),
    `${rss >= baseRss ? '+' : ''}${mib(rss - baseRss)}`,
    `${s.heapUsedBytes >= base.heapUsedBytes ? '+' : ''}${mib(s.heapUsedBytes - base.heapUsedBytes)}`,
    perDoc,
  ];
}

export function printMemory(results: readonly MemoryResult[], docs: number, errors: readonly string[]): void {
  const rows: Cell[][] = [];
  const notes: string[] = [];
  for (const r of results) {
    rows.push(memoryRow(r.target, 'baseline', r.baseline, r.baseline, docs));
    rows.push(memoryRow(r.target, `open (${r.confirmed} confirmed)`, r.open, r.baseline, docs));
    rows.push(memoryRow(r.target, 'idle', r.idle, r.baseline, docs));
    notes.push(
      `${r.target}: ${r.confirmed} of ${docs} documents opened and confirmed in ${(r.fillMs / 1000).toFixed(1)} s; ` +
        `rooms unloaded ${r.unloadMs === null ? 'NOT within the wait' : `${(r.unloadMs / 1000).toFixed(1)} s after the last disconnect`}; ` +
        `${r.closes} connection closes seen by clients; GC forced: ${r.baseline.gcRan ? 'yes' : 'no'}.`,
    );
  }
  printSection(
    `4. Server memory with ${docs} open documents (one client each) and after they went idle`,
    renderTable(
      ['server', 'state', 'rooms', 'sockets', 'RSS MiB', 'heapUsed MiB', 'external MiB', 'ΔRSS MiB', 'Δheap MiB', 'Δheap KiB/doc'],
      rows,
      2,
    ),
    [
      'RSS = VmRSS from /proc/<pid>/status; heapUsed/external from process.memoryUsage() in the server process right after two forced full GCs (--expose-gc). Δ against the same server\'s baseline.',
      'Both servers run as `node --expose-gc --import tsx <child>.ts` so they carry the same loader baseline. Ours uses idleMs 500 ms here (default 30 s); the peer drops a document when its last connection closes.',
      'RSS seldom shrinks after a peak (V8/malloc keep freed pages): idle RSS is mostly a high-water mark; idle heapUsed is what is really retained.',
      ...notes,
      ...errors.map((e) => `could not measure: ${e}`),
    ],
  );
  const ours = results.find((r) => r.target.startsWith('ours'));
  const peer = results.find((r) => r.target.startsWith('peer'));
  if (ours?.open && peer?.open) {
    const rss = (s: MemorySample): number => s.vmRssBytes ?? s.rssBytes;
    printSection(
      'Ratios ours/peer for figure 4',
      renderTable(
        ['state', 'RSS', 'heapUsed', 'ΔRSS', 'Δheap'],
        [
          [
            'open',
            ratio(rss(ours.open), rss(peer.open)),
            ratio(ours.open.heapUsedBytes, peer.open.heapUsedBytes),
            ratio(rss(ours.open) - rss(ours.baseline), rss(peer.open) - rss(peer.baseline)),
            ratio(ours.open.heapUsedBytes - ours.baseline.heapUsedBytes, peer.open.heapUsedBytes - peer.baseline.heapUsedBytes),
          ],
          [
            'idle',
            ours.idle && peer.idle ? ratio(rss(ours.idle), rss(peer.idle)) : '–',
            ours.idle && peer.idle ? ratio(ours.idle.heapUsedBytes, peer.idle.heapUsedBytes) : '–',
            '',
            '',
          ],
        ],
        1,
      ),
    );
  }
}
