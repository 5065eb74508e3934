// The textarea binding's pure core: the smallest edit between two values (so concurrent typing
// merges), and carets carried through remote changes. Checked against real Y.Text merges.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyDelta, diffText, transformPosition, type DeltaOp } from '../../../client/app/logic/text-diff';
import { seededRandom } from '../../support/seeded-random';

function applyEdit(text: string, prev: string, next: string, caret?: number): string {
  const edit = diffText(prev, next, caret);
  if (edit === null) return text;
  return text.slice(0, edit.index) + edit.insert + text.slice(edit.index + edit.remove);
}

describe('diffText', () => {
  it('finds a single insertion, deletion or replacement', () => {
    expect(diffText('Geachte heer,', 'Geachte heer, mevrouw,')).toEqual({ index: 13, remove: 0, insert: ' mevrouw,' });
    expect(diffText('abcdef', 'abef')).toEqual({ index: 2, remove: 2, insert: '' });
    expect(diffText('de brief', 'de besluit')).toEqual({ index: 4, remove: 4, insert: 'esluit' });
    expect(diffText('zelfde', 'zelfde')).toBeNull();
  });

  it('uses the caret where repeated letters make the edit ambiguous', () => {
    expect(diffText('aa', 'aaa', 1)).toEqual({ index: 0, remove: 0, insert: 'a' });
    expect(diffText('aa', 'aaa', 3)).toEqual({ index: 2, remove: 0, insert: 'a' });
    expect(diffText('ab ab', 'ab ab ab', 3)).toEqual({ index: 0, remove: 0, insert: 'ab ' });
  });

  it('never splits a surrogate pair', () => {
    const edit = diffText('x😀', 'x😃');
    expect(edit).toEqual({ index: 1, remove: 2, insert: '😃' });
  });

  it('always reproduces the new value (seeded)', () => {
    const alphabet = Array.from('aab b\n😀é');
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = seededRandom(seed);
      const word = (n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
      const prevChars = Array.from(word(Math.floor(rnd() * 12)));
      const at = Math.floor(rnd() * (prevChars.length + 1));
      const cut = Math.floor(rnd() * (prevChars.length - at + 1));
      const inserted = word(Math.floor(rnd() * 4));
      const prev = prevChars.join('');
      const before = prevChars.slice(0, at).join('');
      const next = before + inserted + prevChars.slice(at + cut).join('');
      const edit = diffText(prev, next, before.length + inserted.length);
      expect(applyEdit(prev, prev, next, before.length + inserted.length), `seed ${seed}`).toBe(next);
      // No lone surrogate ever reaches the Y.Text.
      expect(edit === null || !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(edit.insert), `seed ${seed}`).toBe(true);
    }
  });
});

describe('transformPosition', () => {
  it('moves a caret after text inserted or deleted before it, not after', () => {
    expect(transformPosition(5, [{ insert: 'abc' }])).toBe(8);
    expect(transformPosition(5, [{ retain: 5 }, { insert: 'abc' }])).toBe(5);
    expect(transformPosition(5, [{ retain: 6 }, { insert: 'abc' }])).toBe(5);
    expect(transformPosition(5, [{ retain: 1 }, { delete: 2 }])).toBe(3);
    expect(transformPosition(5, [{ retain: 3 }, { delete: 10 }])).toBe(3);
  });

  it('follows a real Y.Text delta', () => {
    const doc = new Y.Doc();
    const text = doc.getText('t');
    text.insert(0, 'Midden. Einde.');
    let delta: DeltaOp[] = [];
    text.observe((event) => {
      delta = event.delta;
    });
    const caret = text.length; // at the very end
    doc.transact(() => {
      text.insert(0, 'Begin. ');
      text.delete(7 + 8, 6);
    });
    expect(applyDelta('Midden. Einde.', delta)).toBe(text.toString());
    expect(transformPosition(caret, delta)).toBe(text.length);
  });
});

describe('two textareas on one section', () => {
  it('[S2] concurrent typing at both ends merges into one text on both devices', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getText('kern').insert(0, 'Midden.');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const shownA = a.getText('kern').toString();
    const shownB = b.getText('kern').toString();
    // Each device diffs its own textarea against what it showed; neither has seen the other.
    const editA = diffText(shownA, `${shownA} Einde.`, shownA.length + 7)!;
    const editB = diffText(shownB, `Begin. ${shownB}`, 7)!;
    a.getText('kern').insert(editA.index, editA.insert);
    b.getText('kern').insert(editB.index, editB.insert);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(a.getText('kern').toString()).toBe('Begin. Midden. Einde.');
    expect(b.getText('kern').toString()).toBe('Begin. Midden. Einde.');
  });
});
