// K10: the first screen after signing in on a device: choose a PIN, twice, that protects what
// Keukentafel keeps on this device. The screen checks what it can (digits, length, the same
// twice); the vault refuses PINs that are too easy to guess.
import { useRef, useState } from 'preact/hooks';
import type { DeviceLock } from '../../../vault/types';
import { PinField } from '../../components/PinField';
import { ScreenHeading } from '../../components/ScreenHeading';
import { checkPinEntry, pinProblemText } from '../../logic/lock-text';

interface Props {
  lock: DeviceLock;
  minPinDigits: number;
}

export function ChoosePin({ lock, minPinDigits }: Props) {
  const [pin, setPin] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ field: 'pin' | 'pin-repeat'; text: string } | null>(null);
  const [failed, setFailed] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);
  const repeatRef = useRef<HTMLInputElement>(null);

  const refuse = (field: 'pin' | 'pin-repeat', text: string): void => {
    setProblem({ field, text });
    if (field === 'pin') setPin('');
    setRepeat('');
    queueMicrotask(() => (field === 'pin' ? pinRef : repeatRef).current?.focus());
  };

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    setFailed(false);
    const entry = checkPinEntry(pin, repeat, minPinDigits);
    if (entry !== null) {
      refuse(entry === 'pins-differ' ? 'pin-repeat' : 'pin', pinProblemText(entry, minPinDigits));
      return;
    }
    setBusy(true);
    try {
      const result = await lock.choosePin(pin);
      // On success the lock's state changes and the app shows the next screen.
      if (!result.ok) refuse('pin', pinProblemText(result.reason, minPinDigits));
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="kt-screen kt-lock">
      <ScreenHeading title="Kies een pincode" />
      <p class="utrecht-paragraph">
        Met deze pincode versleutelt Keukentafel de gegevens van inwoners op dit apparaat, zodat niemand ze kan lezen als uw telefoon
        kwijtraakt of door iemand anders wordt gebruikt.
      </p>
      {failed && (
        <div class="utrecht-alert utrecht-alert--error kt-alert" role="alert">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">De pincode kon niet worden ingesteld. Probeer het opnieuw.</p>
          </div>
        </div>
      )}
      <form class="kt-form" onSubmit={(e) => void submit(e)} noValidate aria-label="Pincode kiezen">
        <PinField
          id="pin"
          label="Nieuwe pincode"
          description={`Minstens ${minPinDigits} cijfers. U heeft de pincode nodig elke keer dat u de app opent.`}
          errors={problem?.field === 'pin' ? [problem.text] : undefined}
          value={pin}
          onInput={setPin}
          inputRef={pinRef}
        />
        <PinField
          id="pin-repeat"
          label="Herhaal de pincode"
          errors={problem?.field === 'pin-repeat' ? [problem.text] : undefined}
          value={repeat}
          onInput={setRepeat}
          inputRef={repeatRef}
        />
        <button type="submit" class="utrecht-button utrecht-button--primary-action kt-button-wide" aria-disabled={busy}>
          {busy ? 'Bezig met instellen…' : 'Pincode instellen'}
        </button>
      </form>
    </div>
  );
}
