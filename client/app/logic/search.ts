// Search, filters and sort over the document lists ("Mijn documenten", the office inbox), on the
// device and offline (Q3–Q6). Pure: the rows come from the index rooms, the words from the
// text index (session/text-index.ts), the clock from the caller.
import type { WorkflowStatus } from '../../../shared/model/index-entry';

/** One row as search sees it. */
export interface FindItem {
  id: string;
  title: string;
  zaak: string | null;
  /** Null while only this device knows the document. */
  status: WorkflowStatus | null;
  templateId: string | null;
  /** User id of the author. */
  authorId: string | null;
  authorName: string | null;
  updatedAt: number;
  /** Q6: "wacht sinds"; the sort by status uses it after the status order. */
  statusSince: number;
}

export type Period = 'alle' | 'vandaag' | 'week' | 'maand' | 'jaar';
export type SortKey = 'bijgewerkt' | 'status' | 'zaak';

export interface FindQuery {
  text: string;
  status: WorkflowStatus | 'alle';
  /** A template id, or 'alle'. */
  templateId: string;
  /** An author's user id, or 'alle'. */
  author: string;
  period: Period;
  sort: SortKey;
}

export const emptyQuery: FindQuery = { text: '', status: 'alle', templateId: 'alle', author: 'alle', period: 'alle', sort: 'bijgewerkt' };

export const periodLabels: Record<Period, string> = {
  alle: 'Altijd',
  vandaag: 'Vandaag',
  week: 'Afgelopen 7 dagen',
  maand: 'Afgelopen 30 dagen',
  jaar: 'Afgelopen jaar',
};

export const sortLabels: Record<SortKey, string> = {
  bijgewerkt: 'Laatst bijgewerkt',
  status: 'Status',
  zaak: 'Zaaknummer',
};

const DAY = 86_400_000;

/**
 * Q3: lower case, diacritics removed (é → e, ü → u, ĳ → ij), ß → ss, every run of anything that is
 * not a letter or digit one space. Applied alike to the query and to what is searched.
 */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The query's words, normalised; duplicates once. */
export function queryWords(text: string): string[] {
  const norm = normalise(text);
  return norm === '' ? [] : [...new Set(norm.split(' '))];
}

/**
 * Q4: every word of the query occurs somewhere in the row's haystack (title, zaak, author, and the
 * document's own words: citizen's name and text), as the start of a word or inside one.
 * `haystack` must be normalised (see `haystackOf`).
 */
export function matchesWords(haystack: string, words: readonly string[]): boolean {
  return words.every((w) => haystack.includes(w));
}

/** Q4: the normalised text one row is searched in; `docText` from the device's copy, if any. */
export function haystackOf(item: FindItem, docText: string | undefined): string {
  return ` ${normalise([item.title, item.zaak ?? '', item.authorName ?? ''].join(' '))} ${docText ?? ''} `;
}

/** Q5: the start of the period, in ms; null for "altijd". "Vandaag" is the local calendar day. */
export function periodStart(period: Period, now: number): number | null {
  switch (period) {
    case 'alle':
      return null;
    case 'vandaag': {
      const d = new Date(now);
      d.setHours(0, 0, 0, 0);
      return d.getTime();
    }
    case 'week':
      return now - 7 * DAY;
    case 'maand':
      return now - 30 * DAY;
    case 'jaar':
      return now - 365 * DAY;
  }
}

/** Q5: status, template, author and period each narrow the list; 'alle' leaves it. */
export function passesFilters(item: FindItem, query: FindQuery, now: number): boolean {
  if (query.status !== 'alle' && item.status !== query.status) return false;
  if (query.templateId !== 'alle' && item.templateId !== query.templateId) return false;
  if (query.author !== 'alle' && item.authorId !== query.author) return false;
  const start = periodStart(query.period, now);
  return start === null || item.updatedAt >= start;
}

/** Q6: the order of work: what needs someone first, what is done last. A device-only row first. */
const STATUS_ORDER: Record<WorkflowStatus | 'lokaal', number> = {
  lokaal: 0,
  'levering-mislukt': 1,
  'ter-goedkeuring': 2,
  concept: 3,
  ingediend: 4,
  'in-dms': 5,
};

const zaakCollator = new Intl.Collator('nl', { numeric: true, sensitivity: 'base' });

/**
 * Q6: "bijgewerkt" newest first; "status" in the order of work, longest waiting first within a
 * status; "zaak" ascending (numbers as numbers), rows without a zaak last. Ties: newest, then id.
 */
export function compareItems(sort: SortKey): (a: FindItem, b: FindItem) => number {
  const newest = (a: FindItem, b: FindItem): number => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  switch (sort) {
    case 'bijgewerkt':
      return newest;
    case 'status':
      return (a, b) =>
        STATUS_ORDER[a.status ?? 'lokaal'] - STATUS_ORDER[b.status ?? 'lokaal'] || a.statusSince - b.statusSince || newest(a, b);
    case 'zaak':
      return (a, b) => {
        const za = (a.zaak ?? '').trim();
        const zb = (b.zaak ?? '').trim();
        if (za === '' || zb === '') return (za === '' ? 1 : 0) - (zb === '' ? 1 : 0) || newest(a, b);
        return zaakCollator.compare(za, zb) || newest(a, b);
      };
  }
}

export interface FindResult<T extends FindItem> {
  rows: T[];
  /** Rows before search and filters: "12 van 300". */
  total: number;
}

/**
 * Q3–Q6 in one pass: filters, then the words, then the order. `textOf` gives a row's normalised
 * document words (undefined while the text index is not there: then title, zaak and author only).
 */
export function findRows<T extends FindItem>(items: readonly T[], query: FindQuery, now: number, textOf: (id: string) => string | undefined): FindResult<T> {
  const words = queryWords(query.text);
  const rows = items.filter(
    (item) => passesFilters(item, query, now) && (words.length === 0 || matchesWords(haystackOf(item, textOf(item.id)), words)),
  );
  return { rows: rows.sort(compareItems(query.sort)), total: items.length };
}

/** Whether any search or filter narrows the list (the screen offers "Wis zoeken"). */
export const isNarrowed = (q: FindQuery): boolean =>
  q.text.trim() !== '' || q.status !== 'alle' || q.templateId !== 'alle' || q.author !== 'alle' || q.period !== 'alle';

/** The distinct authors of the rows, for the author filter, by name. */
export function authorsOf(items: readonly FindItem[]): { id: string; name: string }[] {
  const byId = new Map<string, string>();
  for (const item of items) if (item.authorId !== null && !byId.has(item.authorId)) byId.set(item.authorId, item.authorName ?? item.authorId);
  return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'nl'));
}

/** The template filter's choices: one per id (the latest title), by title. */
export function templateChoices(templates: readonly { id: string; title: string }[]): { id: string; title: string }[] {
  const byId = new Map<string, string>();
  for (const t of templates) byId.set(t.id, t.title);
  return [...byId].map(([id, title]) => ({ id, title })).sort((a, b) => a.title.localeCompare(b.title, 'nl'));
}
