// The relay between room managers of several processes, on the in-memory bus: the gaps pub/sub
// leaves (CL3: a commit published while a room loads; CL6: a publication that never went out)
// are closed by the store, and messages keep their shape on the wire.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { createMemoryRoomHub } from '../../../server/cluster/memory-room-bus';
import { decodeRelayMessage, encodeRelayMessage } from '../../../server/cluster/room-bus';
import { RoomRelay } from '../../../server/cluster/room-relay';
import { createMemoryStore } from '../../../server/store/memory/store';
import type { DocumentStore, StoredUpdates } from '../../../server/store/types';
import { RoomManager } from '../../../server/sync/room-manager';
import { bodyOf, bodyText } from '../../support/body-text';

const DOC = { kind: 'doc', docId: '6f1c2b1e-3b7a-4c1d-9e2f-0a1b2c3d4e5f' } as const;
const ROOM = `doc:${DOC.docId}`;

/** What another process committed: a text edit, stored under the room's key. */
function committedElsewhere(text: string, base?: Y.Doc): Uint8Array {
  const doc = base ?? new Y.Doc();
  const before = Y.encodeStateVector(doc);
  bodyText(doc).insert(bodyOf(doc).length, text);
  return Y.encodeStateAsUpdate(doc, before);
}

async function append(store: DocumentStore, update: Uint8Array): Promise<void> {
  await store.appendUpdates([{ docId: ROOM, update, userId: null, deviceId: null, connId: null, at: 0 }]);
}

function managerOn(store: DocumentStore, hub: ReturnType<typeof createMemoryRoomHub>, processId: string): RoomManager {
  const relay = new RoomRelay(hub.connect(processId), (error) => {
    throw error;
  });
  const manager = new RoomManager({ store, now: Date.now, relay, idleMs: 60_000 });
  relay.attach(manager);
  return manager;
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('room relay', () => {
  it('[CL3] a commit published while the room is loading (after the store was read) is not lost', async () => {
    const store = createMemoryStore();
    const hub = createMemoryRoomHub();
    let release = (): void => undefined;
    let read: StoredUpdates | null = null;
    const slow: DocumentStore = Object.create(store) as DocumentStore;
    slow.loadUpdates = async (key) => {
      read = await store.loadUpdates(key);
      await new Promise<void>((r) => (release = r));
      return read;
    };
    const b = managerOn(slow, hub, 'B');
    const loading = b.acquire(DOC);
    await until(() => read !== null);
    // Process A commits and publishes after B read the store but before B's room exists.
    const update = committedElsewhere('na het lezen');
    await append(store, update);
    hub.connect('A').publish(ROOM, 'update', update);
    await Promise.resolve();
    release();
    const room = await loading;
    await until(() => bodyOf(room.doc) === 'na het lezen');
    await b.close();
  });

  it('[CL6] a `stale` message makes every process holding the room merge it from the store', async () => {
    const store = createMemoryStore();
    const hub = createMemoryRoomHub();
    const b = managerOn(store, hub, 'B');
    const room = await b.acquire(DOC);
    // A committed, but its publication was lost; once it can, it says the room is stale.
    await append(store, committedElsewhere('verloren bericht'));
    expect(bodyOf(room.doc)).toBe('');
    hub.connect('A').publish(ROOM, 'stale', new Uint8Array());
    await until(() => bodyOf(room.doc) === 'verloren bericht');
    // Merged, not stored again (CL2): the store still has the one row A wrote.
    await b.flush();
    expect((await store.loadUpdates(ROOM)).updates).toHaveLength(1);
    b.release(room);
    await b.close();
  });

  it('[CL6] a relayed update that depends on one never heard makes the room merge the store', async () => {
    const store = createMemoryStore();
    const hub = createMemoryRoomHub();
    const b = managerOn(store, hub, 'B');
    const room = await b.acquire(DOC);
    // A committed two updates; the first one's publication was lost, the second one's arrives.
    const elsewhere = new Y.Doc();
    const first = committedElsewhere('eerste', elsewhere);
    const second = committedElsewhere(' tweede', elsewhere);
    await append(store, first);
    await append(store, second);
    hub.connect('A').publish(ROOM, 'update', second);
    await until(() => bodyOf(room.doc) === 'eerste tweede');
    b.release(room);
    await b.close();
  });

  it('[CL2] a process ignores what it published itself', async () => {
    const store = createMemoryStore();
    const hub = createMemoryRoomHub();
    const b = managerOn(store, hub, 'B');
    const room = await b.acquire(DOC);
    const own = new Y.Doc();
    bodyText(own, 'eigen').insert(0, 'eigen bericht');
    hub.connect('B').publish(ROOM, 'update', Y.encodeStateAsUpdate(own));
    hub.connect('A').publish(ROOM, 'update', committedElsewhere('van A'));
    // Delivered in order: by the time A's message is applied, B's own was heard and ignored.
    await until(() => bodyOf(room.doc) === 'van A');
    expect(bodyOf(room.doc, 'eigen')).toBe('');
    b.release(room);
    await b.close();
  });

  it('relay messages survive the wire; foreign bytes are ignored', () => {
    const payload = new Uint8Array([1, 2, 3]);
    const bytes = encodeRelayMessage({ kind: 'awareness', from: 'proces-1', payload });
    expect(decodeRelayMessage(bytes)).toEqual({ kind: 'awareness', from: 'proces-1', payload });
    expect(decodeRelayMessage(new Uint8Array([9, 9]))).toBeNull();
  });
});
