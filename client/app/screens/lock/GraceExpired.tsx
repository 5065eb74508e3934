// K15: too long without reaching the server; unlocking waits until the server has confirmed
// that this device is still allowed (a lost phone kept offline must not stay open forever).
// "Opnieuw proberen" asks the server; when active, the lock screen comes back.
import { useRef, useState } from 'preact/hooks';
import type { DeviceLock, DeviceStatus } from '../../../vault/types';
import { ScreenHeading } from '../../components/ScreenHeading';
import { lastContactText } from '../../logic/lock-text';

interface Props {
  lock: DeviceLock;
  lastContactAt: number;
}

export function GraceExpired({ lock, lastContactAt }: Props) {
  const [state, setState] = useState<'idle' | 'busy' | 'unreachable' | 'failed'>('idle');
  const statusRef = useRef<HTMLDivElement>(null);

  const retry = async (): Promise<void> => {
    if (state === 'busy') return;
    setState('busy');
    let status: DeviceStatus;
    try {
      status = await lock.checkServer();
    } catch {
      setState('failed');
      return;
    }
    // Revoked: the lock wipes and its state says so; active: the lock screen comes back.
    if (status.state === 'unknown') {
      setState('unreachable');
      queueMicrotask(() => statusRef.current?.focus());
    }
    else setState('idle');
  };

  return (
    <div class="kt-screen kt-lock">
      <ScreenHeading title="Maak verbinding met internet" />
      <p class="utrecht-paragraph">{lastContactText(lastContactAt)}</p>
      <p class="utrecht-paragraph">
        Om de gegevens van inwoners te beschermen, opent Keukentafel pas weer als dit apparaat de server heeft bereikt. Uw werk op dit
        apparaat blijft bewaard.
      </p>
      {(state === 'unreachable' || state === 'failed') && (
        <div class="utrecht-alert utrecht-alert--warning kt-alert" role="alert" tabIndex={-1} ref={statusRef} data-testid="grace-retry-failed">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">
              {state === 'unreachable'
                ? 'De server is nog niet bereikbaar. Controleer de wifi of mobiele data en probeer het opnieuw.'
                : 'Er ging iets mis. Probeer het opnieuw.'}
            </p>
          </div>
        </div>
      )}
      <button
        type="button"
        class="utrecht-button utrecht-button--primary-action kt-button-wide"
        aria-disabled={state === 'busy'}
        onClick={() => void retry()}
      >
        {state === 'busy' ? 'Bezig met verbinden…' : 'Opnieuw proberen'}
      </button>
    </div>
  );
}
