// Turns a textarea's new value into the smallest edit of its Y.Text (one delete plus one insert
// at one place), so two devices typing in the same section merge instead of overwriting, and
// moves a caret through a remote change (a Yjs delta) so it stays where the official was typing.

export interface TextEdit {
  index: number;
  remove: number;
  insert: string;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * The edit that turns `prev` into `next`; null when they are equal. `caret` (the selection end
 * after the edit) settles ambiguous cases such as typing "a" into "aa": the edit ends at the caret.
 * Never splits a surrogate pair, so an emoji is never half deleted.
 */
export function diffText(prev: string, next: string, caret?: number): TextEdit | null {
  if (prev === next) return null;
  // The edit ends at the caret, so it starts no later than the caret minus what it added.
  const caretAt = caret === undefined ? null : Math.max(0, Math.min(caret, next.length));
  const growth = Math.max(0, next.length - prev.length);
  let prefix = 0;
  const maxPrefix = Math.max(0, Math.min(prev.length, next.length, caretAt === null ? Infinity : caretAt - growth));
  while (prefix < maxPrefix && prev.charCodeAt(prefix) === next.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(next.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  const maxSuffix = Math.max(
    0,
    Math.min(prev.length - prefix, next.length - prefix, caretAt === null ? Infinity : next.length - caretAt),
  );
  while (suffix < maxSuffix && prev.charCodeAt(prev.length - 1 - suffix) === next.charCodeAt(next.length - 1 - suffix)) suffix++;
  if (suffix > 0 && isLowSurrogate(next.charCodeAt(next.length - suffix))) suffix--;
  return { index: prefix, remove: prev.length - prefix - suffix, insert: next.slice(prefix, next.length - suffix) };
}

/** One operation of a Yjs text delta (`YTextEvent.delta`). */
export interface DeltaOp {
  retain?: number;
  insert?: unknown;
  delete?: number;
}

/**
 * Where a caret at `position` ends up after a remote change. Text inserted exactly at the caret
 * lands after it: the official's next keystroke stays next to what they just typed.
 */
export function transformPosition(position: number, delta: readonly DeltaOp[]): number {
  let cursor = position;
  // `index` walks the changed text; everything at or after the caret cannot move it.
  let index = 0;
  for (const op of delta) {
    if (index >= cursor) break;
    if (op.retain !== undefined) index += op.retain;
    else if (op.insert !== undefined) {
      const length = typeof op.insert === 'string' ? op.insert.length : 1;
      cursor += length;
      index += length;
    } else if (op.delete !== undefined) cursor -= Math.min(op.delete, cursor - index);
  }
  return cursor;
}

/** Applies a delta to a string: what the textarea shows after a remote change. */
export function applyDelta(text: string, delta: readonly DeltaOp[]): string {
  let out = '';
  let index = 0;
  for (const op of delta) {
    if (op.retain !== undefined) {
      out += text.slice(index, index + op.retain);
      index += op.retain;
    } else if (op.insert !== undefined) out += typeof op.insert === 'string' ? op.insert : '';
    else if (op.delete !== undefined) index += op.delete;
  }
  return out + text.slice(index);
}
