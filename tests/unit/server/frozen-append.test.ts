// CL26 on the room manager's side: when the store refuses a commit because a document froze in
// another process after this one applied an edit (its gate had not heard of it yet), the edit is
// never acknowledged nor kept: the room's sockets close with 4409 document-frozen, the room is
// read again from the store, and the batch's other rooms are committed as if nothing happened.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../../server/store/memory/store';
import type { DocumentRow } from '../../../server/store/types';
import { RoomManager } from '../../../server/sync/room-manager';
import { SERVER_ORIGIN, type RoomPeer } from '../../../server/sync/room';
import { WorkflowStatus } from '../../../shared/model/index-entry';
import { CloseCode, CloseReason, MessageType } from '../../../shared/protocol/messages';
import { bodyOf, bodyText } from '../../support/body-text';

const DOC_ID = '6f1c2b1e-3b7a-4c1d-9e2f-0a1b2c3d4e5f';
const OTHER_ID = '0d9a3c55-2f1e-4b6a-8c7d-1e2f3a4b5c6d';

function row(id: string): DocumentRow {
  return { id, teamId: 'centrum', createdBy: 'user-1', createdAt: 1, updatedAt: 1, title: '', templateId: null, kind: null, zaak: null, status: WorkflowStatus.concept };
}

interface TestPeer extends RoomPeer {
  sent: Uint8Array[];
  closed: { code: number; reason: string }[];
}

function peer(): TestPeer {
  const sent: Uint8Array[] = [];
  const closed: { code: number; reason: string }[] = [];
  return {
    origin: { userId: 'user-1', deviceId: 'device-1', connId: 'conn-1' },
    sent,
    closed,
    send: (message) => sent.push(message),
    close: (code, reason) => closed.push({ code, reason }),
  };
}

const acks = (p: TestPeer): number => p.sent.filter((m) => m[0] === MessageType.persisted).length;

function edit(text: string): Uint8Array {
  const doc = new Y.Doc();
  bodyText(doc).insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

describe('a commit refused because the document froze elsewhere (CL26)', () => {
  it('[CL26] the edit is not acknowledged, the room closes with 4409 document-frozen and is read again; the other rooms commit', async () => {
    const store = createMemoryStore();
    await store.createDocument(row(DOC_ID));
    await store.createDocument(row(OTHER_ID));
    const manager = new RoomManager({ store, now: Date.now, idleMs: 60_000 });
    const frozen = await manager.acquire({ kind: 'doc', docId: DOC_ID });
    const open = await manager.acquire({ kind: 'doc', docId: OTHER_ID });
    const onFrozen = peer();
    const reader = peer();
    const onOpen = peer();
    manager.join(frozen, onFrozen);
    manager.join(frozen, reader);
    manager.join(open, onOpen);
    const acked = { frozen: acks(onFrozen), reader: acks(reader), open: acks(onOpen) };

    // Both edits are applied (the gate was open), and one batch commits them together; another
    // process's submit commits in between.
    expect(manager.applyClientUpdate(frozen, edit('na het indienen'), onFrozen)).toBe(true);
    expect(manager.applyClientUpdate(open, edit('gewoon opgeslagen'), onOpen)).toBe(true);
    await store.updateDocument(DOC_ID, { status: WorkflowStatus.awaitingApproval });
    await manager.flush();
    await manager.flush();

    expect((await store.loadUpdates(`doc:${DOC_ID}`)).updates).toEqual([]);
    expect(acks(onFrozen)).toBe(acked.frozen);
    expect(acks(reader)).toBe(acked.reader);
    expect(onFrozen.closed).toEqual([{ code: CloseCode.frozen, reason: CloseReason.documentFrozen }]);
    expect(reader.closed).toEqual([{ code: CloseCode.frozen, reason: CloseReason.documentFrozen }]);
    // The room is the store's again: the refused edit is gone from the server's memory.
    const again = await manager.acquire({ kind: 'doc', docId: DOC_ID });
    expect(again).not.toBe(frozen);
    expect(bodyOf(again.doc)).toBe('');

    // The other document's edit was committed and acknowledged.
    const stored = new Y.Doc();
    for (const u of (await store.loadUpdates(`doc:${OTHER_ID}`)).updates) Y.applyUpdate(stored, u);
    expect(bodyOf(stored)).toBe('gewoon opgeslagen');
    expect(acks(onOpen)).toBe(acked.open + 1);
    expect(onOpen.closed).toEqual([]);
    await manager.close();
  });

  it('[CL26] an index room in the same batch is stored as before', async () => {
    const store = createMemoryStore();
    await store.createDocument({ ...row(DOC_ID), status: WorkflowStatus.submitted });
    const manager = new RoomManager({ store, now: Date.now, idleMs: 60_000 });
    const index = await manager.acquire({ kind: 'team-index', teamId: 'centrum' });
    Y.transact(index.doc, () => index.doc.getMap('entries').set(DOC_ID, 'x'), SERVER_ORIGIN);
    await manager.flush();
    expect((await store.loadUpdates('index:team:centrum')).updates).toHaveLength(1);
    await manager.close();
  });
});
