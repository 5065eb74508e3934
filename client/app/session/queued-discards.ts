// E11: documents whose discard waits in the action queue (offline): the list leaves them out at
// once, as the server will when the discard arrives. Read from the queue on the device.
import { useEffect, useState } from 'preact/hooks';
import { ActionType } from '../../../shared/model/status';
import type { Session } from '../../sync/session';

export function useQueuedDiscards(session: Session): ReadonlySet<string> {
  const [ids, setIds] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    let cancelled = false;
    const read = (): void => {
      void session.actions
        .list()
        .then((actions) => {
          if (!cancelled) setIds(new Set(actions.filter((a) => a.type === ActionType.discard).map((a) => a.docId)));
        })
        .catch(() => undefined);
    };
    read();
    const unsubscribe = session.actions.subscribe(read);
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [session]);
  return ids;
}
