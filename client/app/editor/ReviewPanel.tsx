// Four eyes (W4) for a back-office official with mandate: "Goedkeuren" sends the submitted
// decision on to the DMS, "Terugsturen" asks for a remark (and optionally the part it is about)
// and sends it back to the field worker as concept. Both are queued actions (W1). A document
// already in the DMS can be sent back for a correction the same way (any back-office official);
// its next submit is filed as a new version of the archived document (O5).
// V4: the approver reads the version exactly as its PDF will read, sees what changed since the
// version that was returned, and confirms in words what approving or returning will do.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Template } from '../../../shared/templates/schema';
import type { Session } from '../../sync/session';
import { PdfLink } from './PdfLink';
import type { ReviewState } from './use-review';
import { VersionDiff } from './VersionDiff';

const dutchDate = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' });

export const REMARK_MAX = 2000;

interface ReviewPanelProps {
  session: Session;
  docId: string;
  /** The version under review (the latest); null while the server has not said. */
  version: number | null;
  /** The returned version before it, for the diff; null for a first submission. */
  previous: number | null;
  /** Who submitted the version under review. */
  submitterName: string;
  template: Template;
  /** The document waits for approval: the buttons are shown; otherwise only what became of them. */
  waiting: boolean;
  /** The document is in the DMS: only "Terugsturen voor correctie" is offered. */
  correctable?: boolean;
  state: ReviewState;
  onApprove: () => void;
  onReturn: (remark: string, section: string | null) => void;
}

export function ReviewPanel({ session, docId, version, previous, submitterName, template, waiting, correctable = false, state, onApprove, onReturn }: ReviewPanelProps) {
  const [asking, setAsking] = useState(false);
  const [confirming, setConfirming] = useState<'approve' | 'return' | null>(null);
  const [remark, setRemark] = useState('');
  const [section, setSection] = useState('');
  const [missing, setMissing] = useState(false);
  const parts = [...template.fields, ...template.sections];
  const confirmReturn = (): void => {
    const text = remark.trim();
    if (text.length === 0 || text.length > REMARK_MAX) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setConfirming('return');
  };
  const who = submitterName === '' ? 'de indiener' : submitterName;
  const partLabel = parts.find((p) => p.key === section)?.label;
  const status = (
    <div role="status" class="kt-submit__status" data-testid="review-status">
      {state.queued && <p class="utrecht-paragraph">Wordt verzonden…</p>}
      {state.done === 'approve' && <p class="utrecht-paragraph">Goedgekeurd. Het document gaat naar het DMS.</p>}
      {state.done === 'return' && <p class="utrecht-paragraph">Teruggestuurd naar de indiener.</p>}
      {state.refusal !== null && <p class="utrecht-paragraph kt-error-text">{state.refusal}</p>}
    </div>
  );
  if (!waiting && !correctable) return status;
  return (
    <section class="kt-review" aria-label={waiting ? 'Goedkeuren of terugsturen' : 'Terugsturen voor correctie'} data-testid="review">
      <h2 class="utrecht-heading-2">{waiting ? 'Goedkeuring' : 'Correctie'}</h2>
      <p class="utrecht-paragraph">
        {waiting
          ? 'Dit document wacht op uw goedkeuring. Lees de PDF na: zo wordt het gearchiveerd en verstuurd.'
          : 'Dit document staat in het DMS. Staat er een fout in? Stuur het terug naar de indiener; de verbeterde versie komt als nieuwe versie in het DMS.'}
      </p>
      {waiting && version !== null && (
        <p class="utrecht-paragraph kt-pdf-link">
          <PdfLink session={session} docId={docId} version={version} testId="review-pdf">
            PDF van versie {version} lezen zoals die wordt verstuurd<span class="kt-visually-hidden"> (opent in een nieuw venster)</span>
          </PdfLink>
        </p>
      )}
      {waiting && version !== null && previous !== null && (
        <details class="kt-review__diff" open>
          <summary>Wat is er veranderd sinds versie {previous} (teruggestuurd)?</summary>
          <VersionDiff session={session} docId={docId} from={previous} to={version} />
        </details>
      )}
      {confirming === 'approve' && (
        <Confirm
          text={`Goedkeuren: het besluit (versie ${version ?? '?'}) wordt op ${dutchDate.format(Date.now())} genomen en naar het DMS gestuurd. Dit kunt u niet ongedaan maken.`}
          yes="Ja, goedkeuren"
          onYes={() => {
            setConfirming(null);
            onApprove();
          }}
          onNo={() => setConfirming(null)}
        />
      )}
      {confirming === 'return' && (
        <Confirm
          text={`Terugsturen: versie ${version ?? '?'} gaat als concept terug naar ${who}, met uw opmerking${partLabel === undefined ? '' : ` bij ‘${partLabel}’`}. Er gaat niets naar het DMS.`}
          yes="Ja, terugsturen"
          onYes={() => {
            setConfirming(null);
            setAsking(false);
            onReturn(remark.trim(), section === '' ? null : section);
          }}
          onNo={() => setConfirming(null)}
        />
      )}
      <div class="utrecht-button-group kt-button-row">
        {waiting && (
          <button
            type="button"
            class="utrecht-button utrecht-button--primary-action"
            aria-disabled={state.queued}
            data-testid="review-approve"
            onClick={() => {
              if (!state.queued) setConfirming('approve');
            }}
          >
            Goedkeuren
          </button>
        )}
        <button
          type="button"
          class="utrecht-button utrecht-button--secondary-action"
          aria-expanded={asking}
          aria-controls="kt-terugsturen"
          data-testid="review-return"
          onClick={() => setAsking(!asking)}
        >
          {waiting ? 'Terugsturen' : 'Terugsturen voor correctie'}
        </button>
      </div>
      {asking && (
        <div id="kt-terugsturen" class="kt-form">
          <div class="utrecht-form-field utrecht-form-field--text">
            <div class="utrecht-form-field__label">
              <label class="utrecht-form-label" for="kt-opmerking">
                Opmerking voor de indiener
              </label>
            </div>
            {missing && (
              <p id="kt-opmerking-fout" class="utrecht-form-field-error-message">
                Schrijf een opmerking (hoogstens {REMARK_MAX} tekens).
              </p>
            )}
            <div class="utrecht-form-field__input">
              <textarea
                id="kt-opmerking"
                class={`utrecht-textarea utrecht-textarea--html-textarea${missing ? ' utrecht-textarea--invalid' : ''}`}
                rows={4}
                autocomplete="off"
                maxLength={REMARK_MAX}
                required
                aria-required="true"
                aria-invalid={missing ? true : undefined}
                aria-describedby={missing ? 'kt-opmerking-fout' : undefined}
                value={remark}
                onInput={(e) => setRemark(e.currentTarget.value)}
                data-testid="review-remark"
              />
            </div>
          </div>
          <div class="utrecht-form-field">
            <div class="utrecht-form-field__label">
              <label class="utrecht-form-label" for="kt-opmerking-bij">
                Bij onderdeel (niet verplicht)
              </label>
            </div>
            <div class="utrecht-form-field__input">
              <select
                id="kt-opmerking-bij"
                class="utrecht-select utrecht-select--html-select"
                autocomplete="off"
                value={section}
                onChange={(e) => setSection(e.currentTarget.value)}
                data-testid="review-section"
              >
                <option value="">Het hele document</option>
                {parts.map((p) => (
                  <option key={p.key} value={p.key}>
                    {p.label}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <button type="button" class="utrecht-button utrecht-button--primary-action" data-testid="review-return-confirm" onClick={confirmReturn}>
            Terugsturen naar de indiener
          </button>
        </div>
      )}
      {status}
    </section>
  );
}

/** V4: a confirmation that says in words what will happen; nothing happens without "Ja". */
export function Confirm({ text, yes, onYes, onNo, children }: { text: string; yes: string; onYes: () => void; onNo: () => void; children?: ComponentChildren }) {
  return (
    <div class="kt-confirm" role="alertdialog" aria-labelledby="kt-confirm-text" data-testid="confirm">
      <p class="utrecht-paragraph" id="kt-confirm-text">
        <strong>{text}</strong>
      </p>
      {children}
      <div class="utrecht-button-group kt-button-row">
        <button type="button" class="utrecht-button utrecht-button--primary-action" data-testid="confirm-yes" onClick={onYes} ref={(el) => el?.focus()}>
          {yes}
        </button>
        <button type="button" class="utrecht-button utrecht-button--secondary-action" data-testid="confirm-no" onClick={onNo}>
          Annuleren
        </button>
      </div>
    </div>
  );
}

/** The open remarks at one field or section: "Opmerking van <naam>: …". */
export function RemarkNotes({ remarks, testId }: { remarks: readonly { byName: string; text: string }[]; testId: string }) {
  if (remarks.length === 0) return null;
  return (
    <div class="utrecht-alert utrecht-alert--warning kt-alert" data-testid={testId}>
      <div class="utrecht-alert__content">
        {remarks.map((r, i) => (
          <p key={i} class="utrecht-paragraph">
            <strong>Opmerking van {r.byName}:</strong> {r.text}
          </p>
        ))}
      </div>
    </div>
  );
}
