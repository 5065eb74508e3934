// K11, K12: the lock screen, on every cold start and after the idle time. PIN entry works
// offline; after a wrong PIN it says how many attempts are left, and while one is left it warns
// first that a wrong PIN erases what is not yet on the server. "Pincode vergeten" leads to a new
// sign-in (the server's recovery key then opens this device's data again).
import { useRef, useState } from 'preact/hooks';
import type { DeviceLock, GraceWarning } from '../../../vault/types';
import { PinField } from '../../components/PinField';
import { ScreenHeading } from '../../components/ScreenHeading';
import { attemptsLeftText, graceWarningText, isLastAttempt, LAST_ATTEMPT_WARNING, pinProblemText, wrongPinText } from '../../logic/lock-text';

/** "Pincode vergeten" after a new sign-in: the server's recovery key is being fetched, or was not given. */
export type RecoveryState = 'idle' | 'busy' | 'failed' | 'failed-network';

interface Props {
  lock: DeviceLock;
  attemptsLeft: number;
  warning: GraceWarning | null;
  recovery: RecoveryState;
  onForgotPin: () => void;
}

const recoveryFailures: Record<'failed' | 'failed-network', string> = {
  failed:
    'De server geeft de sleutel van dit apparaat niet vrij, bijvoorbeeld omdat het als kwijt is afgemeld. Vul uw pincode in, of neem contact op met uw beheerder.',
  'failed-network': 'De server is niet bereikbaar. Maak verbinding met internet en probeer het opnieuw.',
};

export function Unlock({ lock, attemptsLeft, warning, recovery, onForgotPin }: Props) {
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pinRef = useRef<HTMLInputElement>(null);
  const someWrong = attemptsLeft < lock.policy.maxAttempts;

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    if (pin === '') {
      setError(pinProblemText('pin-empty', lock.policy.minPinDigits));
      queueMicrotask(() => pinRef.current?.focus());
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await lock.unlock(pin);
      if (!result.ok && result.reason === 'wrong-pin') {
        setPin('');
        setError(wrongPinText(result.attemptsLeft));
        queueMicrotask(() => pinRef.current?.focus());
      }
      // Unlocked, destroyed or grace-expired: the lock's state changes and the app shows that screen.
    } catch {
      setError('Ontgrendelen is niet gelukt. Probeer het opnieuw.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="kt-screen kt-lock">
      <ScreenHeading title="Keukentafel is vergrendeld" />
      <p class="utrecht-paragraph">Vul uw pincode in om verder te werken. Dat kan ook zonder internet.</p>
      {warning !== null && (
        <div class="utrecht-alert utrecht-alert--warning kt-alert" role="status" data-testid="grace-warning">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">{graceWarningText(warning)}</p>
          </div>
        </div>
      )}
      {isLastAttempt(attemptsLeft) && (
        <div class="utrecht-alert utrecht-alert--error kt-alert" role="alert" data-testid="last-attempt-warning">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">
              <strong>{LAST_ATTEMPT_WARNING}</strong>
            </p>
          </div>
        </div>
      )}
      <form class="kt-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Ontgrendelen">
        <PinField
          id="unlock-pin"
          label="Pincode"
          description={someWrong && error === null ? attemptsLeftText(attemptsLeft) : undefined}
          errors={error !== null ? [error] : undefined}
          value={pin}
          onInput={setPin}
          inputRef={pinRef}
        />
        <button type="submit" class="utrecht-button utrecht-button--primary-action kt-button-wide" aria-disabled={busy}>
          {busy ? 'Bezig met ontgrendelen…' : 'Ontgrendelen'}
        </button>
      </form>
      <div class="kt-lock__forgot">
        {(recovery === 'failed' || recovery === 'failed-network') && (
          <div class="utrecht-alert utrecht-alert--warning kt-alert" role="alert" data-testid="recovery-failed">
            <div class="utrecht-alert__content">
              <p class="utrecht-paragraph">{recoveryFailures[recovery]}</p>
            </div>
          </div>
        )}
        <button
          type="button"
          class="utrecht-button utrecht-button--secondary-action kt-button-wide"
          aria-disabled={recovery === 'busy'}
          onClick={() => recovery !== 'busy' && onForgotPin()}
        >
          {recovery === 'busy' ? 'Bezig met herstellen…' : 'Pincode vergeten?'}
        </button>
        <p class="utrecht-paragraph">Na een nieuwe aanmelding kiest u een nieuwe pincode; uw werk op dit apparaat blijft bewaard. Daarvoor is internet nodig.</p>
      </div>
    </div>
  );
}
