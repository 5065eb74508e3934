// Figures 1 and 2: how long after a keystroke-sized edit the server has it.
//
// Per document there are `writersPerDoc` editing clients and one observer client (which never
// edits). Every writer makes `editsPerClient` inserts at `rateHz`, on an absolute schedule with
// a random phase so writers do not fire in lockstep. For each edit we take t0 just before the
// local `insert` (y-websocket sends the update synchronously from the doc's update event) and
// the writer's own clock after it, then record:
//   ack  – our server only: when the writer receives a persisted-ack whose snapshot holds that
//          clock for the writer's client id (the edit is committed to SQLite; S3).
//   seen – both servers: when the observer's doc first holds that clock (relayed by the server).
// Edits are inserts only, so "holds the clock" is exactly "covers the edit". Both timestamps are
// taken in this process, so no clock sync is involved. Edits not covered within `drainMs`
// after the last one count as lost, not as samples.
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { bodyText } from '../support/body-text';
import { sleep, whenSynced } from './client';
import type { BenchClient, Target } from './target';

export interface LatencyScenario {
  label: string;
  docs: number;
  writersPerDoc: number;
  /** Independent repetitions (fresh documents and clients), pooled. */
  rounds: number;
  editsPerClient: number;
  rateHz: number;
}

export interface LatencyResult {
  scenario: LatencyScenario;
  target: string;
  /** Edit → persisted-ack, ms (empty for the peer). */
  ack: number[];
  /** Edit → observer holds it, ms. */
  seen: number[];
  edits: number;
  lostAck: number;
  lostSeen: number;
  /** Connections closed under the clients during the run. */
  closes: number;
  /** Server process CPU time during the edit phases, ms. */
  serverCpuMs: number | null;
  /** Wall time of the edit phases (first edit to last sample), ms. */
  wallMs: number;
  /** p99 and max event-loop delay of the server process during the edit phases, ms (worst round). */
  serverLoopP99Ms: number;
  serverLoopMaxMs: number;
  /** p99 event-loop delay of this (client) process during the edit phases, ms beyond the probe's own interval. */
  clientLoopP99Ms: number;
}

interface PendingEdit {
  t0: number;
  clock: number;
}

interface Writer {
  client: BenchClient;
  text: Y.Text;
  id: number;
  awaitingAck: PendingEdit[];
  awaitingSeen: PendingEdit[];
}

/** The loop-delay probe's timer interval; the histogram includes it, so it is subtracted. */
const LOOP_PROBE_MS = 5;

const WORDS = ['kast ', 'tafel ', 'stoel ', 'raam ', 'deur ', 'vloer ', 'lamp '];

export async function runLatency(
  target: Target,
  scenario: LatencyScenario,
  opts: { drainMs?: number; syncTimeoutMs?: number } = {},
): Promise<LatencyResult> {
  const drainMs = opts.drainMs ?? 10_000;
  const syncTimeoutMs = opts.syncTimeoutMs ?? 20_000;
  const result: LatencyResult = {
    scenario,
    target: target.label,
    ack: [],
    seen: [],
    edits: 0,
    lostAck: 0,
    lostSeen: 0,
    closes: 0,
    serverCpuMs: 0,
    wallMs: 0,
    clientLoopP99Ms: 0,
    serverLoopP99Ms: 0,
    serverLoopMaxMs: 0,
  };
  const loop = monitorEventLoopDelay({ resolution: LOOP_PROBE_MS });
  const wantAck = target.kind === 'ours';

  for (let round = 0; round < scenario.rounds; round += 1) {
    const writers: Writer[] = [];
    const observers: BenchClient[] = [];
    const unsubscribe: (() => void)[] = [];
    try {
      for (let d = 0; d < scenario.docs; d += 1) {
        const room = `doc:${randomUUID()}`;
        const observer = target.connect(room);
        observers.push(observer);
        const docWriters: Writer[] = [];
        for (let w = 0; w < scenario.writersPerDoc; w += 1) {
          const client = target.connect(room);
          const writer: Writer = {
            client,
            // Each writer its own section: the server takes only the document model's types (L1).
            text: bodyText(client.doc, `w${w}`),
            id: client.doc.clientID,
            awaitingAck: [],
            awaitingSeen: [],
          };
          docWriters.push(writer);
          writers.push(writer);
          if (wantAck) {
            unsubscribe.push(
              client.onAck((durable) => {
                const now = performance.now();
                const held = durable.sv.get(writer.id) ?? 0;
                while (writer.awaitingAck[0] !== undefined && writer.awaitingAck[0].clock <= held) {
                  const edit = writer.awaitingAck.shift();
                  if (edit !== undefined) result.ack.push(now - edit.t0);
                }
              }),
            );
          }
        }
        const onObserved = (): void => {
          const now = performance.now();
          for (const writer of docWriters) {
            const held = Y.getState(observer.doc.store, writer.id);
            while (writer.awaitingSeen[0] !== undefined && writer.awaitingSeen[0].clock <= held) {
              const edit = writer.awaitingSeen.shift();
              if (edit !== undefined) result.seen.push(now - edit.t0);
            }
          }
        };
        observer.doc.on('update', onObserved);
        unsubscribe.push(() => observer.doc.off('update', onObserved));
      }

      const all = [...observers, ...writers.map((w) => w.client)];
      const synced = await Promise.all(all.map((c) => whenSynced(c.provider, syncTimeoutMs)));
      if (synced.some((s) => !s)) {
        throw new Error(`${synced.filter((s) => !s).length} of ${all.length} clients did not sync in time`);
      }
      await sleep(300); // let handshakes, first acks and awareness settle

      await target.loopLag(); // start the server's loop-delay window here
      const cpuBefore = target.cpuMs();
      const closesBefore = all.reduce((sum, c) => sum + c.closes, 0);
      loop.enable();
      const started = performance.now();
      const interval = 1000 / scenario.rateHz;
      await Promise.all(
        writers.map(async (writer, index) => {
          const phase = Math.random() * interval;
          for (let i = 0; i < scenario.editsPerClient; i += 1) {
            const due = started + phase + i * interval;
            const wait = due - performance.now();
            if (wait > 1) await sleep(wait);
            const word = WORDS[(index + i) % WORDS.length] ?? 'x';
            const t0 = performance.now();
            writer.text.insert(writer.text.length, word);
            const edit = { t0, clock: Y.getState(writer.client.doc.store, writer.id) };
            result.edits += 1;
            if (wantAck) writer.awaitingAck.push(edit);
            writer.awaitingSeen.push({ ...edit });
          }
        }),
      );
      const drained = (): boolean =>
        writers.every((w) => w.awaitingSeen.length === 0 && w.awaitingAck.length === 0);
      const drainUntil = performance.now() + drainMs;
      while (!drained() && performance.now() < drainUntil) await sleep(10);
      result.wallMs += performance.now() - started;
      loop.disable();
      const cpuAfter = target.cpuMs();
      const serverLag = await target.loopLag();
      result.serverLoopP99Ms = Math.max(result.serverLoopP99Ms, serverLag.p99Ms);
      result.serverLoopMaxMs = Math.max(result.serverLoopMaxMs, serverLag.maxMs);
      result.serverCpuMs =
        cpuBefore === null || cpuAfter === null || result.serverCpuMs === null ? null : result.serverCpuMs + cpuAfter - cpuBefore;
      result.closes += all.reduce((sum, c) => sum + c.closes, 0) - closesBefore;
      for (const writer of writers) {
        result.lostAck += writer.awaitingAck.length;
        result.lostSeen += writer.awaitingSeen.length;
      }
    } finally {
      loop.disable();
      for (const off of unsubscribe) off();
      for (const client of [...observers, ...writers.map((w) => w.client)]) client.destroy();
    }
    await sleep(200);
  }
  result.clientLoopP99Ms = loop.count > 0 ? Math.max(0, loop.percentile(99) / 1e6 - LOOP_PROBE_MS) : Number.NaN;
  return result;
}
