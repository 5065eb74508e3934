// The citizen confirms the agreements in read-along mode: draw a signature, give a name, tap
// "Ik ga akkoord met deze afspraken". Stored with addSignature (shared/model/signatures.ts) as a
// Yjs change: on the device at once, on the server when there is a network. The letter above
// shows the signatures drawn; here each is listed with whether it still covers the agreements.
import { useRef, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import { addSignature, coversCurrentAgreements, readSignatures, SIGNATURE_LIMITS, type Signature } from '../../../shared/model/signatures';
import { formatDutchDateTime } from '../../../shared/render/letter';
import { SignaturePad, type SignaturePadHandle } from './SignaturePad';
import { toStoredStrokes } from './stroke-geometry';

interface Props {
  doc: Y.Doc;
  /** Whether the document holds agreements to confirm. */
  hasAgreements: boolean;
}

export function ConfirmAgreements({ doc, hasAgreements }: Props) {
  const pad = useRef<SignaturePadHandle>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const signatures = readSignatures(doc);

  const confirm = (): void => {
    setDone(null);
    const strokes = toStoredStrokes(pad.current?.strokes() ?? []);
    if (strokes.length === 0) return setError('Zet eerst uw handtekening in het vak.');
    if (name.trim() === '') return setError('Vul uw naam in.');
    try {
      addSignature(doc, { name, signedAt: Date.now(), strokes });
    } catch {
      return setError(`Dit lukte niet. Gebruik een naam van hoogstens ${SIGNATURE_LIMITS.name} tekens en teken opnieuw.`);
    }
    setError(null);
    setDone(`Bedankt, ${name.trim()}. U bent akkoord met deze afspraken. Uw handtekening is bewaard.`);
    setName('');
    pad.current?.clear();
  };

  return (
    <section class="kt-read-along__confirm" aria-labelledby="kt-confirm-heading" data-testid="confirm-agreements">
      <h2 id="kt-confirm-heading" class="utrecht-heading-2">
        Bent u het eens met de afspraken?
      </h2>
      <SignatureList doc={doc} signatures={signatures} />
      {!hasAgreements ? (
        <p class="utrecht-paragraph">Er zijn nog geen afspraken om te bevestigen.</p>
      ) : (
        <form class="kt-form" onSubmit={(e) => {
            e.preventDefault();
            confirm();
          }} aria-label="Afspraken bevestigen">
          <p id="kt-signature-help" class="utrecht-paragraph">
            Zet uw handtekening met uw vinger in het vak hieronder.
          </p>
          <SignaturePad padRef={pad} onInkChange={(ink) => {
              if (ink) setError(null);
            }} describedBy="kt-signature-help" />
          <div class="utrecht-form-field utrecht-form-field--text">
            <div class="utrecht-form-field__label">
              <label class="utrecht-form-label" for="kt-signer-name">
                Uw naam
              </label>
            </div>
            <div class="utrecht-form-field__input">
              <input
                id="kt-signer-name"
                class="utrecht-textbox utrecht-textbox--html-input"
                type="text"
                autocomplete="off"
                maxLength={SIGNATURE_LIMITS.name}
                value={name}
                onInput={(e) => setName(e.currentTarget.value)}
                aria-describedby={error !== null ? 'kt-confirm-error' : undefined}
                aria-invalid={error !== null && name.trim() === '' ? true : undefined}
                data-testid="signer-name"
              />
            </div>
          </div>
          {error !== null && (
            <p id="kt-confirm-error" class="utrecht-paragraph kt-error-text" role="alert" data-testid="confirm-error">
              {error}
            </p>
          )}
          <button type="submit" class="utrecht-button utrecht-button--primary-action kt-read-along__agree" data-testid="confirm-agree">
            Ik ga akkoord met deze afspraken
          </button>
        </form>
      )}
      <p role="status" class="utrecht-paragraph" data-testid="confirm-done">
        {done}
      </p>
    </section>
  );
}

/**
 * Who signed already, next to the pad: the letter above shows the drawings; this says, in plain
 * words, whether each signature still counts and what to do when it does not.
 */
function SignatureList({ doc, signatures }: { doc: Y.Doc; signatures: readonly (Signature | null)[] }) {
  if (signatures.length === 0) return null;
  return (
    <ul class="kt-plain-list kt-read-along__signatures" aria-label="Gegeven handtekeningen" data-testid="signatures-given">
      {signatures.map((sig, i) =>
        sig === null ? (
          <li key={i}>Een handtekening kan niet worden gelezen.</li>
        ) : (
          <li key={i} data-testid="signature-given">
            Voor akkoord getekend door {sig.name} op {formatDutchDateTime(sig.signedAt)}.
            {coversCurrentAgreements(sig, doc) ? (
              ' Deze handtekening geldt voor de afspraken hierboven.'
            ) : (
              <strong class="kt-read-along__outdated" data-testid="signature-outdated">
                Let op: de afspraken zijn na deze handtekening veranderd. Deze handtekening geldt niet voor de afspraken zoals ze nu zijn.
                Bent u het eens met de nieuwe afspraken? Teken dan opnieuw.
              </strong>
            )}
          </li>
        ),
      )}
    </ul>
  );
}
