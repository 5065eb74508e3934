// X9: under the zaak field: the zaak it names (omschrijving, zaaktype, open or closed), the
// suggestions while typing (pick one to fill the field), and why a look-up gave no answer. Says
// when what it shows comes from the device's memory. Without a look-up on this server it shows
// nothing: the field is free text.
import type { ZaakSummary } from '../../../shared/protocol/zaken';
import { formatDateTime } from '../logic/format';
import { zaakStatusText } from '../logic/zaak-verdict';
import type { ZaakLookupView } from './use-zaak-lookup';

export function ZaakPanel({ view, readOnly }: { view: ZaakLookupView; readOnly: boolean }) {
  const { verdict, suggestions } = view;
  // Until the server has said it has a look-up, the field is plain free text: nothing flashes by.
  if (verdict.kind === 'free-text' || view.available !== true) return null;
  const exact = verdict.kind === 'open' || verdict.kind === 'closed';
  const others = suggestions.filter((z) => z.identificatie !== view.typed.trim());
  return (
    <div class="kt-zaak" data-testid="zaak-lookup">
      <div role="status" class="kt-zaak__status">
        {exact && (
          <div class={`kt-zaak__found${verdict.kind === 'closed' ? ' kt-zaak__found--closed' : ''}`} data-testid="zaak-found">
            <p class="utrecht-paragraph kt-zaak__title">
              <strong data-testid="zaak-omschrijving">{verdict.zaak.omschrijving ?? 'Zaak zonder omschrijving'}</strong>
            </p>
            <p class="utrecht-paragraph kt-zaak__meta">
              <span data-testid="zaak-status" class={verdict.kind === 'closed' ? 'kt-error-text' : undefined}>
                {zaakStatusText(verdict.zaak)}
              </span>
              {verdict.zaak.zaaktype !== null && <span> · {verdict.zaak.zaaktype}</span>}
            </p>
            {view.fromCache && (
              <p class="utrecht-paragraph kt-muted" data-testid="zaak-cached">
                Bewaard op dit apparaat, opgezocht op {formatDateTime(verdict.at)}.
              </p>
            )}
          </div>
        )}
        {verdict.kind === 'unknown' && (
          <p class="utrecht-paragraph kt-error-text" data-testid="zaak-unknown">
            Deze zaak is niet gevonden in het zaaksysteem.
          </p>
        )}
        {view.busy && <p class="utrecht-paragraph kt-muted">Zaak wordt opgezocht…</p>}
        {view.message !== null && (
          <p class="utrecht-paragraph kt-muted" data-testid="zaak-message">
            {view.message}
          </p>
        )}
      </div>
      {!readOnly && others.length > 0 && (
        <div class="kt-zaak__suggestions">
          <p class="utrecht-paragraph kt-muted" id="zaak-suggesties">
            {view.fromCache ? 'Eerder opgezochte zaken op dit apparaat:' : exact ? 'Andere zaken die passen:' : 'Zaken die passen:'}
          </p>
          <ul class="kt-plain-list" aria-labelledby="zaak-suggesties" data-testid="zaak-suggestions">
            {others.map((zaak) => (
              <li key={zaak.identificatie}>
                <Suggestion zaak={zaak} onPick={() => view.pick(zaak)} />
              </li>
            ))}
          </ul>
          {view.more && <p class="utrecht-paragraph kt-muted">Er zijn meer zaken: typ verder om te verfijnen.</p>}
        </div>
      )}
    </div>
  );
}

function Suggestion({ zaak, onPick }: { zaak: ZaakSummary; onPick: () => void }) {
  return (
    <button type="button" class="utrecht-button utrecht-button--subtle kt-zaak__suggestion" data-testid="zaak-suggestion" data-zaak={zaak.identificatie} onClick={onPick}>
      <span class="kt-zaak__id">{zaak.identificatie}</span>
      <span class="kt-zaak__desc">
        {zaak.omschrijving ?? 'zonder omschrijving'} · {zaakStatusText(zaak)}
      </span>
    </button>
  );
}
