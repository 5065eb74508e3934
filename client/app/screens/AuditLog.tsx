// U6, U7: the audit trail for admins (`/beheer/logboek`, lazy chunk): filter by user, document and
// period, read it page by page, and export the same filter as CSV. Read only: nothing here can
// change an entry. Online only; the screen says so without a connection.
import { useState } from 'preact/hooks';
import { AuditListSchema, auditActionLabel, type AuditEntryBody } from '../../../shared/protocol/audit';
import { authorizedFetch } from '../session/authorized-fetch';
import { BeheerNav } from '../admin/BeheerNav';
import { ScreenHeading } from '../components/ScreenHeading';
import { auditQuery, type AuditFilter } from '../logic/audit-filter';
import { formatDateTime } from '../logic/format';
import { useSession } from '../session/context';

type Load =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'loaded'; entries: AuditEntryBody[]; next: number | null }
  | { kind: 'failed'; message: string };

function failure(status: number): string {
  if (status === 403) return 'Het logboek is er alleen voor beheerders.';
  if (status === 400) return 'Het filter klopt niet. Controleer de datums.';
  return 'Het logboek kon niet worden opgehaald. Probeer het zo opnieuw.';
}

export function AuditLog() {
  const session = useSession();
  const [filter, setFilter] = useState<AuditFilter>({ user: '', document: '', from: '', through: '' });
  const [load, setLoad] = useState<Load>({ kind: 'idle' });
  const [exporting, setExporting] = useState<string | null>(null);

  const search = async (after: number | null, kept: AuditEntryBody[]): Promise<void> => {
    setLoad({ kind: 'loading' });
    try {
      const res = await authorizedFetch(session, `/api/audit${auditQuery(filter, { after })}`);
      if (!res.ok) return setLoad({ kind: 'failed', message: failure(res.status) });
      const parsed = AuditListSchema.safeParse(await res.json());
      if (!parsed.success) return setLoad({ kind: 'failed', message: failure(500) });
      setLoad({ kind: 'loaded', entries: [...kept, ...parsed.data.entries], next: parsed.data.next });
    } catch {
      setLoad({ kind: 'failed', message: 'Het logboek kon niet worden opgehaald: geen verbinding met de server.' });
    }
  };

  const exportCsv = async (): Promise<void> => {
    setExporting('Het bestand wordt gemaakt…');
    try {
      const res = await authorizedFetch(session, `/api/audit${auditQuery(filter, { format: 'csv' })}`);
      if (!res.ok) return setExporting(failure(res.status));
      const url = URL.createObjectURL(await res.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = 'logboek.csv';
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExporting(res.headers.get('X-Audit-Next') === null ? 'Het bestand is gedownload.' : 'Het bestand is gedownload; het bevat de eerste 50.000 regels. Maak het filter kleiner voor de rest.');
    } catch {
      setExporting('Het bestand kon niet worden gemaakt: geen verbinding met de server.');
    }
  };

  const field = (key: keyof AuditFilter, label: string, type: 'text' | 'date', hint?: string) => (
    <div class="utrecht-form-field">
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={`kt-audit-${key}`}>
          {label}
        </label>
      </div>
      {hint !== undefined && (
        <p class="utrecht-form-field-description" id={`kt-audit-${key}-hint`}>
          {hint}
        </p>
      )}
      <div class="utrecht-form-field__input">
        <input
          id={`kt-audit-${key}`}
          class="utrecht-textbox utrecht-textbox--html-input"
          type={type}
          autocomplete="off"
          value={filter[key]}
          {...(hint === undefined ? {} : { 'aria-describedby': `kt-audit-${key}-hint` })}
          onInput={(e) => setFilter({ ...filter, [key]: e.currentTarget.value })}
          data-testid={`audit-${key}`}
        />
      </div>
    </div>
  );

  return (
    <div class="kt-screen">
      <ScreenHeading title="Beheer: logboek" page="Beheer: logboek" />
      <BeheerNav />
      <p class="utrecht-paragraph">
        Wie wat deed, op welk apparaat, met welk document, wanneer en vanaf welk adres. Het logboek kan niet worden gewijzigd.
      </p>
      <form
        class="kt-form"
        onSubmit={(e) => {
          e.preventDefault();
          void search(null, []);
        }}
      >
        {field('user', 'Gebruiker (id)', 'text')}
        {field('document', 'Document (id)', 'text')}
        {field('from', 'Van', 'date')}
        {field('through', 'Tot en met', 'date')}
        <div class="kt-actions kt-button-row">
          <button type="submit" class="utrecht-button utrecht-button--primary-action" data-testid="audit-search">
            Zoeken
          </button>
          <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => void exportCsv()} data-testid="audit-export">
            CSV downloaden (met dit filter)
          </button>
        </div>
      </form>
      <p class="utrecht-paragraph" role="status" aria-live="polite">
        {load.kind === 'loading' ? 'Bezig met ophalen…' : load.kind === 'failed' ? load.message : (exporting ?? '')}
      </p>
      {load.kind === 'loaded' && (
        <>
          <p class="utrecht-paragraph">{load.entries.length === 0 ? 'Niets gevonden met dit filter.' : `${load.entries.length} ${load.entries.length === 1 ? 'regel' : 'regels'}${load.next === null ? '' : ' (er zijn er meer)'}.`}</p>
          <ol class="kt-history__list" data-testid="audit-entries">
            {load.entries.map((e) => (
              <li key={e.seq} class="kt-history__version">
                <p class="utrecht-paragraph">
                  <strong>{auditActionLabel(e.action)}</strong> — {formatDateTime(Date.parse(e.at))}
                </p>
                <p class="utrecht-paragraph kt-muted">
                  {e.userName ?? e.userId ?? 'onbekende gebruiker'}
                  {e.deviceId === null ? '' : `, apparaat ${e.deviceId}`}
                  {e.documentId === null ? '' : `, document ${e.documentId}`}
                  {e.address === null ? '' : `, adres ${e.address}`}
                </p>
              </li>
            ))}
          </ol>
          {load.next !== null && (
            <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={() => void search(load.next, load.entries)}>
              Meer laden
            </button>
          )}
        </>
      )}
    </div>
  );
}
