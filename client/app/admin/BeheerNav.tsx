// The sub-navigation of /beheer: users, teams and the audit log (U6).
import { useLocation } from 'preact-iso';

export function BeheerNav() {
  const { path } = useLocation();
  const teams = path.startsWith('/beheer/teams');
  const log = path.startsWith('/beheer/logboek');
  return (
    <nav class="kt-subnav" aria-label="Beheer">
      <ul class="kt-subnav__list">
        <li>
          <a class="kt-subnav__link" href="/beheer" aria-current={teams || log ? undefined : 'page'}>
            Gebruikers
          </a>
        </li>
        <li>
          <a class="kt-subnav__link" href="/beheer/teams" aria-current={teams ? 'page' : undefined}>
            Teams
          </a>
        </li>
        <li>
          <a class="kt-subnav__link" href="/beheer/logboek" aria-current={log ? 'page' : undefined}>
            Logboek
          </a>
        </li>
      </ul>
    </nav>
  );
}

/** Said on every beheer screen to someone without the admin role (the server refuses anyway, B1). */
export function NotAdmin() {
  return (
    <div class="kt-screen">
      <h1 class="utrecht-heading-1 kt-screen-heading">Beheer</h1>
      <p class="utrecht-paragraph">Beheer is er alleen voor beheerders. Vraag een beheerder van uw gemeente als u iets wilt laten aanpassen.</p>
    </div>
  );
}
