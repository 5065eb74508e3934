// U5: a read-along confirmation (the citizen's signature, A4) is a Yjs change like any edit, made
// on the device, offline too; the server learns of it when the update arrives. This watch sees a
// new, readable signature appear in a loaded document room, remembers who sent it (the
// transaction's origin: user, device, connection), and records one `read-along-confirmed` entry
// once the room's commit made it durable. Signatures already in a document when its room loads were
// recorded when they arrived (they can only arrive through a loaded room), so they are not again.
// The citizen's name is not copied into the trail: the document keeps it.
import type * as Y from 'yjs';
import { readSignatures, type Signature } from '../../shared/model/signatures';
import type { AuditActor, AuditRecorder } from './recorder';

/** What the watch needs of a room: its name, its document. */
export interface WatchedRoom {
  name: { kind: string; docId?: string };
  doc: Y.Doc;
}

interface Origin {
  userId: string | null;
  deviceId: string | null;
  connId: string | null;
}

const keyOf = (s: Signature): string => `${s.signedAt}\u0000${s.name}`;

function originOf(origin: unknown): Origin {
  const o = (typeof origin === 'object' && origin !== null && 'origin' in origin ? origin.origin : origin) as Partial<Origin> | null;
  if (typeof o !== 'object' || o === null) return { userId: null, deviceId: null, connId: null };
  return {
    userId: typeof o.userId === 'string' ? o.userId : null,
    deviceId: typeof o.deviceId === 'string' ? o.deviceId : null,
    connId: typeof o.connId === 'string' ? o.connId : null,
  };
}

export class ReadAlongWatch {
  private readonly known = new Map<string, Set<string>>();
  private readonly pending = new Map<string, Map<string, { signature: Signature; actor: AuditActor }>>();
  private readonly stops = new Map<string, () => void>();

  constructor(
    private readonly audit: AuditRecorder,
    private readonly addressOf: (connId: string) => string | null,
  ) {}

  /** Room-manager afterLoad: what is there now was recorded before; watch what comes. */
  loaded(room: WatchedRoom): void {
    const docId = room.name.kind === 'doc' ? room.name.docId : undefined;
    if (docId === undefined) return;
    this.stops.get(docId)?.();
    const known = new Set(readSignatures(room.doc).flatMap((s) => (s === null ? [] : [keyOf(s)])));
    this.known.set(docId, known);
    const list = room.doc.getArray<unknown>('signatures');
    const observer = (_events: unknown, transaction: Y.Transaction): void => {
      const who = originOf(transaction.origin);
      for (const signature of readSignatures(room.doc)) {
        if (signature === null) continue;
        const key = keyOf(signature);
        const waiting = this.pending.get(docId) ?? new Map<string, { signature: Signature; actor: AuditActor }>();
        if (known.has(key) || waiting.has(key)) continue;
        const address = who.connId === null ? null : this.addressOf(who.connId);
        waiting.set(key, { signature, actor: { userId: who.userId, deviceId: who.deviceId, address } });
        this.pending.set(docId, waiting);
      }
    };
    list.observeDeep(observer);
    this.stops.set(docId, () => list.unobserveDeep(observer));
  }

  /** Room-manager afterCommit: signatures these commits made durable get their entry. */
  async committed(rooms: readonly WatchedRoom[]): Promise<void> {
    for (const room of rooms) {
      const docId = room.name.kind === 'doc' ? room.name.docId : undefined;
      if (docId === undefined) continue;
      const waiting = this.pending.get(docId);
      if (waiting === undefined) continue;
      this.pending.delete(docId);
      const known = this.known.get(docId) ?? new Set<string>();
      for (const [key, { signature, actor }] of waiting) {
        known.add(key);
        await this.audit.record(actor, {
          action: 'read-along-confirmed',
          documentId: docId,
          details: { signedAt: signature.signedAt, agreements: signature.agreed.length },
        });
      }
    }
  }

  /** Room-manager afterUnload. */
  forget(docId: string): void {
    this.stops.get(docId)?.();
    this.stops.delete(docId);
    this.known.delete(docId);
    this.pending.delete(docId);
  }
}
