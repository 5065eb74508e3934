// Search, filters and sort above a document list (Q3–Q6): one search field for title, zaak,
// name and text; status, template, author and period; the order. Works offline: it only reads
// what the device has. The count says how many of how many are shown.
import type { ComponentChildren } from 'preact';
import { WorkflowStatus } from '../../../shared/model/index-entry';
import { workflowLabel } from '../logic/badge';
import { emptyQuery, isNarrowed, periodLabels, sortLabels, type FindQuery, type Period, type SortKey } from '../logic/search';

export interface FindBarProps {
  /** Prefix of the controls' ids: two lists never share a page, but tests find them by it. */
  idPrefix: string;
  query: FindQuery;
  onChange: (query: FindQuery) => void;
  templates: readonly { id: string; title: string }[];
  /** Null: no author filter (the own list). */
  authors: readonly { id: string; name: string }[] | null;
  shown: number;
  total: number;
  indexing: boolean;
}

const filtersSet = (q: FindQuery): boolean => q.status !== 'alle' || q.templateId !== 'alle' || q.author !== 'alle' || q.period !== 'alle';

const statuses: (WorkflowStatus | 'alle')[] = ['alle', ...Object.values(WorkflowStatus)];

export function FindBar({ idPrefix, query, onChange, templates, authors, shown, total, indexing }: FindBarProps) {
  const set = <K extends keyof FindQuery>(key: K, value: FindQuery[K]): void => onChange({ ...query, [key]: value });
  const id = (name: string): string => `${idPrefix}-${name}`;
  return (
    <div role="search" class="kt-find" aria-label="Zoeken en filteren" data-testid="find-bar">
      <div class="utrecht-form-field kt-find__search">
        <div class="utrecht-form-field__label">
          <label class="utrecht-form-label" for={id('zoek')}>
            Zoeken
          </label>
        </div>
        <div class="utrecht-form-field__description kt-muted" id={id('zoek-hint')}>
          Op onderwerp, zaaknummer, naam of tekst
        </div>
        <div class="utrecht-form-field__input">
          <input
            id={id('zoek')}
            type="search"
            class="utrecht-textbox utrecht-textbox--html-input"
            aria-describedby={id('zoek-hint')}
            autocomplete="off"
            spellcheck={false}
            enterKeyHint="search"
            value={query.text}
            onInput={(e) => set('text', e.currentTarget.value.slice(0, 200))}
            data-testid="find-text"
          />
        </div>
      </div>
      {/* On a phone five choices would fill the first screen: folded until asked for, open while one narrows. */}
      <details class="kt-find__more" open={filtersSet(query)} data-testid="find-more">
        <summary class="kt-find__summary">Filteren en sorteren{filtersSet(query) ? ' (actief)' : ''}</summary>
      <div class="kt-find__filters">
        <Select id={id('status')} label="Status" value={query.status} onChange={(v) => set('status', v as FindQuery['status'])} testid="find-status">
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s === 'alle' ? 'Alle statussen' : workflowLabel(s)}
            </option>
          ))}
        </Select>
        <Select id={id('sjabloon')} label="Soort" value={query.templateId} onChange={(v) => set('templateId', v)} testid="find-template">
          <option value="alle">Alle soorten</option>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.title}
            </option>
          ))}
        </Select>
        {authors !== null && (
          <Select id={id('auteur')} label="Auteur" value={query.author} onChange={(v) => set('author', v)} testid="find-author">
            <option value="alle">Iedereen</option>
            {authors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
        )}
        <Select id={id('periode')} label="Bijgewerkt" value={query.period} onChange={(v) => set('period', v as Period)} testid="find-period">
          {(Object.keys(periodLabels) as Period[]).map((p) => (
            <option key={p} value={p}>
              {periodLabels[p]}
            </option>
          ))}
        </Select>
        <Select id={id('sorteer')} label="Sorteer op" value={query.sort} onChange={(v) => set('sort', v as SortKey)} testid="find-sort">
          {(Object.keys(sortLabels) as SortKey[]).map((k) => (
            <option key={k} value={k}>
              {sortLabels[k]}
            </option>
          ))}
        </Select>
      </div>
      </details>
      <p class="kt-find__count kt-muted" role="status" data-testid="find-count">
        {isNarrowed(query) ? `${shown} van ${total} ${total === 1 ? 'document' : 'documenten'}` : total === 1 ? '1 document' : `${total} documenten`}
        {indexing ? ' · teksten op dit apparaat worden doorzocht…' : ''}
        {isNarrowed(query) && (
          <>
            {' · '}
            <button type="button" class="utrecht-button utrecht-button--subtle kt-find__clear" onClick={() => onChange({ ...emptyQuery, sort: query.sort })} data-testid="find-clear">
              Wis zoeken en filters
            </button>
          </>
        )}
      </p>
    </div>
  );
}

function Select({ id, label, value, onChange, testid, children }: { id: string; label: string; value: string; onChange: (value: string) => void; testid: string; children: ComponentChildren }) {
  return (
    <div class="utrecht-form-field kt-filter">
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={id}>
          {label}
        </label>
      </div>
      <div class="utrecht-form-field__input">
        <select id={id} class="utrecht-select utrecht-select--html-select" autocomplete="off" value={value} onChange={(e) => onChange(e.currentTarget.value)} data-testid={testid}>
          {children}
        </select>
      </div>
    </div>
  );
}
