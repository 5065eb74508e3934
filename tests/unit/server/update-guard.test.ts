// The pure update checker (L1): honest documents pass with the default bounds; depth is counted
// through the document and through pending pieces; unknown roots, wrong shapes, subdocuments and
// oversized updates are refused with the right code.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAgreement } from '../../../shared/model/agreements';
import {
  DOCUMENT_ROOTS,
  initDocument,
  writeField,
} from '../../../shared/model/document';
import { addSignature } from '../../../shared/model/signatures';
import { builtinTemplates } from '../../../shared/templates/builtin/index';
import { CloseCode } from '../../../shared/protocol/messages';
import { checkUpdate, defaultUpdateBounds, type UpdateBounds } from '../../../server/sync/update-guard';
import { nestedMapsThenDeletion } from '../../support/hostile-updates';

const STROKES = [
  [0, 0, 500, 200, 1000, 400],
  [10, 390],
];

const bounds = (over: Partial<UpdateBounds> = {}): UpdateBounds => ({ ...defaultUpdateBounds, ...over });

/** Applies `update` to `server` when the checker admits it, as the sync server does. */
function offer(server: Y.Doc, update: Uint8Array, b = bounds()): ReturnType<typeof checkUpdate> {
  const verdict = checkUpdate(server, update, DOCUMENT_ROOTS, b);
  if (verdict.ok) Y.applyUpdate(server, update);
  return verdict;
}

function deepest(doc: Y.Doc): Y.Map<unknown> {
  let map = doc.getMap<unknown>('meta');
  for (;;) {
    const next = map.get('x');
    if (!(next instanceof Y.Map)) return map;
    map = next;
  }
}

/** Adds `levels` nested maps below the deepest one and returns the update that did it. */
function nestDeeper(doc: Y.Doc, levels: number): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.transact(() => {
    let map = deepest(doc);
    for (let i = 0; i < levels; i++) {
      const next = new Y.Map<unknown>();
      map.set('x', next);
      map = next;
    }
  });
  return Y.encodeStateAsUpdate(doc, before);
}

describe('update guard', () => {
  it('[L1] every built-in template, filled in with agreements and a signature, passes the default bounds', () => {
    for (const template of builtinTemplates) {
      const device = new Y.Doc();
      initDocument(device, template, { id: 'd', teamId: 't', createdBy: 'u', createdAt: 1 });
      for (const field of template.fields) writeField(device, template, field.key, `waarde van ${field.key}`);
      addAgreement(device, { wat: 'Huishoudelijke hulp', wie: 'Peter', wanneer: '2026-04-01' });
      addSignature(device, { name: 'Jan', signedAt: 1, strokes: STROKES });
      const server = new Y.Doc();
      expect(offer(server, Y.encodeStateAsUpdate(device)), `${template.id}@${template.version}`).toEqual({ ok: true });
    }
  });

  it('[L1] nesting deeper than maxDepth in one update is refused with 4400 before Yjs recurses', () => {
    expect(checkUpdate(new Y.Doc(), nestedMapsThenDeletion(3000), DOCUMENT_ROOTS, bounds())).toEqual({
      ok: false,
      code: CloseCode.malformed,
      reason: 'update-too-deep',
    });
    expect(checkUpdate(new Y.Doc(), nestedMapsThenDeletion(32), DOCUMENT_ROOTS, bounds())).toEqual({ ok: true });
    expect(checkUpdate(new Y.Doc(), nestedMapsThenDeletion(33), DOCUMENT_ROOTS, bounds()).ok).toBe(false);
  });

  it('[L1] depth is counted through the document the update lands in', () => {
    const device = new Y.Doc();
    const server = new Y.Doc();
    const b = bounds({ maxDepth: 25 });
    expect(offer(server, nestDeeper(device, 20), b)).toEqual({ ok: true });
    expect(offer(server, nestDeeper(device, 5), b)).toEqual({ ok: true });
    expect(offer(server, nestDeeper(device, 1), b)).toMatchObject({ ok: false, reason: 'update-too-deep' });
  });

  it('[L1] pieces that wait for a missing one are counted together when it arrives', () => {
    const device = new Y.Doc();
    const server = new Y.Doc();
    const b = bounds({ maxDepth: 25 });
    const first = nestDeeper(device, 10);
    const second = nestDeeper(device, 10);
    const third = nestDeeper(device, 10);
    expect(offer(server, second, b)).toEqual({ ok: true });
    expect(offer(server, third, b)).toEqual({ ok: true });
    expect(server.store.pendingStructs).not.toBeNull();
    expect(offer(server, first, b)).toMatchObject({ ok: false, reason: 'update-too-deep' });
  });

  it('[L1] a long run of typing (long origin chains) is checked without recursion', () => {
    // Typing at the front: every character's right origin is the one typed before it, so the
    // chain of origins is as long as the text, one item per character.
    const device = new Y.Doc();
    const text = new Y.Text();
    device.getMap('sections').set('body', text);
    for (let i = 0; i < 20_000; i++) text.insert(0, 'a');
    const server = new Y.Doc();
    expect(Y.decodeUpdate(Y.encodeStateAsUpdate(device)).structs.length).toBeGreaterThan(19_000);
    expect(offer(server, Y.encodeStateAsUpdate(device))).toEqual({ ok: true });
  }, 30_000);

  it('[L1] only the model\'s top-level types, each used as the model uses it', () => {
    const cases: [string, (doc: Y.Doc) => void, string][] = [
      ['unknown root', (d) => d.getText('t').insert(0, 'x'), 'unknown-root-type'],
      ['sequence in a map root', (d) => d.getArray('fields').push(['x']), 'update-wrong-shape'],
      ['map entry in a sequence root', (d) => d.getMap('agreements').set('k', 1), 'update-wrong-shape'],
      ['subdocument', (d) => d.getMap('meta').set('sub', new Y.Doc()), 'update-wrong-shape'],
    ];
    for (const [name, write, reason] of cases) {
      const device = new Y.Doc();
      write(device);
      expect(checkUpdate(new Y.Doc(), Y.encodeStateAsUpdate(device), DOCUMENT_ROOTS, bounds()), name).toEqual({
        ok: false,
        code: CloseCode.malformed,
        reason,
      });
    }
    const index = new Y.Doc();
    index.getMap('entries').set('a', 1);
    expect(checkUpdate(new Y.Doc(), Y.encodeStateAsUpdate(index), null, bounds())).toEqual({ ok: true });
  });

  it('[L1] an edit anchored on items already in the document keeps its place (map entry, text run)', () => {
    const device = new Y.Doc();
    const server = new Y.Doc();
    device.getMap('fields').set('naam', 'een');
    const text = new Y.Text('begin');
    device.getMap('sections').set('body', text);
    expect(offer(server, Y.encodeStateAsUpdate(device))).toEqual({ ok: true });
    const before = Y.encodeStateVector(device);
    device.getMap('fields').set('naam', 'twee'); // origin: the old entry, no parent written
    text.insert(5, ' en verder'); // origin: the earlier run
    expect(offer(server, Y.encodeStateAsUpdate(device, before))).toEqual({ ok: true });
    expect((server.getMap('sections').get('body') as Y.Text).toString()).toBe('begin en verder');
  });

  it('[L1] too many structs, too much content or too long a clock span is 4413', () => {
    const many = new Y.Doc();
    for (let i = 0; i < 200; i++) many.getMap('fields').set(`k${i}`, i);
    expect(checkUpdate(new Y.Doc(), Y.encodeStateAsUpdate(many), DOCUMENT_ROOTS, bounds({ maxStructs: 100 }))).toEqual({
      ok: false,
      code: CloseCode.tooLarge,
      reason: 'update-too-large',
    });
    const long = new Y.Doc();
    long.getMap('fields').set('lang', 'x'.repeat(5_000));
    expect(checkUpdate(new Y.Doc(), Y.encodeStateAsUpdate(long), DOCUMENT_ROOTS, bounds({ maxContentUnits: 4_000 })).ok).toBe(false);
    const binary = new Y.Doc();
    binary.getMap('meta').set('blob', new Uint8Array(5_000));
    expect(checkUpdate(new Y.Doc(), Y.encodeStateAsUpdate(binary), DOCUMENT_ROOTS, bounds({ maxContentUnits: 4_000 })).ok).toBe(false);
    const churn = new Y.Doc();
    const text = new Y.Text();
    churn.getMap('sections').set('body', text);
    text.insert(0, 'y'.repeat(5_000));
    text.delete(0, 5_000);
    expect(checkUpdate(new Y.Doc(), Y.encodeStateAsUpdate(churn), DOCUMENT_ROOTS, bounds({ maxClockSpan: 4_000 })).ok).toBe(false);
  });
});
