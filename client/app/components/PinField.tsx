// One PIN input (K10, K11): digits on the phone's numeric keypad, masked, never remembered by
// the browser or a password manager's autofill, never spell-checked.
import type { Ref } from 'preact';
import { describedBy, FormField } from './FormField';

interface Props {
  id: string;
  label: string;
  description?: string | undefined;
  errors?: readonly string[] | undefined;
  value: string;
  onInput: (value: string) => void;
  inputRef?: Ref<HTMLInputElement> | undefined;
}

export function PinField({ id, label, description, errors, value, onInput, inputRef }: Props) {
  const invalid = errors !== undefined && errors.length > 0;
  return (
    <FormField id={id} label={label} description={description} errors={errors}>
      <input
        id={id}
        name={id}
        ref={inputRef}
        type="password"
        inputMode="numeric"
        pattern="[0-9]*"
        autocomplete="off"
        autocapitalize="none"
        spellcheck={false}
        maxLength={32}
        class={`utrecht-textbox utrecht-textbox--html-input kt-pin-input${invalid ? ' utrecht-textbox--invalid' : ''}`}
        aria-invalid={invalid}
        aria-describedby={describedBy(id, description, errors)}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
    </FormField>
  );
}
