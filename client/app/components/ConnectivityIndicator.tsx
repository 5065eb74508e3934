// Whether the server answers, as the sync manager learnt it from the server itself (a socket or
// the health check), never from navigator.onLine. A polite live region: changes are announced.
import type { Connectivity } from '../../sync/sync-status';

const labels: Record<Connectivity, string> = {
  online: 'Verbonden',
  offline: 'Geen verbinding',
  unknown: 'Verbinding zoeken…',
};

export function ConnectivityIndicator({ connectivity }: { connectivity: Connectivity }) {
  return (
    <p class={`kt-connectivity kt-connectivity--${connectivity}`} role="status" data-testid="connectivity" data-state={connectivity}>
      <span class="kt-connectivity__dot" aria-hidden="true" />
      {labels[connectivity]}
    </p>
  );
}
