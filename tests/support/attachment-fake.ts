// A small real HTTP server speaking the attachment upload protocol (shared/protocol/attachments.ts)
// for the client's unit tests: it keeps what it received in memory, and a test can make the
// document unknown, cut a chunk's connection half way (after storing part of it, as a real server
// that committed some bytes would), answer 503, or refuse. The real server is tested against the
// same client in tests/integration once it exists (attach-server).
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Held {
  size: number;
  sha256: string;
  bytes: Uint8Array;
  complete: boolean;
}

export interface AttachmentFake {
  url: string;
  held: Map<string, Held>;
  /** Documents the server knows; others answer 404 on declare. */
  knownDocs: Set<string>;
  /** Every request as `METHOD path [offset]`. */
  log: string[];
  /** Next PATCH: keep `keep` bytes of it, then destroy the socket without an answer. */
  cutNextChunkAfter: number | null;
  /** Answer every request with this status (e.g. 503) while set. */
  failWith: number | null;
  /** Refuse the declare of this attachment with this error. */
  refuse: Map<string, { status: number; error: string }>;
  chunkBytes: number;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export async function startAttachmentFake(opts: { token?: string; chunkBytes?: number } = {}): Promise<AttachmentFake> {
  const fake: Omit<AttachmentFake, 'url' | 'close'> = {
    held: new Map(),
    knownDocs: new Set(),
    log: [],
    cutNextChunkAfter: null,
    failWith: null,
    refuse: new Map(),
    chunkBytes: opts.chunkBytes ?? 1024,
  };
  const send = (res: ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const status = (aid: string, h: Held): object => ({ attachmentId: aid, size: h.size, received: h.bytes.length, complete: h.complete });

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const offset = req.headers['upload-offset'];
      fake.log.push(`${req.method} ${url.pathname}${offset === undefined ? '' : ` ${String(offset)}`}`);
      if (opts.token !== undefined && req.headers.authorization !== `Bearer ${opts.token}`) return send(res, 401, { error: 'unauthorized' });
      if (fake.failWith !== null) {
        await readBody(req);
        return send(res, fake.failWith, { error: 'unavailable' });
      }
      if (url.pathname === '/api/attachment-policy') {
        return send(res, 200, { maxBytes: 1_000_000, maxPerDocument: 5, maxChunkBytes: fake.chunkBytes, mediaTypes: ['image/jpeg', 'image/png', 'application/pdf'], imageLongSide: 1200 });
      }
      const m = /^\/api\/documents\/([^/]+)\/attachments(?:\/([^/]+)(\/status)?)?$/.exec(url.pathname);
      if (m === null) return send(res, 404, { error: 'not-found' });
      const [, docId, aid, isStatus] = m as unknown as [string, string, string | undefined, string | undefined];
      if (!fake.knownDocs.has(docId)) return send(res, 404, { error: 'document-not-found' });
      if (req.method === 'POST' && aid === undefined) {
        const body = JSON.parse((await readBody(req)).toString()) as { attachmentId: string; size: number; sha256: string };
        const refusal = fake.refuse.get(body.attachmentId);
        if (refusal !== undefined) return send(res, refusal.status, { error: refusal.error });
        const key = `${docId}/${body.attachmentId}`;
        const existing = fake.held.get(key);
        if (existing !== undefined) {
          if (existing.size !== body.size || existing.sha256 !== body.sha256) return send(res, 409, { error: 'attachment-conflict' });
          return send(res, 200, status(body.attachmentId, existing));
        }
        const held = { size: body.size, sha256: body.sha256, bytes: new Uint8Array(), complete: false };
        fake.held.set(key, held);
        return send(res, 201, status(body.attachmentId, held));
      }
      if (aid === undefined) return send(res, 405, { error: 'method' });
      const held = fake.held.get(`${docId}/${aid}`);
      if (held === undefined) return send(res, 404, { error: 'attachment-not-found' });
      if (req.method === 'GET' && isStatus !== undefined) return send(res, 200, status(aid, held));
      if (req.method === 'PATCH') {
        const at = Number(offset);
        if (fake.cutNextChunkAfter !== null) {
          const keep = fake.cutNextChunkAfter;
          fake.cutNextChunkAfter = null;
          const part = await new Promise<Buffer>((resolve) => {
            const chunks: Buffer[] = [];
            let got = 0;
            req.on('data', (c: Buffer) => {
              chunks.push(c);
              got += c.length;
              if (got >= keep) resolve(Buffer.concat(chunks).subarray(0, keep));
            });
            req.on('end', () => resolve(Buffer.concat(chunks).subarray(0, keep)));
          });
          if (at === held.bytes.length) held.bytes = new Uint8Array([...held.bytes, ...part]);
          req.socket.destroy();
          return;
        }
        const body = await readBody(req);
        if (at !== held.bytes.length) return send(res, 409, status(aid, held));
        if (body.length > fake.chunkBytes) return send(res, 413, { error: 'attachment-too-large' });
        held.bytes = new Uint8Array([...held.bytes, ...body]);
        if (held.bytes.length >= held.size) {
          const hash = createHash('sha256').update(held.bytes).digest('hex');
          if (hash !== held.sha256) {
            held.bytes = new Uint8Array();
            return send(res, 422, { error: 'attachment-hash-mismatch' });
          }
          held.complete = true;
        }
        return send(res, 200, status(aid, held));
      }
      return send(res, 405, { error: 'method' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake as AttachmentFake, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
