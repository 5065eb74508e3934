// What the browser promised about our IndexedDB (`navigator.storage.persist()`, asked at
// sign-in): kept, or possibly evicted under storage pressure, with the advice that helps.
import type { StoragePersistence } from '../../sync/storage-persistence';

export function StorageNotice({ storage }: { storage: StoragePersistence }) {
  if (storage === 'persisted') {
    return (
      <p class="kt-storage kt-storage--ok" data-testid="storage-status">
        Gegevens blijven bewaard op dit apparaat.
      </p>
    );
  }
  return (
    <div class="utrecht-alert utrecht-alert--warning kt-alert" data-testid="storage-status">
      <div class="utrecht-alert__content">
        <p class="utrecht-paragraph">
          <strong>Let op:</strong> de browser kan gegevens op dit apparaat wissen als de opslag vol raakt. Installeer de
          app (browsermenu: <em>Toevoegen aan startscherm</em>) zodat niet-verzonden brieven bewaard blijven.
        </p>
      </div>
    </div>
  );
}
