// The screens' side of search (Q3–Q8, Q11, Q13): the query in memory for the session (kept when
// the official opens a document and comes back), the rows found, and the text index, loaded
// lazily the first time a search asks for words so the first screen stays within its budget.
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Session } from '../../sync/session';
import { emptyQuery, findRows, type FindItem, type FindQuery, type FindResult } from '../logic/search';
import type { TextIndex, TextIndexRow } from '../session/text-index';

/** Q13: one query per list and session, in memory only (it may hold a citizen's name). */
const remembered = new WeakMap<object, Map<string, FindQuery>>();

function rememberedQuery(session: Session, list: string, initial: FindQuery): FindQuery {
  return remembered.get(session.store)?.get(list) ?? initial;
}

function remember(session: Session, list: string, query: FindQuery): void {
  let lists = remembered.get(session.store);
  if (lists === undefined) {
    lists = new Map();
    remembered.set(session.store, lists);
  }
  lists.set(list, query);
}

export interface FindState<T extends FindItem> extends FindResult<T> {
  query: FindQuery;
  setQuery: (query: FindQuery) => void;
  /** The document words are being read from the device (first search, or after changes). */
  indexing: boolean;
}

/** `stampOf` tells when a row's copy changed (the list's updatedAt): then its words are read again. */
export function useFind<T extends FindItem>(
  session: Session,
  list: string,
  items: readonly T[],
  stampOf: (item: T) => number,
  initial: FindQuery = emptyQuery,
): FindState<T> {
  const [query, setQueryState] = useState<FindQuery>(() => rememberedQuery(session, list, initial));
  const [index, setIndex] = useState<TextIndex | null>(null);
  const [version, setVersion] = useState(0);
  const [indexing, setIndexing] = useState(false);
  const wantsText = query.text.trim() !== '';

  const setQuery = (next: FindQuery): void => {
    remember(session, list, next);
    setQueryState(next);
  };

  // Q11: the text index's chunk comes only when a search asks for words.
  useEffect(() => {
    if (!wantsText || index !== null) return;
    let cancelled = false;
    void import('../session/text-index')
      .then(({ textIndexFor }) => {
        if (!cancelled) setIndex(textIndexFor(session.store));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [session, wantsText, index]);

  const rowsKey = items.map((item) => `${item.id}:${stampOf(item)}`).join(',');
  useEffect(() => {
    if (index === null) return;
    let cancelled = false;
    const rows: TextIndexRow[] = rowsKey === '' ? [] : rowsKey.split(',').map((pair) => {
      const [id = '', stamp = '0'] = pair.split(':');
      return { id, stamp: Number(stamp) };
    });
    setIndexing(true);
    void index
      .refresh(rows)
      .then((changed) => {
        if (!cancelled && changed) setVersion((v) => v + 1);
      })
      .catch(() => undefined)
      .finally(() => {
        if (!cancelled) setIndexing(false);
      });
    return () => {
      cancelled = true;
    };
  }, [index, rowsKey]);

  // `version` changes when the index learned new words: then the rows are found again.
  const result = useMemo(() => findRows(items, query, Date.now(), (id) => index?.get(id)), [items, query, index, version]);
  return { ...result, query, setQuery, indexing: wantsText && (index === null || indexing) };
}
