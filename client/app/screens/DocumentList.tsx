// "Mijn documenten": the user's index room, live online and its last known state offline (S8),
// plus the documents this device created that the server does not list yet. Every row carries
// its honest badge; the backlog shows "12 van 40 verzonden" while documents are on their way.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { userIndexRoom } from '../../../shared/protocol/rooms';
import { ScreenHeading } from '../components/ScreenHeading';
import { StatusBadge } from '../components/StatusBadge';
import { StorageNotice } from '../components/StorageNotice';
import { SyncProgress } from '../components/SyncProgress';
import { FindBar } from '../find/FindBar';
import { useFind } from '../find/use-find';
import { documentBadge } from '../logic/badge';
import { displayTitle, mergeDocRows, type DocRow, type LocalDocRecord } from '../logic/doc-list';
import { templateChoices, type FindItem } from '../logic/search';
import { formatDateTime } from '../logic/format';
import { useIndexFeed, useSession, useSyncEvents, useTemplates } from '../session/context';
import { pruneLocalDocs, readLocalDocs } from '../session/local-docs';
import { useQueuedDiscards } from '../session/queued-discards';

export function DocumentList() {
  const session = useSession();
  useSyncEvents(session);
  const index = useIndexFeed(session, userIndexRoom(session.user.id));
  const [local, setLocal] = useState<LocalDocRecord[]>([]);

  useEffect(() => {
    let cancelled = false;
    void readLocalDocs(session.store)
      .then((list) => {
        if (!cancelled) setLocal(list);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [session]);

  useEffect(() => {
    const listed = new Set(index.entries.map((e) => e.id));
    if (local.some((r) => listed.has(r.id))) void pruneLocalDocs(session.store, listed).catch(() => undefined);
  }, [session, index.entries, local]);

  // E11: a discard still waiting for the network already takes the concept off this list.
  const discarding = useQueuedDiscards(session);
  const templates = useTemplates(session);
  // Q3–Q8: search, filters and sort over what the device has (its list and its copies).
  const items = useMemo(
    () =>
      mergeDocRows(index.entries, local)
        .filter((row) => !discarding.has(row.id))
        .map((row): DocRow & FindItem => ({
        ...row,
        status: row.entry?.status ?? null,
        templateId: row.entry?.templateId ?? local.find((r) => r.id === row.id)?.templateId ?? null,
        authorId: session.user.id,
        authorName: null,
        statusSince: row.entry?.statusSince ?? row.updatedAt,
      })),
    [index.entries, local, session],
  );
  const found = useFind(session, 'mine', items, (item) => item.updatedAt);
  const rows = found.rows;
  const labelOf = (templateId: string | null, key: string): string | null => {
    const t = templates?.find((x) => x.id === templateId);
    return [...(t?.fields ?? []), ...(t?.sections ?? [])].find((p) => p.key === key)?.label ?? null;
  };

  // V3: a document this device kept refused edits for is a concept again: send them now.
  const parkedConcepts = rows
    .filter((row) => row.entry?.status === 'concept')
    .map((row) => row.id)
    .filter((id) => {
      const status = session.sync.status(id);
      return status.state === 'error' && status.reason === 'frozen';
    })
    .join(',');
  useEffect(() => {
    for (const id of parkedConcepts === '' ? [] : parkedConcepts.split(',')) session.sync.editable(id);
  }, [session, parkedConcepts]);

  return (
    <div class="kt-screen">
      <ScreenHeading title="Mijn documenten" page="Mijn documenten" />
      <StorageNotice storage={session.storage} />
      <SyncProgress progress={session.sync.progress()} />
      <p class="kt-actions">
        <a class="utrecht-button utrecht-button--primary-action kt-button-link kt-button-wide" href="/nieuw">
          Nieuw document
        </a>
      </p>
      {items.length > 0 && (
        <FindBar
          idPrefix="mijn"
          query={found.query}
          onChange={found.setQuery}
          templates={templateChoices(templates ?? [])}
          authors={null}
          shown={rows.length}
          total={found.total}
          indexing={found.indexing}
        />
      )}
      {session.sync.connectivity === 'offline' && items.length > 0 && (
        <p class="utrecht-paragraph kt-muted" data-testid="list-offline">
          Zonder verbinding: dit is de laatst bekende lijst.
        </p>
      )}
      {index.loaded && items.length === 0 && (
        <p class="utrecht-paragraph" data-testid="list-empty">
          Nog geen documenten. Kies <strong>Nieuw document</strong> om een brief te schrijven.
        </p>
      )}
      {items.length > 0 && rows.length === 0 && (
        <p class="utrecht-paragraph" data-testid="find-none">
          Geen documenten gevonden met deze zoekopdracht of filters.
        </p>
      )}
      {rows.length > 0 && (
        <ul class="kt-doc-list" aria-label="Documenten">
          {rows.map((row) => (
            <li key={row.id} class="kt-doc" data-testid="doc-row" data-doc-id={row.id}>
              <a class="kt-doc__link" href={`/document/${row.id}`}>
                <span class="kt-doc__title">{displayTitle(row.title)}</span>
                <span class="kt-doc__meta">
                  {row.zaak !== null && row.zaak !== '' ? `${row.zaak} · ` : ''}
                  {formatDateTime(row.updatedAt)}
                </span>
                {row.entry?.status === 'concept' && row.entry.returned !== undefined && (
                  <span class="kt-doc__note" data-testid="returned-note">
                    Opmerking van {row.entry.returned.byName}
                    {row.entry.returned.section === null ? '' : ` bij ${labelOf(row.entry.templateId, row.entry.returned.section) ?? row.entry.returned.section}`}: {row.entry.returned.remark}
                  </span>
                )}
              </a>
              <StatusBadge
                badge={documentBadge({
                  sync: session.sync.status(row.id),
                  workflow: row.entry?.status ?? null,
                  returned: row.entry?.status === 'concept' && row.entry.returned !== undefined,
                })}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
