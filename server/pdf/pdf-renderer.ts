// Where letters are rendered (H5, P12): in a pool of worker threads by default, so a submit's PDF
// never blocks relaying and committing everyone's sync traffic, and one slow letter never holds up
// the others. Each thread renders one letter at a time with a time limit; a render past it is
// cut off by ending its thread (pdfkit is synchronous and cannot be interrupted otherwise), fails
// alone with reason 'timeout', and the next render starts a fresh thread. Threads start on
// demand and stay warm (fonts parsed). In-process rendering is the fallback for tests and tools.
import { Worker } from 'node:worker_threads';
import { renderLetterPdf, type LetterPdfInput } from './render-letter';
import type { RenderReply, RenderRequest, WorkerReady } from './render-worker';

export interface PdfRenderer {
  render(input: LetterPdfInput): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * Why a render failed. `timeout`: past the time limit; `failed`: the renderer threw; `crashed`:
 * the thread died under it (out of memory, say); `closed`: the server is stopping. The first three
 * belong to the document (the same letter fails again); `closed` does not.
 */
export type PdfRenderFailure = 'timeout' | 'failed' | 'crashed' | 'closed';

export class PdfRenderError extends Error {
  constructor(
    readonly reason: PdfRenderFailure,
    message: string,
  ) {
    super(message);
    this.name = 'PdfRenderError';
  }
}

/** The named settings (README): PDF_WORKERS threads, PDF_RENDER_TIMEOUT_MS per letter. */
export interface PdfPoolOptions {
  workers?: number;
  timeoutMs?: number;
  onError?: (error: unknown) => void;
}

export const DEFAULT_PDF_WORKERS = 2;
export const DEFAULT_PDF_RENDER_TIMEOUT_MS = 30_000;

export function inProcessRenderer(): PdfRenderer {
  return {
    render: (input) =>
      renderLetterPdf(input).catch((error: unknown) => {
        throw new PdfRenderError('failed', `pdf render failed: ${error instanceof Error ? error.message : String(error)}`);
      }),
    close: () => Promise.resolve(),
  };
}

interface Job {
  id: number;
  input: LetterPdfInput;
  resolve: (pdf: Uint8Array) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Fonts parsed (WorkerReady): only then does it take a job, so the clock counts rendering. */
  ready: boolean;
  /** The job it renders. */
  job: Job | null;
  timer: ReturnType<typeof setTimeout> | null;
}

/** A plain-JS entry that registers tsx in the thread, then loads render-worker.ts. */
const WORKER_URL = new URL('./render-worker-boot.mjs', import.meta.url);

export function workerRenderer(options: PdfPoolOptions = {}): PdfRenderer {
  const size = Math.max(1, options.workers ?? DEFAULT_PDF_WORKERS);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PDF_RENDER_TIMEOUT_MS;
  const slots = new Set<Slot>();
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;

  /** Ends a slot's job with `error` and drops the slot; its thread is ended too. */
  const retire = (slot: Slot, error: PdfRenderError | null): void => {
    if (!slots.delete(slot)) return;
    if (slot.timer !== null) clearTimeout(slot.timer);
    if (slot.job !== null && error !== null) slot.job.reject(error);
    // A thread that died before it was ready (fonts missing, say) would die again: fail the job it
    // was started for rather than start threads for ever.
    if (!slot.ready && error !== null) queue.shift()?.reject(error);
    slot.job = null;
    void slot.worker.terminate();
    dispatch();
  };

  const start = (): Slot => {
    const slot: Slot = { worker: new Worker(WORKER_URL), ready: false, job: null, timer: null };
    const w = slot.worker;
    w.on('message', (reply: RenderReply | WorkerReady) => {
      if ('ready' in reply) {
        slot.ready = true;
        w.unref();
        dispatch();
        return;
      }
      const job = slot.job;
      if (job === null || job.id !== reply.id) return;
      if (slot.timer !== null) clearTimeout(slot.timer);
      slot.timer = null;
      slot.job = null;
      w.unref();
      if (reply.ok) job.resolve(new Uint8Array(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
      else job.reject(new PdfRenderError('failed', `pdf render failed: ${reply.error}`));
      dispatch();
    });
    w.on('error', (error) => {
      options.onError?.(error);
      retire(slot, new PdfRenderError('crashed', `pdf worker failed: ${error.message}`));
    });
    w.on('exit', (code) => retire(slot, new PdfRenderError('crashed', `pdf worker exited with code ${code}`)));
    slots.add(slot);
    return slot;
  };

  /** Gives waiting jobs to idle ready threads, starting threads (for jobs not yet covered) up to the pool's size. */
  function dispatch(): void {
    if (closed) return;
    const starting = [...slots].filter((s) => !s.ready).length;
    for (let i = starting; i < queue.length && slots.size < size; i++) start();
    while (queue.length > 0) {
      const slot = [...slots].find((s) => s.ready && s.job === null);
      if (slot === undefined) return;
      const job = queue.shift();
      if (job === undefined) return;
      const busy = slot;
      busy.job = job;
      // Keep the process alive while a render is owed; idle, the threads never hold it open.
      busy.worker.ref();
      busy.timer = setTimeout(
        () => retire(busy, new PdfRenderError('timeout', `pdf render took longer than ${timeoutMs} ms`)),
        timeoutMs,
      );
      const request: RenderRequest = { id: job.id, input: job.input };
      busy.worker.postMessage(request);
    }
  }

  return {
    render(input) {
      if (closed) return Promise.reject(new PdfRenderError('closed', 'pdf renderer closed'));
      return new Promise<Uint8Array>((resolve, reject) => {
        queue.push({ id: nextId++, input, resolve, reject });
        dispatch();
      });
    },
    async close() {
      closed = true;
      const gone = new PdfRenderError('closed', 'pdf renderer closed');
      for (const job of queue.splice(0)) job.reject(gone);
      const all = [...slots];
      slots.clear();
      for (const slot of all) {
        if (slot.timer !== null) clearTimeout(slot.timer);
        slot.job?.reject(gone);
        slot.job = null;
      }
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
