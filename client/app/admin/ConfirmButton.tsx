// An action that says what it will do before it does it (B-screens): the first press opens a
// panel with the consequences in words and two buttons, "Ja, …" and "Annuleren"; only the second
// press acts. Focus moves into the panel and back, so keyboard and screen reader users follow.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

interface Props {
  /** The button's text, e.g. "Apparaat intrekken". */
  label: string;
  /** Spoken after the label, to tell several such buttons apart ("(Pixel 7)"). */
  context?: string;
  /** What will happen, in full sentences. */
  children: ComponentChildren;
  /** The confirming button's text, e.g. "Ja, intrekken". */
  confirmLabel: string;
  danger?: boolean;
  disabled?: boolean;
  onConfirm: () => Promise<void> | void;
}

let nextId = 0;

export function ConfirmButton({ label, context, children, confirmLabel, danger = false, disabled = false, onConfirm }: Props) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [id] = useState(() => `kt-confirm-${++nextId}`);
  const panelRef = useRef<HTMLDivElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) panelRef.current?.focus();
  }, [open]);

  const cancel = (): void => {
    setOpen(false);
    queueMicrotask(() => openerRef.current?.focus());
  };
  const confirm = async (): Promise<void> => {
    if (busy) return;
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      setOpen(false);
    }
  };
  const tone = danger ? ' kt-button-danger' : '';
  if (!open) {
    return (
      <button
        type="button"
        ref={openerRef}
        class={`utrecht-button utrecht-button--secondary-action${tone}`}
        disabled={disabled}
        aria-expanded="false"
        aria-controls={id}
        onClick={() => setOpen(true)}
      >
        {label}
        {context !== undefined && <span class="kt-visually-hidden"> ({context})</span>}
      </button>
    );
  }
  return (
    <div class="kt-confirm" id={id} role="group" aria-labelledby={`${id}-title`} tabIndex={-1} ref={panelRef} data-testid="confirm-panel">
      <p class="utrecht-paragraph kt-confirm__title" id={`${id}-title`}>
        <strong>
          {label}
          {context !== undefined && ` (${context})`}?
        </strong>
      </p>
      <div class="kt-confirm__body">{children}</div>
      <div class="kt-button-row">
        <button type="button" class={`utrecht-button utrecht-button--primary-action${danger ? ' kt-button-danger-solid' : ''}`} aria-disabled={busy} onClick={() => void confirm()}>
          {busy ? 'Bezig…' : confirmLabel}
        </button>
        <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={cancel}>
          Annuleren
        </button>
      </div>
    </div>
  );
}
