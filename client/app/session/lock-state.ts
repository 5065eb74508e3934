// The DeviceLock's state as Preact state: re-renders on every lock, unlock, warning and wipe.
import { useEffect, useState } from 'preact/hooks';
import type { DeviceLock, LockState } from '../../vault/types';

export function useLockState(lock: DeviceLock): LockState {
  const [state, setState] = useState<LockState>(() => lock.state());
  useEffect(() => {
    setState(lock.state());
    return lock.subscribe(() => setState(lock.state()));
  }, [lock]);
  return state;
}
