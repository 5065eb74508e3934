// One labelled form field in NL Design System markup: label, optional description and error
// message, and the control. `describedBy` gives the control the ids to announce with it.
import type { ComponentChildren } from 'preact';

interface Props {
  id: string;
  label: string;
  description?: string | undefined;
  errors?: readonly string[] | undefined;
  children: ComponentChildren;
}

export function describedBy(id: string, description: string | undefined, errors: readonly string[] | undefined): string | undefined {
  const ids = [
    ...(description !== undefined ? [`${id}-description`] : []),
    ...(errors !== undefined && errors.length > 0 ? [`${id}-error`] : []),
  ];
  return ids.length > 0 ? ids.join(' ') : undefined;
}

export function FormField({ id, label, description, errors, children }: Props) {
  const invalid = errors !== undefined && errors.length > 0;
  return (
    <div class={`utrecht-form-field utrecht-form-field--text${invalid ? ' utrecht-form-field--invalid' : ''}`}>
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={id}>
          {label}
        </label>
      </div>
      {description !== undefined && (
        <div class="utrecht-form-field__description utrecht-form-field-description" id={`${id}-description`}>
          {description}
        </div>
      )}
      {invalid && (
        <div class="utrecht-form-field__error-message utrecht-form-field-error-message" id={`${id}-error`} data-testid={`problem-${id}`}>
          {errors.join(' ')}
        </div>
      )}
      <div class="utrecht-form-field__input">{children}</div>
    </div>
  );
}
