// mergeManyUpdates (a room's merge from the store, CL3) and mergeInto (PostgreSQL compaction, DB2):
// the same content as Y.mergeUpdates, deletions and updates still waiting for a dependency kept;
// a compaction whose rows add nothing keeps the caller's state byte for byte.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { mergeInto, mergeManyUpdates } from '../../../shared/model/merge-updates';

function edits(count: number): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  const text = doc.getText('body');
  let seed = 7;
  const next = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
  for (let i = 0; i < count; i++) {
    if (i % 5 === 4 && text.length > 0) text.delete(next(text.length), 1);
    else text.insert(next(text.length + 1), String.fromCharCode(97 + next(26)));
  }
  doc.getMap('fields').set('title', 'Besluit');
  return { doc, updates };
}

const textOf = (update: Uint8Array): string => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return `${doc.getText('body').toString()}|${String(doc.getMap('fields').get('title'))}`;
};

describe('mergeManyUpdates', () => {
  it('[DB2] gives the content Y.mergeUpdates gives, deletions included, with rows already in a snapshot', () => {
    const { doc, updates } = edits(2_000);
    const snapshot = Y.encodeStateAsUpdate(doc);
    const merged = mergeManyUpdates([snapshot, ...updates]);
    expect(textOf(merged)).toBe(textOf(Y.mergeUpdates([snapshot, ...updates])));
    expect(textOf(merged)).toBe(`${doc.getText('body').toString()}|Besluit`);
    expect(textOf(mergeManyUpdates(updates))).toBe(textOf(snapshot));
  });

  it('[DB2] an update whose dependency is not given stays in the result and takes effect once it comes', () => {
    const { updates } = edits(50);
    const withoutFirst = updates.slice(1);
    const merged = mergeManyUpdates(withoutFirst);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, merged);
    expect(doc.store.pendingStructs).not.toBeNull();
    Y.applyUpdate(doc, updates[0]!);
    expect(`${doc.getText('body').toString()}|${String(doc.getMap('fields').get('title'))}`).toBe(textOf(Y.mergeUpdates(updates)));
  });

  it('[DB2] mergeInto keeps the base byte for byte when the rows add nothing, and merges a row committed after the load', () => {
    const { doc, updates } = edits(500);
    const base = Y.encodeStateAsUpdate(doc);
    expect(mergeInto(base, updates)).toBe(base);
    expect(mergeInto(base, [base, ...updates.slice(0, 10)])).toBe(base);
    const late: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => late.push(u));
    doc.getText('body').insert(0, 'Laat: ');
    doc.getText('body').delete(10, 2);
    const merged = mergeInto(base, [...updates, ...late]);
    expect(merged).not.toBe(base);
    expect(textOf(merged)).toBe(`${doc.getText('body').toString()}|Besluit`);
    // A row whose dependency is missing is kept (pending) rather than dropped.
    const waiting = mergeInto(updates[0]!, [updates[2]!]);
    const check = new Y.Doc();
    Y.applyUpdate(check, waiting);
    Y.applyUpdate(check, updates[1]!);
    expect(check.store.pendingStructs).toBeNull();
    expect(check.getText('body').length).toBe(3);
  });
});
