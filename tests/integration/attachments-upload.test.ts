// The attachment upload against the real server (F1–F7, F10–F13, F17, F18): declared, sent in
// chunks at the server's offset, checked by hash and by content, acknowledged only once stored,
// resumable after a cut and a restart, readable by the document's team only, refused with a clear
// Dutch message past a limit or once the document is frozen.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { addAttachment } from '../../shared/model/attachments';
import type { AttachmentRow, Store } from '../../server/store/types';
import { act } from '../support/api';
import { declaration, declare, fetchAttachment, fileBytes, sendChunk, sha256, upload, uploadStatus, type Declared } from '../support/attachments';
import { createGate } from '../support/gated-store';
import { writeLetter } from '../support/letter';
import { AckingClient, login, openDocument, startTestServer, type Session, type TestServer, trackTestServers } from '../support/server';
import { createMemoryStore } from '../../server/store/memory/store';
import { decodeJwt } from 'jose';

const { server, clients, adopt } = trackTestServers();

async function open(s: TestServer, session: Session): Promise<{ id: string; client: AckingClient }> {
  const opened = await openDocument(s.url, session.accessToken, randomUUID());
  clients.push(opened.client);
  return opened;
}

/** Lists the attachment in the document as a device does (shared/model/attachments.ts). */
async function list(client: AckingClient, d: Declared, session: Session, caption = ''): Promise<void> {
  addAttachment(client.doc, { id: d.attachmentId, name: d.name, mediaType: d.mediaType, size: d.size, sha256: d.sha256, caption, addedBy: session.user.id, addedAt: Date.now() });
  await client.waitSaved();
}

async function otherTeam(s: TestServer): Promise<Session> {
  await s.store.createTeam({ id: 'noord', name: 'Wijkteam Noord' });
  await s.store.createUser({ id: randomUUID(), username: 'noorderling', name: 'Nora Noord', teamId: 'noord', roles: ['field', 'office'], passwordHash: await hashPassword('noord-wachtwoord'), disabled: false });
  return login(s.url, 'noorderling', 'noord-wachtwoord');
}

describe('attachment upload', () => {
  it('[F1] a declaration answers 201 with nothing received; the same again answers its status, other values 409', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id } = await open(s, vera);
    const bytes = fileBytes('image/jpeg', 5000);
    const d = declaration(bytes);
    expect(await declare(s.url, vera.accessToken, id, d)).toEqual({ status: 201, body: { attachmentId: d.attachmentId, size: 5000, received: 0, complete: false } });
    expect(await sendChunk(s.url, vera.accessToken, id, d.attachmentId, 0, bytes.subarray(0, 1000))).toMatchObject({ status: 200, body: { received: 1000 } });
    // A device that lost the answer declares again: the status, not a new upload.
    expect(await declare(s.url, vera.accessToken, id, d)).toEqual({ status: 200, body: { attachmentId: d.attachmentId, size: 5000, received: 1000, complete: false } });
    const other = await declare(s.url, vera.accessToken, id, { ...d, sha256: sha256(fileBytes('image/jpeg', 5000)) });
    expect(other).toMatchObject({ status: 409, body: { error: 'attachment-conflict', message: expect.stringContaining('andere inhoud') as string } });
    // Malformed declarations are 400, never stored.
    expect((await declare(s.url, vera.accessToken, id, { ...d, attachmentId: 'x' })).status).toBe(400);
    expect((await declare(s.url, vera.accessToken, id, { ...d, mediaType: 'image/heic' })).status).toBe(400);
    expect((await declare(s.url, vera.accessToken, id, { ...d, size: 0 })).status).toBe(400);
  });

  it('[F2] chunks go at the server\'s offset: a wrong offset is 409 with the status, and the upload resumes from `received`', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id } = await open(s, vera);
    const bytes = fileBytes('image/png', 300_000);
    const d = declaration(bytes, 'image/png', 'plattegrond.png');
    await declare(s.url, vera.accessToken, id, d);
    expect((await sendChunk(s.url, vera.accessToken, id, d.attachmentId, 0, bytes.subarray(0, 100_000))).body).toMatchObject({ received: 100_000, complete: false });
    // The device thinks it got further (its answer was lost the other way): told where to go on.
    const ahead = await sendChunk(s.url, vera.accessToken, id, d.attachmentId, 200_000, bytes.subarray(200_000));
    expect(ahead).toEqual({ status: 409, body: { attachmentId: d.attachmentId, size: 300_000, received: 100_000, complete: false } });
    // A repeat of a chunk already stored is not stored twice.
    expect((await sendChunk(s.url, vera.accessToken, id, d.attachmentId, 0, bytes.subarray(0, 100_000))).status).toBe(409);
    const status = await uploadStatus(s.url, vera.accessToken, id, d.attachmentId);
    expect(status).toEqual({ status: 200, body: { attachmentId: d.attachmentId, size: 300_000, received: 100_000, complete: false } });
    const done = await sendChunk(s.url, vera.accessToken, id, d.attachmentId, 100_000, bytes.subarray(100_000));
    expect(done).toEqual({ status: 200, body: { attachmentId: d.attachmentId, size: 300_000, received: 300_000, complete: true } });
    const back = await fetchAttachment(s.url, vera.accessToken, id, d.attachmentId);
    expect(back.status).toBe(200);
    expect(sha256(back.bytes)).toBe(d.sha256);
    // Sent again after the answer was lost: still complete, nothing changes.
    expect((await sendChunk(s.url, vera.accessToken, id, d.attachmentId, 100_000, bytes.subarray(100_000))).body).toMatchObject({ complete: true });
    expect((await uploadStatus(s.url, vera.accessToken, id, randomUUID())).status).toBe(404);
    // The same chunk sent twice at once (a retry racing the original): stored once.
    const racing = fileBytes('image/jpeg', 200_000);
    const dr = declaration(racing);
    await declare(s.url, vera.accessToken, id, dr);
    const both = await Promise.all([0, 1].map(() => sendChunk(s.url, vera.accessToken, id, dr.attachmentId, 0, racing.subarray(0, 100_000))));
    expect(both.map((a) => a.status).sort()).toEqual([200, 409]);
    expect((await uploadStatus(s.url, vera.accessToken, id, dr.attachmentId)).body).toMatchObject({ received: 100_000 });
    expect((await sendChunk(s.url, vera.accessToken, id, dr.attachmentId, 100_000, racing.subarray(100_000))).body).toMatchObject({ complete: true });
    expect(sha256((await fetchAttachment(s.url, vera.accessToken, id, dr.attachmentId)).bytes)).toBe(dr.sha256);
    // Bad headers and bodies are 400/415, not stored.
    const noOffset = await fetch(`${s.url}/api/documents/${id}/attachments/${d.attachmentId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/offset+octet-stream', authorization: `Bearer ${vera.accessToken}` },
      body: Buffer.from(bytes.subarray(0, 10)),
    });
    expect(noOffset.status).toBe(400);
    const asJson = await fetch(`${s.url}/api/documents/${id}/attachments/${d.attachmentId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'upload-offset': '0', authorization: `Bearer ${vera.accessToken}` },
      body: '{}',
    });
    expect(asJson.status).toBe(415);
  });

  it('[F3] the type is read from the content, not the name or the declared type: a PNG declared as JPEG is refused', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id } = await open(s, vera);
    const png = fileBytes('image/png', 4000);
    const d = declaration(png, 'image/jpeg', 'foto.jpg');
    const refused = await upload(s.url, vera.accessToken, id, png, d);
    expect(refused).toMatchObject({ status: 415, body: { error: 'attachment-wrong-type', message: expect.stringContaining('foto.jpg') as string } });
    expect((await uploadStatus(s.url, vera.accessToken, id, d.attachmentId)).body).toMatchObject({ received: 0, complete: false });
    // A script named .pdf is no PDF, also when the first chunk is too short to tell.
    const script = new TextEncoder().encode('#!/bin/sh\necho hallo\n'.repeat(20));
    const fake = declaration(script, 'application/pdf', 'besluit.pdf');
    await declare(s.url, vera.accessToken, id, fake);
    expect((await sendChunk(s.url, vera.accessToken, id, fake.attachmentId, 0, script.subarray(0, 4))).status).toBe(200);
    expect(await sendChunk(s.url, vera.accessToken, id, fake.attachmentId, 4, script.subarray(4))).toMatchObject({ status: 415, body: { error: 'attachment-wrong-type' } });
    expect((await uploadStatus(s.url, vera.accessToken, id, fake.attachmentId)).body).toMatchObject({ received: 0, complete: false });
    // The real types pass.
    for (const type of ['image/jpeg', 'image/png', 'application/pdf'] as const) {
      const bytes = fileBytes(type, 3000);
      expect((await upload(s.url, vera.accessToken, id, bytes, declaration(bytes, type))).body).toMatchObject({ complete: true });
    }
  });

  it('[F4] the SHA-256 of the whole blob is checked: a mismatch is refused and the upload starts over at 0', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id } = await open(s, vera);
    const bytes = fileBytes('application/pdf', 50_000);
    const d = declaration(bytes, 'application/pdf', 'brief deurwaarder.pdf');
    const damaged = bytes.slice();
    damaged[40_000] = (damaged[40_000] ?? 0) ^ 0xff;
    const refused = await upload(s.url, vera.accessToken, id, damaged, d, 16_000);
    expect(refused).toMatchObject({ status: 422, body: { error: 'attachment-hash-mismatch', message: expect.stringContaining('brief deurwaarder.pdf') as string } });
    expect((await uploadStatus(s.url, vera.accessToken, id, d.attachmentId)).body).toMatchObject({ received: 0, complete: false });
    expect((await fetchAttachment(s.url, vera.accessToken, id, d.attachmentId)).status).toBe(404);
    expect((await upload(s.url, vera.accessToken, id, bytes, d, 16_000)).body).toMatchObject({ received: 50_000, complete: true });
  });

  it('[F5] `complete: true` is answered only after the transaction with the last bytes committed', async () => {
    const gate = createGate();
    const inner = createMemoryStore();
    const appended: AttachmentRow[] = [];
    const store = new Proxy(inner, {
      get(target, prop, receiver) {
        if (prop === 'appendAttachmentChunk') {
          return async (...args: Parameters<Store['appendAttachmentChunk']>) => {
            if (args[4] !== null) await gate.wait();
            const result = await target.appendAttachmentChunk(...args);
            if (result.stored) appended.push(result.row);
            return result;
          };
        }
        return Reflect.get(target, prop, receiver) as unknown;
      },
    }) as Store;
    const s = await server({ store });
    const vera = await login(s.url, 'veldwerker');
    const { id } = await open(s, vera);
    const bytes = fileBytes('image/jpeg', 20_000);
    const d = declaration(bytes);
    await declare(s.url, vera.accessToken, id, d);
    expect((await sendChunk(s.url, vera.accessToken, id, d.attachmentId, 0, bytes.subarray(0, 10_000))).body).toMatchObject({ complete: false });
    gate.closed = true;
    let answered = false;
    const last = sendChunk(s.url, vera.accessToken, id, d.attachmentId, 10_000, bytes.subarray(10_000)).then((a) => {
      answered = true;
      return a;
    });
    await gate.whenHeld();
    // Checked and ready, but not stored: no answer, and the status says not complete.
    expect(answered).toBe(false);
    expect((await uploadStatus(s.url, vera.accessToken, id, d.attachmentId)).body).toMatchObject({ received: 10_000, complete: false });
    gate.open();
    expect((await last).body).toMatchObject({ received: 20_000, complete: true });
    expect(appended.at(-1)).toMatchObject({ received: 20_000, completedAt: expect.any(Number) as number });
  });

  it('[F6] a partial upload survives a server restart and resumes at `received`', async () => {
    const first = await startTestServer({ persistent: true });
    const dataDir = first.dataDir;
    const vera = await login(first.url, 'veldwerker');
    const { id, client } = await openDocument(first.url, vera.accessToken, randomUUID());
    const bytes = fileBytes('image/jpeg', 700_000);
    const d = declaration(bytes);
    await declare(first.url, vera.accessToken, id, d);
    await sendChunk(first.url, vera.accessToken, id, d.attachmentId, 0, bytes.subarray(0, 300_000));
    client.destroy();
    await first.close();
    const again = await server({ dataDir });
    adopt(first); // removes the folder after `again` closed
    const vera2 = await login(again.url, 'veldwerker');
    expect((await uploadStatus(again.url, vera2.accessToken, id, d.attachmentId)).body).toEqual({ attachmentId: d.attachmentId, size: 700_000, received: 300_000, complete: false });
    expect((await sendChunk(again.url, vera2.accessToken, id, d.attachmentId, 300_000, bytes.subarray(300_000))).body).toMatchObject({ complete: true });
    expect(sha256((await fetchAttachment(again.url, vera2.accessToken, id, d.attachmentId)).bytes)).toBe(d.sha256);
  });

  it('[F7] the bytes are served to the document\'s team only, complete only, with their sniffed type; others get the same 404', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const { id } = await open(s, vera);
    const bytes = fileBytes('image/png', 10_000);
    const d = declaration(bytes, 'image/png', 'situatie één.png');
    await declare(s.url, vera.accessToken, id, d);
    await sendChunk(s.url, vera.accessToken, id, d.attachmentId, 0, bytes.subarray(0, 5000));
    expect((await fetchAttachment(s.url, vera.accessToken, id, d.attachmentId)).status).toBe(404);
    await sendChunk(s.url, vera.accessToken, id, d.attachmentId, 5000, bytes.subarray(5000));
    const byOffice = await fetchAttachment(s.url, kantoor.accessToken, id, d.attachmentId);
    expect(byOffice.status).toBe(200);
    expect(byOffice.type).toBe('image/png');
    expect(sha256(byOffice.bytes)).toBe(d.sha256);
    const nora = await otherTeam(s);
    expect((await fetchAttachment(s.url, nora.accessToken, id, d.attachmentId)).status).toBe(404);
    expect((await uploadStatus(s.url, nora.accessToken, id, d.attachmentId)).status).toBe(404);
    expect((await declare(s.url, nora.accessToken, id, declaration(bytes))).status).toBe(404);
    expect((await sendChunk(s.url, nora.accessToken, id, d.attachmentId, 0, bytes)).status).toBe(404);
    expect((await fetchAttachment(s.url, nora.accessToken, randomUUID(), d.attachmentId)).status).toBe(404);
    expect((await fetch(`${s.url}/api/documents/${id}/attachments/${d.attachmentId}`)).status).toBe(401);
    // An administrator without a document role reads no attachments (B9).
    const beheerder = await login(s.url, 'beheerder');
    expect((await fetchAttachment(s.url, beheerder.accessToken, id, d.attachmentId)).status).toBe(403);
  });

  it('[F10] the limits are named settings, checked at start and given to the device as the policy; too large is 413 in Dutch', async () => {
    await expect(startTestServer({ attachments: { chunkBytes: 10 } })).rejects.toThrow(/ATTACHMENT_CHUNK_BYTES/);
    const s = await server({ attachments: { maxBytes: 64 * 1024, maxPerDocument: 3, chunkBytes: 32 * 1024, imageLongSide: 1600 } });
    const vera = await login(s.url, 'veldwerker');
    const policy = await fetch(`${s.url}/api/attachment-policy`, { headers: { authorization: `Bearer ${vera.accessToken}` } });
    expect(await policy.json()).toEqual({ maxBytes: 65536, maxPerDocument: 3, maxChunkBytes: 32768, mediaTypes: ['image/jpeg', 'image/png', 'application/pdf'], imageLongSide: 1600 });
    expect((await fetch(`${s.url}/api/attachment-policy`)).status).toBe(401);
    const { id } = await open(s, vera);
    const big = fileBytes('image/jpeg', 64 * 1024 + 1);
    expect(await declare(s.url, vera.accessToken, id, declaration(big))).toMatchObject({
      status: 413,
      body: { error: 'attachment-too-large', message: expect.stringContaining('te groot') as string },
    });
  });

  it('[F11] a user\'s daily upload quota: past it a chunk is refused with 429 and a Dutch message, nothing stored', async () => {
    const s = await server({ attachments: { maxBytes: 64 * 1024, dailyBytesPerUser: 100 * 1024 } });
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const { id } = await open(s, vera);
    const a = fileBytes('image/jpeg', 60 * 1024);
    const b = fileBytes('image/jpeg', 60 * 1024);
    expect((await upload(s.url, vera.accessToken, id, a, declaration(a))).body).toMatchObject({ complete: true });
    const db = declaration(b);
    const refused = await upload(s.url, vera.accessToken, id, b, db, 64 * 1024);
    expect(refused).toMatchObject({ status: 429, body: { error: 'upload-quota', message: expect.stringContaining('vandaag') as string } });
    expect((await uploadStatus(s.url, vera.accessToken, id, db.attachmentId)).body).toMatchObject({ received: 0 });
    // Another official's day is their own.
    expect((await upload(s.url, kantoor.accessToken, id, b, declaration(b))).body).toMatchObject({ complete: true });
  });

  it('[F12] a document lists at most ATTACHMENT_MAX_PER_DOCUMENT attachments; removed ones do not count', async () => {
    const s = await server({ attachments: { maxPerDocument: 2 } });
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await open(s, vera);
    const listed: Declared[] = [];
    for (let i = 0; i < 2; i++) {
      const bytes = fileBytes('image/jpeg', 2000);
      const d = declaration(bytes);
      listed.push(d);
      await list(client, d, vera);
      expect((await upload(s.url, vera.accessToken, id, bytes, d)).body).toMatchObject({ complete: true });
    }
    const third = fileBytes('image/jpeg', 2000);
    expect(await declare(s.url, vera.accessToken, id, declaration(third))).toMatchObject({
      status: 409,
      body: { error: 'too-many-attachments', message: 'Een document kan ten hoogste 2 bijlagen hebben.' },
    });
    // The official removes one: room for another.
    client.doc.getMap('attachments').delete(listed[0]?.attachmentId ?? '');
    await client.waitSaved();
    expect((await declare(s.url, vera.accessToken, id, declaration(third))).status).toBe(201);
    // Declared but never listed (a hostile or broken device): stored rows stop at three times the limit.
    const stored = (await s.store.listAttachments(id)).length;
    for (let i = stored; i < 6; i++) expect((await declare(s.url, vera.accessToken, id, declaration(third))).status).toBe(201);
    expect(await declare(s.url, vera.accessToken, id, declaration(third))).toMatchObject({ status: 409, body: { error: 'too-many-attachments' } });
  });

  it('[F13] only a concept takes new attachments or bytes: after submit 409 document-frozen; a complete one stays readable', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const { id, client } = await open(s, vera);
    await writeLetter(client, id, vera);
    const half = fileBytes('image/jpeg', 20_000);
    const dh = declaration(half);
    await declare(s.url, vera.accessToken, id, dh);
    await sendChunk(s.url, vera.accessToken, id, dh.attachmentId, 0, half.subarray(0, 10_000));
    expect((await act(s.url, vera.accessToken, id, 'submit')).status).toBe(202);
    const late = fileBytes('image/jpeg', 2000);
    expect(await declare(s.url, vera.accessToken, id, declaration(late))).toMatchObject({ status: 409, body: { error: 'document-frozen', message: expect.stringContaining('concept') as string } });
    expect(await sendChunk(s.url, vera.accessToken, id, dh.attachmentId, 10_000, half.subarray(10_000))).toMatchObject({ status: 409, body: { error: 'document-frozen' } });
  });

  it('[F17] a stored attachment and every copy handed out are audit entries', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const { id } = await open(s, vera);
    const bytes = fileBytes('image/jpeg', 3000);
    const d = declaration(bytes);
    await upload(s.url, vera.accessToken, id, bytes, d);
    await fetchAttachment(s.url, kantoor.accessToken, id, d.attachmentId);
    const entries = await s.store.audit.query({ documentId: id });
    const stored = entries.find((e) => e.action === 'attachment-stored');
    const downloaded = entries.find((e) => e.action === 'attachment-downloaded');
    expect(stored).toMatchObject({ userId: vera.user.id, deviceId: expect.any(String) as string, details: { attachmentId: d.attachmentId, sha256: d.sha256 } });
    expect(downloaded).toMatchObject({ userId: kantoor.user.id, details: { attachmentId: d.attachmentId } });
  });

  it('[F18] body limits per route: a chunk above ATTACHMENT_CHUNK_BYTES and an oversized declaration are 413, nothing stored', async () => {
    const s = await server({ attachments: { chunkBytes: 16 * 1024 } });
    const vera = await login(s.url, 'veldwerker');
    const { id } = await open(s, vera);
    const bytes = fileBytes('image/jpeg', 40_000);
    const d = declaration(bytes);
    await declare(s.url, vera.accessToken, id, d);
    expect((await sendChunk(s.url, vera.accessToken, id, d.attachmentId, 0, bytes.subarray(0, 16 * 1024 + 1))).status).toBe(413);
    expect((await uploadStatus(s.url, vera.accessToken, id, d.attachmentId)).body).toMatchObject({ received: 0 });
    expect((await sendChunk(s.url, vera.accessToken, id, d.attachmentId, 0, bytes.subarray(0, 16 * 1024))).body).toMatchObject({ received: 16 * 1024 });
    expect((await declare(s.url, vera.accessToken, id, { ...declaration(bytes), name: 'x'.repeat(20_000) })).status).toBe(413);
  });

  it('[F19] a draining device (K24, send-then-wipe) still sends the attachments of its own work, and nothing else', async () => {
    const s = await server();
    const vera = await login(s.url, 'veldwerker');
    const kantoor = await login(s.url, 'kantoor');
    const own = await open(s, vera);
    const theirs = await open(s, kantoor);
    const bytes = fileBytes('image/jpeg', 8000);
    const mine = declaration(bytes);
    const forOffice = declaration(bytes);
    await upload(s.url, kantoor.accessToken, theirs.id, bytes, forOffice);
    const deviceId = decodeJwt(vera.accessToken).dev as string;
    expect(await s.store.revokeDevice(deviceId, Date.now(), 'send-then-wipe')).toBe(true);
    expect((await upload(s.url, vera.accessToken, own.id, bytes, mine, 4000)).body).toMatchObject({ complete: true });
    expect(await declare(s.url, vera.accessToken, theirs.id, declaration(bytes))).toMatchObject({ status: 403, body: { error: 'device-draining' } });
    expect((await fetchAttachment(s.url, vera.accessToken, theirs.id, forOffice.attachmentId)).status).toBe(403);
    expect((await fetchAttachment(s.url, vera.accessToken, own.id, mine.attachmentId)).status).toBe(403);
    // Revoked for good (wipe-now): nothing at all.
    await s.store.setDeviceWipe(deviceId, 'wipe-now');
    expect((await uploadStatus(s.url, vera.accessToken, own.id, mine.attachmentId)).status).toBe(401);
  });
});
