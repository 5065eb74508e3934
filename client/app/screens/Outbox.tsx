// The back office's view of deliveries to the DMS (`/kantoor/verzending`, lazy chunk, O3): what
// failed and why (in Dutch), what waits and when the next attempt is, and each archived
// document's DMS reference. "Opnieuw proberen" queues `retry-delivery`, "Verzonden" (J2: a letter
// the municipality posts itself) queues `mark-sent`, both through the action queue.
// Read from `GET /api/outbox`: every 10 s while the tab is visible, on focus, and when the
// connection returns; without a connection the screen says the list needs one.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { apiUrl } from '../../sync/auth-client';
import type { Session } from '../../sync/session';
import { ScreenHeading } from '../components/ScreenHeading';
import { StatusBadge } from '../components/StatusBadge';
import { serverUrl } from '../config';
import type { Badge } from '../logic/badge';
import { deliveryError } from '../logic/delivery-error';
import { dutchDateOf } from '../../../shared/templates/fill';
import { displayTitle } from '../logic/doc-list';
import { formatDateTime } from '../logic/format';
import { isOffice, useSession, useSyncEvents } from '../session/context';

const REFRESH_MS = 10_000;
const FETCH_TIMEOUT_MS = 15_000;

export type DeliveryStatus = 'wacht-op-dms' | 'in-dms' | 'mislukt';

export interface OutboxEntry {
  docId: string;
  title: string;
  version: number;
  identificatie: string;
  zaak: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number | null;
  dmsReference: string | null;
  submittedAt: number;
  archivedAt: number | null;
  /** J1, J2: the letter's date, how it leaves ('manual': posted by the office), when it left. */
  dagtekening?: string | null;
  verzending?: 'delivery' | 'manual' | null;
  verzenddatum?: string | null;
  bezwaartermijnEinde?: string | null;
}

type Load =
  | { kind: 'loading' }
  | { kind: 'loaded'; entries: OutboxEntry[]; at: number }
  | { kind: 'failed'; message: string; entries: OutboxEntry[] | null; at: number | null };

const badges: Record<DeliveryStatus, Badge> = {
  mislukt: { label: 'Levering mislukt', tone: 'error' },
  'wacht-op-dms': { label: 'Wacht op DMS', tone: 'busy' },
  'in-dms': { label: 'In DMS', tone: 'success' },
};

function isEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.docId === 'string' && typeof v.identificatie === 'string' && typeof v.status === 'string' && typeof v.version === 'number';
}

/** `GET /api/outbox`, refreshing the access token once when it expired. */
async function fetchOutbox(session: Session): Promise<{ ok: true; entries: OutboxEntry[] } | { ok: false; message: string }> {
  const get = (): Promise<Response> =>
    fetch(apiUrl(serverUrl(), '/api/outbox'), {
      headers: { authorization: `Bearer ${session.auth.accessToken() ?? ''}` },
      signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  try {
    let res = await get();
    if (res.status === 401 && (await session.auth.refresh()) === 'ok') res = await get();
    if (res.status === 403) return { ok: false, message: 'De verzendlijst is er alleen voor medewerkers van de backoffice.' };
    if (!res.ok) return { ok: false, message: 'De verzendlijst kon niet worden opgehaald. Probeer het zo opnieuw.' };
    const body: unknown = await res.json();
    return { ok: true, entries: Array.isArray(body) ? body.filter(isEntry) : [] };
  } catch {
    return { ok: false, message: 'De verzendlijst kon niet worden opgehaald: geen verbinding met de server.' };
  }
}

/** The list, reloaded every 10 s while visible, on focus, and when the connection returns. */
function useOutbox(session: Session, online: boolean): { load: Load; reload: () => void } {
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const busy = useRef(false);
  const alive = useRef(true);
  const reload = useCallback(() => {
    if (busy.current) return;
    busy.current = true;
    void fetchOutbox(session).then((result) => {
      busy.current = false;
      if (!alive.current) return;
      if (result.ok) setLoad({ kind: 'loaded', entries: result.entries, at: Date.now() });
      else
        setLoad((prev) => ({
          kind: 'failed',
          message: result.message,
          entries: prev.kind === 'loading' ? null : prev.entries,
          at: prev.kind === 'loading' ? null : prev.at,
        }));
    });
  }, [session]);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  useEffect(() => {
    if (!online) return undefined;
    reload();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') reload();
    }, REFRESH_MS);
    const onVisible = (): void => {
      if (document.visibilityState === 'visible') reload();
    };
    window.addEventListener('focus', reload);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', reload);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [online, reload]);
  return { load, reload };
}

export function Outbox() {
  const session = useSession();
  useSyncEvents(session);
  const office = isOffice(session);
  const online = session.sync.connectivity !== 'offline';
  const { load, reload } = useOutbox(session, online && office);
  /** Retries asked for on this screen, by docId, with the attempts the row had then. */
  const [retries, setRetries] = useState<Map<string, Retry>>(new Map());

  useEffect(
    () =>
      session.actions.subscribe((event) => {
        if (event.kind === 'waiting' || event.action.type !== 'retry-delivery') return;
        const docId = event.action.docId;
        setRetries((prev) => {
          const asked = prev.get(docId);
          if (asked === undefined) return prev;
          return new Map(prev).set(docId, { ...asked, state: event.kind === 'done' ? 'sent' : 'refused' });
        });
        reload();
        // The worker takes a retried delivery at once; show its outcome without waiting 10 s.
        if (event.kind === 'done') setTimeout(reload, 2_000);
      }),
    [session, reload],
  );

  /** J2: the office posted the letter; the list shows the date once the server recorded it. */
  const [sentAsked, setSentAsked] = useState<Set<string>>(new Set());
  useEffect(
    () =>
      session.actions.subscribe((event) => {
        if (event.kind === 'waiting' || event.action.type !== 'mark-sent') return;
        reload();
      }),
    [session, reload],
  );
  const markSent = (entry: OutboxEntry): void => {
    setSentAsked((prev) => new Set(prev).add(entry.identificatie));
    void session.actions.enqueue(entry.docId, 'mark-sent').catch(() => undefined);
  };

  const retry = (entry: OutboxEntry): void => {
    const { docId, attempts } = entry;
    setRetries((prev) => new Map(prev).set(docId, { state: 'queued', attempts }));
    session.actions.enqueue(docId, 'retry-delivery').catch(() => {
      setRetries((prev) => new Map(prev).set(docId, { state: 'refused', attempts }));
    });
  };

  if (!office) {
    return (
      <div class="kt-screen">
        <ScreenHeading title="Verzending naar het DMS" page="Verzending naar het DMS" />
        <p class="utrecht-paragraph">De verzendlijst is er voor medewerkers van de backoffice.</p>
      </div>
    );
  }

  const entries = load.kind === 'loading' ? null : load.entries;
  const at = load.kind === 'loading' ? null : load.at;
  const failed = entries?.filter((e) => e.status === 'mislukt') ?? [];
  const waiting = entries?.filter((e) => e.status === 'wacht-op-dms') ?? [];
  const archived = entries?.filter((e) => e.status === 'in-dms') ?? [];

  return (
    <div class="kt-screen">
      <ScreenHeading title="Verzending naar het DMS" page="Verzending naar het DMS" />
      <div role="status" class="kt-outbox__state" data-testid="outbox-state">
        {!online ? (
          <p class="utrecht-paragraph">
            De verzendlijst heeft een verbinding nodig. Zodra er weer verbinding is, wordt hij bijgewerkt.
            {at !== null && ` Hieronder staat de lijst van ${formatDateTime(at)}.`}
          </p>
        ) : load.kind === 'failed' ? (
          <p class="utrecht-paragraph">{load.message}</p>
        ) : load.kind === 'loading' ? (
          <p class="utrecht-paragraph kt-muted">De verzendlijst wordt opgehaald…</p>
        ) : (
          <p class="utrecht-paragraph kt-muted">
            {failed.length === 1 ? '1 levering mislukt' : `${failed.length} leveringen mislukt`},{' '}
            {waiting.length === 1 ? '1 wacht' : `${waiting.length} wachten`} op het DMS. Bijgewerkt: {formatDateTime(load.at)}.
          </p>
        )}
      </div>
      {entries !== null && (
        <>
          <OutboxSection
            id="mislukt"
            title="Mislukt"
            empty="Er zijn geen mislukte leveringen."
            entries={failed}
            retries={retries}
            onRetry={retry}
            sentAsked={sentAsked}
            onMarkSent={markSent}
          />
          <OutboxSection id="wacht" title="Wacht op het DMS" empty="Er wacht niets op het DMS." entries={waiting} retries={retries} onRetry={retry} sentAsked={sentAsked} onMarkSent={markSent} />
          <OutboxSection id="in-dms" title="In het DMS" empty="Er is nog niets gearchiveerd." entries={archived} retries={retries} onRetry={retry} sentAsked={sentAsked} onMarkSent={markSent} />
        </>
      )}
    </div>
  );
}

interface Retry {
  state: 'queued' | 'sent' | 'refused';
  /** The row's attempts when the retry was asked: a later attempt ends what this screen says. */
  attempts: number;
}

interface SectionProps {
  id: string;
  title: string;
  empty: string;
  entries: OutboxEntry[];
  retries: Map<string, Retry>;
  onRetry: (entry: OutboxEntry) => void;
  sentAsked: Set<string>;
  onMarkSent: (entry: OutboxEntry) => void;
}

function OutboxSection({ id, title, empty, entries, retries, onRetry, sentAsked, onMarkSent }: SectionProps) {
  const headingId = `verzending-${id}`;
  return (
    <section class="kt-outbox__section" aria-labelledby={headingId}>
      <h2 class="utrecht-heading-2" id={headingId}>
        {title}
      </h2>
      {entries.length === 0 ? (
        <p class="utrecht-paragraph kt-muted">{empty}</p>
      ) : (
        <ul class="kt-doc-list" aria-labelledby={headingId}>
          {entries.map((entry) => (
            <OutboxRow
              key={entry.identificatie}
              entry={entry}
              retry={currentRetry(entry, retries.get(entry.docId))}
              onRetry={onRetry}
              sentAsked={sentAsked.has(entry.identificatie)}
              onMarkSent={onMarkSent}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

/** What this screen still says about a retry: nothing once the delivery was attempted again. */
function currentRetry(entry: OutboxEntry, retry: Retry | undefined): Retry['state'] | undefined {
  if (retry === undefined || entry.status !== 'mislukt') return undefined;
  return retry.state !== 'queued' && entry.attempts > retry.attempts ? undefined : retry.state;
}

interface RowProps {
  entry: OutboxEntry;
  retry: Retry['state'] | undefined;
  onRetry: (entry: OutboxEntry) => void;
  sentAsked: boolean;
  onMarkSent: (entry: OutboxEntry) => void;
}

function OutboxRow({ entry, retry, onRetry, sentAsked, onMarkSent }: RowProps) {
  const title = displayTitle(entry.title);
  const failure = deliveryError(entry.lastError);
  const reason = failure?.text ?? null;
  const reasonId = `reden-${entry.identificatie}`;
  return (
    <li class="kt-doc kt-outbox__row" data-testid="outbox-row" data-doc-id={entry.docId} data-status={entry.status}>
      <a class="kt-doc__link" href={`/document/${entry.docId}`}>
        <span class="kt-doc__title">{title}</span>
        <span class="kt-doc__meta">
          {entry.zaak} · versie {entry.version} · ingediend {formatDateTime(entry.submittedAt)}
        </span>
      </a>
      <StatusBadge badge={badges[entry.status]} />
      <dl class="kt-outbox__facts">
        {reason !== null && entry.status !== 'in-dms' && (
          <>
            <dt>Reden</dt>
            <dd id={reasonId} data-testid="outbox-reason">
              {reason}
            </dd>
            {failure?.details != null && (
              <>
                <dt>Antwoord van het DMS</dt>
                <dd class="kt-outbox__details" data-testid="outbox-details">
                  {failure.details}
                </dd>
              </>
            )}
          </>
        )}
        {entry.status !== 'in-dms' && (
          <>
            <dt>Pogingen</dt>
            <dd>{entry.attempts}</dd>
          </>
        )}
        {entry.nextAttemptAt !== null && entry.status !== 'in-dms' && (
          <>
            <dt>Volgende poging</dt>
            <dd data-testid="outbox-next-attempt">{formatDateTime(entry.nextAttemptAt)}</dd>
          </>
        )}
        {entry.status === 'in-dms' && entry.dmsReference !== null && (
          <>
            <dt>DMS-kenmerk</dt>
            <dd class="kt-outbox__reference" data-testid="outbox-reference">
              {entry.dmsReference}
            </dd>
          </>
        )}
        {entry.archivedAt !== null && (
          <>
            <dt>Gearchiveerd</dt>
            <dd>{formatDateTime(entry.archivedAt)}</dd>
          </>
        )}
        {entry.dagtekening != null && (
          <>
            <dt>Datum brief</dt>
            <dd>{dutchDateOf(entry.dagtekening)}</dd>
          </>
        )}
        {entry.verzenddatum != null && (
          <>
            <dt>Verzonden</dt>
            <dd data-testid="outbox-sent">
              {dutchDateOf(entry.verzenddatum)}
              {entry.bezwaartermijnEinde != null && ` (bezwaar tot en met ${dutchDateOf(entry.bezwaartermijnEinde)})`}
            </dd>
          </>
        )}
      </dl>
      {entry.verzending === 'manual' && entry.verzenddatum == null && (
        <div class="kt-outbox__actions">
          <button type="button" class="utrecht-button utrecht-button--secondary-action" disabled={sentAsked} onClick={() => onMarkSent(entry)}>
            Verzonden<span class="kt-visually-hidden"> ({title})</span>
          </button>
          {sentAsked && (
            <p class="utrecht-paragraph kt-muted" role="status">
              Verzonden wordt vastgelegd…
            </p>
          )}
        </div>
      )}
      {entry.status === 'mislukt' && (
        <div class="kt-outbox__actions">
          <button
            type="button"
            class="utrecht-button utrecht-button--primary-action"
            disabled={retry === 'queued' || retry === 'sent'}
            aria-describedby={reason !== null ? reasonId : undefined}
            onClick={() => onRetry(entry)}
          >
            Opnieuw proberen<span class="kt-visually-hidden"> ({title})</span>
          </button>
          {(retry === 'queued' || retry === 'sent') && (
            <p class="utrecht-paragraph kt-muted" role="status">
              {retry === 'queued' ? 'Opnieuw proberen is aangevraagd…' : 'Wordt opnieuw aan het DMS geleverd…'}
            </p>
          )}
          {retry === 'refused' && (
            <p class="utrecht-paragraph" role="alert">
              Opnieuw proberen lukte niet: de levering is intussen veranderd. De lijst is bijgewerkt.
            </p>
          )}
        </div>
      )}
    </li>
  );
}
