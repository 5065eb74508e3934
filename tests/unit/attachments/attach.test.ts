// F23/F24: a picked file enters the document only after its bytes and upload state are on the
// device; the count limit is checked first; two photos of the same minute get distinct names.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { attachFile, uniqueName } from '../../../client/attachments/attach';
import type { ImageReencoder } from '../../../client/attachments/image';
import { blobKey, createUploadQueue, type UploadQueue } from '../../../client/attachments/upload-queue';
import { MemoryLocalStore } from '../../../client/store/memory-local-store';
import { readAttachments } from '../../../shared/model/attachments';
import { startAttachmentFake, type AttachmentFake } from '../../support/attachment-fake';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const images: ImageReencoder = { reencode: () => Promise.resolve(JPEG) };
const DOC = '11111111-1111-4111-8111-111111111111';

let fake: AttachmentFake;
let queue: UploadQueue;
afterEach(async () => {
  queue.destroy();
  await queue.idle();
  await fake.close();
});

describe('attachFile', () => {
  it('[F24] the bytes are on the device before the document lists the attachment; photos of one minute get distinct names', async () => {
    fake = await startAttachmentFake();
    fake.failWith = 503;
    const store = new MemoryLocalStore();
    queue = createUploadQueue({ serverUrl: fake.url, store, tokens: { accessToken: () => 't', refresh: () => Promise.resolve('ok') }, backoff: { baseMs: 50, maxMs: 50 } });
    const doc = new Y.Doc();
    const seen: boolean[] = [];
    doc.getMap('attachments').observe(() => {
      const [ref] = readAttachments(doc).slice(-1);
      void store.getBlob(blobKey(DOC, ref!.id)).then((b) => seen.push(b !== null));
    });
    const at = Date.UTC(2026, 11, 3, 13, 5);
    const one = await attachFile({ doc, docId: DOC, file: { name: 'a.jpg', bytes: JPEG, fromCamera: true }, uploads: queue, images, userId: 'u1', now: () => at });
    const two = await attachFile({ doc, docId: DOC, file: { name: 'b.jpg', bytes: JPEG, fromCamera: true }, uploads: queue, images, userId: 'u1', now: () => at });
    expect(one.ok && two.ok).toBe(true);
    expect(readAttachments(doc).map((a) => a.name).sort()).toEqual(['Foto 3 december 14.05 (2).jpg', 'Foto 3 december 14.05.jpg']);
    await expect.poll(() => seen).toEqual([true, true]);
    expect(queue.pendingFor(DOC)).toBe(2);
    expect(uniqueName('x.pdf', ['x.pdf', 'x (2).pdf'])).toBe('x (3).pdf');
  });

  it('[F23] past the count limit nothing is kept and the message says the maximum', async () => {
    fake = await startAttachmentFake();
    fake.failWith = 503;
    const store = new MemoryLocalStore();
    await store.putSetting('attachment-policy', { maxBytes: 1000, maxPerDocument: 1, maxChunkBytes: 1000, mediaTypes: ['image/jpeg'], imageLongSide: 100 });
    queue = createUploadQueue({ serverUrl: fake.url, store, tokens: { accessToken: () => 't', refresh: () => Promise.resolve('ok') } });
    await queue.ready();
    const doc = new Y.Doc();
    await attachFile({ doc, docId: DOC, file: { name: 'a.jpg', bytes: JPEG, fromCamera: false }, uploads: queue, images, userId: 'u1' });
    const refused = await attachFile({ doc, docId: DOC, file: { name: 'b.jpg', bytes: JPEG, fromCamera: false }, uploads: queue, images, userId: 'u1' });
    expect(refused).toEqual({ ok: false, message: 'Dit document heeft al 1 bijlage, het maximum.' });
    expect(readAttachments(doc)).toHaveLength(1);
    expect(await store.listBlobKeys()).toHaveLength(1);
  });
});
