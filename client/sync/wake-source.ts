// Moments when the network may be back: the browser reports `online`, the tab becomes visible,
// or a page returns from the back/forward cache. Sync and action replay retry at once on these
// instead of waiting out their backoff. `navigator.onLine` is never trusted to mean "reachable".

export interface WakeSource {
  /** Returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
}

export function browserWakeSource(win: Window = window, doc: Document = document): WakeSource {
  return {
    subscribe(listener) {
      const onVisibility = (): void => {
        if (doc.visibilityState === 'visible') listener();
      };
      win.addEventListener('online', listener);
      win.addEventListener('pageshow', listener);
      doc.addEventListener('visibilitychange', onVisibility);
      return () => {
        win.removeEventListener('online', listener);
        win.removeEventListener('pageshow', listener);
        doc.removeEventListener('visibilitychange', onVisibility);
      };
    },
  };
}

/** For tests and for a "probeer opnieuw" button: `wake()` fires every listener. */
export interface ManualWakeSource extends WakeSource {
  wake(): void;
}

export function manualWakeSource(): ManualWakeSource {
  const listeners = new Set<() => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    wake() {
      for (const listener of [...listeners]) listener();
    },
  };
}
