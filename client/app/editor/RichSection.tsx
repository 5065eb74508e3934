// A rich section (paragraphs, lists, bold, italic) in the editor. The text shows at once,
// read-only, from the shared reader; the ProseMirror editor is a lazy chunk (precached by the
// service worker, so it loads offline too) that takes over the same place when it arrives.
// A compact toolbar sized for thumbs: Vet, Cursief, Opsomming, Genummerde lijst.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useRoute } from 'preact-iso';
import type * as Y from 'yjs';
import { readRichBlocks, type RichBlock, type Run } from '../../../shared/model/rich-text';
import type { TemplateSection } from '../../../shared/templates/schema';
import { describedBy } from '../components/FormField';
import { useSession } from '../session/context';
import type { ActiveState, RichAction } from './rich/commands';
import type { RichEditor } from './rich/mount';
import './rich/rich.css';

const TOOLS: { action: RichAction; label: string; icon: string }[] = [
  { action: 'bold', label: 'Vet', icon: 'B' },
  { action: 'italic', label: 'Cursief', icon: 'I' },
  { action: 'bulletList', label: 'Opsomming', icon: '•' },
  { action: 'orderedList', label: 'Genummerde lijst', icon: '1.' },
];

const NOTHING_ACTIVE: ActiveState = { bold: false, italic: false, bulletList: false, orderedList: false };

function RunText({ run }: { run: Run }) {
  const text = run.bold ? <strong>{run.text}</strong> : <>{run.text}</>;
  return run.italic ? <em>{text}</em> : text;
}

/** The section as text, until the editor is there (or when it cannot load). */
function ReadOnlyBlocks({ blocks }: { blocks: readonly RichBlock[] }) {
  return (
    <>
      {blocks.map((block, i) =>
        block.type === 'paragraph' ? (
          <p key={i}>
            {block.runs.map((run, j) => (
              <RunText key={j} run={run} />
            ))}
          </p>
        ) : block.ordered ? (
          <ol key={i}>
            {block.items.map((item, j) => (
              <li key={j}>{item.map((run, k) => <RunText key={k} run={run} />)}</li>
            ))}
          </ol>
        ) : (
          <ul key={i}>
            {block.items.map((item, j) => (
              <li key={j}>{item.map((run, k) => <RunText key={k} run={run} />)}</li>
            ))}
          </ul>
        ),
      )}
    </>
  );
}

interface Props {
  doc: Y.Doc;
  fragment: Y.XmlFragment;
  section: TemplateSection;
  errors: string[] | undefined;
  /** V2: a submitted document shows its text without an editor (and writes nothing). */
  readOnly?: boolean;
}

type Loading = 'loading' | 'ready' | 'failed';

export function RichSection({ doc, fragment, section, errors, readOnly = false }: Props) {
  const session = useSession();
  const { params } = useRoute();
  const docId = (params.id ?? '').toLowerCase();
  const id = `sectie-${section.key}`;
  const hostRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<RichEditor | null>(null);
  const [loading, setLoading] = useState<Loading>('loading');
  const [attempt, setAttempt] = useState(0);
  const [active, setActive] = useState<ActiveState>(NOTHING_ACTIVE);
  const [blocks, setBlocks] = useState<RichBlock[]>(() => readRichBlocks(fragment));

  const attributes: Record<string, string> = {
    id,
    role: 'textbox',
    'aria-multiline': 'true',
    'aria-labelledby': `${id}-label`,
    'aria-required': String(section.required),
    'data-testid': `section-${section.key}`,
    class: 'kt-rich__editable',
    // Phones: sentence capitals and spelling help, as in the plain sections.
    autocapitalize: 'sentences',
    spellcheck: 'true',
  };
  const described = describedBy(id, section.hint, errors);
  if (described !== undefined) attributes['aria-describedby'] = described;
  if (errors !== undefined) attributes['aria-invalid'] = 'true';
  const attributesKey = JSON.stringify(attributes);
  const attributesRef = useRef(attributes);
  attributesRef.current = attributes;

  // The read-only text follows co-editors until the editor takes over.
  useEffect(() => {
    if (loading === 'ready' && !readOnly) return undefined;
    const update = (): void => setBlocks(readRichBlocks(fragment));
    fragment.observeDeep(update);
    update();
    return () => fragment.unobserveDeep(update);
  }, [fragment, loading, readOnly]);

  useEffect(() => {
    let cancelled = false;
    let editor: RichEditor | null = null;
    if (readOnly) return undefined;
    setLoading('loading');
    loadRichEditor(attempt).then(
      ({ mountRichEditor }) => {
        const host = hostRef.current;
        if (cancelled || host === null) return;
        const candidate = session.sync.awareness(docId);
        // Only this document's connection may carry our cursor.
        const awareness = candidate !== null && candidate.doc === doc ? candidate : null;
        editor = mountRichEditor(host, { fragment, awareness, attributes: attributesRef.current, onActive: setActive });
        editorRef.current = editor;
        setLoading('ready');
      },
      (error: unknown) => {
        failedChunk = chunkUrlOf(error) ?? failedChunk;
        if (!cancelled) setLoading('failed');
      },
    );
    return () => {
      cancelled = true;
      editor?.destroy();
      editorRef.current = null;
    };
  }, [session, docId, doc, fragment, attempt, readOnly]);

  useEffect(() => {
    editorRef.current?.setAttributes(attributesRef.current);
  }, [attributesKey]);

  const invalid = errors !== undefined && errors.length > 0;
  const label = section.required ? section.label : `${section.label} (niet verplicht)`;
  return (
    <div
      class={`utrecht-form-field utrecht-form-field--text kt-rich${section.key === 'kern' ? ' kt-rich--large' : ''}${invalid ? ' utrecht-form-field--invalid kt-rich--invalid' : ''}`}
    >
      <div class="utrecht-form-field__label">
        {/* Not a <label for>: the editable is no form control; clicking the label still focuses it. */}
        <span class="utrecht-form-label" id={`${id}-label`} onClick={() => editorRef.current?.focus()}>
          {label}
        </span>
      </div>
      {section.hint !== undefined && (
        <div class="utrecht-form-field__description utrecht-form-field-description" id={`${id}-description`}>
          {section.hint}
        </div>
      )}
      {invalid && (
        <div class="utrecht-form-field__error-message utrecht-form-field-error-message" id={`${id}-error`} data-testid={`problem-${id}`}>
          {errors.join(' ')}
        </div>
      )}
      <div class="utrecht-form-field__input kt-rich__box">
        {!readOnly && <div class="kt-rich__toolbar" role="toolbar" aria-label={`Opmaak ${section.label}`} aria-controls={id}>
          {TOOLS.map((tool) => (
            <button
              key={tool.action}
              type="button"
              class={`kt-rich__tool kt-rich__tool--${tool.action}`}
              title={tool.label}
              aria-pressed={active[tool.action]}
              aria-disabled={loading !== 'ready'}
              data-testid={`rich-${tool.action}-${section.key}`}
              // Keep the caret (and the phone's keyboard) in the text.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => editorRef.current?.run(tool.action)}
            >
              {/* The name is the Dutch word (WCAG 2.5.3: no aria-label that differs from what shows). */}
              <span aria-hidden="true">{tool.icon}</span>
              <span class="kt-visually-hidden">{tool.label}</span>
            </button>
          ))}
        </div>}
        <div ref={hostRef} class="kt-rich__host" hidden={readOnly} />
        {(readOnly || loading !== 'ready') && (
          <div
            class="kt-rich__readonly"
            role="textbox"
            aria-readonly="true"
            aria-multiline="true"
            aria-labelledby={`${id}-label`}
            aria-busy={!readOnly && loading === 'loading'}
            data-testid={`section-${section.key}-readonly`}
          >
            <ReadOnlyBlocks blocks={blocks} />
          </div>
        )}
        {loading === 'failed' && (
          <p class="utrecht-paragraph kt-muted" role="status">
            De opmaak kon niet worden geladen.{' '}
            <button type="button" class="utrecht-button utrecht-button--subtle kt-rich__retry" onClick={() => setAttempt((n) => n + 1)}>
              Opnieuw proberen
            </button>
          </p>
        )}
      </div>
    </div>
  );
}

/** The editor chunk's URL after an import of it failed (null before, or when the error did not say). */
let failedChunk: string | null = null;

/**
 * The editor chunk. Chromium keeps a failed module fetch in its module map, so importing the same
 * URL again fails at once without asking the network (R3's "Opnieuw proberen" then did nothing).
 * A retry after a failure therefore imports the chunk's URL, as the error named it, with a query
 * of its own: a new module-map entry and a real request; its own imports are the same modules.
 */
function loadRichEditor(attempt: number): Promise<typeof import('./rich/mount')> {
  if (attempt === 0 || failedChunk === null) return import('./rich/mount');
  const url = new URL(failedChunk);
  url.searchParams.set('retry', String(attempt));
  return import(/* @vite-ignore */ url.href) as Promise<typeof import('./rich/mount')>;
}

/** The URL in "Failed to fetch dynamically imported module: <url>" (Chromium, Firefox say it so). */
function chunkUrlOf(error: unknown): string | null {
  const match = /(https?:\/\/\S+?\.js)\b/.exec(error instanceof Error ? error.message : String(error));
  return match?.[1] ?? null;
}
