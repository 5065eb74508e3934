// F1–F8 in memory: the attachment rows and their chunks, with the SQLite store's semantics (the
// contract suite runs against both). Copies in and out, like the rest of the memory store.
/* eslint-disable @typescript-eslint/require-await --
   Methods are async without awaiting on purpose: a throw becomes a rejected promise. */
import type { AttachmentRow, AttachmentStore } from '../types';

interface Held {
  row: AttachmentRow;
  chunks: Uint8Array[];
}

const keyOf = (docId: string, id: string): string => `${docId}\u0000${id}`;

export function createMemoryAttachments(open: () => void): AttachmentStore {
  const held = new Map<string, Held>();
  return {
    async declareAttachment(row) {
      open();
      assertValidRow(row);
      const key = keyOf(row.docId, row.id);
      const existing = held.get(key);
      if (existing !== undefined) return { ...existing.row };
      held.set(key, { row: { ...row, received: 0, completedAt: null }, chunks: [] });
      return { ...row, received: 0, completedAt: null };
    },
    async getAttachment(docId, id) {
      open();
      const found = held.get(keyOf(docId, id));
      return found === undefined ? null : { ...found.row };
    },
    async listAttachments(docId) {
      open();
      return [...held.values()]
        .filter((h) => h.row.docId === docId)
        .map((h) => ({ ...h.row }))
        .sort((a, b) => a.declaredAt - b.declaredAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async appendAttachmentChunk(docId, id, offset, bytes, completeAt) {
      open();
      const found = held.get(keyOf(docId, id));
      if (found === undefined) return { stored: false, row: null };
      const { row } = found;
      if (row.completedAt !== null || row.received !== offset || bytes.length === 0 || offset + bytes.length > row.size) {
        return { stored: false, row: { ...row } };
      }
      if (completeAt !== null && offset + bytes.length !== row.size) throw new Error('CHECK constraint failed: a complete attachment has all its bytes');
      found.chunks.push(bytes.slice());
      row.received = offset + bytes.length;
      row.completedAt = completeAt;
      return { stored: true, row: { ...row } };
    },
    async resetAttachment(docId, id) {
      open();
      const found = held.get(keyOf(docId, id));
      if (found === undefined || found.row.completedAt !== null) return;
      found.chunks = [];
      found.row.received = 0;
    },
    async readAttachmentBytes(docId, id) {
      open();
      const found = held.get(keyOf(docId, id));
      if (found === undefined) return null;
      return concat(found.chunks, found.row.received);
    },
    async deleteAttachments(docId) {
      open();
      let removed = 0;
      for (const [key, h] of held) {
        if (h.row.docId !== docId) continue;
        held.delete(key);
        removed += 1;
      }
      return removed;
    },
  };
}

function assertValidRow(row: AttachmentRow): void {
  if (!Number.isInteger(row.size) || row.size <= 0) throw new Error('CHECK constraint failed: attachments.size');
  if (!/^[0-9a-f]{64}$/.test(row.sha256)) throw new Error('CHECK constraint failed: attachments.sha256');
}

export function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
