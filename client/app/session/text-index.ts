// Q7: the device's text index: each document's normalised words (citizen's name, fields,
// sections, captions), read from the encrypted LocalStore through its codec and held in memory
// only; never written anywhere. Lazy-loaded (Q11): the first screen does not carry it.
import type { LocalStore } from '../../store/local-store';
import { docSearchTextOf } from '../logic/doc-text';
import { takeTextStale } from './text-stale';

export interface TextIndexRow {
  id: string;
  /** A copy is read again when this changes (the list's updatedAt; device-only rows: always). */
  stamp: number;
}

export class TextIndex {
  private readonly texts = new Map<string, { stamp: number; text: string }>();
  private running: Promise<boolean> | null = null;
  private pending: readonly TextIndexRow[] | null = null;

  constructor(private readonly store: Pick<LocalStore, 'loadUpdates'>) {}

  /** Copies opened in the editor since the last refresh (text-stale.ts) are read again. */
  private readonly stale = new Set<string>();

  get(id: string): string | undefined {
    return this.texts.get(id)?.text;
  }

  get size(): number {
    return this.texts.size;
  }

  /**
   * Reads the copies whose stamp changed and forgets rows no longer listed; answers whether any
   * text changed. Calls while one runs are folded into one more run with the latest rows.
   */
  refresh(rows: readonly TextIndexRow[]): Promise<boolean> {
    if (this.running !== null) {
      this.pending = rows;
      return this.running.then(() => this.drain());
    }
    this.running = this.run(rows).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(): Promise<boolean> {
    const next = this.pending;
    this.pending = null;
    return next === null ? false : this.refresh(next);
  }

  private async run(rows: readonly TextIndexRow[]): Promise<boolean> {
    let changed = false;
    for (const id of takeTextStale(this.store)) this.stale.add(id);
    const listed = new Set(rows.map((r) => r.id));
    for (const id of [...this.texts.keys()]) {
      if (!listed.has(id)) {
        this.texts.delete(id);
        changed = true;
      }
    }
    for (const row of rows) {
      if (this.texts.get(row.id)?.stamp === row.stamp && !this.stale.has(row.id)) continue;
      this.stale.delete(row.id);
      let text = '';
      try {
        const { updates } = await this.store.loadUpdates(row.id);
        text = docSearchTextOf(updates);
      } catch {
        // Q15: a copy that cannot be read is found by its list row only.
      }
      const before = this.texts.get(row.id)?.text;
      this.texts.set(row.id, { stamp: row.stamp, text });
      if (before !== text) changed = true;
    }
    return changed;
  }
}

const indexes = new WeakMap<object, TextIndex>();

/** One index per session's store: shared by the screens, gone with the session. */
export function textIndexFor(store: Pick<LocalStore, 'loadUpdates'>): TextIndex {
  let index = indexes.get(store);
  if (index === undefined) {
    index = new TextIndex(store);
    indexes.set(store, index);
  }
  return index;
}
