// The signed-in session as Preact context, and the hooks screens use to follow it live: sync
// events (statuses, connectivity, progress), an index room's list, and the templates.
import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { IndexEntry } from '../../../shared/model/index-entry';
// Only the plain letter is eager (the first screen's budget); the other built-ins ship in the lazy chunk.
import { briefTemplate } from '../../../shared/templates/builtin/brief';
import type { Template } from '../../../shared/templates/schema';
import type { IndexFeed } from '../../sync/index-feed';
import type { Session } from '../../sync/session';
import { serverUrl } from '../config';

export interface AppSession {
  session: Session;
  /** Ends the session in the app after `session.signOut` succeeded. */
  signedOut: () => void;
}

export const SessionContext = createContext<AppSession | null>(null);

export function useAppSession(): AppSession {
  const value = useContext(SessionContext);
  if (value === null) throw new Error('useAppSession outside a signed-in app');
  return value;
}

export const useSession = (): Session => useAppSession().session;

/** A number that changes on every sync event, to re-read statuses, connectivity and progress. */
export function useSyncEvents(session: Session): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const unsubscribe = session.sync.subscribe(() => setVersion((v) => v + 1));
    // Whatever changed between the first render and this subscription: read it once more.
    setVersion((v) => v + 1);
    return unsubscribe;
  }, [session]);
  return version;
}

export interface IndexView {
  entries: IndexEntry[];
  live: boolean;
  stopped: IndexFeed['stopped'];
  /** False until the cached list has been read from the device. */
  loaded: boolean;
  failed: boolean;
}

/** The live list of an index room; its last known state offline (S8). */
export function useIndexFeed(session: Session, room: string): IndexView {
  const [view, setView] = useState<IndexView>({ entries: [], live: false, stopped: null, loaded: false, failed: false });
  useEffect(() => {
    let unsubscribe: (() => void) | null = null;
    let cancelled = false;
    session.sync.openIndex(room).then(
      (feed) => {
        if (cancelled) return;
        const read = (): void => setView({ entries: feed.entries(), live: feed.live, stopped: feed.stopped, loaded: true, failed: false });
        unsubscribe = feed.subscribe(read);
        read();
      },
      () => {
        if (!cancelled) setView((v) => ({ ...v, loaded: true, failed: true }));
      },
    );
    return () => {
      cancelled = true;
      unsubscribe?.();
    };
  }, [session, room]);
  return view;
}

export function useTemplates(session: Session): Template[] | null {
  const [templates, setTemplates] = useState<Template[] | null>(null);
  useEffect(() => {
    let cancelled = false;
    // Lazily: template validation brings the full zod, which the first screen does not need.
    void import('./templates')
      .then(({ loadTemplates }) => loadTemplates(session, serverUrl()))
      // The chunk did not load (offline before the service worker cached it): the
      // plain letter ships in this chunk and needs no validation.
      .catch(() => [briefTemplate])
      .then((list) => {
        if (!cancelled) setTemplates(list);
      });
    return () => {
      cancelled = true;
    };
  }, [session]);
  return templates;
}

export const isOffice = (session: Session): boolean => session.user.roles.includes('office');
