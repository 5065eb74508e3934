// What a screen shows when it cannot load or crashed: a lazy screen that is not on the device
// yet (offline before the service worker cached it), or an unexpected error. Never a blank page.
import { Component, type ComponentChildren } from 'preact';

interface State {
  error: unknown;
}

export class ScreenErrorBoundary extends Component<{ children?: ComponentChildren }, State> {
  override state: State = { error: null };

  static override getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    const chunk = this.state.error instanceof Error && /dynamically imported module|Importing a module script failed/i.test(this.state.error.message);
    return (
      <div class="utrecht-alert utrecht-alert--error kt-alert" role="alert">
        <div class="utrecht-alert__content">
          <p class="utrecht-paragraph">
            {chunk
              ? 'Dit deel van de app staat nog niet op dit apparaat. Maak verbinding en probeer het opnieuw.'
              : 'Er ging iets mis op dit scherm. Uw tekst is op dit apparaat bewaard.'}
          </p>
          <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => window.location.reload()}>
            Opnieuw proberen
          </button>
        </div>
      </div>
    );
  }
}
