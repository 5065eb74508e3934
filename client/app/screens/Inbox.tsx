// The back office's inbox (`/kantoor`, lazy chunk): the team's index room, live (a document
// appears within a second of its first sync, statuses change in place), filtered by status.
// Opening a document uses the same editor: read, co-edit, see who else is in it.
import { useState } from 'preact/hooks';
import { WorkflowStatus } from '../../../shared/model/index-entry';
import { teamIndexRoom } from '../../../shared/protocol/rooms';
import { ScreenHeading } from '../components/ScreenHeading';
import { StatusBadge } from '../components/StatusBadge';
import { documentBadge, workflowLabel } from '../logic/badge';
import { displayTitle, filterByStatus, type StatusFilter } from '../logic/doc-list';
import { formatDateTime } from '../logic/format';
import { isOffice, useIndexFeed, useSession, useSyncEvents } from '../session/context';

const filters: StatusFilter[] = ['alle', ...Object.values(WorkflowStatus)];

export function Inbox() {
  const session = useSession();
  useSyncEvents(session);
  const index = useIndexFeed(session, teamIndexRoom(session.user.teamId));
  const [filter, setFilter] = useState<StatusFilter>('alle');

  if (!isOffice(session)) {
    return (
      <div class="kt-screen">
        <ScreenHeading title="Kantoor" page="Kantoor" />
        <p class="utrecht-paragraph">De inbox is er voor medewerkers van de backoffice.</p>
      </div>
    );
  }

  const shown = filterByStatus(index.entries, filter);
  return (
    <div class="kt-screen">
      <ScreenHeading title="Inbox kantoor" page="Inbox kantoor" />
      <p class="utrecht-paragraph kt-muted" data-testid="inbox-live">
        {index.live
          ? 'Live: nieuwe documenten verschijnen vanzelf.'
          : session.sync.connectivity === 'offline'
            ? 'Zonder verbinding: dit is de laatst bekende lijst.'
            : 'Verbinden…'}
      </p>
      <div class="utrecht-form-field kt-filter">
        <div class="utrecht-form-field__label">
          <label class="utrecht-form-label" for="status-filter">
            Toon status
          </label>
        </div>
        <div class="utrecht-form-field__input">
          <select
            id="status-filter"
            class="utrecht-select utrecht-select--html-select"
            autocomplete="off"
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value as StatusFilter)}
          >
            {filters.map((f) => (
              <option key={f} value={f}>
                {f === 'alle' ? 'Alle documenten' : workflowLabel(f)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p class="kt-muted" role="status" data-testid="inbox-count">
        {shown.length === 1 ? '1 document' : `${shown.length} documenten`}
      </p>
      {shown.length > 0 && (
        <ul class="kt-doc-list" aria-label="Documenten van het team">
          {shown.map((entry) => (
            <li key={entry.id} class="kt-doc" data-testid="inbox-row" data-doc-id={entry.id}>
              <a class="kt-doc__link" href={`/document/${entry.id}`}>
                <span class="kt-doc__title">{displayTitle(entry.title)}</span>
                <span class="kt-doc__meta">
                  {entry.zaak !== null && entry.zaak !== '' ? `${entry.zaak} · ` : ''}
                  {formatDateTime(entry.updatedAt)}
                </span>
              </a>
              <StatusBadge badge={documentBadge({ sync: session.sync.status(entry.id), workflow: entry.status })} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
