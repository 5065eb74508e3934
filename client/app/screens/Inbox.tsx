// The back office's inbox (`/kantoor`, lazy chunk) as a work list (Q9, Q10): the team's index
// room, live (a document appears within a second of its first sync, statuses change in place),
// each row with author, type, zaak, status and how long it waits; searchable and filterable
// offline (Q3–Q8). On a wide screen (≥ 1024 px) the list and the opened document sit side by side
// (`?document=<id>`); on a narrow one a row opens the document's own screen.
import { useLocation } from 'preact-iso';
import { lazy } from 'preact-iso';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { IndexEntry } from '../../../shared/model/index-entry';
import { isUuid, teamIndexRoom } from '../../../shared/protocol/rooms';
import { ScreenHeading } from '../components/ScreenHeading';
import { StatusBadge } from '../components/StatusBadge';
import { FindBar } from '../find/FindBar';
import { useFind } from '../find/use-find';
import { documentBadge } from '../logic/badge';
import { displayTitle } from '../logic/doc-list';
import { formatDateTime } from '../logic/format';
import { authorsOf, emptyQuery, templateChoices, type FindItem } from '../logic/search';
import { waitingFor } from '../logic/waiting';
import { isOffice, useIndexFeed, useSession, useSyncEvents, useTemplates } from '../session/context';

const EditorPane = lazy(() => import('./Editor').then((m) => m.EditorPane));

/** Q10: the width from which list and document sit side by side (64em = 1024 px). */
export const WIDE_QUERY = '(min-width: 64em)';

function useWide(): boolean {
  const [wide, setWide] = useState(() => typeof matchMedia === 'function' && matchMedia(WIDE_QUERY).matches);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia(WIDE_QUERY);
    const onChange = (): void => setWide(mq.matches);
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  return wide;
}

type WorkItem = FindItem & { entry: IndexEntry };

export function Inbox() {
  const session = useSession();
  useSyncEvents(session);
  const index = useIndexFeed(session, teamIndexRoom(session.user.teamId));
  const templates = useTemplates(session);
  const { query: params, route } = useLocation();
  const wide = useWide();
  const items = useMemo(
    () =>
      index.entries.map(
        (entry): WorkItem => ({
          id: entry.id,
          title: entry.title,
          zaak: entry.zaak,
          status: entry.status,
          templateId: entry.templateId,
          authorId: entry.createdBy,
          authorName: entry.authorName ?? null,
          updatedAt: entry.updatedAt,
          statusSince: entry.statusSince ?? entry.updatedAt,
          entry,
        }),
      ),
    [index.entries],
  );
  // The office works in the order of work: what waits longest for someone first.
  const found = useFind(session, 'team', items, (item) => item.updatedAt, { ...emptyQuery, sort: 'status' });

  if (!isOffice(session)) {
    return (
      <div class="kt-screen">
        <ScreenHeading title="Kantoor" page="Kantoor" />
        <p class="utrecht-paragraph">De inbox is er voor medewerkers van de backoffice.</p>
      </div>
    );
  }

  const opened = wide && isUuid((params.document ?? '').toLowerCase()) ? (params.document ?? '').toLowerCase() : null;
  const typeOf = (entry: IndexEntry): string =>
    templates?.find((t) => t.id === entry.templateId)?.title ?? entry.kind ?? 'Onbekende soort';
  const now = Date.now();

  const list = (
    <div class="kt-workspace__list">
      <p class="utrecht-paragraph kt-muted" data-testid="inbox-live">
        {index.live
          ? 'Live: nieuwe documenten verschijnen vanzelf.'
          : session.sync.connectivity === 'offline'
            ? 'Zonder verbinding: dit is de laatst bekende lijst.'
            : 'Verbinden…'}
      </p>
      <FindBar
        idPrefix="inbox"
        query={found.query}
        onChange={found.setQuery}
        templates={templateChoices(templates ?? [])}
        authors={authorsOf(items)}
        shown={found.rows.length}
        total={found.total}
        indexing={found.indexing}
      />
      <p class="kt-visually-hidden" data-testid="inbox-count">
        {found.rows.length === 1 ? '1 document' : `${found.rows.length} documenten`}
      </p>
      {items.length > 0 && found.rows.length === 0 && (
        <p class="utrecht-paragraph" data-testid="find-none">
          Geen documenten gevonden met deze zoekopdracht of filters.
        </p>
      )}
      {found.rows.length > 0 && (
        <ul class="kt-doc-list kt-worklist" aria-label="Documenten van het team">
          {found.rows.map(({ entry }) => (
            <li
              key={entry.id}
              class={entry.id === opened ? 'kt-doc kt-work kt-work--open' : 'kt-doc kt-work'}
              data-testid="inbox-row"
              data-doc-id={entry.id}
            >
              <a
                class="kt-doc__link"
                href={`/document/${entry.id}`}
                aria-current={entry.id === opened ? 'true' : undefined}
                onClick={(e) => {
                  // Q10: on a wide screen the document opens beside the list.
                  if (!wide || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
                  // The router's own click listener (on window) would open /document/<id>.
                  e.preventDefault();
                  e.stopPropagation();
                  route(`/kantoor?document=${entry.id}`);
                }}
              >
                <span class="kt-doc__title">{displayTitle(entry.title)}</span>
              </a>
              <dl class="kt-work__facts">
                <div>
                  <dt>Auteur</dt>
                  <dd data-testid="work-author">{entry.authorName ?? 'Onbekend'}</dd>
                </div>
                <div>
                  <dt>Soort</dt>
                  <dd data-testid="work-type">{typeOf(entry)}</dd>
                </div>
                <div>
                  <dt>Zaak</dt>
                  <dd data-testid="work-zaak">{entry.zaak !== null && entry.zaak !== '' ? entry.zaak : 'Geen zaak'}</dd>
                </div>
                <div>
                  <dt>Wacht sinds</dt>
                  <dd data-testid="work-since">
                    <time dateTime={new Date(entry.statusSince ?? entry.updatedAt).toISOString()}>{formatDateTime(entry.statusSince ?? entry.updatedAt)}</time>{' '}
                    <span class="kt-muted">({waitingFor(entry.statusSince ?? entry.updatedAt, now)})</span>
                  </dd>
                </div>
              </dl>
              <StatusBadge badge={documentBadge({ sync: session.sync.status(entry.id), workflow: entry.status, returned: entry.status === 'concept' && entry.returned !== undefined })} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );

  return (
    <div class={wide ? 'kt-screen kt-workspace kt-workspace--wide' : 'kt-screen kt-workspace'}>
      <ScreenHeading title="Inbox kantoor" page="Inbox kantoor" />
      <div class="kt-workspace__panes">
        {list}
        {wide && (
          <section class="kt-workspace__doc" aria-label="Geopend document" data-testid="inbox-pane">
            {opened === null ? (
              <p class="utrecht-paragraph kt-muted" data-testid="inbox-pane-empty">
                Kies een document in de lijst om het hier te lezen.
              </p>
            ) : (
              <EditorPane key={opened} docId={opened} onClose={() => route('/kantoor', true)} />
            )}
          </section>
        )}
      </div>
    </div>
  );
}
