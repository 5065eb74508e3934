// Q11: the text index (and its Yjs decoding for search) is not on the first screen: nothing in
// the app imports it statically except by type; it comes with the first search that has words.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

const LAZY = ['session/text-index', 'logic/doc-text'];

describe('search chunk (Q11)', () => {
  it('[Q11] text-index and doc-text are imported only by type or by import(), never statically', () => {
    const offenders: string[] = [];
    let dynamic = 0;
    for (const file of sources('client')) {
      const rel = relative('client/app', file);
      if (LAZY.some((m) => rel === `${m}.ts`)) continue;
      const text = readFileSync(file, 'utf8');
      for (const line of text.split('\n')) {
        if (!LAZY.some((m) => line.includes(m))) continue;
        if (/import\(/.test(line)) dynamic++;
        else if (/^\s*import type /.test(line)) continue;
        else if (/^\s*import /.test(line) || /from '/.test(line)) offenders.push(`${file}: ${line.trim()}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(dynamic).toBeGreaterThan(0);
  });
});
