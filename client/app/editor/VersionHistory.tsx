// V7: every version of a document, oldest first: who submitted it and when, who approved or
// returned it (with the remark), its PDF, and a comparison of any two versions (VersionDiff).
import { useState } from 'preact/hooks';
import type { Session } from '../../sync/session';
import { formatDateTime } from '../logic/format';
import type { VersionInfo } from '../logic/document-info';
import { VersionDiff } from './VersionDiff';
import { PdfLink } from './PdfLink';

export function VersionHistory({ session, docId, versions, labelOf }: { session: Session; docId: string; versions: readonly VersionInfo[]; labelOf: (key: string) => string }) {
  const last = versions[versions.length - 1];
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [comparing, setComparing] = useState<{ from: number; to: number } | null>(null);
  if (last === undefined) return null;
  const a = from ?? versions[versions.length - 2]?.version ?? last.version;
  const b = to ?? last.version;
  return (
    <section class="kt-history" aria-labelledby="kt-history-title" data-testid="history">
      <h2 class="utrecht-heading-2" id="kt-history-title">
        Versies
      </h2>
      <ol class="kt-history__list">
        {versions.map((v) => {
          return (
            <li key={v.version} class="kt-history__version" data-testid={`history-version-${v.version}`}>
              <p class="utrecht-paragraph">
                <strong>Versie {v.version}</strong>: ingediend op {formatDateTime(v.submittedAt)}
                {v.submittedByName === '' ? '' : ` door ${v.submittedByName}`}.
              </p>
              {v.reviews.map((r, i) => (
                <p key={i} class="utrecht-paragraph">
                  {r.kind === 'approve' ? 'Goedgekeurd' : 'Teruggestuurd'} door {r.byName} op {formatDateTime(r.at)}
                  {r.remark === null ? '.' : `${r.section === null ? '' : ` (bij ${labelOf(r.section)})`}: “${r.remark}”`}
                </p>
              ))}
              {v.dmsReference !== null && <p class="utrecht-paragraph kt-muted">In het DMS: {v.dmsReference}</p>}
              <p class="utrecht-paragraph">
                <PdfLink session={session} docId={docId} version={v.version} testId={`history-pdf-${v.version}`}>
                  PDF van versie {v.version} openen<span class="kt-visually-hidden"> (opent in een nieuw venster)</span>
                </PdfLink>
              </p>
            </li>
          );
        })}
      </ol>
      {versions.length > 1 && (
        <div class="kt-form">
          <div class="kt-history__compare">
            <VersionSelect id="kt-vergelijk-van" label="Vergelijk versie" value={a} versions={versions} onChange={setFrom} />
            <VersionSelect id="kt-vergelijk-met" label="met versie" value={b} versions={versions} onChange={setTo} />
            <button type="button" class="utrecht-button utrecht-button--secondary-action" data-testid="history-compare" onClick={() => setComparing({ from: a, to: b })}>
              Vergelijken
            </button>
          </div>
          {comparing !== null && <VersionDiff session={session} docId={docId} from={comparing.from} to={comparing.to} />}
        </div>
      )}
    </section>
  );
}

function VersionSelect({ id, label, value, versions, onChange }: { id: string; label: string; value: number; versions: readonly VersionInfo[]; onChange: (v: number) => void }) {
  return (
    <div class="utrecht-form-field">
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={id}>
          {label}
        </label>
      </div>
      <div class="utrecht-form-field__input">
        <select id={id} class="utrecht-select utrecht-select--html-select" autocomplete="off" value={String(value)} onChange={(e) => onChange(Number(e.currentTarget.value))} data-testid={id}>
          {versions.map((v) => (
            <option key={v.version} value={String(v.version)}>
              Versie {v.version}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
