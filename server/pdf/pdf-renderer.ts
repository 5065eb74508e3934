// Where letters are rendered: in a worker thread by default, so a submit's PDF (tens of
// milliseconds warm, about a second cold) never blocks relaying and committing the sync traffic
// of everyone else; in-process as the fallback and for callers that want no thread. One worker,
// started on the first render, kept warm (its fonts stay parsed); requests queue in order. A
// worker that dies fails only the renders in flight (the submit answers 5xx and the device tries
// again) and the next render starts a new one.
import { Worker } from 'node:worker_threads';
import { renderLetterPdf, type LetterPdfInput } from './render-letter';
import type { RenderReply, RenderRequest } from './render-worker';

export interface PdfRenderer {
  render(input: LetterPdfInput): Promise<Uint8Array>;
  close(): Promise<void>;
}

export function inProcessRenderer(): PdfRenderer {
  return { render: renderLetterPdf, close: () => Promise.resolve() };
}

interface Pending {
  resolve: (pdf: Uint8Array) => void;
  reject: (error: Error) => void;
}

/** A plain-JS entry that registers tsx in the thread, then loads render-worker.ts. */
const WORKER_URL = new URL('./render-worker-boot.mjs', import.meta.url);

export function workerRenderer(options: { onError?: (error: unknown) => void } = {}): PdfRenderer {
  let worker: Worker | null = null;
  let nextId = 1;
  let closed = false;
  const pending = new Map<number, Pending>();

  const failAll = (error: Error): void => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  const start = (): Worker => {
    const w = new Worker(WORKER_URL);
    w.unref();
    w.on('message', (reply: RenderReply) => {
      const p = pending.get(reply.id);
      if (p === undefined) return;
      pending.delete(reply.id);
      if (reply.ok) p.resolve(new Uint8Array(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
      else p.reject(new Error(`pdf render failed: ${reply.error}`));
      if (pending.size === 0) w.unref();
    });
    w.on('error', (error) => {
      options.onError?.(error);
      failAll(error);
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      if (pending.size > 0) failAll(new Error(`pdf worker exited with code ${code}`));
    });
    return w;
  };

  return {
    render(input) {
      if (closed) return Promise.reject(new Error('pdf renderer closed'));
      worker ??= start();
      const w = worker;
      const id = nextId++;
      return new Promise<Uint8Array>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // Keep the process alive while a render is owed; idle, the thread never holds it open.
        w.ref();
        const request: RenderRequest = { id, input };
        w.postMessage(request);
      });
    },
    async close() {
      closed = true;
      const w = worker;
      worker = null;
      failAll(new Error('pdf renderer closed'));
      if (w !== null) await w.terminate();
    },
  };
}
