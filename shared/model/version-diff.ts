// V6: what changed between two versions, per field and section, word by word: the approver sees
// what the field worker corrected after a return, and anyone can compare two versions from the
// history. Pure and bounded: common prefix and suffix first, a word LCS on what is left only
// while it is small, otherwise the middle reads as one replacement.
import type { VersionPart } from './version-text';

export type DiffOp = { op: 'same' | 'added' | 'removed'; text: string };

export interface PartDiff {
  key: string;
  label: string;
  kind: 'field' | 'section';
  change: 'unchanged' | 'changed' | 'added' | 'removed';
  ops: DiffOp[];
}

/** Above this many token pairs the middle is shown as removed + added, not aligned word by word. */
const MAX_LCS_CELLS = 2_000_000;

function tokens(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

function push(ops: DiffOp[], op: DiffOp['op'], text: string): void {
  if (text === '') return;
  const last = ops[ops.length - 1];
  if (last !== undefined && last.op === op) last.text += text;
  else ops.push({ op, text });
}

/** Word-level diff of two texts: `same`, `removed` (only in `before`), `added` (only in `after`). */
export function diffText(before: string, after: string): DiffOp[] {
  const a = tokens(before);
  const b = tokens(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: DiffOp[] = [];
  push(ops, 'same', a.slice(0, start).join(''));
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (midA.length * midB.length > MAX_LCS_CELLS) {
    push(ops, 'removed', midA.join(''));
    push(ops, 'added', midB.join(''));
  } else {
    for (const op of lcsOps(midA, midB)) push(ops, op.op, op.text);
  }
  push(ops, 'same', a.slice(endA).join(''));
  return ops;
}

function lcsOps(a: readonly string[], b: readonly string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  // lengths[i][j]: LCS of a[i..] and b[j..], in one flat array.
  const lengths = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => lengths[i * (m + 1) + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const ops: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ op: 'same', text: a[i] ?? '' });
      i++;
      j++;
    } else if (at(i + 1, j) >= at(i, j + 1)) {
      ops.push({ op: 'removed', text: a[i++] ?? '' });
    } else {
      ops.push({ op: 'added', text: b[j++] ?? '' });
    }
  }
  while (i < n) ops.push({ op: 'removed', text: a[i++] ?? '' });
  while (j < m) ops.push({ op: 'added', text: b[j++] ?? '' });
  return ops;
}

/** Every part of either version, in the newer version's order, with what changed. */
export function diffVersions(before: readonly VersionPart[], after: readonly VersionPart[]): PartDiff[] {
  const old = new Map(before.map((p) => [p.key, p]));
  const seen = new Set<string>();
  const out: PartDiff[] = [];
  for (const part of after) {
    seen.add(part.key);
    const prev = old.get(part.key);
    if (prev === undefined) {
      out.push({ key: part.key, label: part.label, kind: part.kind, change: part.text === '' ? 'unchanged' : 'added', ops: part.text === '' ? [] : [{ op: 'added', text: part.text }] });
      continue;
    }
    const ops = diffText(prev.text, part.text);
    const changed = ops.some((o) => o.op !== 'same');
    out.push({ key: part.key, label: part.label, kind: part.kind, change: changed ? 'changed' : 'unchanged', ops });
  }
  for (const part of before) {
    if (seen.has(part.key) || part.text === '') continue;
    out.push({ key: part.key, label: part.label, kind: part.kind, change: 'removed', ops: [{ op: 'removed', text: part.text }] });
  }
  return out;
}
