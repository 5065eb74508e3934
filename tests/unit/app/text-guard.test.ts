// P9, P10 on the device: what the editor says under a field, from the shared coverage table and
// limits, in the server's words.
import { describe, expect, it } from 'vitest';
import { textGuard } from '../../../client/app/logic/text-guard';

describe('text guard', () => {
  it('[P10] no counter below 80 % of the limit; from there "n / max tekens" with Dutch thousands; over when past', () => {
    expect(textGuard('a'.repeat(1599), 'Kern', 2000)).toEqual({ unprintable: null, counter: null, over: false });
    expect(textGuard('a'.repeat(1850), 'Kern', 2000)).toEqual({ unprintable: null, counter: '1.850 / 2.000 tekens', over: false });
    expect(textGuard('a'.repeat(2001), 'Kern', 2000).over).toBe(true);
  });

  it('[P9] names the characters that cannot be printed, as the server does', () => {
    expect(textGuard('Familie 😀', 'Naam', 200).unprintable).toBe('Het teken 😀 (U+1F600) in ‘Naam’ kan niet worden afgedrukt. Laat het weg of vervang het.');
    expect(textGuard('محمد ✓ → Łukasz', 'Naam', 200).unprintable).toBeNull();
  });
});
