// An address the app does not know (a mistyped or outdated deep link).
import { ScreenHeading } from '../components/ScreenHeading';

export function NotFound() {
  return (
    <div class="kt-screen">
      <ScreenHeading title="Pagina niet gevonden" page="Pagina niet gevonden" />
      <p class="utrecht-paragraph">
        Deze pagina bestaat niet. <a class="utrecht-link utrecht-link--html-a" href="/">Naar Mijn documenten</a>
      </p>
    </div>
  );
}
