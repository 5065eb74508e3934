// The editor (lazy chunk): the template's fields bound to the `fields` map (text, date, address,
// BSN, choice) and its plain sections as textareas bound to Y.Text, live with other devices;
// fixed texts read-only with their placeholders filled; agreements edited row by row
// (AgreementsEditor); a live checklist of the template's rules and plain-language hints (T8); the
// honest badge; who else is here; "Voorbeeld" and "Indienen" (an action, W1), with the server's
// problems shown where they belong. Four eyes (W4): a returned document shows the remark at its
// field or section; an approver sees "Goedkeuren" and "Terugsturen" while it waits.
// V2: a submitted document is read-only on every device, saying since when, by whom and why;
// V3: edits the server refused as frozen are kept on the device and said so; V7: its versions.
import { Fragment, type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import type { WorkflowStatus } from '../../../shared/model/index-entry';
import { readField, readSection, sectionFragment, sectionText } from '../../../shared/model/document';
import { acceptsEdits } from '../../../shared/model/status';
import { approvalRequired } from '../../../shared/validate/validate-document';
import { Confirm } from '../editor/ReviewPanel';
import { VersionHistory } from '../editor/VersionHistory';
import { DocumentLog, useDocumentLog } from '../editor/DocumentLog';
import { useDocumentVersions } from '../editor/use-document-info';
import { frozenReason, returnedBefore } from '../logic/document-info';
import { formatDateTime } from '../logic/format';
import { amsterdamIsoDate, fillPlaceholders, placeholderValues } from '../../../shared/templates/fill';
import type { Problem } from '../../../shared/validate/validate-document';
import { toParagraphs } from '../../../shared/render/letter';
import { municipalityName } from '../config';
import { useChecklist, useFieldsVersion } from '../editor/use-checklist';
import { AgreementsEditor } from '../editor/AgreementsEditor';
import { teamIndexRoom, userIndexRoom } from '../../../shared/protocol/rooms';
import type { Template, TemplateField, TemplateSection } from '../../../shared/templates/schema';
import { FormField, describedBy } from '../components/FormField';
import { ScreenHeading } from '../components/ScreenHeading';
import { documentRoute } from './doc-route';
import { StatusBadge } from '../components/StatusBadge';
import { bindField } from '../editor/bind-field';
import { bindTextarea } from '../editor/bind-textarea';
import { Presence } from '../editor/Presence';
import { RichSection } from '../editor/RichSection';
import { ReviewPanel, RemarkNotes } from '../editor/ReviewPanel';
import { SubmittedPdf } from '../editor/SubmittedPdf';
import { Attachments, useAttachmentList, useUploadEvents } from '../editor/Attachments';
import { pendingAttachmentsMessage, pendingAttachmentsShort } from '../logic/attachment-badge';
import type { Session } from '../../sync/session';
import { useRemarks, useReview, type Remark } from '../editor/use-review';
import { useDocument, useSettled } from '../editor/use-document';
import { useSubmit, type SubmitState } from '../editor/use-submit';
import { documentBadge, workflowLabel } from '../logic/badge';
import { displayTitle } from '../logic/doc-list';
import { placeProblems } from '../logic/problems';
import { TextGuard } from '../editor/TextGuard';
import { useDocumentTemplate } from '../editor/use-template';
import { isOffice, useIndexFeed, useSession, useSyncEvents, useTemplates } from '../session/context';
import { setLocalDocTitle } from '../session/local-docs';
import { useZaakLookup, type ZaakLookupView } from '../zaken/use-zaak-lookup';
import { ZaakPanel } from '../zaken/ZaakPanel';
import { zaakChecklistProblems } from '../logic/zaak-verdict';
import { useLocation } from 'preact-iso';
import { DiscardPanel } from '../editor/DiscardPanel';


/**
 * `embedded`: shown beside the office's work list (Q10): no way back (the list is beside it), the
 * title an h2 under the inbox's h1, and a button that closes the pane.
 */
function EditorScreen({ docId, embedded = null }: { docId: string; embedded?: { onClose: () => void } | null }) {
  const session = useSession();
  useSyncEvents(session);
  const office = isOffice(session);
  const index = useIndexFeed(session, office ? teamIndexRoom(session.user.teamId) : userIndexRoom(session.user.id));
  const templates = useTemplates(session);
  const { doc, meta, savingLocally, failed } = useDocument(session, docId);
  const { state: submit, submit: doSubmit } = useSubmit(session, docId);
  const review = useReview(session, docId);

  const entry = index.entries.find((e) => e.id === docId) ?? null;
  const workflow = entry?.status ?? null;
  const remarks = useRemarks(session, docId, workflow);
  const versions = useDocumentVersions(session, docId, workflow);
  const log = useDocumentLog(session, docId, workflow);
  const latest = versions?.[versions.length - 1] ?? null;
  const approver = office && session.user.roles.includes('approver');
  const sync = session.sync.status(docId);
  const frozen = workflow !== null && !acceptsEdits(workflow);
  const parked = sync.state === 'error' && sync.reason === 'frozen';
  // E4: the server closed the room: this concept was discarded (here or on another device).
  const discarded = sync.state === 'error' && sync.reason === 'discarded';
  const { route } = useLocation();
  const returned = workflow === 'concept' ? (entry?.returned ?? null) : null;
  const badge = documentBadge({ sync, workflow, savingLocally, returned: returned !== null });
  // V3: returned to concept while this device keeps refused edits: send them now.
  useEffect(() => {
    if (workflow === 'concept' && parked) session.sync.editable(docId);
  }, [session, docId, workflow, parked]);
  const spokenBadge = useSettled(badge.label, 1500);
  const reviewing = approver || (office && workflow === 'in-dms');
  const template = useDocumentTemplate(session, templates, meta);
  // X9: the zaak field's look-up (nothing when the server has none: free text).
  const zaak = useZaakLookup(session, doc, template);
  const title = meta === null ? 'Document' : displayTitle(meta.title);
  const back = office ? { href: '/kantoor', label: 'Terug naar de inbox' } : { href: '/', label: 'Terug naar Mijn documenten' };

  // Keep the title of a document the server does not list yet, for "Mijn documenten" offline.
  const metaTitle = meta?.title;
  // Written at once (writes are serialised per store): sign-out may ask for it a moment later.
  const listed = entry !== null;
  useEffect(() => {
    if (metaTitle !== undefined && !listed) void setLocalDocTitle(session.store, docId, metaTitle).catch(() => undefined);
  }, [session, docId, metaTitle, listed]);

  return (
    <div class={embedded === null ? 'kt-screen kt-editor' : 'kt-screen kt-editor kt-editor--embedded'}>
      {embedded === null ? (
        <>
          <p class="kt-back">
            <a class="utrecht-link utrecht-link--html-a" href={back.href}>
              {back.label}
            </a>
          </p>
          <ScreenHeading title={title} page="Document bewerken" />
        </>
      ) : (
        <div class="kt-editor__pane-head">
          <h2 class="utrecht-heading-2 kt-editor__pane-title">{title}</h2>
          <a class="utrecht-link utrecht-link--html-a" href={`/document/${docId}`}>
            Open los
          </a>
          <button type="button" class="utrecht-button utrecht-button--secondary-action" onClick={embedded.onClose} data-testid="pane-close">
            Sluiten
          </button>
        </div>
      )}
      <div class="kt-editor__status">
        <StatusBadge badge={badge} />
        {workflow !== null && workflow !== 'concept' && badge.label !== workflowLabel(workflow) && (
          <span class="kt-muted">Status: {workflowLabel(workflow)}</span>
        )}
        <span class="kt-visually-hidden" role="status">
          {spokenBadge}
        </span>
      </div>
      {frozen && workflow !== null && (
        <div class="utrecht-alert utrecht-alert--info kt-alert" data-testid="frozen-notice">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">
              <strong>Alleen lezen.</strong> {frozenReason(workflow, latest)}.
            </p>
          </div>
        </div>
      )}
      {discarded && (
        <div class="utrecht-alert utrecht-alert--warning kt-alert" role="alert" data-testid="discarded-notice">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">
              <strong>Dit concept is verwijderd.</strong> Het staat niet meer in de lijsten en kan niet meer worden bewerkt. Het kantoor kan
              het een tijd terugzetten onder ‘Verwijderde concepten’.
            </p>
          </div>
        </div>
      )}
      {parked && (
        <div class="utrecht-alert utrecht-alert--warning kt-alert" role="alert" data-testid="parked-notice">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">
              Wijzigingen op dit apparaat zijn niet in de ingediende versie gekomen: het document werd ingediend voordat ze de server bereikten.
              Ze blijven bewaard op dit apparaat en worden verstuurd zodra het document wordt teruggestuurd.
            </p>
          </div>
        </div>
      )}
      {returned !== null && (
        <div class="utrecht-alert utrecht-alert--warning kt-alert" data-testid="returned-notice">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">
              <strong>Teruggestuurd</strong> door {returned.byName} op {formatDateTime(returned.at)}
              {returned.section === null ? '' : ` (bij ${template?.fields.concat().find((f) => f.key === returned.section)?.label ?? template?.sections.find((x) => x.key === returned.section)?.label ?? returned.section})`}: “{returned.remark}”. Pas het aan en dien versie {returned.version + 1} in.
            </p>
          </div>
        </div>
      )}
      <Presence awareness={doc === null ? null : session.sync.awareness(docId)} name={session.user.name} userId={session.user.id} />
      {failed && (
        <div class="utrecht-alert utrecht-alert--error kt-alert" role="alert">
          <div class="utrecht-alert__content">
            <p class="utrecht-paragraph">Dit document kon niet van dit apparaat worden gelezen.</p>
          </div>
        </div>
      )}
      {doc !== null && template === null && (
        <p class="utrecht-paragraph" aria-busy="true" data-testid="editor-waiting">
          {session.sync.connectivity === 'offline'
            ? 'Dit document staat nog niet op dit apparaat. Het verschijnt zodra er verbinding is.'
            : 'Document wordt geladen…'}
        </p>
      )}
      {/* Q10: with the approve panel, letter and panel sit side by side where the width allows. */}
      <div class={reviewing ? 'kt-editor__body kt-editor__body--review' : 'kt-editor__body'}>
      {doc !== null && template !== null && (
        <DocumentForm doc={doc} template={template} submit={submit} remarks={remarks} readOnly={frozen || discarded} zaak={zaak} />
      )}
      {reviewing && doc !== null && template !== null && (
        <ReviewPanel
          session={session}
          docId={docId}
          version={latest?.version ?? null}
          previous={latest === null ? null : (returnedBefore(versions ?? [], latest.version)?.version ?? null)}
          submitterName={latest?.submittedByName ?? ''}
          template={template}
          waiting={approver && workflow === 'ter-goedkeuring'}
          correctable={office && workflow === 'in-dms'}
          state={review.state}
          onApprove={() => workflow !== null && void review.approve({ fromStatus: workflow, ...(latest === null ? {} : { version: latest.version }) })}
          onReturn={(remark, section) =>
            workflow !== null && void review.sendBack(remark, section, { fromStatus: workflow, ...(latest === null ? {} : { version: latest.version }) })
          }
        />
      )}
      </div>
      {doc !== null && template !== null && <Attachments session={session} docId={docId} doc={doc} readOnly={frozen || (workflow !== null && workflow !== 'concept')} />}
      {doc !== null && template !== null && (
        <SubmitPanel
          session={session}
          doc={doc}
          template={template}
          nextVersion={(latest?.version ?? 0) + 1}
          docId={docId}
          workflow={workflow}
          submit={submit}
          offline={session.sync.connectivity === 'offline'}
          onSubmit={() => void doSubmit()}
        >
          <SubmittedPdf session={session} docId={docId} status={workflow} />
        </SubmitPanel>
      )}
      {versions !== null && versions.length > 0 && template !== null && (
        <VersionHistory
          session={session}
          docId={docId}
          versions={versions}
          labelOf={(key) => [...template.fields, ...template.sections].find((p) => p.key === key)?.label ?? key}
        />
      )}
      {log !== null && <DocumentLog entries={log} />}
      {doc !== null &&
        !discarded &&
        (workflow === null || workflow === 'concept') &&
        returned === null &&
        (versions === null || versions.length === 0) &&
        (office || entry?.createdBy === session.user.id || (entry === null && doc.getMap('meta').get('createdBy') === session.user.id)) && (
          <DiscardPanel session={session} docId={docId} after={() => route(back.href)} />
        )}
    </div>
  );
}

function DocumentForm({ doc, template, submit, remarks, readOnly, zaak }: { doc: Y.Doc; template: Template; submit: SubmitState; remarks: readonly Remark[]; readOnly: boolean; zaak: ZaakLookupView }) {
  const keys = new Set([...template.fields.map((f) => f.key), ...template.sections.map((s) => s.key)]);
  const placed = placeProblems(submit.problems ?? [], keys);
  const remarksAt = (key: string): Remark[] => remarks.filter((r) => r.section === key);
  const general = remarks.filter((r) => r.section === null || !keys.has(r.section));
  const formRef = useRef<HTMLFormElement>(null);
  // A refused submit takes the official to the first thing to fix.
  useEffect(() => {
    if (submit.problems === null || submit.problems.length === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-testid="problems-general"]')?.focus();
  }, [submit.problems]);
  return (
    <form
      ref={formRef} class="kt-form kt-editor__form" onSubmit={(e) => e.preventDefault()} aria-label="Document bewerken">
      {placed.general.length > 0 && (
        <div class="utrecht-alert utrecht-alert--error kt-alert" role="alert" tabIndex={-1} data-testid="problems-general">
          <div class="utrecht-alert__content">
            <ul class="kt-plain-list">
              {placed.general.map((message, i) => (
                <li key={i}>{message}</li>
              ))}
            </ul>
          </div>
        </div>
      )}
      <RemarkNotes remarks={general} testId="remark-document" />
      <fieldset class="kt-fieldset" disabled={readOnly}>
        <legend class="utrecht-heading-2 kt-legend">Gegevens</legend>
        {template.fields.map((field) => (
          <Fragment key={field.key}>
            <RemarkNotes remarks={remarksAt(field.key)} testId={`remark-${field.key}`} />
            <FieldControl doc={doc} template={template} field={field} errors={placed.byKey.get(field.key)} />
            {field.key === zaak.fieldKey && <ZaakPanel view={zaak} readOnly={readOnly} />}
            <TextGuard doc={doc} field={field} errors={placed.byKey.get(field.key)} />
          </Fragment>
        ))}
      </fieldset>
      <fieldset class="kt-fieldset" disabled={readOnly}>
        <legend class="utrecht-heading-2 kt-legend">Tekst</legend>
        {template.sections.map((section) => (
          <Fragment key={section.key}>
            <RemarkNotes remarks={remarksAt(section.key)} testId={`remark-${section.key}`} />
            {section.kind === 'fixed' ? (
              <FixedSection doc={doc} template={template} section={section} />
            ) : section.kind === 'agreements' ? (
              <AgreementsEditor doc={doc} template={template} section={section} errors={placed.byKey.get(section.key)} />
            ) : (
              <SectionControl doc={doc} section={section} errors={placed.byKey.get(section.key)} readOnly={readOnly} />
            )}
            {section.kind !== 'fixed' && <TextGuard doc={doc} section={section} errors={placed.byKey.get(section.key)} />}
          </Fragment>
        ))}
      </fieldset>
      <Checklist doc={doc} template={template} extra={zaak.fieldKey === null ? [] : zaakChecklistProblems(zaak.verdict, zaak.fieldKey, zaak.typed)} />
    </form>
  );
}

/** A fixed text of the template: not editable, shown as it will be printed (date of today). */
function FixedSection({ doc, template, section }: { doc: Y.Doc; template: Template; section: TemplateSection }) {
  useFieldsVersion(doc);
  const values = placeholderValues(template, doc, { municipality: municipalityName, sentDate: amsterdamIsoDate(Date.now()), kenmerk: '[kenmerk]' });
  return (
    <section class="kt-fixed" aria-label={section.label} data-testid={`fixed-${section.key}`}>
      <h2 class="utrecht-heading-3">{section.label}</h2>
      <p class="kt-muted">Vaste tekst van het sjabloon. U kunt deze niet aanpassen.</p>
      {toParagraphs(fillPlaceholders(section.text ?? '', values)).map((p, i) => (
        <p key={i} class="utrecht-paragraph">
          {p}
        </p>
      ))}
    </section>
  );
}

/** The live checklist: what still blocks submitting, and advice on plain language that never blocks. */
function Checklist({ doc, template, extra }: { doc: Y.Doc; template: Template; extra: readonly Problem[] }) {
  // X10: the zaak look-up's verdict (unknown or closed zaak) joins the template's rules.
  const problems = [...useChecklist(doc, template), ...extra];
  const todo = problems.filter((p) => p.severity === 'error');
  const hints = problems.filter((p) => p.severity === 'hint');
  const label = (p: Problem): string =>
    [...template.fields, ...template.sections].find((x) => x.key === p.section)?.label ?? 'Document';
  return (
    <section class="kt-checklist" aria-label="Controlelijst" data-testid="checklist">
      <h2 class="utrecht-heading-2">Controlelijst</h2>
      {todo.length === 0 ? (
        <p class="utrecht-paragraph" data-testid="checklist-ready">Alles wat nodig is, staat erin.</p>
      ) : (
        <>
          <p class="utrecht-paragraph">Nog te doen voor u kunt indienen:</p>
          <ul class="kt-plain-list" data-testid="checklist-errors">
            {todo.map((p, i) => (
              <li key={i}>{p.message}</li>
            ))}
          </ul>
        </>
      )}
      {hints.length > 0 && (
        <>
          <p class="utrecht-paragraph">Tips voor duidelijke taal (niet verplicht):</p>
          <ul class="kt-plain-list" data-testid="checklist-hints">
            {hints.map((p, i) => (
              <li key={i}>
                <strong>{label(p)}:</strong> {p.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

interface FieldProps {
  doc: Y.Doc;
  template: Template;
  field: TemplateField;
  errors: string[] | undefined;
}

function FieldControl({ doc, template, field, errors }: FieldProps) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement & HTMLSelectElement>(null);
  useEffect(() => {
    const control = ref.current;
    return control === null ? undefined : bindField(control, doc, template, field.key);
  }, [doc, template, field.key]);
  const id = `veld-${field.key}`;
  const common = {
    id,
    name: field.key,
    ref,
    required: field.required,
    'aria-required': field.required,
    'aria-invalid': errors !== undefined ? true : undefined,
    'aria-describedby': describedBy(id, field.hint, errors),
  };
  const invalid = errors !== undefined ? ' utrecht-textbox--invalid' : '';
  return (
    <FormField id={id} label={field.required ? field.label : `${field.label} (niet verplicht)`} description={field.hint} errors={errors}>
      {field.type === 'multiline' || field.type === 'address' ? (
        <textarea
          {...common}
          class={`utrecht-textarea utrecht-textarea--html-textarea kt-textarea-small${invalid}`}
          rows={3}
          autocomplete="off"
        />
      ) : field.type === 'choice' ? (
        <select {...common} class="utrecht-select utrecht-select--html-select" autocomplete="off">
          <option value="">Maak een keuze</option>
          {(field.options ?? []).map((option) => (
            <option key={option} value={option}>
              {option}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type={field.type === 'date' ? 'date' : 'text'}
          class={`utrecht-textbox utrecht-textbox--html-input${invalid}`}
          autocomplete="off"
          inputMode={field.type === 'bsn' ? 'numeric' : undefined}
          maxLength={field.type === 'bsn' ? 11 : undefined}
          autocapitalize={field.type === 'zaaknummer' ? 'characters' : field.type === 'bsn' ? 'off' : 'sentences'}
        />
      )}
    </FormField>
  );
}

/** A written section: a rich fragment gets the formatting editor, a Y.Text the plain textarea. */
function SectionControl({ doc, section, errors, readOnly }: { doc: Y.Doc; section: TemplateSection; errors: string[] | undefined; readOnly: boolean }) {
  const fragment = sectionFragment(doc, section.key);
  return fragment !== null ? (
    <RichSection doc={doc} fragment={fragment} section={section} errors={errors} readOnly={readOnly} />
  ) : (
    <PlainSection doc={doc} section={section} errors={errors} />
  );
}

function PlainSection({ doc, section, errors }: { doc: Y.Doc; section: TemplateSection; errors: string[] | undefined }) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const text = sectionText(doc, section.key);
  useEffect(() => {
    const textarea = ref.current;
    return textarea === null || text === null ? undefined : bindTextarea(textarea, text);
  }, [text]);
  const id = `sectie-${section.key}`;
  if (text === null) {
    return (
      <p class="utrecht-paragraph kt-muted">
        {section.label}: dit onderdeel kan hier niet worden bewerkt.
      </p>
    );
  }
  return (
    <FormField id={id} label={section.required ? section.label : `${section.label} (niet verplicht)`} description={section.hint} errors={errors}>
      <textarea
        id={id}
        name={section.key}
        ref={ref}
        class={`utrecht-textarea utrecht-textarea--html-textarea kt-section${errors !== undefined ? ' utrecht-textarea--invalid' : ''}`}
        rows={section.key === 'kern' ? 10 : 3}
        autocomplete="off"
        aria-required={section.required}
        aria-invalid={errors !== undefined ? true : undefined}
        aria-describedby={describedBy(id, section.hint, errors)}
        data-testid={`section-${section.key}`}
      />
    </FormField>
  );
}

interface SubmitPanelProps {
  children?: ComponentChildren;
  session: Session;
  doc: Y.Doc;
  template: Template;
  nextVersion: number;
  docId: string;
  workflow: WorkflowStatus | null;
  submit: SubmitState;
  offline: boolean;
  onSubmit: () => void;
}

function waitLabel(submit: SubmitState, offline: boolean): string {
  if (offline || submit.waitReason === 'network' || submit.waitReason === 'server-error') return 'Indienen wacht op verbinding';
  if (submit.waitReason === 'signed-out' || submit.waitReason === 'unauthorized') return 'Indienen wacht: meld u opnieuw aan';
  if (submit.waitReason === 'storage-failed') return 'Indienen wacht: opslag op dit apparaat mislukt';
  if (submit.waitReason === 'doc-unsaved') return 'Indienen wacht tot de laatste wijzigingen op de server staan';
  return 'Indienen wordt verzonden…';
}

/** V4: what a submit sends out, in words: where it goes and which parts are filled. */
function submitSummary(doc: Y.Doc, template: Template, nextVersion: number): { text: string; parts: string[] } {
  const goes = approvalRequired(template, doc) ? 'naar een collega met mandaat om goed te keuren' : 'naar het DMS';
  const parts = [
    ...template.fields.filter((f) => readField(doc, f.key).trim() !== '').map((f) => f.label),
    ...template.sections.filter((x) => x.kind !== 'fixed' && x.kind !== 'agreements' && readSection(doc, x.key).trim() !== '').map((x) => x.label),
  ];
  return { text: `Indienen: versie ${nextVersion} gaat ${goes}. Daarna kan niemand deze versie nog wijzigen. Dit gaat mee:`, parts };
}

function SubmitPanel({ children, session, doc, template, nextVersion, docId, workflow, submit, offline, onSubmit }: SubmitPanelProps) {
  const submitted = workflow !== null && workflow !== 'concept';
  // F32: attachments of this device not yet acknowledged: the submit waits for them (and the
  // server would refuse it), so say so plainly before and while it waits.
  const attachments = useAttachmentList(doc);
  useUploadEvents(session);
  const pendingNames = attachments
    .filter((a) => {
      const state = session.attachments.status(docId, a.id)?.state;
      return state === 'local' || state === 'sending';
    })
    .map((a) => a.name);
  const pendingMessage = submitted ? null : pendingAttachmentsMessage(pendingNames);
  const [confirming, setConfirming] = useState(false);
  const summary = confirming ? submitSummary(doc, template, nextVersion) : null;
  return (
    <section class="kt-submit" aria-label="Voorbeeld en indienen">
      <div class="utrecht-button-group kt-button-row">
        <a class="utrecht-button utrecht-button--secondary-action kt-button-link" href={`/document/${docId}/voorbeeld`}>
          Voorbeeld
        </a>
        <a class="utrecht-button utrecht-button--secondary-action kt-button-link" href={`/document/${docId}/meelezen`} data-testid="read-along">
          Meelezen
        </a>
        {!submitted && (
          <button
            type="button"
            class="utrecht-button utrecht-button--primary-action"
            aria-disabled={submit.queued}
            data-testid="submit"
            onClick={() => {
              if (!submit.queued) setConfirming(true);
            }}
          >
            Indienen
          </button>
        )}
      </div>
      {summary !== null && !submitted && (
        <Confirm
          text={summary.text}
          yes="Ja, indienen"
          onYes={() => {
            setConfirming(false);
            onSubmit();
          }}
          onNo={() => setConfirming(false)}
        >
          <ul class="kt-plain-list" data-testid="submit-summary">
            {summary.parts.map((label) => (
              <li key={label}>{label}</li>
            ))}
            <li>de PDF zoals in Voorbeeld</li>
            {attachments.length > 0 && <li>{attachments.length === 1 ? '1 bijlage' : `${attachments.length} bijlagen`}</li>}
          </ul>
          {pendingMessage !== null && <p class="utrecht-paragraph kt-error-text">{pendingMessage}</p>}
        </Confirm>
      )}
      <div role="status" data-testid="submit-status" class="kt-submit__status">
        {submit.queued && <p class="utrecht-paragraph">{waitLabel(submit, offline)}</p>}
        {pendingMessage !== null && (
          <p class="utrecht-paragraph kt-warning-text" data-testid="attachments-pending" title={pendingMessage}>
            {pendingAttachmentsShort(pendingNames.length)}
          </p>
        )}
        {submit.accepted && !submitted && <p class="utrecht-paragraph">Ingediend. De status wordt bijgewerkt…</p>}
        {submitted && <p class="utrecht-paragraph">Status: {workflowLabel(workflow)}</p>}
        {submit.problems !== null && submit.problems.length > 0 && (
          <p class="utrecht-paragraph kt-error-text">Niet ingediend: los de punten bij de velden op en dien opnieuw in.</p>
        )}
        {submit.refusal !== null && <p class="utrecht-paragraph kt-error-text">{submit.refusal}</p>}
      </div>
      {children}
    </section>
  );
}

export const Editor = documentRoute(EditorScreen);

/** Q10: the document beside the office's work list. */
export function EditorPane({ docId, onClose }: { docId: string; onClose: () => void }) {
  return <EditorScreen docId={docId} embedded={{ onClose }} />;
}
