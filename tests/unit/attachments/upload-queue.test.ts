// F24–F29: the durable upload against a real HTTP server on loopback that speaks the protocol
// (tests/support/attachment-fake.ts); cuts, reloads, refusals and outages as a device meets them.
import { afterEach, describe, expect, it } from 'vitest';
import { blobKey, createUploadQueue, UPLOADS_SETTING, type UploadQueue } from '../../../client/attachments/upload-queue';
import { sha256Hex } from '../../../client/attachments/prepare';
import { MemoryLocalStore } from '../../../client/store/memory-local-store';
import type { TokenSource } from '../../../client/sync/auth-client';
import { startAttachmentFake, type AttachmentFake } from '../../support/attachment-fake';
import { waitFor } from '../../support/client-env';

const tokens: TokenSource = { accessToken: () => 'tok', refresh: () => Promise.resolve('ok') };
const DOC = '11111111-1111-4111-8111-111111111111';
const A1 = '22222222-2222-4222-8222-222222222222';
const A2 = '33333333-3333-4333-8333-333333333333';

function photo(size: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) % 256;
  bytes.set([0xff, 0xd8, 0xff]);
  return bytes;
}

let fake: AttachmentFake;
const queues: UploadQueue[] = [];
afterEach(async () => {
  for (const q of queues.splice(0)) {
    q.destroy();
    await q.idle();
  }
  await fake.close();
});

function makeQueue(store: MemoryLocalStore): UploadQueue {
  const q = createUploadQueue({ serverUrl: fake.url, store, tokens, backoff: { baseMs: 10, maxMs: 40 }, requestTimeoutMs: 5_000 });
  queues.push(q);
  return q;
}

async function addPhoto(q: UploadQueue, id: string, bytes: Uint8Array): Promise<void> {
  await q.add({ docId: DOC, id, name: `${id.slice(0, 4)}.jpg`, mediaType: 'image/jpeg', size: bytes.length, sha256: await sha256Hex(bytes) }, bytes);
}

describe('upload queue', () => {
  it('[F24] keeps bytes and state on the device before anything is sent; offline it says "on this device"', async () => {
    fake = await startAttachmentFake();
    fake.failWith = 503;
    const store = new MemoryLocalStore();
    const q = makeQueue(store);
    const bytes = photo(3000);
    await addPhoto(q, A1, bytes);
    expect(await store.getBlob(blobKey(DOC, A1))).toEqual(bytes);
    expect(await store.getSetting(UPLOADS_SETTING)).toMatchObject({ [blobKey(DOC, A1)]: { state: 'pending', size: 3000 } });
    expect(q.status(DOC, A1)).toMatchObject({ state: 'local', size: 3000 });
    expect(q.pendingFor(DOC)).toBe(1);
    // A reload: a new queue on the same store knows the upload.
    q.destroy();
    const again = makeQueue(store);
    await again.ready();
    expect(again.status(DOC, A1)).toMatchObject({ state: 'local' });
    expect(again.pendingCount()).toBe(1);
  });

  it('[F25] a chunk cut half way resumes at the server\'s offset, not at zero, and ends acknowledged', async () => {
    fake = await startAttachmentFake({ chunkBytes: 1000 });
    fake.knownDocs.add(DOC);
    const store = new MemoryLocalStore();
    const q = makeQueue(store);
    await q.refreshPolicy();
    expect(q.policy().maxChunkBytes).toBe(1000);
    fake.cutNextChunkAfter = 400;
    const bytes = photo(2500);
    await addPhoto(q, A1, bytes);
    await waitFor(() => q.status(DOC, A1)?.state === 'acknowledged', 10_000, 'acknowledged');
    const patches = fake.log.filter((l) => l.startsWith('PATCH'));
    expect(patches.map((l) => Number(l.split(' ')[2]))).toEqual([0, 400, 1400, 2400]);
    expect(fake.held.get(`${DOC}/${A1}`)?.bytes).toEqual(bytes);
    expect(q.pendingFor(DOC)).toBe(0);
    // The bytes stay on the device for thumbnails.
    expect(await q.bytes(DOC, A1)).toEqual(bytes);
  });

  it('[F25] after a reload it asks the status and sends from `received`', async () => {
    fake = await startAttachmentFake({ chunkBytes: 1000 });
    fake.knownDocs.add(DOC);
    const store = new MemoryLocalStore();
    const first = makeQueue(store);
    await first.refreshPolicy();
    const bytes = photo(3000);
    // The first chunk gets through, then the network goes (the app is closed meanwhile).
    fake.cutNextChunkAfter = 1000;
    await addPhoto(first, A1, bytes);
    await waitFor(() => (fake.held.get(`${DOC}/${A1}`)?.bytes.length ?? 0) === 1000, 5_000, 'first chunk');
    fake.failWith = 503;
    first.destroy();
    await first.idle();
    fake.failWith = null;
    fake.log.length = 0;
    const second = makeQueue(store);
    await second.ready();
    void second.kick();
    await waitFor(() => second.status(DOC, A1)?.state === 'acknowledged', 10_000, 'acknowledged after reload');
    expect(fake.log[0]).toBe(`GET /api/documents/${DOC}/attachments/${A1}/status`);
    expect(fake.log.filter((l) => l.startsWith('PATCH')).map((l) => Number(l.split(' ')[2]))).toEqual([1000, 2000]);
    expect(fake.held.get(`${DOC}/${A1}`)?.bytes).toEqual(bytes);
  });

  it('[F26] a refusal becomes a Dutch message on that attachment; its bytes stay, the others go on', async () => {
    fake = await startAttachmentFake();
    fake.knownDocs.add(DOC);
    fake.refuse.set(A1, { status: 413, error: 'attachment-too-large' });
    const store = new MemoryLocalStore();
    const q = makeQueue(store);
    await addPhoto(q, A1, photo(500, 1));
    await addPhoto(q, A2, photo(500, 2));
    await waitFor(() => q.status(DOC, A2)?.state === 'acknowledged', 5_000, 'second acknowledged');
    expect(q.status(DOC, A1)).toEqual({
      state: 'refused',
      reason: 'attachment-too-large',
      message: '‘2222.jpg’ is te groot: de server neemt bijlagen tot 20,0 MB.',
    });
    expect(await store.getBlob(blobKey(DOC, A1))).not.toBeNull();
    expect(q.pendingFor(DOC)).toBe(0);
    // A refused upload is not hammered again.
    const before = fake.log.length;
    await q.kick();
    expect(fake.log.length).toBe(before);
  });

  it('[F27] acknowledged only on complete: true; a hash the server rejects is never "Verzonden"', async () => {
    fake = await startAttachmentFake({ chunkBytes: 4096 });
    fake.knownDocs.add(DOC);
    const store = new MemoryLocalStore();
    const q = makeQueue(store);
    const bytes = photo(1000);
    await q.add({ docId: DOC, id: A1, name: 'x.jpg', mediaType: 'image/jpeg', size: 1000, sha256: 'f'.repeat(64) }, bytes);
    await waitFor(() => q.status(DOC, A1)?.state === 'refused', 5_000, 'refused');
    expect(q.status(DOC, A1)).toMatchObject({ reason: 'attachment-hash-mismatch' });
  });

  it('[F28] backs off while the server fails and while the document is not on the server yet, then sends', async () => {
    fake = await startAttachmentFake();
    fake.failWith = 503;
    const store = new MemoryLocalStore();
    const q = makeQueue(store);
    await addPhoto(q, A1, photo(800));
    await waitFor(() => fake.log.length >= 3, 5_000, 'retries');
    expect(q.status(DOC, A1)?.state).toBe('local');
    fake.failWith = null;
    // The document was made offline: the server does not know it yet.
    await waitFor(() => fake.log.some((l) => l.startsWith('POST')), 5_000, 'declare tried');
    expect(q.status(DOC, A1)?.state).toBe('local');
    fake.knownDocs.add(DOC);
    await waitFor(() => q.status(DOC, A1)?.state === 'acknowledged', 5_000, 'acknowledged');
  });

  it('[F28] a kick during a failing attempt is not lost: the upload goes within seconds, not after the backoff', async () => {
    fake = await startAttachmentFake();
    fake.knownDocs.add(DOC);
    // The network fails slowly (a connect that times out), so the kick lands mid-attempt; the
    // backoff is a minute, so only the runner's "called during a stall" retry can send it in time.
    const link = { down: true };
    const slow = async (url: string, init?: RequestInit): Promise<Response> => {
      if (link.down) {
        await new Promise((r) => setTimeout(r, 150));
        throw new TypeError('fetch failed');
      }
      return fetch(url, init);
    };
    const store = new MemoryLocalStore();
    const q = createUploadQueue({ serverUrl: fake.url, store, tokens, fetchImpl: slow, backoff: { baseMs: 60_000, maxMs: 60_000 }, requestTimeoutMs: 5_000 });
    queues.push(q);
    await addPhoto(q, A1, photo(800));
    link.down = false;
    void q.kick();
    await waitFor(() => q.status(DOC, A1)?.state === 'acknowledged', 5_000, 'acknowledged after the kick');
  });

  it('[F29] removing an attachment forgets its upload and deletes its bytes from the device', async () => {
    fake = await startAttachmentFake();
    fake.failWith = 503;
    const store = new MemoryLocalStore();
    const q = makeQueue(store);
    await addPhoto(q, A1, photo(800));
    await q.remove(DOC, A1);
    expect(q.status(DOC, A1)).toBeNull();
    expect(await store.listBlobKeys()).toEqual([]);
    expect(await store.getSetting(UPLOADS_SETTING)).toEqual({});
  });
});
