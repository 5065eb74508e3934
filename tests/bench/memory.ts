// Figure 4: server memory with many open documents and after they went idle.
//
// Samples (each after two forced full GCs in the server process, which runs with --expose-gc):
//   baseline – the server started (ours: after the demo login), no documents;
//   open     – `docs` clients connected at once, each on its own small document (a title and
//              a ~250-character text), every one confirmed (ours: ack covers its state; peer:
//              provider synced, then a short settle since the peer confirms nothing);
//   idle     – every client disconnected and the server has unloaded the rooms (ours: idleMs
//              later; the peer drops a document as soon as its last connection closes).
// RSS is VmRSS from /proc/<pid>/status; heapUsed is V8's live heap. RSS rarely shrinks after a
// peak (V8 and malloc keep freed pages), so "idle" RSS shows the high-water mark, and heapUsed
// shows what is really still held.
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { bodyText } from '../support/body-text';
import { runPool, sleep, until, whenSaved, whenSynced } from './client';
import type { BenchClient, MemorySample, Target } from './target';

export interface MemoryOptions {
  docs: number;
  /** Connections being opened at the same time while filling up. */
  openConcurrency: number;
  /** Longest wait for the server to unload idle rooms. */
  unloadTimeoutMs: number;
  totalTimeoutMs: number;
}

export interface MemoryResult {
  target: string;
  baseline: MemorySample;
  open: MemorySample | null;
  idle: MemorySample | null;
  /** Clients that were confirmed open when `open` was sampled. */
  confirmed: number;
  /** Time to open and confirm all clients, ms. */
  fillMs: number;
  /** Time from the last disconnect until the server held no rooms, ms (null: it did not). */
  unloadMs: number | null;
  closes: number;
}

const TEXT = 'Keukentafelgesprek: bewoner meldt vocht in de badkamer, kozijn rot, meterkast oud. '.repeat(3);

function smallDoc(i: number): Y.Doc {
  const doc = new Y.Doc();
  doc.getMap('meta').set('title', `Huisbezoek ${i}`);
  bodyText(doc).insert(0, TEXT);
  return doc;
}

export async function runMemory(target: Target, options: MemoryOptions): Promise<MemoryResult> {
  const deadline = Date.now() + options.totalTimeoutMs;
  const baseline = await target.memory();
  const clients: BenchClient[] = [];
  let confirmed = 0;
  let closes = 0;
  const fillStart = performance.now();
  try {
    const docs = Array.from({ length: options.docs }, (_, i) => i);
    await runPool(docs, options.openConcurrency, deadline, async (i) => {
      const client = target.connect(`doc:${randomUUID()}`, smallDoc(i));
      clients.push(client);
      const left = Math.max(0, deadline - Date.now());
      const ok = target.kind === 'ours' ? await whenSaved(client, left) : await whenSynced(client.provider, left);
      if (ok) confirmed += 1;
    });
    const fillMs = performance.now() - fillStart;
    // The peer confirms nothing: give it (and, equally, ours) time to apply what is in flight.
    await sleep(2_000);
    const open = await target.memory();
    closes = clients.reduce((sum, c) => sum + c.closes, 0);

    for (const client of clients.splice(0)) client.destroy();
    const unloadStart = performance.now();
    let roomsLeft = open.rooms;
    const unloaded = await until(
      () => roomsLeft === 0,
      (wake) => {
        let stopped = false;
        void (async () => {
          while (!stopped) {
            await sleep(250);
            if (stopped) break;
            try {
              roomsLeft = (await target.counts()).rooms;
            } catch {
              break; // the server is gone; `until` times out and reports no unload
            }
            wake();
          }
        })();
        return () => {
          stopped = true;
        };
      },
      options.unloadTimeoutMs,
    );
    const unloadMs = unloaded ? performance.now() - unloadStart : null;
    await sleep(1_000);
    const idle = await target.memory();
    return { target: target.label, baseline, open, idle, confirmed, fillMs, unloadMs, closes };
  } finally {
    for (const client of clients) client.destroy();
  }
}
