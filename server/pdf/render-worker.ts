// The PDF renderer's thread (pdf-renderer.ts): renders one letter per message with the same
// renderLetterPdf the server would call in-process, so the bytes are identical. pdfkit is
// synchronous CPU work (tens of milliseconds warm, about a second for the first letter); here it
// never holds up the event loop that relays co-editors' keystrokes and commits their updates.
// It parses the fonts before it says it is ready, so that cost is never counted as a render's.
import { parentPort } from 'node:worker_threads';
import { fallbackFontSources, letterFontSources } from './fonts';
import { renderLetterPdf, type LetterPdfInput } from './render-letter';

export interface RenderRequest {
  id: number;
  input: LetterPdfInput;
}

export type RenderReply = { id: number; ok: true; pdf: Uint8Array } | { id: number; ok: false; error: string };
/** Sent once, when the fonts are parsed: a render's time limit (P12) starts only after it. */
export interface WorkerReady {
  ready: true;
}

const port = parentPort;
if (port === null) throw new Error('render-worker.ts runs as a worker thread');
letterFontSources();
fallbackFontSources();
port.postMessage({ ready: true } satisfies WorkerReady);

port.on('message', (request: RenderRequest) => {
  // A throw before the first await must answer like any failure, not take the thread down.
  Promise.resolve()
    .then(() => {
      const { input } = request;
      // Structured clone turns the logo's Buffer into a Uint8Array; pdfkit wants a Buffer.
      const logo = input.logo == null ? input.logo : { ...input.logo, data: Buffer.from(input.logo.data) };
      return renderLetterPdf({ ...input, logo });
    })
    .then(
      (pdf) => {
        const reply: RenderReply = { id: request.id, ok: true, pdf };
        // Hand the bytes over without a copy, but only a buffer the PDF owns whole: a slice of
        // Node's shared pool must not be detached from under other buffers.
        const owned = pdf.byteOffset === 0 && pdf.byteLength === pdf.buffer.byteLength;
        port.postMessage(reply, owned ? [pdf.buffer as ArrayBuffer] : []);
      },
      (error: unknown) => {
        const reply: RenderReply = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
        port.postMessage(reply);
      },
    );
});
