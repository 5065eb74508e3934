// Doc persistence: S1 (an edit is in IndexedDB before "saved on this device", and survives a
// killed tab), compaction, and storage failures surfacing as state instead of thrown errors.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocPersistence } from '../../../client/store/doc-persistence';
import { openDexieLocalStore } from '../../../client/store/dexie-local-store';
import { LocalStoreError, type LocalStore } from '../../../client/store/local-store';
import { MemoryLocalStore } from '../../../client/store/memory-local-store';
import { freshIndexedDB, waitFor } from '../../support/client-env';

/** A store whose writes fail while `failWith` is set, like a full disk. */
class FlakyStore extends MemoryLocalStore {
  failWith: Error | null = null;
  writes = 0;
  private gate(): Promise<void> {
    this.writes++;
    return this.failWith === null ? Promise.resolve() : Promise.reject(this.failWith);
  }
  override async appendUpdate(docId: string, update: Uint8Array): Promise<void> {
    await this.gate();
    return super.appendUpdate(docId, update);
  }
  override async putDocState(...args: Parameters<LocalStore['putDocState']>): Promise<void> {
    await this.gate();
    return super.putDocState(...args);
  }
}

const quotaError = (): Error => Object.assign(new Error('quota'), { name: 'QuotaExceededError' });

async function reload(store: LocalStore, docId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const p = await DocPersistence.bind(store, docId, doc);
  await p.destroy();
  return doc;
}

describe('DocPersistence', () => {
  it('[S1] an edit is in IndexedDB when whenSaved() resolves; a killed tab loses nothing', async () => {
    const idb = freshIndexedDB();
    const store = await openDexieLocalStore('u1', idb);
    const doc = new Y.Doc();
    const persistence = await DocPersistence.bind(store, 'd1', doc);
    doc.getText('body').insert(0, 'Geachte mevrouw');
    await persistence.whenSaved();
    // The "kill": no destroy, no flush, no close. A new tab opens the same database.
    const otherTab = await openDexieLocalStore('u1', idb);
    const reloaded = await reload(otherTab, 'd1');
    expect(reloaded.getText('body').toString()).toBe('Geachte mevrouw');
    expect((await otherTab.getDocState('d1'))?.hasLocalChanges).toBe(true);
  });

  it('does not write loaded updates back, but saves updates of every other origin', async () => {
    const store = new MemoryLocalStore();
    const first = new Y.Doc();
    const p1 = await DocPersistence.bind(store, 'd1', first);
    first.getText('t').insert(0, 'a');
    await p1.whenSaved();
    await p1.destroy();

    const doc = new Y.Doc();
    const p2 = await DocPersistence.bind(store, 'd1', doc);
    await p2.whenSaved();
    expect((await store.loadUpdates('d1')).count).toBe(1);

    const remote = new Y.Doc();
    remote.getText('t').insert(0, 'b');
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(remote), 'server');
    await p2.whenSaved();
    expect((await store.loadUpdates('d1')).count).toBe(2);
    expect((await reload(store, 'd1')).getText('t').toString()).toHaveLength(2);
  });

  it('stores content a document had before it was bound', async () => {
    const store = new MemoryLocalStore();
    const doc = new Y.Doc();
    doc.getMap('meta').set('title', 'Nieuw');
    const p = await DocPersistence.bind(store, 'd1', doc);
    await p.whenSaved();
    expect((await reload(store, 'd1')).getMap('meta').get('title')).toBe('Nieuw');
  });

  it('batches updates that arrive while a write is in flight', async () => {
    const store = new MemoryLocalStore();
    const doc = new Y.Doc();
    const p = await DocPersistence.bind(store, 'd1', doc);
    for (let i = 0; i < 50; i++) doc.getText('t').insert(i, 'x');
    await p.whenSaved();
    expect((await store.loadUpdates('d1')).count).toBeLessThan(5);
    expect((await reload(store, 'd1')).getText('t').toString()).toBe('x'.repeat(50));
  });

  it('compacts once the row count passes the threshold', async () => {
    const store = new MemoryLocalStore();
    const doc = new Y.Doc();
    const p = await DocPersistence.bind(store, 'd1', doc, { compactAfter: 5 });
    for (let i = 0; i < 23; i++) {
      doc.getText('t').insert(i, String(i % 10));
      await p.whenSaved();
    }
    await p.destroy();
    expect((await store.loadUpdates('d1')).count).toBeLessThanOrEqual(6);
    expect((await reload(store, 'd1')).getText('t').toString()).toBe(doc.getText('t').toString());
  });

  it('folds rows written by another tab into the compacted row', async () => {
    const store = new MemoryLocalStore();
    const doc = new Y.Doc();
    const p = await DocPersistence.bind(store, 'd1', doc, { compactAfter: 3 });
    const other = new Y.Doc();
    other.getText('t').insert(0, 'ander tabblad ');
    await store.appendUpdate('d1', Y.encodeStateAsUpdate(other));
    for (let i = 0; i < 5; i++) {
      doc.getText('t').insert(0, 'x');
      await p.whenSaved();
    }
    expect((await reload(store, 'd1')).getText('t').toString()).toContain('ander tabblad');
  });

  it('a quota error becomes an error state; the next write stores the whole document', async () => {
    const store = new FlakyStore();
    const doc = new Y.Doc();
    const errors: Array<string | null> = [];
    const p = await DocPersistence.bind(store, 'd1', doc, { onErrorChange: (e) => errors.push(e) });
    store.failWith = quotaError();
    doc.getText('t').insert(0, 'verloren?');
    await expect(p.whenSaved()).rejects.toBeInstanceOf(LocalStoreError);
    expect(p.error).toBe('storage-full');
    expect(errors).toEqual(['storage-full']);

    store.failWith = null;
    doc.getText('t').insert(0, 'nee: ');
    await p.whenSaved();
    expect(p.error).toBeNull();
    expect(errors).toEqual(['storage-full', null]);
    expect((await reload(store, 'd1')).getText('t').toString()).toBe('nee: verloren?');
  });

  it('retry() recovers after a failure without a new edit', async () => {
    const store = new FlakyStore();
    const doc = new Y.Doc();
    const p = await DocPersistence.bind(store, 'd1', doc);
    store.failWith = new Error('disk I/O');
    doc.getText('t').insert(0, 'tekst');
    await expect(p.whenSaved()).rejects.toMatchObject({ reason: 'storage-failed' });
    store.failWith = null;
    p.retry();
    await waitFor(() => p.error === null);
    expect((await reload(store, 'd1')).getText('t').toString()).toBe('tekst');
  });

  it('rejects bind() with a LocalStoreError when the store cannot be read', async () => {
    const store = new MemoryLocalStore();
    store.loadUpdates = () => Promise.reject(new Error('broken'));
    await expect(DocPersistence.bind(store, 'd1', new Y.Doc())).rejects.toBeInstanceOf(LocalStoreError);
  });

  it('writes the "needs sending" flag before the update, and the ack state after', async () => {
    const store = new MemoryLocalStore();
    const doc = new Y.Doc();
    const order: string[] = [];
    const append = store.appendUpdate.bind(store);
    const put = store.putDocState.bind(store);
    store.appendUpdate = (id, u) => (order.push('update'), append(id, u));
    store.putDocState = (id, s) => (order.push(`state:${s.hasLocalChanges}`), put(id, s));
    const p = await DocPersistence.bind(store, 'd1', doc);
    doc.getText('t').insert(0, 'a');
    await p.whenSaved();
    p.recordAck(Y.encodeSnapshot(Y.snapshot(doc)), true);
    await p.destroy();
    expect(order).toEqual(['state:true', 'update', 'state:false']);
    expect((await store.getDocState('d1'))?.hasLocalChanges).toBe(false);
  });
});
