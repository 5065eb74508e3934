// "Nieuwe versie beschikbaar — vernieuwen": the calm update prompt of a new service worker
// (registerType 'prompt'). Reloading is safe: every edit is in IndexedDB before any badge says
// it is stored (S1), and we still wait for the writes of open documents before reloading.
import { useRegisterSW } from 'virtual:pwa-register/preact';
import type { SyncManager } from '../../sync/sync-manager';
import { flushOpenDocs } from '../session/open-docs';

const UPDATE_CHECK_MS = 60 * 60 * 1000;

let reloading = false;
const reloadOnce = (): void => {
  if (reloading) return;
  reloading = true;
  window.location.reload();
};

export function UpdatePrompt({ sync }: { sync: SyncManager | null }) {
  const {
    needRefresh: [needRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    onNeedReload: reloadOnce,
    onRegisteredSW(_url, registration) {
      if (registration === undefined) return;
      // A phone keeps the app open for days: look for a new version now and then.
      setInterval(() => void registration.update().catch(() => undefined), UPDATE_CHECK_MS);
    },
  });
  if (!needRefresh) return null;
  const refresh = async (): Promise<void> => {
    await flushOpenDocs(sync);
    // The plugin reloads only a page that was already controlled when it loaded; a page still
    // open since its first visit must reload too once the new version takes over.
    navigator.serviceWorker.addEventListener('controllerchange', reloadOnce, { once: true });
    await updateServiceWorker(true);
  };
  return (
    <div class="kt-update" role="status" data-testid="update-prompt">
      <p class="utrecht-paragraph">Nieuwe versie beschikbaar</p>
      <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => void refresh()}>
        Vernieuwen
      </button>
    </div>
  );
}
