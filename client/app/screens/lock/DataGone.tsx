// K16: the data key is gone: too many wrong PINs (destroyed), or the server revoked this device
// (wiped). Says plainly what happened and that only a new sign-in helps.
import { ScreenHeading } from '../../components/ScreenHeading';

/** `wiped-*`: the revocation's wipe mode (K16): a lost phone sends nothing, a leaver's phone sends first. */
export type GoneReason = 'destroyed' | 'wiped-now' | 'wiped-after-send';

const texts: Record<GoneReason, { title: string; body: string }> = {
  destroyed: {
    title: 'Gegevens op dit apparaat gewist',
    body: 'Er is te vaak een verkeerde pincode ingevuld. Daarom zijn de gegevens van Keukentafel op dit apparaat gewist. Wat al op de server stond, is niet verloren: meld u opnieuw aan om verder te werken.',
  },
  'wiped-now': {
    title: 'Dit apparaat is afgemeld',
    body: 'De beheerder heeft dit apparaat afgemeld. De gegevens van Keukentafel op dit apparaat zijn gewist; wat nog niet op de server stond, is niet verstuurd. Neem contact op met uw beheerder als dit niet klopt.',
  },
  'wiped-after-send': {
    title: 'Dit apparaat is afgemeld',
    body: 'De beheerder heeft dit apparaat afgemeld. Wat nog niet verstuurd was, staat nu op de server; daarna zijn de gegevens van Keukentafel op dit apparaat gewist.',
  },
};

export function DataGone({ reason, onSignInAgain }: { reason: GoneReason; onSignInAgain: () => void }) {
  const text = texts[reason];
  return (
    <div class="kt-screen kt-lock" data-testid={`data-gone-${reason}`}>
      <ScreenHeading title={text.title} />
      <div class="utrecht-alert utrecht-alert--warning kt-alert" role="alert">
        <div class="utrecht-alert__content">
          <p class="utrecht-paragraph">{text.body}</p>
        </div>
      </div>
      <button type="button" class="utrecht-button utrecht-button--primary-action kt-button-wide" onClick={onSignInAgain}>
        Opnieuw aanmelden
      </button>
    </div>
  );
}
