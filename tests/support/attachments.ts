// Attachment uploads as a device makes them (shared/protocol/attachments.ts): bytes that sniff as
// JPEG, PNG or PDF, the declaration, chunks at an offset, the status and the bytes back.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AttachmentMediaType } from '../../shared/model/attachments';
import { ATTACHMENT_CHUNK_CONTENT_TYPE } from '../../shared/protocol/attachments';

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

const MAGIC: Record<AttachmentMediaType, number[]> = {
  'image/jpeg': [0xff, 0xd8, 0xff, 0xe0],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  'application/pdf': [...Buffer.from('%PDF-1.7\n')],
};

/** `size` bytes that start as a file of `type` does (the rest is random: what the sniff sees is the start). */
export function fileBytes(type: AttachmentMediaType, size: number): Uint8Array {
  const bytes = new Uint8Array(randomBytes(size));
  bytes.set(MAGIC[type].slice(0, size), 0);
  return bytes;
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export interface Declared {
  attachmentId: string;
  name: string;
  mediaType: AttachmentMediaType;
  size: number;
  sha256: string;
}

export function declaration(bytes: Uint8Array, mediaType: AttachmentMediaType = 'image/jpeg', name = 'Foto 3 december 14.05.jpg'): Declared {
  return { attachmentId: randomUUID(), name, mediaType, size: bytes.length, sha256: sha256(bytes) };
}

async function json(response: Response): Promise<Answer> {
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

export async function declare(url: string, token: string, docId: string, body: unknown): Promise<Answer> {
  return json(
    await fetch(`${url}/api/documents/${docId}/attachments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    }),
  );
}

export async function sendChunk(url: string, token: string, docId: string, attachmentId: string, offset: number, bytes: Uint8Array): Promise<Answer> {
  return json(
    await fetch(`${url}/api/documents/${docId}/attachments/${attachmentId}`, {
      method: 'PATCH',
      headers: { 'content-type': ATTACHMENT_CHUNK_CONTENT_TYPE, 'upload-offset': String(offset), authorization: `Bearer ${token}` },
      body: new Uint8Array(bytes),
    }),
  );
}

export async function uploadStatus(url: string, token: string, docId: string, attachmentId: string): Promise<Answer> {
  return json(await fetch(`${url}/api/documents/${docId}/attachments/${attachmentId}/status`, { headers: { authorization: `Bearer ${token}` } }));
}

export async function fetchAttachment(url: string, token: string, docId: string, attachmentId: string): Promise<{ status: number; type: string | null; bytes: Uint8Array }> {
  const response = await fetch(`${url}/api/documents/${docId}/attachments/${attachmentId}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, type: response.headers.get('content-type'), bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** Declares and sends all bytes in chunks of `chunk`; the last answer. */
export async function upload(url: string, token: string, docId: string, bytes: Uint8Array, declared: Declared, chunk = 256 * 1024): Promise<Answer> {
  const first = await declare(url, token, docId, declared);
  if (first.status !== 201 && first.status !== 200) return first;
  let offset = (first.body.received as number | undefined) ?? 0;
  let last = first;
  while (offset < bytes.length) {
    last = await sendChunk(url, token, docId, declared.attachmentId, offset, bytes.subarray(offset, offset + chunk));
    if (last.status !== 200) return last;
    offset = last.body.received as number;
  }
  return last;
}
