// Q7, Q15: the device's text index reads each document's words (citizen's name, fields, sections)
// from the LocalStore, holds them in memory only and never writes; a copy that cannot be read is
// found by its list row and stops nothing.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { docSearchText } from '../../../client/app/logic/doc-text';
import { TextIndex, textIndexFor } from '../../../client/app/session/text-index';
import { markTextStale } from '../../../client/app/session/text-stale';
import { MemoryLocalStore } from '../../../client/store/memory-local-store';
import { initDocument, sectionText, writeFields } from '../../../shared/model/document';
import { briefTemplate } from '../../../shared/templates/builtin/brief';

function letter(id: string, values: Record<string, string>, kern: string): Uint8Array {
  const doc = new Y.Doc();
  initDocument(doc, briefTemplate, { id, teamId: 'centrum', createdBy: 'u-vera', createdAt: 1 });
  writeFields(doc, briefTemplate, values);
  sectionText(doc, 'kern')?.insert(0, kern);
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** Counts every write a store gets: the index must cause none. */
class WatchedStore extends MemoryLocalStore {
  writes = 0;
  override appendUpdate(docId: string, update: Uint8Array): Promise<void> {
    this.writes++;
    return super.appendUpdate(docId, update);
  }
  override putSetting(key: string, value: Parameters<MemoryLocalStore['putSetting']>[1]): Promise<void> {
    this.writes++;
    return super.putSetting(key, value);
  }
  override compactUpdates(docId: string, merged: Uint8Array, n: number): Promise<void> {
    this.writes++;
    return super.compactUpdates(docId, merged, n);
  }
  override putDocState(...args: Parameters<MemoryLocalStore['putDocState']>): Promise<void> {
    this.writes++;
    return super.putDocState(...args);
  }
}

describe('text index on the device (Q7, Q15)', () => {
  it('[Q7] finds the citizen\'s name and the text, never the BSN; reads again only what changed; writes nothing', async () => {
    const store = new WatchedStore();
    await store.appendUpdate('d1', letter('d1', { betrokkeneNaam: 'Fatima El Amrani', onderwerp: 'Schulden', bsn: '999993653' }, 'Wij spraken over de huurachterstand.'));
    // d2 is edited later by the same device: one Y.Doc, so the later name wins (no random merge).
    const d2 = new Y.Doc();
    Y.applyUpdate(d2, letter('d2', { betrokkeneNaam: 'Jan de Vries' }, 'Over de tuin.'));
    await store.appendUpdate('d2', Y.encodeStateAsUpdate(d2));
    store.writes = 0;

    const index = new TextIndex(store);
    expect(await index.refresh([{ id: 'd1', stamp: 1 }, { id: 'd2', stamp: 1 }])).toBe(true);
    expect(index.get('d1')).toContain('fatima el amrani');
    expect(index.get('d1')).toContain('huurachterstand');
    expect(index.get('d1')).not.toContain('999993653');
    expect(index.get('d2')).toContain('jan de vries');
    expect(index.size).toBe(2);

    // Same stamps: nothing read, nothing changed.
    const before = Y.encodeStateVector(d2);
    writeFields(d2, briefTemplate, { betrokkeneNaam: 'Piet Puk' });
    await store.appendUpdate('d2', Y.encodeStateAsUpdate(d2, before));
    expect(await index.refresh([{ id: 'd1', stamp: 1 }, { id: 'd2', stamp: 1 }])).toBe(false);
    expect(index.get('d2')).not.toContain('piet puk');
    // A new stamp: read again. A row that left the list leaves the index.
    expect(await index.refresh([{ id: 'd2', stamp: 2 }])).toBe(true);
    expect(index.get('d2')).toContain('piet puk');
    expect(index.get('d1')).toBeUndefined();

    expect(store.writes).toBe(1); // only the test's own append
    expect(textIndexFor(store)).toBe(textIndexFor(store));
    expect(textIndexFor(new MemoryLocalStore())).not.toBe(textIndexFor(store));
  });

  it('[Q7] a copy opened in the editor is read again although its list row did not change (typed offline)', async () => {
    const store = new MemoryLocalStore();
    const doc = new Y.Doc();
    initDocument(doc, briefTemplate, { id: 'd', teamId: 'centrum', createdBy: 'u-vera', createdAt: 1 });
    writeFields(doc, briefTemplate, { betrokkeneNaam: 'Eerst' });
    await store.appendUpdate('d', Y.encodeStateAsUpdate(doc));
    const type = async (name: string): Promise<void> => {
      const before = Y.encodeStateVector(doc);
      writeFields(doc, briefTemplate, { betrokkeneNaam: name });
      await store.appendUpdate('d', Y.encodeStateAsUpdate(doc, before));
    };
    const index = new TextIndex(store);
    await index.refresh([{ id: 'd', stamp: 1 }]);
    await type('Daarna Offline');
    expect(await index.refresh([{ id: 'd', stamp: 1 }])).toBe(false);
    markTextStale(store, 'd');
    expect(await index.refresh([{ id: 'd', stamp: 1 }])).toBe(true);
    expect(index.get('d')).toContain('daarna offline');
    // Taken once: the next refresh reads nothing again.
    await type('Nog later');
    expect(await index.refresh([{ id: 'd', stamp: 1 }])).toBe(false);
    doc.destroy();
  });

  it('[Q15] a copy that cannot be read (garbage, wrong types, store error) gives no words and stops nothing', async () => {
    const store = new MemoryLocalStore();
    await store.appendUpdate('bad', new Uint8Array([1, 2, 3, 250, 251]));
    await store.appendUpdate('good', letter('good', { betrokkeneNaam: 'Anna Bos' }, ''));
    const hostile = new Y.Doc();
    hostile.getMap('fields').set('betrokkeneNaam', 42);
    hostile.getMap('sections').set('kern', 'geen Y.Text');
    expect(docSearchText(hostile)).toBe('');
    await store.appendUpdate('odd', Y.encodeStateAsUpdate(hostile));

    const failing = {
      loadUpdates: (id: string) => (id === 'gone' ? Promise.reject(new Error('decrypt failed')) : store.loadUpdates(id)),
    };
    const index = new TextIndex(failing);
    await index.refresh(['bad', 'odd', 'gone', 'good'].map((id) => ({ id, stamp: 1 })));
    expect(index.get('bad')).toBe('');
    expect(index.get('odd')).toBe('');
    expect(index.get('gone')).toBe('');
    expect(index.get('good')).toContain('anna bos');
  });

  it('[Q7] refreshes asked while one runs fold into one more run with the latest rows', async () => {
    const store = new MemoryLocalStore();
    await store.appendUpdate('a', letter('a', { betrokkeneNaam: 'Een' }, ''));
    await store.appendUpdate('b', letter('b', { betrokkeneNaam: 'Twee' }, ''));
    const index = new TextIndex(store);
    const first = index.refresh([{ id: 'a', stamp: 1 }]);
    const second = index.refresh([{ id: 'a', stamp: 1 }, { id: 'b', stamp: 1 }]);
    const third = index.refresh([{ id: 'b', stamp: 1 }]);
    await Promise.all([first, second, third]);
    expect(index.get('a')).toBeUndefined();
    expect(index.get('b')).toContain('twee');
  });
});
