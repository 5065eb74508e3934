// V6: the word diff between two frozen versions, per field and section (pure).
import { describe, expect, it } from 'vitest';
import { diffText, diffVersions } from '../../../shared/model/version-diff';
import type { VersionPart } from '../../../shared/model/version-text';

const part = (key: string, text: string): VersionPart => ({ key, label: key.toUpperCase(), kind: 'section', text });

describe('version diff (V6)', () => {
  it('[V6] marks removed and added words, keeps the rest', () => {
    expect(diffText('U krijgt vanaf 1 maart een uitkering.', 'U krijgt vanaf 1 april een uitkering.')).toEqual([
      { op: 'same', text: 'U krijgt vanaf 1 ' },
      { op: 'removed', text: 'maart' },
      { op: 'added', text: 'april' },
      { op: 'same', text: ' een uitkering.' },
    ]);
    expect(diffText('gelijk', 'gelijk')).toEqual([{ op: 'same', text: 'gelijk' }]);
    expect(diffText('', 'nieuw')).toEqual([{ op: 'added', text: 'nieuw' }]);
  });

  it('[V6] per part: unchanged, changed, added and removed parts', () => {
    const diff = diffVersions([part('a', 'een'), part('b', 'twee'), part('c', 'weg')], [part('a', 'een'), part('b', 'drie'), part('d', 'erbij')]);
    expect(diff.map((d) => [d.key, d.change])).toEqual([
      ['a', 'unchanged'],
      ['b', 'changed'],
      ['d', 'added'],
      ['c', 'removed'],
    ]);
  });

  it('[V6] a huge rewrite stays bounded: the middle reads as one replacement', () => {
    const before = Array.from({ length: 3000 }, (_, i) => `a${i}`).join(' ');
    const after = Array.from({ length: 3000 }, (_, i) => `b${i}`).join(' ');
    const started = Date.now();
    const ops = diffText(before, after);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(ops.map((o) => o.op)).toEqual(['removed', 'added']);
  });
});
