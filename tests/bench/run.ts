// `npm run bench`: measures our sync server against the stock @y/websocket-server 0.1.1 (with
// LevelDB persistence) and prints tables; it asserts nothing. Four sync figures:
//   1+2 edit latency (tests/bench/latency.ts), 3 offline backlog (backlog.ts),
//   4 server memory (memory.ts).
// Then the app section (tests/bench/app/): the built PWA in Debian's Chromium, first-screen
// JS/CSS gzipped, Lighthouse 12 scores, and a cold offline start to a usable list. The sync
// part runs first within its share (SYNC_SHARE_MS); the app section gets the rest of the run.
// KT_BENCH_ONLY=sync or KT_BENCH_ONLY=app runs one of the two.
// Last, the outbox section (tests/bench/outbox.ts, KT_BENCH_ONLY=outbox alone): deliveries to the
// DMS, submit → archived latency, recovery after a simulated outage; it has its own 5 minutes.
// Then the PDF section (tests/bench/pdf.ts, KT_BENCH_ONLY=pdf alone): render time and size of a
// three-page decision as PDF/A-2b against bare pdfkit, in child processes; its own 2 minutes.
// Then the editor section (tests/bench/editor/, KT_BENCH_ONLY=editor alone): the lazy rich-text
// chunk gzipped, and typing latency in a 20-page document against a textarea bound to Y.Text; its own 4 minutes.
// Then the device section (tests/bench/device/, KT_BENCH_ONLY=device alone, issue 13): opening a
// 200-document device and keystroke → stored on the device with the AES-GCM codec beside the
// identity codec, and the PIN's PBKDF2 cost, in Chromium at 1× and 4× CPU throttling; its own 6 minutes.
// Then the search section (tests/bench/search.ts, KT_BENCH_ONLY=search alone, issue 14): search over
// 1,000 documents on the device (text index from AES-GCM-sealed copies, then queries, p50), in Node.
// Then the attachments section (tests/bench/attachments.ts, KT_BENCH_ONLY=attachments alone, issue
// 14): a 5 MB photo through the upload routes beside its raw transfer on loopback; its own minute.
// Then the start section (tests/bench/start.ts, KT_BENCH_ONLY=start alone, issue 19): process start
// to /api/ready for the built start beside the tsx start and the former vite build + tsx; its own 4 minutes.
// Then the scale section (tests/bench/scale.ts, KT_BENCH_ONLY=scale alone, issue 15): ack p50/p95 on 1 process
// with SQLite, 1 with PostgreSQL, 3 with PostgreSQL + Redis side by side; fan-out to 50 readers; a document with
// 20,000 updates beside one with 100; 10,000 idle connections on one process; its own budget (KT_SCALE_BUDGET_S).
// Last, the soak (tests/bench/soak.ts, KT_BENCH_ONLY=soak alone): 200 honest editors with and
// without 20 hostile clients under the default limits (L5–L9), ack p50/p95, peak RSS, acknowledged
// edits lost after a restart; KT_BENCH_SOAK_SECONDS per pass (default 45), its own budget (~13 min cap).
// Servers run in child processes (server-child.ts, peer-child.ts) on 127.0.0.1; all clients run
// here. Latency and backlog run PASSES times with the servers interleaved in rotating order and
// restarted each pass, so slow phases of a shared machine hit all of them. Every loop is
// bounded by count and time, and the whole run by the hard limit (12 min; KT_BENCH_LIMIT_S
// lowers it, e.g. to try the cut-off): when it fires, whatever was measured is printed,
// children and browsers are killed and temp folders removed. Progress goes to stderr, the
// report to stdout.
import { tmpdir } from 'node:os';
import { emptyAppFigures, printAppFigures } from './app/figures';
import { runBacklog, type BacklogOptions, type BacklogResult } from './backlog';
import { runLatency, type LatencyResult, type LatencyScenario } from './latency';
import { cpuTimes, fsyncProbe, machineLines, stealPercent } from './machine';
import { runMemory, type MemoryResult } from './memory';
import { startOurs } from './ours';
import { emptyOutboxFigures, printOutboxFigures } from './outbox-report';
import { emptyPdfFigures, printPdfFigures, runPdfSection } from './pdf';
import { emptyEditorFigures, printEditorFigures } from './editor/figures';
import { emptyDeviceFigures, printDeviceFigures } from './device/figures';
import { startPeer } from './peer';
import { emptySearchFigures, printSearchFigures, runSearchSection } from './search';
import { emptyAttachmentFigures, printAttachmentFigures, runAttachmentSection } from './attachments';
import { emptySoakFigures, printSoakFigures, runSoakSection, soakBudgetMs } from './soak';
import { runClusterSection } from './cluster';
import { emptyScaleFigures, printScaleFigures, runScaleSection, scaleBudgetMs } from './scale';
import { emptyStartFigures, printStartFigures, runStartSection, startBudgetMs } from './start';
import { printBacklog, printLatency, printMemory } from './report';
import { cleanupAll, gist, type Target } from './target';

const HARD_LIMIT_MS = Math.min(12 * 60, Number(process.env.KT_BENCH_LIMIT_S) || Infinity) * 1000;
const only = process.env.KT_BENCH_ONLY;
const runSync = only === undefined || only === '' || only === 'sync';
const runApp = only === undefined || only === '' || only === 'app';
const runOutbox = only === undefined || only === '' || only === 'outbox';
const runPdf = only === undefined || only === '' || only === 'pdf';
const runEditor = only === undefined || only === '' || only === 'editor';
const runDevice = only === undefined || only === '' || only === 'device';
const runSoak = only === undefined || only === '' || only === 'soak';
const runSearch = only === undefined || only === '' || only === 'search';
const runAttachments = only === undefined || only === '' || only === 'attachments';
const runStart = only === undefined || only === '' || only === 'start';
const runScale = only === undefined || only === '' || only === 'scale';
/** The scale section's own budget (issue 15: PostgreSQL, Redis, three processes, 10,000 idle sockets). */
const SCALE_MS = scaleBudgetMs();
/** The start section's own budget (issue 19: built start beside the tsx start). */
const START_MS = startBudgetMs();
/** The attachment section's own budget (seven 5 MB uploads and raw transfers; seconds here). */
const ATTACHMENTS_MS = 60_000;
/** The soak's own budget: four passes with setup and a restart each. */
const SOAK_MS = soakBudgetMs();
/** The editor section's own budget (rich-text chunk size, typing latency; about a minute here). */
const EDITOR_MS = 4 * 60_000;
/** The device section's own budget (seeding, opening, typing and the KDF at two CPU rates). */
const DEVICE_MS = 6 * 60_000;
/** The PDF section's own budget (it takes about a minute here). */
const PDF_MS = 120_000;
/** The outbox section's own budget, after the others (which keep HARD_LIMIT_MS). */
const OUTBOX_MS = runSync || runApp ? 5 * 60_000 : Math.min(5 * 60_000, HARD_LIMIT_MS);
/** The sync figures' share of the run when the app section follows: they take ~5 min here and
 *  skip passes when less than ~2.5 min is left, so 7 min of the 12 leaves the app section ≥ 5. */
const SYNC_SHARE_MS = runApp ? Math.min(7 * 60_000, HARD_LIMIT_MS * (7 / 12)) : HARD_LIMIT_MS;
const started = Date.now();
/** Time left for the sync figures (their own share). */
const left = (): number => started + SYNC_SHARE_MS - Date.now();

// Every y-websocket provider adds a process 'exit' listener; 1,000 of them are expected here.
process.setMaxListeners(0);

const EDITS = 40;
const RATE_HZ = 20;
/** Latency and backlog are repeated this often, servers interleaved in rotating order. */
const PASSES = 5;
const scenarios: LatencyScenario[] = [
  { label: '1 client (3 rounds/pass)', docs: 1, writersPerDoc: 1, rounds: 3, editsPerClient: EDITS, rateHz: RATE_HZ },
  { label: '50 clients, 50 docs × 1', docs: 50, writersPerDoc: 1, rounds: 1, editsPerClient: EDITS, rateHz: RATE_HZ },
  { label: '50 clients, 10 docs × 5', docs: 10, writersPerDoc: 5, rounds: 1, editsPerClient: EDITS, rateHz: RATE_HZ },
];
const BACKLOG = { docs: 200, editsPerDoc: 50, concurrency: 8 } as const;
const MEMORY_DOCS = 1_000;

type Starter = { label: string; start: () => Promise<Target> };
const oursFull: Starter = { label: 'ours FULL', start: () => startOurs({ synchronous: 'FULL' }) };
const oursNormal: Starter = { label: 'ours NORMAL', start: () => startOurs({ synchronous: 'NORMAL' }) };
const peer: Starter = { label: 'peer LevelDB', start: () => startPeer() };

const latency: LatencyResult[] = [];
const latencyErrors: string[] = [];
const backlog: BacklogResult[] = [];
const backlogErrors: string[] = [];
const memory: MemoryResult[] = [];
const memoryErrors: string[] = [];
const latencySkipped: string[] = [];
const backlogSkipped: string[] = [];
const app = emptyAppFigures();
const outbox = emptyOutboxFigures();
const pdf = emptyPdfFigures();
const editor = emptyEditorFigures();
const device = emptyDeviceFigures();
const soak = emptySoakFigures();
const search = emptySearchFigures();
const attachments = emptyAttachmentFigures();
const startFigures = emptyStartFigures();
const scale = emptyScaleFigures();
const skippedNote = (runs: readonly string[]): string[] =>
  runs.length === 0 ? [] : [`${runs.length} run(s) skipped, time budget used up: ${runs.join(', ')}`];

const progress = (message: string): void => {
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${message}\n`);
};

function header(): void {
  console.log(
    [
      `Keukentafel benchmark (npm run bench): ${[runSync ? 'sync server' : '', runApp ? 'app in Chromium' : '', runOutbox ? 'outbox to the DMS' : '', runPdf ? 'PDF/A rendering' : '', runEditor ? 'rich-text editor' : '', runDevice ? 'device encryption and PIN' : '', runSearch ? 'search on the device' : '', runAttachments ? 'attachment upload' : '', runStart ? 'server start' : '', runScale ? 'scale on PostgreSQL and Redis' : '', runSoak ? 'soak with hostile clients' : ''].filter(Boolean).join(' + ')}`,
      ...machineLines(started, tmpdir()),
      ...(runSync
        ? [
            'setup:   servers in child processes (node --expose-gc --import tsx), all clients in this process: stock',
            '         y-websocket WebsocketProvider over `ws`, 127.0.0.1 only. Ours: SQLite WAL in a fresh temp dir.',
            '         Peer: @y/websocket-server 0.1.1 src/server.js, YPERSISTENCE=<temp>/leveldb (y-leveldb).',
            '         Shared machine, no warm-up discarded: read the per-pass spreads; treat differences under ~20% as noise.',
          ]
        : []),
      ...(runApp
        ? [
            'app:     client built fresh (vite build → .tmp/bench-dist), served by our server in a child process on',
            '         127.0.0.1 (SQLite in a temp dir); Debian Chromium (playwright-core, chrome-launcher + Lighthouse 12.2.3)',
            '         with the e2e flags; phone viewport 360×740 except under Lighthouse (its mobile preset, 412×823).',
          ]
        : []),
    ].join('\n'),
  );
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

async function withTarget(starter: Starter, errors: string[], body: (target: Target) => Promise<void>): Promise<void> {
  if (left() < 30_000) {
    errors.push(`${starter.label}: skipped, time budget used up`);
    return;
  }
  let target: Target | null = null;
  try {
    target = await starter.start();
    await body(target);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const said = target === null ? '' : ` (server said: ${gist(target.output())})`;
    errors.push(`${starter.label}: ${message.replace(/\s*\n\s*/g, ' ')}${said}`);
  } finally {
    await target?.stop().catch(() => undefined);
  }
}

let phase: 'sync' | 'app' | 'outbox' | 'pdf' | 'editor' | 'device' | 'search' | 'attachments' | 'start' | 'scale' | 'soak' = 'sync';

async function main(): Promise<void> {
  header();
  if (runSync) await mainSync();
  phase = 'app';
  if (runApp) {
    // Loaded only now: Vite, Playwright and Lighthouse stay out of the sync figures' process.
    const { runAppSection } = await import('./app/index');
    await runAppSection(app, started + HARD_LIMIT_MS - 15_000, progress);
  }
  phase = 'outbox';
  if (runOutbox) {
    const { runOutboxSection } = await import('./outbox');
    await runOutboxSection(outbox, Date.now() + OUTBOX_MS - 15_000, progress);
  }
  phase = 'pdf';
  if (runPdf) await runPdfSection(pdf, Date.now() + PDF_MS - 10_000, progress);
  phase = 'editor';
  if (runEditor) {
    const { runEditorSection } = await import('./editor/index');
    await runEditorSection(editor, Date.now() + EDITOR_MS - 15_000, progress);
  }
  phase = 'device';
  if (runDevice) {
    const { runDeviceSection } = await import('./device/index');
    await runDeviceSection(device, Date.now() + DEVICE_MS - 15_000, progress);
  }
  phase = 'search';
  if (runSearch) await runSearchSection(search, Date.now() + 60_000, progress);
  phase = 'attachments';
  if (runAttachments) await runAttachmentSection(attachments, Date.now() + ATTACHMENTS_MS - 10_000, progress);
  phase = 'start';
  if (runStart) await runStartSection(startFigures, Date.now() + START_MS - 10_000, progress);
  phase = 'scale';
  if (runScale) await runScaleSection(scale, Date.now() + SCALE_MS - 15_000, progress);
  phase = 'soak';
  if (runSoak) await runSoakSection(soak, Date.now() + SOAK_MS - 10_000, progress);
}

async function mainSync(): Promise<void> {
  // Latency: each pass restarts every server and runs every scenario on it; the order of the
  // servers rotates so none always runs first (cold machine) or last.
  const latencyTargets = [oursFull, oursNormal, peer];
  for (let pass = 0; pass < PASSES; pass += 1) {
    for (const starter of rotate(latencyTargets, pass)) {
      // Keep ~2.5 minutes for backlog and memory (they take well under one here).
      if (left() < 150_000) {
        latencySkipped.push(`${starter.label} pass ${pass + 1}`);
        continue;
      }
      await withTarget(starter, latencyErrors, async (target) => {
        for (const scenario of scenarios) {
          progress(`latency pass ${pass + 1}/${PASSES}: ${target.label}, ${scenario.label}`);
          latency.push(await runLatency(target, scenario));
        }
      });
    }
  }

  const backlogRuns: [Starter, BacklogOptions['criterion']][] = [
    [oursFull, 'ack'],
    [oursNormal, 'ack'],
    [oursFull, 'observer'],
    [peer, 'observer'],
  ];
  for (let pass = 0; pass < PASSES; pass += 1) {
    for (const [starter, criterion] of rotate(backlogRuns, pass)) {
      if (left() < 120_000) {
        backlogSkipped.push(`${starter.label} (${criterion}) pass ${pass + 1}`);
        continue;
      }
      await withTarget(starter, backlogErrors, async (target) => {
        progress(`backlog pass ${pass + 1}/${PASSES}: ${target.label}, until ${criterion}`);
        const budget = Math.max(10_000, Math.min(60_000, left() - 100_000));
        backlog.push(await runBacklog(target, { ...BACKLOG, criterion, totalTimeoutMs: budget }));
      });
    }
  }

  const memoryRuns: Starter[] = [
    { label: 'ours FULL', start: () => startOurs({ synchronous: 'FULL', idleMs: 500 }) },
    peer,
  ];
  for (const starter of memoryRuns) {
    await withTarget(starter, memoryErrors, async (target) => {
      progress(`memory: ${target.label}, ${MEMORY_DOCS} documents`);
      const budget = Math.max(20_000, Math.min(90_000, (left() - 10_000) / 2));
      memory.push(await runMemory(target, { docs: MEMORY_DOCS, openConcurrency: 50, unloadTimeoutMs: 15_000, totalTimeoutMs: budget }));
    });
  }
}

const cpuAtStart = cpuTimes();

function report(): void {
  if (runSync) {
    printLatency(latency, [...latencyErrors, ...skippedNote(latencySkipped)]);
    printBacklog(backlog, [...backlogErrors, ...skippedNote(backlogSkipped)]);
    printMemory(memory, MEMORY_DOCS, memoryErrors);
  }
  if (runApp) printAppFigures(app);
  if (runOutbox) printOutboxFigures(outbox);
  if (runPdf) printPdfFigures(pdf);
  if (runEditor) printEditorFigures(editor);
  if (runDevice) printDeviceFigures(device);
  if (runSearch) printSearchFigures(search);
  if (runAttachments) printAttachmentFigures(attachments);
  if (runStart) printStartFigures(startFigures);
  if (runScale) printScaleFigures(scale);
  if (runSoak) printSoakFigures(soak);
  let fsyncAtEnd = 'not measured';
  try {
    fsyncAtEnd = fsyncProbe(tmpdir());
  } catch (error) {
    fsyncAtEnd = `failed: ${String(error)}`;
  }
  console.log(
    [
      '',
      `total run time ${((Date.now() - started) / 1000).toFixed(0)} s; CPU stolen by the hypervisor during the run: ${stealPercent(cpuAtStart, cpuTimes())}`,
      `disk at the end: ${fsyncAtEnd}`,
    ].join('\n'),
  );
}

process.on('exit', cleanupAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    cleanupAll();
    process.exit(130);
  });
}
// `npm run bench` is npm → tsx → this process; if a wrapper is killed on its own (not the
// whole process group, as Ctrl-C does), this process would run on as an orphan: stop instead.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) {
    cleanupAll();
    process.exit(1);
  }
}, 1_000).unref();

const watchdog = setTimeout(() => {
  progress('hard time limit reached: printing what was measured');
  if (phase === 'sync') latencyErrors.push('run stopped at the hard time limit');
  else if (phase === 'app') app.coldStartErrors.push('run stopped at the hard time limit');
  else if (phase === 'pdf') pdf.errors.push('run stopped at the hard time limit');
  else if (phase === 'editor') editor.errors.push('run stopped at the hard time limit');
  else if (phase === 'device') device.errors.push('run stopped at the hard time limit');
  else if (phase === 'search') search.errors.push('run stopped at the hard time limit');
  else if (phase === 'soak') soak.errors.push('run stopped at the hard time limit');
  else if (phase === 'attachments') attachments.errors.push('run stopped at the hard time limit');
  else if (phase === 'start') startFigures.errors.push('run stopped at the hard time limit');
  else if (phase === 'scale') scale.errors.push('run stopped at the hard time limit');
  else outbox.errors.push('outage: run stopped at the hard time limit');
  report();
  cleanupAll();
  process.exit(2);
}, (runSync || runApp ? HARD_LIMIT_MS : 0) + (runOutbox ? OUTBOX_MS : 0) + (runPdf ? PDF_MS : 0) + (runEditor ? EDITOR_MS : 0) + (runDevice ? DEVICE_MS : 0) + (runSoak ? SOAK_MS : 0) + (runAttachments ? ATTACHMENTS_MS : 0) + (runStart ? START_MS : 0) + (runScale ? SCALE_MS : 0));

// KT_BENCH_ONLY=cluster runs only the multi-process proof with 20 trials (tests/bench/cluster.ts).
if (only === 'cluster') {
  clearTimeout(watchdog); // no other section runs; the proof has its own vitest timeout
  runClusterSection().then((code) => process.exit(code), (error: unknown) => { console.error(error); process.exit(1); });
} else main().then(
  () => {
    clearTimeout(watchdog);
    report();
    cleanupAll();
    process.exit(0);
  },
  (error: unknown) => {
    clearTimeout(watchdog);
    console.error(error);
    report();
    cleanupAll();
    process.exit(1);
  },
);
