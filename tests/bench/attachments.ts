// Attachment section of `npm run bench` (KT_BENCH_ONLY=attachments alone, issue 14): a 5 MB
// photo uploaded through the real routes (declare, 1 MB chunks with Upload-Offset, SHA-256 and
// sniff on the last one, SQLite FULL: each chunk committed before its answer) beside the raw
// transfer of the same 5 MB on loopback to a bare node:http server that stores nothing. Both
// servers run in child processes; the passes alternate which goes first. It asserts nothing.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { declaration, declare, fileBytes, sendChunk } from '../support/attachments';
import { DEMO_PASSWORD, login, openDocument } from '../support/server';
import { renderTable, ms, summarize } from './table';
import { gist, spawnServerChild, tempDir } from './target';

export interface AttachmentFigures {
  upload: number[];
  raw: number[];
  bytes: number;
  chunkBytes: number;
  errors: string[];
}

export const emptyAttachmentFigures = (): AttachmentFigures => ({ upload: [], raw: [], bytes: 5 * 1024 * 1024, chunkBytes: 1024 * 1024, errors: [] });

const PASSES = 7;
const SERVER = fileURLToPath(new URL('./server-child.ts', import.meta.url));
const SINK = fileURLToPath(new URL('./sink-child.ts', import.meta.url));

export async function runAttachmentSection(figures: AttachmentFigures, deadline: number, progress: (line: string) => void): Promise<void> {
  const dir = tempDir('kt-bench-attach-');
  const server = spawnServerChild(SERVER, {
    KT_BENCH_SERVER: JSON.stringify({ dataDir: dir.path, demoPassword: DEMO_PASSWORD, sqliteSynchronous: 'FULL', idleMs: 30_000 }),
  });
  const sink = spawnServerChild(SINK, {});
  try {
    const url = `http://127.0.0.1:${await server.ready}`;
    const sinkUrl = `http://127.0.0.1:${await sink.ready}`;
    const session = await login(url, 'veldwerker');
    const photo = fileBytes('image/jpeg', figures.bytes);
    for (let pass = 0; pass < PASSES && Date.now() < deadline; pass++) {
      progress(`attachments pass ${pass + 1}/${PASSES}`);
      const { id, client } = await openDocument(url, session.accessToken, randomUUID());
      client.destroy();
      const runs: (() => Promise<void>)[] = [
        async () => {
          const started = performance.now();
          const response = await fetch(`${sinkUrl}/raw`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(photo) });
          await response.arrayBuffer();
          if (response.status !== 204) throw new Error(`raw transfer answered ${response.status}`);
          figures.raw.push(performance.now() - started);
        },
        async () => {
          const d = declaration(photo);
          const started = performance.now();
          const declared = await declare(url, session.accessToken, id, d);
          if (declared.status !== 201) throw new Error(`declare answered ${declared.status}`);
          let offset = 0;
          let complete = false;
          while (offset < photo.length) {
            const answer = await sendChunk(url, session.accessToken, id, d.attachmentId, offset, photo.subarray(offset, offset + figures.chunkBytes));
            if (answer.status !== 200) throw new Error(`chunk at ${offset} answered ${answer.status}`);
            offset = answer.body.received as number;
            complete = answer.body.complete === true;
          }
          if (!complete) throw new Error('upload not acknowledged');
          figures.upload.push(performance.now() - started);
        },
      ];
      for (const run of pass % 2 === 0 ? runs : [...runs].reverse()) await run();
    }
  } catch (error) {
    figures.errors.push(`${String(error)} ${gist(server.output())}`);
  } finally {
    await sink.stop(5_000);
    await server.stop();
    dir.remove();
  }
}

export function printAttachmentFigures(figures: AttachmentFigures): void {
  const mb = figures.bytes / (1024 * 1024);
  const row = (label: string, samples: number[]): (string | number)[] => {
    const s = summarize(samples);
    return [label, s.n, ms(s.median), ms(s.p95), Number.isFinite(s.median) ? (mb / (s.median / 1000)).toFixed(0) : '–'];
  };
  const up = summarize(figures.upload).median;
  const raw = summarize(figures.raw).median;
  console.log(
    [
      '',
      `Attachments (issue 14): a ${mb} MB photo, ${figures.chunkBytes / (1024 * 1024)} MB chunks, SQLite FULL, 127.0.0.1, ${PASSES} passes alternating`,
      renderTable(['transfer', 'n', 'median ms', 'p95 ms', 'MB/s at median'], [
        row('upload through the routes (declare, chunks, acknowledged)', figures.upload),
        row('raw POST of the same bytes to a bare node:http sink', figures.raw),
      ]),
      `upload / raw at the median: ${Number.isFinite(up) && Number.isFinite(raw) && raw > 0 ? `${(up / raw).toFixed(1)}×` : '–'}`,
      ...figures.errors.map((e) => `error: ${e}`),
    ].join('\n'),
  );
}
