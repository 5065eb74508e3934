// Marks the transaction origins of this device's own typing, so the editor can tell a keystroke
// (which must reach IndexedDB before the badge may say "op dit apparaat", S1) from a remote change.

const origins = new WeakSet<object>();

export function markLocalOrigin<T extends object>(origin: T): T {
  origins.add(origin);
  return origin;
}

/** `writeField` transacts without an origin (null); bindings use marked objects. */
export const isLocalOrigin = (origin: unknown): boolean =>
  origin === null || (typeof origin === 'object' && origins.has(origin));
