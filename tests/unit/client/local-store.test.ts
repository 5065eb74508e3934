// One contract suite for every LocalStore (tldraw's storage contract idea): the Dexie store on
// fake-indexeddb and the in-memory store must behave alike. Then the Dexie-only promises: the
// codec sees every payload, and destroy() really deletes the database (D1).
import { Dexie } from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openDexieLocalStore, localDatabaseName } from '../../../client/store/dexie-local-store';
import type { LocalStore } from '../../../client/store/local-store';
import { MemoryLocalStore } from '../../../client/store/memory-local-store';
import { createAesGcmCodec, generateDataKey } from '../../../client/vault/crypto';
import { freshIndexedDB, xorCodec } from '../../support/client-env';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);

const factories: Array<[string, () => Promise<LocalStore>]> = [
  ['MemoryLocalStore', () => Promise.resolve(new MemoryLocalStore())],
  ['DexieLocalStore', () => openDexieLocalStore('u1', freshIndexedDB())],
  ['DexieLocalStore with codec', () => openDexieLocalStore('u1', { ...freshIndexedDB(), codec: xorCodec() })],
];

describe.each(factories)('LocalStore contract: %s', (_name, make) => {
  let store: LocalStore;
  afterEach(async () => {
    await store.destroy();
  });

  it('keeps updates per document in append order', async () => {
    store = await make();
    await store.appendUpdate('a', bytes(1));
    await store.appendUpdate('b', bytes(9));
    await store.appendUpdate('a', bytes(2));
    await store.appendUpdate('a', bytes(3));
    expect(await store.loadUpdates('a')).toEqual({ updates: [bytes(1), bytes(2), bytes(3)], count: 3 });
    expect(await store.loadUpdates('b')).toEqual({ updates: [bytes(9)], count: 1 });
    expect(await store.loadUpdates('none')).toEqual({ updates: [], count: 0 });
  });

  it('compacts the first rows into one and keeps later rows after it', async () => {
    store = await make();
    for (const n of [1, 2, 3, 4]) await store.appendUpdate('a', bytes(n));
    await store.compactUpdates('a', bytes(12, 3), 3);
    await store.appendUpdate('a', bytes(5));
    expect((await store.loadUpdates('a')).updates).toEqual([bytes(12, 3), bytes(4), bytes(5)]);
    await store.compactUpdates('a', bytes(99), 3);
    expect(await store.loadUpdates('a')).toEqual({ updates: [bytes(99)], count: 1 });
  });

  it('compaction of a document without rows stores the merged row', async () => {
    store = await make();
    await store.compactUpdates('a', bytes(7), 0);
    expect((await store.loadUpdates('a')).updates).toEqual([bytes(7)]);
  });

  it('lists documents that have updates or state', async () => {
    store = await make();
    await store.appendUpdate('b', bytes(1));
    await store.putDocState('a', { ackedSnapshot: null, hasLocalChanges: false });
    expect(await store.listDocIds()).toEqual(['a', 'b']);
  });

  it('round-trips document state', async () => {
    store = await make();
    expect(await store.getDocState('a')).toBeNull();
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'x');
    const snapshot = Y.encodeSnapshot(Y.snapshot(doc));
    await store.putDocState('a', { ackedSnapshot: snapshot, hasLocalChanges: true });
    expect(await store.getDocState('a')).toEqual({ ackedSnapshot: snapshot, hasLocalChanges: true });
    await store.putDocState('a', { ackedSnapshot: null, hasLocalChanges: false });
    expect(await store.getDocState('a')).toEqual({ ackedSnapshot: null, hasLocalChanges: false });
  });

  it('queues actions in order, updates and removes them', async () => {
    store = await make();
    const base = { docId: 'a', idempotencyKey: 'k', createdAt: 1, attempts: 0, lastError: null };
    const s1 = await store.enqueueAction({ ...base, type: 'submit', payload: { note: 'één' } });
    const s2 = await store.enqueueAction({ ...base, type: 'approve', payload: {} });
    expect(s2).toBeGreaterThan(s1);
    await store.updateAction(s1, { attempts: 2, lastError: 'network' });
    await store.updateAction(12345, { attempts: 1 });
    const listed = await store.listActions();
    expect(listed.map((a) => [a.seq, a.type, a.attempts, a.lastError])).toEqual([
      [s1, 'submit', 2, 'network'],
      [s2, 'approve', 0, null],
    ]);
    expect(listed[0]?.payload).toEqual({ note: 'één' });
    await store.removeAction(s1);
    expect((await store.listActions()).map((a) => a.seq)).toEqual([s2]);
  });

  it('keeps JSON settings', async () => {
    store = await make();
    expect(await store.getSetting('x')).toBeUndefined();
    await store.putSetting('x', { a: [1, 'b', null], ok: true });
    expect(await store.getSetting('x')).toEqual({ a: [1, 'b', null], ok: true });
  });

  it('[F20] keeps blobs by key: replace, read, list, delete', async () => {
    store = await make();
    expect(await store.getBlob('d1/a1')).toBeNull();
    await store.putBlob('d1/a1', bytes(1, 2, 3));
    await store.putBlob('d1/a0', bytes(9));
    await store.putBlob('d1/a1', bytes(4, 5));
    expect(await store.getBlob('d1/a1')).toEqual(bytes(4, 5));
    expect(await store.listBlobKeys()).toEqual(['d1/a0', 'd1/a1']);
    await store.deleteBlob('d1/a0');
    await store.deleteBlob('none');
    expect(await store.listBlobKeys()).toEqual(['d1/a1']);
    expect(await store.getBlob('d1/a0')).toBeNull();
    const big = new Uint8Array(64 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    await store.putBlob('d1/big', big);
    expect(await store.getBlob('d1/big')).toEqual(big);
  });

  it('[F20] does not alias stored blobs', async () => {
    store = await make();
    const blob = bytes(1, 2);
    await store.putBlob('k', blob);
    blob[0] = 42;
    const read = await store.getBlob('k');
    read![1] = 42;
    expect(await store.getBlob('k')).toEqual(bytes(1, 2));
  });

  it('does not alias stored bytes', async () => {
    store = await make();
    const update = bytes(1, 2);
    await store.appendUpdate('a', update);
    update[0] = 42;
    const loaded = await store.loadUpdates('a');
    loaded.updates[0]![1] = 42;
    expect((await store.loadUpdates('a')).updates).toEqual([bytes(1, 2)]);
  });
});

function containsBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Every byte array and string in every row of every table, as IndexedDB holds them. */
async function rawContents(idb: ReturnType<typeof freshIndexedDB>, name: string): Promise<Uint8Array[]> {
  const raw = new Dexie(name, idb);
  await raw.open();
  const out: Uint8Array[] = [];
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) out.push(value);
    else if (typeof value === 'string') out.push(new TextEncoder().encode(value));
    else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) walk(v);
  };
  for (const table of raw.tables) walk(await table.toArray());
  raw.close();
  return out;
}

describe('DexieLocalStore', () => {
  it('passes every stored payload through the codec: raw IndexedDB rows hold no plaintext', async () => {
    const idb = freshIndexedDB();
    const codec = xorCodec();
    const store = await openDexieLocalStore('u1', { ...idb, codec });
    const secret = 'Mevrouw Jansen, Kerkstraat 12';
    const doc = new Y.Doc();
    doc.getText('body').insert(0, secret);
    await store.appendUpdate('d1', Y.encodeStateAsUpdate(doc));
    await store.compactUpdates('d1', Y.encodeStateAsUpdate(doc), 1);
    await store.putDocState('d1', { ackedSnapshot: Y.encodeSnapshot(Y.snapshot(doc)), hasLocalChanges: true });
    await store.enqueueAction({
      docId: 'd1',
      type: 'submit',
      idempotencyKey: 'k1',
      payload: { note: secret },
      createdAt: 1,
      attempts: 0,
      lastError: secret,
    });
    await store.putSetting('auth', { refreshToken: secret });
    await store.putBlob('d1/a1', new TextEncoder().encode(`foto van ${secret}`));

    const needle = new TextEncoder().encode(secret.slice(0, 12));
    const rows = await rawContents(idb, localDatabaseName('u1'));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => containsBytes(r, needle))).toEqual([]);
    // ...and yet it all reads back.
    expect(codec.calls.encode).toBeGreaterThanOrEqual(5);
    const back = new Y.Doc();
    for (const u of (await store.loadUpdates('d1')).updates) Y.applyUpdate(back, u);
    expect(back.getText('body').toString()).toBe(secret);
    expect((await store.listActions())[0]?.payload).toEqual({ note: secret });
    expect(await store.getSetting('auth')).toEqual({ refreshToken: secret });
    expect(new TextDecoder().decode((await store.getBlob('d1/a1'))!)).toBe(`foto van ${secret}`);
    await store.destroy();
  });

  it('[F21] a blob is bound to its key: a row copied under another key does not decode', async () => {
    const idb = freshIndexedDB();
    const codec = createAesGcmCodec(await generateDataKey());
    const store = await openDexieLocalStore('u1', { ...idb, codec });
    await store.putBlob('d1/a1', bytes(7, 7, 7));
    const raw = new Dexie(localDatabaseName('u1'), idb);
    await raw.open();
    const row = (await raw.table('blobs').get('d1/a1')) as { key: string; data: Uint8Array };
    await raw.table('blobs').put({ key: 'd2/a9', data: row.data });
    raw.close();
    await expect(store.getBlob('d2/a9')).rejects.toThrow();
    expect(await store.getBlob('d1/a1')).toEqual(bytes(7, 7, 7));
    await store.destroy();
  });

  it('without a codec the plaintext is visible (the test above proves something)', async () => {
    const idb = freshIndexedDB();
    const store = await openDexieLocalStore('u1', idb);
    await store.putSetting('note', 'Kerkstraat 12');
    const rows = await rawContents(idb, localDatabaseName('u1'));
    expect(rows.some((r) => containsBytes(r, new TextEncoder().encode('Kerkstraat')))).toBe(true);
    await store.destroy();
  });

  it('[D1] one database per user, and destroy() deletes it from the device', async () => {
    const idb = freshIndexedDB();
    const a = await openDexieLocalStore('alice', idb);
    const b = await openDexieLocalStore('bob', idb);
    await a.putSetting('x', 1);
    expect(await b.getSetting('x')).toBeUndefined();
    await a.destroy();
    const names = (await idb.indexedDB.databases()).map((d) => d.name);
    expect(names).toContain('keukentafel-bob');
    expect(names).not.toContain('keukentafel-alice');
    const reopened = await openDexieLocalStore('alice', idb);
    expect(await reopened.getSetting('x')).toBeUndefined();
    await reopened.destroy();
    await b.destroy();
  });
});
