// X8, X9, X11: the zaak field's look-up state. Follows the zaak field in the Y.Doc (typed here or
// by a co-editor), asks the server a moment after typing stops, keeps every answer in the
// device's cache (a LocalStore setting: encrypted by the vault's codec, bounded) and, offline or
// when the DMS does not answer, suggests from that cache and says so. A server without a look-up
// answers once that it has none; the field then stays free text and the device asks again only
// after an hour.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { readField, writeField } from '../../../shared/model/document';
import type { ZaakSummary } from '../../../shared/protocol/zaken';
import type { Template } from '../../../shared/templates/schema';
import type { JsonValue } from '../../store/local-store';
import type { Session } from '../../sync/session';
import {
  emptyZaakCache,
  parseZaakCache,
  rememberAnswer,
  rememberAvailability,
  searchCache,
  shouldAsk,
  ZAAK_CACHE_SETTING,
  type ZaakCache,
} from '../logic/zaak-cache';
import { zaakVerdict, type ZaakVerdict } from '../logic/zaak-verdict';
import { lookupZaken, ZAAK_LOOKUP_MESSAGES } from './zaak-client';

const SETTLE_MS = 350;
/** Fewer characters than this find too much to be useful. */
const MIN_QUERY = 2;

export interface ZaakLookupView {
  /** The template's zaak field; null when it has none (nothing to look up). */
  fieldKey: string | null;
  /** Whether this server has a look-up, as far as the device knows (null: not known yet). */
  available: boolean | null;
  typed: string;
  verdict: ZaakVerdict;
  suggestions: ZaakSummary[];
  /** Suggestions and verdict come from the device's memory, not a fresh answer. */
  fromCache: boolean;
  more: boolean;
  busy: boolean;
  /** Dutch, when the last look-up gave no answer. */
  message: string | null;
  pick(zaak: ZaakSummary): void;
}

export function useZaakLookup(session: Session, doc: Y.Doc | null, template: Template | null): ZaakLookupView {
  const fieldKey = template?.zaakField ?? null;
  const [cache, setCache] = useState<ZaakCache>(emptyZaakCache);
  const cacheRef = useRef<ZaakCache>(cache);
  const [typed, setTyped] = useState('');
  const [suggestions, setSuggestions] = useState<ZaakSummary[]>([]);
  const [fromCache, setFromCache] = useState(false);
  const [more, setMore] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const offline = session.sync.connectivity === 'offline';

  const keep = useCallback(
    (next: ZaakCache): void => {
      cacheRef.current = next;
      setCache(next);
      // Through JSON: what is stored is exactly what a later parse sees.
      void session.store.putSetting(ZAAK_CACHE_SETTING, JSON.parse(JSON.stringify(next)) as JsonValue).catch(() => undefined);
    },
    [session],
  );

  useEffect(() => {
    let live = true;
    void session.store
      .getSetting(ZAAK_CACHE_SETTING)
      .then((stored) => {
        if (!live) return;
        const parsed = parseZaakCache(stored);
        cacheRef.current = parsed;
        setCache(parsed);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [session]);

  // The field's value, whoever wrote it.
  useEffect(() => {
    if (doc === null || fieldKey === null) return undefined;
    const fields = doc.getMap('fields');
    const read = (): void => setTyped(readField(doc, fieldKey));
    read();
    fields.observe(read);
    return () => fields.unobserve(read);
  }, [doc, fieldKey]);

  useEffect(() => {
    const q = typed.trim();
    if (fieldKey === null || q.length < MIN_QUERY) {
      setSuggestions([]);
      setMessage(null);
      return undefined;
    }
    const fromMemory = (): void => {
      const hits = searchCache(cacheRef.current, q);
      setSuggestions(hits.map((h) => h.zaak));
      setFromCache(true);
      setMore(false);
    };
    if (!shouldAsk(cacheRef.current, Date.now())) return undefined;
    if (offline) {
      fromMemory();
      setMessage(cacheRef.current.available === true ? ZAAK_LOOKUP_MESSAGES.offline : null);
      return undefined;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      setBusy(true);
      void lookupZaken(session, q, abort.signal).then((result) => {
        if (abort.signal.aborted) return;
        setBusy(false);
        if (result.kind === 'answer') {
          if (!result.answer.available) {
            keep(rememberAvailability(cacheRef.current, false, Date.now()));
            setSuggestions([]);
            setMessage(null);
            return;
          }
          keep(rememberAnswer(cacheRef.current, q, result.answer.results, Date.now()));
          setSuggestions(result.answer.results);
          setFromCache(false);
          setMore(result.answer.more);
          setMessage(null);
          return;
        }
        // X11: no answer: say why, and offer what the device remembers. A refusal from the
        // look-up itself (DMS slow, down, …) also says that this server has one.
        if (result.problem !== 'offline' && result.problem !== 'signed-out' && result.problem !== 'server-error' && cacheRef.current.available !== true) {
          keep(rememberAvailability(cacheRef.current, true, Date.now()));
        }
        fromMemory();
        setMessage(cacheRef.current.available === true || result.problem !== 'offline' ? ZAAK_LOOKUP_MESSAGES[result.problem] : null);
      });
    }, SETTLE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
      setBusy(false);
    };
  }, [session, typed, fieldKey, offline, keep]);

  const pick = useCallback(
    (zaak: ZaakSummary): void => {
      if (doc === null || template === null || fieldKey === null) return;
      writeField(doc, template, fieldKey, zaak.identificatie);
    },
    [doc, template, fieldKey],
  );

  return { fieldKey, available: cache.available, typed, verdict: zaakVerdict(typed, cache), suggestions, fromCache, more, busy, message, pick };
}
