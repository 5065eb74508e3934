// The agreements made at the table, editable: one row per agreement (wat, wie, wanneer), bound
// live to the document's `agreements` Y.Array of Y.Map. Each keystroke sets only its own key of
// the row's map, so a colleague changing another field of the same agreement keeps their words.
// "Wanneer" is free text: at a kitchen table people agree "volgende week" or "elke maandag" as
// often as a date, and an ISO date typed there still prints as a Dutch date. A row shows what it
// lacks once it was left or a submit was refused; removal can be undone. The signatures given in
// read-along mode are listed, with a warning once the agreements changed after signing.
import { useEffect, useRef, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import {
  addAgreement,
  AGREEMENT_KEYS,
  AGREEMENT_MAX_LENGTH,
  insertAgreement,
  readAgreements,
  removeAgreement,
  updateAgreement,
  type Agreement,
  type AgreementKey,
} from '../../../shared/model/agreements';
import { coversCurrentAgreements, readSignatures } from '../../../shared/model/signatures';
import { formatDutchDateTime } from '../../../shared/render/letter';
import type { Template, TemplateSection } from '../../../shared/templates/schema';
import { AgreementsToLetter } from './AgreementsToLetter';
import { useAgreementsVersion, useChecklist } from './use-checklist';
import '../styles/agreements.css';

const LABELS: Record<AgreementKey, string> = { wat: 'Wat', wie: 'Wie', wanneer: 'Wanneer' };
const HINTS: Record<AgreementKey, string> = {
  wat: 'Wat gaat er gebeuren?',
  wie: 'Wie doet het? Bijvoorbeeld: de inwoner, zoon Peter, de consulent.',
  wanneer: 'Een datum of bijvoorbeeld: volgende week, voor 1 april.',
};

/** Stable keys for rows, so a row removed by a colleague does not move the focus to another. */
const rowKeys = new WeakMap<object, number>();
let nextRowKey = 1;
function rowKey(item: unknown, index: number): string {
  if (typeof item !== 'object' || item === null) return `i${index}`;
  let key = rowKeys.get(item);
  if (key === undefined) {
    key = nextRowKey++;
    rowKeys.set(item, key);
  }
  return `r${key}`;
}

interface Props {
  doc: Y.Doc;
  template: Template;
  section: TemplateSection;
  /** The server's problems at this section after a refused submit. */
  errors: string[] | undefined;
}

export function AgreementsEditor({ doc, template, section, errors }: Props) {
  useAgreementsVersion(doc);
  useSignaturesVersion(doc);
  const checklist = useChecklist(doc, template).filter((p) => p.section === section.key && p.severity === 'error');
  const list = readAgreements(doc);
  const items = doc.getArray<unknown>('agreements').toArray();
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [removed, setRemoved] = useState<{ index: number; agreement: Agreement } | null>(null);
  const focusNew = useRef(false);
  const listRef = useRef<HTMLOListElement>(null);
  const id = `sectie-${section.key}`;

  // The section's own message (no agreements yet, one unreadable) when it is not about a row.
  const sectionErrors = [
    ...(errors ?? []),
    ...checklist.filter((p) => p.rule !== 'agreement-incomplete').map((p) => p.message),
  ].filter((m, i, all) => all.indexOf(m) === i);
  const showRowErrors = (key: string): boolean => touched.has(key) || (errors !== undefined && errors.length > 0);

  useEffect(() => {
    if (!focusNew.current) return;
    focusNew.current = false;
    const inputs = listRef.current?.querySelectorAll<HTMLElement>('[data-agreement-field="wat"]');
    inputs?.[inputs.length - 1]?.focus();
  });

  const add = (): void => {
    addAgreement(doc, { wat: '', wie: '', wanneer: '' });
    setRemoved(null);
    focusNew.current = true;
  };

  const remove = (index: number): void => {
    const agreement = removeAgreement(doc, index);
    setRemoved(agreement === null ? null : { index, agreement });
  };

  return (
    <section class="kt-agreements" aria-labelledby={`${id}-heading`} data-testid={`agreements-${section.key}`}>
      <h2 id={`${id}-heading`} class="utrecht-heading-3">
        {section.required ? section.label : `${section.label} (niet verplicht)`}
      </h2>
      {sectionErrors.length > 0 && (
        <p id={`${id}-error`} class="utrecht-form-field-error-message" data-testid={`problem-${id}`}>
          {sectionErrors.join(' ')}
        </p>
      )}
      {list.length === 0 ? (
        <p class="utrecht-paragraph kt-muted">Nog geen afspraken vastgelegd.</p>
      ) : (
        <ol class="kt-agreements__list" ref={listRef}>
          {list.map((agreement, index) => {
            const key = rowKey(items[index], index);
            return (
              <li key={key} class="kt-agreements__item" data-testid="agreement-row">
                {agreement === null ? (
                  <p class="utrecht-paragraph">
                    Afspraak {index + 1} kan niet worden gelezen.{' '}
                    <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => remove(index)}>
                      Verwijderen
                    </button>
                  </p>
                ) : (
                  <AgreementRow
                    doc={doc}
                    index={index}
                    rowId={`${id}-${key}`}
                    agreement={agreement}
                    showErrors={showRowErrors(key)}
                    onLeave={() => setTouched((t) => (t.has(key) ? t : new Set([...t, key])))}
                    onRemove={() => remove(index)}
                  />
                )}
              </li>
            );
          })}
        </ol>
      )}
      <div role="status" class="kt-agreements__undo" data-testid="agreement-removed">
        {removed !== null && (
          <p class="utrecht-paragraph">
            Afspraak verwijderd{removed.agreement.wat.trim() !== '' ? `: ${removed.agreement.wat.trim()}` : ''}.{' '}
            <button
              type="button"
              class="utrecht-button utrecht-button--secondary-action"
              data-testid="agreement-undo"
              onClick={() => {
                insertAgreement(doc, removed.index, removed.agreement);
                setRemoved(null);
              }}
            >
              Ongedaan maken
            </button>
          </p>
        )}
      </div>
      <div class="utrecht-button-group kt-button-row">
        <button
          type="button"
          class="utrecht-button utrecht-button--secondary-action"
          data-testid="agreement-add"
          aria-describedby={sectionErrors.length > 0 ? `${id}-error` : undefined}
          onClick={add}
        >
          Afspraak toevoegen
        </button>
      </div>
      <SignatureStatus doc={doc} />
      {list.some((a) => a !== null) && <AgreementsToLetter doc={doc} />}
    </section>
  );
}

interface RowProps {
  doc: Y.Doc;
  index: number;
  rowId: string;
  agreement: Agreement;
  showErrors: boolean;
  onLeave: () => void;
  onRemove: () => void;
}

function AgreementRow({ doc, index, rowId, agreement, showErrors, onLeave, onRemove }: RowProps) {
  const missing = AGREEMENT_KEYS.filter((k) => agreement[k].trim() === '');
  const invalid = showErrors && missing.length > 0;
  const errorId = `${rowId}-error`;
  return (
    <fieldset
      class="kt-fieldset kt-agreements__row"
      onFocusOut={(e) => {
        // Left the row as a whole (not moving between its fields): now say what it lacks.
        const next = e.relatedTarget;
        if (!(next instanceof Node) || !e.currentTarget.contains(next)) onLeave();
      }}
    >
      <legend class="kt-agreements__legend">Afspraak {index + 1}</legend>
      {invalid && (
        <p id={errorId} class="utrecht-form-field-error-message" data-testid="agreement-error">
          Vul nog in: {missing.map((k) => LABELS[k].toLowerCase()).join(', ')}.
        </p>
      )}
      {AGREEMENT_KEYS.map((key) => {
        const inputId = `${rowId}-${key}`;
        const bad = invalid && missing.includes(key);
        const common = {
          id: inputId,
          value: agreement[key],
          maxLength: AGREEMENT_MAX_LENGTH,
          'aria-required': true,
          'aria-invalid': bad ? true : undefined,
          'aria-describedby': [`${inputId}-hint`, ...(bad ? [errorId] : [])].join(' '),
          'data-agreement-field': key,
          'data-testid': `agreement-${key}`,
        };
        return (
          <div key={key} class={`utrecht-form-field utrecht-form-field--text${bad ? ' utrecht-form-field--invalid' : ''}`}>
            <div class="utrecht-form-field__label">
              <label class="utrecht-form-label" for={inputId}>
                {LABELS[key]}
              </label>
            </div>
            <div class="utrecht-form-field__description utrecht-form-field-description" id={`${inputId}-hint`}>
              {HINTS[key]}
            </div>
            <div class="utrecht-form-field__input">
              {key === 'wat' ? (
                <textarea
                  {...common}
                  class={`utrecht-textarea utrecht-textarea--html-textarea kt-textarea-small${bad ? ' utrecht-textarea--invalid' : ''}`}
                  rows={2}
                  autocomplete="off"
                  onInput={(e) => updateAgreement(doc, index, key, e.currentTarget.value)}
                />
              ) : (
                <input
                  {...common}
                  type="text"
                  autocomplete="off"
                  class={`utrecht-textbox utrecht-textbox--html-input${bad ? ' utrecht-textbox--invalid' : ''}`}
                  onInput={(e) => updateAgreement(doc, index, key, e.currentTarget.value)}
                />
              )}
            </div>
          </div>
        );
      })}
      <button type="button" class="utrecht-button utrecht-button--secondary-action" data-testid="agreement-remove" onClick={onRemove}>
        Afspraak {index + 1} verwijderen
      </button>
    </fieldset>
  );
}

/** Who confirmed the agreements in read-along mode, and whether that still covers them. */
function SignatureStatus({ doc }: { doc: Y.Doc }) {
  const signatures = readSignatures(doc);
  if (signatures.length === 0) return null;
  return (
    <ul class="kt-plain-list kt-agreements__signatures" aria-label="Handtekeningen" data-testid="agreement-signatures">
      {signatures.map((sig, i) =>
        sig === null ? (
          <li key={i}>Een handtekening kan niet worden gelezen.</li>
        ) : (
          <li key={i}>
            Voor akkoord getekend door {sig.name} op {formatDutchDateTime(sig.signedAt)}.
            {!coversCurrentAgreements(sig, doc) && (
              <strong class="kt-error-text"> De afspraken zijn daarna veranderd: deze handtekening geldt daar niet meer voor.</strong>
            )}
          </li>
        ),
      )}
    </ul>
  );
}

/** Re-renders on every change of the `signatures` list. */
function useSignaturesVersion(doc: Y.Doc): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const list = doc.getArray('signatures');
    const bump = (): void => setVersion((v) => v + 1);
    list.observeDeep(bump);
    return () => list.unobserveDeep(bump);
  }, [doc]);
  return version;
}
