// K17's search must find a value however it was stored in the clear: embedded in UTF-8 or
// UTF-16LE bytes, or base64-encoded inside a longer payload at any byte alignment. Without this,
// a green e2e proof could mean a blind search.
import { describe, expect, it } from 'vitest';
import { findLeaks } from '../../e2e/support/origin-storage';

const VALUE = 'Wilhelmina Zonnebloem';

describe('leak search', () => {
  it('[K17] finds a value in UTF-8, UTF-16LE and base64 at every alignment, and nothing in random bytes', () => {
    for (let prefix = 0; prefix < 6; prefix++) {
      const pad = 'x'.repeat(prefix);
      const utf8 = Buffer.from(`${pad}${VALUE}!`, 'utf8');
      const utf16 = Buffer.from(`${pad}${VALUE}!`, 'utf16le');
      const cases: Buffer[] = [
        utf8,
        utf16,
        Buffer.from(utf8.toString('base64'), 'ascii'),
        Buffer.from(utf16.toString('base64'), 'ascii'),
        Buffer.from(utf8.toString('base64url'), 'ascii'),
      ];
      for (const bytes of cases) expect(findLeaks([{ where: 'x', bytes }], [VALUE]).length).toBeGreaterThan(0);
    }
    const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251));
    expect(findLeaks([{ where: 'noise', bytes: noise }], [VALUE])).toEqual([]);
  });
});
