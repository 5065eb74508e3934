// Opens a document for a screen (editor, preview): loads it from the device, keeps it connected
// while shown, and tracks whether the last local edit is in IndexedDB yet, so the badge never
// calls an edit stored before it is (S1). Also follows `meta` for the title and template.
import { useEffect, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { readMeta, type DocumentMeta } from '../../../shared/model/document';
import type { Session } from '../../sync/session';
import { markOpen } from '../session/open-docs';
import { markTextStale } from '../session/text-stale';
import { isLocalOrigin } from './local-origin';

export interface OpenDocument {
  doc: Y.Doc | null;
  meta: DocumentMeta | null;
  /** A local edit is on its way into IndexedDB. */
  savingLocally: boolean;
  failed: boolean;
}

export function useDocument(session: Session, docId: string): OpenDocument {
  const [doc, setDoc] = useState<Y.Doc | null>(null);
  const [meta, setMeta] = useState<DocumentMeta | null>(null);
  const [savingLocally, setSavingLocally] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    let opened = false;
    let detach: (() => void) | null = null;
    const unmark = markOpen(docId);
    // Q7: what is typed here may change the words a search finds it by.
    markTextStale(session.store, docId);
    setDoc(null);
    setMeta(null);
    setFailed(false);
    session.sync.open(docId).then(
      (loaded) => {
        opened = true;
        if (cancelled) {
          session.sync.close(docId);
          return;
        }
        let generation = 0;
        const onUpdate = (_update: Uint8Array, origin: unknown): void => {
          if (!isLocalOrigin(origin)) return;
          const mine = ++generation;
          setSavingLocally(true);
          void session.sync
            .whenSavedLocally(docId)
            .catch(() => undefined)
            .then(() => {
              if (mine === generation) setSavingLocally(false);
            });
        };
        const metaMap = loaded.getMap('meta');
        const onMeta = (): void => setMeta(readMeta(loaded));
        loaded.on('update', onUpdate);
        metaMap.observe(onMeta);
        detach = () => {
          loaded.off('update', onUpdate);
          metaMap.unobserve(onMeta);
        };
        onMeta();
        setDoc(loaded);
      },
      () => {
        if (!cancelled) setFailed(true);
      },
    );
    return () => {
      cancelled = true;
      unmark();
      detach?.();
      if (opened) session.sync.close(docId);
    };
  }, [session, docId]);

  return { doc, meta, savingLocally, failed };
}

/** The value after it has stayed the same for `ms`: for live regions that must not chatter. */
export function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Re-renders on every change of the document, from this device or another (live views). */
export function useDocumentVersion(doc: Y.Doc | null): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (doc === null) return undefined;
    const onUpdate = (): void => setVersion((v) => v + 1);
    doc.on('update', onUpdate);
    return () => doc.off('update', onUpdate);
  }, [doc]);
  return version;
}
