// "12 van 40 verzonden": how far a backlog of documents written offline has reached the server.
// Shown only while something is still on its way; the badges say the rest.
import { progressLabel, type SyncProgress as Progress } from '../../sync/sync-status';

export function SyncProgress({ progress }: { progress: Progress }) {
  if (progress.pending === 0 || progress.total === 0) return null;
  const label = progressLabel(progress);
  return (
    <div class="kt-progress" role="status" data-testid="sync-progress">
      <label for="kt-sync-progress">{label}</label>
      <progress id="kt-sync-progress" max={progress.total} value={progress.sent}>
        {label}
      </progress>
    </div>
  );
}
