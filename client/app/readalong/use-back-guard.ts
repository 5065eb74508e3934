// Keeps the browser's back button (and the swipe-back gesture, which is the same history step)
// from leaving read-along mode: the citizen holds the phone, and one swipe must not show them the
// official's editor or documents. An extra history entry with the same address is pushed on
// entry; a back step lands on the read-along entry underneath, and the guard is pushed again.
// preact-iso routes on popstate too, but it sees the same address, so the screen stays. Closing
// the tab or leaving for another address makes the browser ask first (beforeunload). Only
// `leave()`, the official's deliberate action, takes the guard away and goes to `exitTo`.
import { useCallback, useEffect, useRef } from 'preact/hooks';
import { useLocation } from 'preact-iso';

const GUARD_KEY = 'ktReadAlong';

function isGuard(state: unknown, docId: string): boolean {
  return typeof state === 'object' && state !== null && (state as Record<string, unknown>)[GUARD_KEY] === docId;
}

/**
 * Guards the current address while mounted. `onBlocked` is called when a back step was undone
 * (the screen says how to leave). `leave()` removes the guard and replaces read-along with `exitTo`.
 */
export function useBackGuard(docId: string, exitTo: string, onBlocked: () => void): { leave: () => void } {
  const { route } = useLocation();
  const leaving = useRef(false);
  const blocked = useRef(onBlocked);
  blocked.current = onBlocked;
  const here = useRef('');

  useEffect(() => {
    here.current = location.pathname + location.search;
    // After a reload the guard entry may be the current one already: do not stack another.
    if (!isGuard(history.state, docId)) history.pushState({ [GUARD_KEY]: docId }, '', here.current);
    const onPopState = (): void => {
      if (leaving.current) {
        // The guard is gone; swap the read-along entry for the editor, so "back" from the editor
        // does not return the phone into read-along mode either.
        route(exitTo, true);
        return;
      }
      if (location.pathname + location.search !== here.current) {
        // A jump of several entries (long-press on back): put read-along back first.
        route(here.current, true);
      }
      history.pushState({ [GUARD_KEY]: docId }, '', here.current);
      blocked.current();
    };
    // Closing the tab, typing another address or reloading: the browser asks first (its own
    // wording; browsers no longer show ours). Not after the official's deliberate leave().
    const onBeforeUnload = (event: BeforeUnloadEvent): void => {
      if (leaving.current) return;
      event.preventDefault();
      // Older Chromium needs returnValue set to ask.
      event.returnValue = '';
    };
    addEventListener('popstate', onPopState);
    addEventListener('beforeunload', onBeforeUnload);
    return () => {
      removeEventListener('popstate', onPopState);
      removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [docId, exitTo, route]);

  const leave = useCallback((): void => {
    if (leaving.current) return;
    leaving.current = true;
    if (isGuard(history.state, docId)) history.back();
    else route(exitTo, true);
  }, [docId, exitTo, route]);

  return { leave };
}
