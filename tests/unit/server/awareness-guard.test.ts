// Awareness from the token (L4), the pure part: states are stamped with the token's user,
// entries another user owns are dropped, the same user may take a clientID over, garbage throws.
import { describe, expect, it } from 'vitest';
import { admitAwareness, decodeAwarenessUpdate, encodeAwarenessUpdate } from '../../../server/sync/awareness-guard';

const vera = { id: 'u-vera', name: 'Vera Veldwerker' };

describe('awareness guard', () => {
  it('[L4] stamps user id and name from the token over what the device wrote, keeping a valid colour', () => {
    const [entry] = admitAwareness(
      [{ clientId: 1, clock: 1, state: { user: { id: 'u-karim', name: 'Karim Kantoor', colour: '#105f26' }, cursor: { anchor: 3 } } }],
      vera,
      () => undefined,
    );
    expect(entry?.state).toEqual({ user: { id: 'u-vera', name: 'Vera Veldwerker', colour: '#105f26' }, cursor: { anchor: 3 } });
    const [odd] = admitAwareness([{ clientId: 1, clock: 2, state: { user: { colour: 'red; background: url(x)' } } }], vera, () => undefined);
    expect(odd?.state).toEqual({ user: { id: 'u-vera', name: 'Vera Veldwerker' } });
  });

  it("[L4] drops entries for clientIDs another user's connection owns; the same user may take one over", () => {
    const owners = new Map([
      [1, 'u-karim'],
      [2, 'u-vera'],
    ]);
    const admitted = admitAwareness(
      [
        { clientId: 1, clock: 5, state: null },
        { clientId: 1, clock: 6, state: { user: { name: 'Gehackt' } } },
        { clientId: 2, clock: 3, state: {} },
        { clientId: 3, clock: 1, state: null },
      ],
      vera,
      (id) => owners.get(id),
    );
    expect(admitted.map((e) => e.clientId)).toEqual([2, 3]);
    expect(admitted[1]?.state).toBeNull();
  });

  it('[L4] round-trips the y-protocols encoding and throws on garbage', () => {
    const entries = [{ clientId: 42, clock: 7, state: { user: { name: 'x' } } }];
    expect(decodeAwarenessUpdate(encodeAwarenessUpdate(entries))).toEqual(entries);
    expect(() => decodeAwarenessUpdate(Uint8Array.of(1, 42, 7, 3, 0x7b, 0x7b, 0x7b))).toThrow();
    expect(() => decodeAwarenessUpdate(Uint8Array.of(...encodeAwarenessUpdate(entries), 9))).toThrow();
  });
});
