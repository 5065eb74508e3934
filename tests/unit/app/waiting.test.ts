// Q9: "wacht sinds" in plain Dutch beside the exact time.
import { describe, expect, it } from 'vitest';
import { waitingFor } from '../../../client/app/logic/waiting';

describe('waiting time (Q9)', () => {
  it('[Q9] says how long a document has held its status: under an hour, hours, days; never negative', () => {
    const now = 1_000_000_000_000;
    expect(waitingFor(now - 59 * 60_000, now)).toBe('minder dan een uur');
    expect(waitingFor(now + 5_000, now)).toBe('minder dan een uur');
    expect(waitingFor(now - 60 * 60_000, now)).toBe('1 uur');
    expect(waitingFor(now - 23 * 3_600_000, now)).toBe('23 uur');
    expect(waitingFor(now - 24 * 3_600_000, now)).toBe('1 dag');
    expect(waitingFor(now - 9 * 86_400_000, now)).toBe('9 dagen');
  });
});
