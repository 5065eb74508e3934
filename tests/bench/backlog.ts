// Figure 3: draining an offline backlog. `docs` documents are built locally with no provider
// (`editsPerDoc` separate insert transactions each, as a device would accumulate them
// offline), then handed to a bounded pool of `concurrency` jobs, like a sync manager that keeps
// at most that many documents connected and queues the rest. One job = connect the document,
// wait until the criterion holds, disconnect. Measured: wall time from the first connect until
// every document is done, and each document's own connect → done time.
//
// Criteria (the same code for both servers where it applies):
//   ack      – our server only: the writer holds a persisted-ack covering its whole local state
//              (AckingClient's `saved`: committed to SQLite).
//   observer – the writer's provider is synced (it has the server's step 2), then a second,
//              fresh client opens the same document and we wait until its doc holds the writer's
//              whole state vector. The server therefore had all of it in memory and served it
//              to another client. For the peer this is the most it can show: it never tells
//              anyone whether the LevelDB write (un-awaited, not fsynced) happened. Each job then
//              holds two sockets, so `concurrency` jobs mean up to 2×concurrency sockets.
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { bodyText } from '../support/body-text';
import { runPool, whenCovers, whenSaved, whenSynced } from './client';
import type { BenchClient, Target } from './target';

export type BacklogCriterion = 'ack' | 'observer';

export interface BacklogOptions {
  docs: number;
  editsPerDoc: number;
  concurrency: number;
  criterion: BacklogCriterion;
  /** Per-document bound; a document not done by then counts as failed. */
  jobTimeoutMs?: number;
  /** Bound for the whole drain; documents not started by then count as not run. */
  totalTimeoutMs?: number;
}

export interface BacklogResult {
  target: string;
  options: BacklogOptions;
  /** First connect → last document done, ms. */
  totalMs: number;
  /** Per document: connect → done, ms (successful ones). */
  perDoc: number[];
  failed: number;
  notRun: number;
  closes: number;
  serverCpuMs: number | null;
}

const WORDS = ['meterkast ', 'vochtplek ', 'kozijn ', 'dakgoot ', 'trapgat '];

export function buildOfflineDoc(edits: number, seed: number): Y.Doc {
  const doc = new Y.Doc();
  const text = bodyText(doc);
  doc.getMap('meta').set('title', `Offline ${seed}`);
  for (let i = 0; i < edits; i += 1) {
    const word = WORDS[(seed + i) % WORDS.length] ?? 'x';
    // Each edit its own transaction: the offline history has `edits` separate updates.
    doc.transact(() => text.insert(text.length, word));
  }
  return doc;
}

export async function runBacklog(target: Target, options: BacklogOptions): Promise<BacklogResult> {
  if (options.criterion === 'ack' && target.kind !== 'ours') throw new Error('the ack criterion needs our server');
  const jobTimeoutMs = options.jobTimeoutMs ?? 30_000;
  const totalTimeoutMs = options.totalTimeoutMs ?? 120_000;
  const work = Array.from({ length: options.docs }, (_, i) => ({
    room: `doc:${randomUUID()}`,
    doc: buildOfflineDoc(options.editsPerDoc, i),
  }));

  const perDoc: number[] = [];
  let failed = 0;
  let closes = 0;
  const cpuBefore = target.cpuMs();
  const started = performance.now();
  const { started: ran } = await runPool(work, options.concurrency, Date.now() + totalTimeoutMs, async ({ room, doc }) => {
    const t0 = performance.now();
    const writer = target.connect(room, doc);
    let observer: BenchClient | null = null;
    try {
      let ok: boolean;
      if (options.criterion === 'ack') {
        ok = await whenSaved(writer, jobTimeoutMs);
      } else {
        ok = await whenSynced(writer.provider, jobTimeoutMs);
        if (ok) {
          observer = target.connect(room);
          const left = jobTimeoutMs - (performance.now() - t0);
          ok = await whenCovers(observer.doc, Y.decodeStateVector(Y.encodeStateVector(doc)), Math.max(0, left));
        }
      }
      if (ok) perDoc.push(performance.now() - t0);
      else failed += 1;
    } finally {
      closes += writer.closes + (observer?.closes ?? 0);
      observer?.destroy();
      writer.destroy();
    }
  });
  const totalMs = performance.now() - started;
  const cpuAfter = target.cpuMs();
  return {
    target: target.label,
    options,
    totalMs,
    perDoc,
    failed,
    notRun: options.docs - ran,
    closes,
    serverCpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
  };
}
