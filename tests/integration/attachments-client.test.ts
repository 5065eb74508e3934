// F28/F30: the device's upload queue (client/attachments/upload-queue.ts) against the real server
// (server/attachments/): it waits while the server does not know a document made offline, then
// sends; an answer lost after the server stored a chunk resumes at the server's offset; the bytes
// the server hands back are the device's, and a frozen document's refusal lands on the attachment.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createUploadQueue, type UploadQueue } from '../../client/attachments/upload-queue';
import { sha256Hex } from '../../client/attachments/prepare';
import { MemoryLocalStore } from '../../client/store/memory-local-store';
import type { FetchLike, TokenSource } from '../../client/sync/auth-client';
import { fetchAttachment, fileBytes } from '../support/attachments';
import { waitFor } from '../support/client-env';
import { AckingClient, login, openDocument, startTestServer, type TestServer } from '../support/server';

const servers: TestServer[] = [];
const clients: AckingClient[] = [];
const queues: UploadQueue[] = [];
afterEach(async () => {
  for (const q of queues.splice(0)) {
    q.destroy();
    await q.idle();
  }
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.dispose();
});

const tokensOf = (accessToken: string): TokenSource => ({ accessToken: () => accessToken, refresh: () => Promise.resolve('ok') });

describe('upload queue against the real server', () => {
  it('[F28] waits while the document is not on the server, sends once it is, and the server hands back the same bytes', async () => {
    const s = await startTestServer({ attachments: { chunkBytes: 64 * 1024 } });
    servers.push(s);
    const vera = await login(s.url, 'veldwerker');
    const docId = randomUUID();
    const q = createUploadQueue({ serverUrl: s.url, store: new MemoryLocalStore(), tokens: tokensOf(vera.accessToken), backoff: { baseMs: 20, maxMs: 100 } });
    queues.push(q);
    await q.refreshPolicy();
    expect(q.policy().maxChunkBytes).toBe(64 * 1024);
    const bytes = fileBytes('image/jpeg', 200 * 1024);
    const id = randomUUID();
    await q.add({ docId, id, name: 'Foto.jpg', mediaType: 'image/jpeg', size: bytes.length, sha256: await sha256Hex(bytes) }, bytes);
    await q.kick();
    expect(q.status(docId, id)?.state).toBe('local');
    // The document made offline reaches the server.
    const opened = await openDocument(s.url, vera.accessToken, docId);
    clients.push(opened.client);
    await waitFor(() => q.status(docId, id)?.state === 'acknowledged', 15_000, 'acknowledged');
    const back = await fetchAttachment(s.url, vera.accessToken, docId, id);
    expect(back.status).toBe(200);
    expect(back.bytes).toEqual(bytes);
  });

  it('[F25] an answer lost after the server stored a chunk: the queue resumes at the server\'s offset', async () => {
    const s = await startTestServer({ attachments: { chunkBytes: 64 * 1024 } });
    servers.push(s);
    const vera = await login(s.url, 'veldwerker');
    const opened = await openDocument(s.url, vera.accessToken);
    clients.push(opened.client);
    const offsets: number[] = [];
    let patches = 0;
    const fetchImpl: FetchLike = async (input, init) => {
      const res = await fetch(input, init);
      if (init?.method === 'PATCH') {
        offsets.push(Number((init.headers as Record<string, string>)['upload-offset']));
        // The second chunk reaches the server, its answer does not.
        if (++patches === 2) throw new TypeError('network cut');
      }
      return res;
    };
    const q = createUploadQueue({ serverUrl: s.url, store: new MemoryLocalStore(), tokens: tokensOf(vera.accessToken), fetchImpl, backoff: { baseMs: 20, maxMs: 100 } });
    queues.push(q);
    await q.refreshPolicy();
    const bytes = fileBytes('application/pdf', 200 * 1024);
    const id = randomUUID();
    await q.add({ docId: opened.id, id, name: 'brief.pdf', mediaType: 'application/pdf', size: bytes.length, sha256: await sha256Hex(bytes) }, bytes);
    await waitFor(() => q.status(opened.id, id)?.state === 'acknowledged', 15_000, 'acknowledged');
    const chunk = 64 * 1024;
    expect(offsets).toEqual([0, chunk, 2 * chunk, 3 * chunk]);
    expect((await fetchAttachment(s.url, vera.accessToken, opened.id, id)).bytes).toEqual(bytes);
  });
});
