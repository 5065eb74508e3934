// The banner on every signed-in screen: municipality and app name, the connectivity indicator,
// and the navigation (Mijn documenten, Meldingen with the count of unseen notices (Y7), Kantoor and
// Verzending for office users, Beheer for administrators, Afmelden). Large targets.
import { useLocation } from 'preact-iso';
import type { Connectivity } from '../../sync/sync-status';
import { municipalityName } from '../config';
import { badgeCount } from '../logic/notices';
import { ConnectivityIndicator } from './ConnectivityIndicator';

interface Props {
  userName: string;
  office: boolean;
  /** B: administrators get "Beheer". */
  admin?: boolean;
  /** B9: false for an account without a document role: no "Mijn documenten". */
  documents?: boolean;
  connectivity: Connectivity;
  /** Y7: notices not seen yet; null hides "Meldingen" (no document role). */
  unseenNotices?: number | null;
}

export function AppHeader({ userName, office, admin = false, documents = true, connectivity, unseenNotices = null }: Props) {
  const { path } = useLocation();
  const current = (href: string, exact = href === '/'): 'page' | undefined =>
    (exact ? path === href : path === href || path.startsWith(`${href}/`)) ? 'page' : undefined;
  return (
    <header class="kt-header">
      <div class="kt-header__bar">
        <p class="kt-header__brand">
          <span class="kt-header__municipality">{municipalityName}</span>
          <span class="kt-header__app">Keukentafel</span>
        </p>
        <ConnectivityIndicator connectivity={connectivity} />
      </div>
      <nav class="kt-nav" aria-label="Hoofdmenu">
        <ul class="kt-nav__list">
          {documents && (
            <li>
              <a class="kt-nav__link" href="/" aria-current={current('/')}>
                Mijn documenten
              </a>
            </li>
          )}
          {unseenNotices !== null && (
            <li>
              <a class="kt-nav__link" href="/meldingen" aria-current={current('/meldingen')} data-testid="notices-link">
                Meldingen
                {unseenNotices > 0 && (
                  <span class="kt-count" data-testid="notices-count">
                    <span aria-hidden="true">{badgeCount(unseenNotices)}</span>
                    <span class="kt-visually-hidden">, {unseenNotices === 1 ? '1 nieuwe' : `${unseenNotices} nieuwe`}</span>
                  </span>
                )}
              </a>
            </li>
          )}
          {office && (
            <li>
              <a class="kt-nav__link" href="/kantoor" aria-current={current('/kantoor', true)}>
                Kantoor
              </a>
            </li>
          )}
          {office && (
            <li>
              <a class="kt-nav__link" href="/kantoor/verzending" aria-current={current('/kantoor/verzending')}>
                Verzending
              </a>
            </li>
          )}
          {office && (
            <li>
              <a class="kt-nav__link" href="/kantoor/verwijderd" aria-current={current('/kantoor/verwijderd')}>
                Verwijderd
              </a>
            </li>
          )}
          {admin && (
            <li>
              <a class="kt-nav__link" href="/beheer" aria-current={current('/beheer')}>
                Beheer
              </a>
            </li>
          )}
          <li class="kt-nav__end">
            <a class="kt-nav__link" href="/afmelden" aria-current={current('/afmelden')}>
              Afmelden<span class="kt-visually-hidden"> ({userName})</span>
            </a>
          </li>
        </ul>
      </nav>
    </header>
  );
}
