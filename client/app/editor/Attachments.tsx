// F30–F33: the document's photos and files in the editor. "Foto maken" (the camera, `capture`)
// and "Bestand kiezen" (PDF, JPEG, PNG, HEIC); each attachment with a thumbnail from the bytes on
// this device (or, for a co-editor's, fetched from the server and held in memory only), a caption
// (in the Y.Doc, live for co-editors), its honest badge, a refusal in words, and "Verwijderen"
// with a confirmation while the document is a concept.
import { useEffect, useState } from 'preact/hooks';
import type * as Y from 'yjs';
import {
  ATTACHMENTS_ROOT,
  MAX_CAPTION,
  readAttachments,
  removeAttachment,
  setAttachmentCaption,
  type AttachmentRef,
} from '../../../shared/model/attachments';
import { attachFile } from '../../attachments/attach';
import { browserImageReencoder } from '../../attachments/image';
import { formatBytes } from '../../attachments/naming';
import type { Session } from '../../sync/session';
import { StatusBadge } from '../components/StatusBadge';
import { attachmentBadge, type RemoteState } from '../logic/attachment-badge';
import { authorizedFetch } from '../session/authorized-fetch';
import { Confirm } from './ReviewPanel';

const REMOTE_RETRY_MS = 10_000;

/** The document's attachment list, live. */
export function useAttachmentList(doc: Y.Doc): AttachmentRef[] {
  const [list, setList] = useState(() => readAttachments(doc));
  useEffect(() => {
    const map = doc.getMap(ATTACHMENTS_ROOT);
    const read = (): void => setList(readAttachments(doc));
    read();
    map.observe(read);
    return () => map.unobserve(read);
  }, [doc]);
  return list;
}

/** Re-renders on every upload event (progress, acknowledgement, refusal). */
export function useUploadEvents(session: Session): number {
  const [version, setVersion] = useState(0);
  useEffect(() => session.attachments.subscribe(() => setVersion((v) => v + 1)), [session]);
  return version;
}

interface Props {
  session: Session;
  docId: string;
  doc: Y.Doc;
  /** Frozen (submitted): shown, not changed. */
  readOnly: boolean;
}

export function Attachments({ session, docId, doc, readOnly }: Props) {
  const list = useAttachmentList(doc);
  useUploadEvents(session);
  const [busy, setBusy] = useState(false);
  const [messages, setMessages] = useState<string[]>([]);
  const [removing, setRemoving] = useState<AttachmentRef | null>(null);
  const max = session.attachments.policy().maxPerDocument;

  const onFiles = async (input: HTMLInputElement, fromCamera: boolean): Promise<void> => {
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length === 0) return;
    setBusy(true);
    const problems: string[] = [];
    for (const file of files) {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await file.arrayBuffer());
      } catch {
        problems.push(`‘${file.name}’ kon niet worden gelezen.`);
        continue;
      }
      const result = await attachFile({ doc, docId, file: { name: file.name, bytes, fromCamera }, uploads: session.attachments, images: browserImageReencoder, userId: session.user.id });
      if (!result.ok) problems.push(result.message);
    }
    setMessages(problems);
    setBusy(false);
  };

  const confirmRemove = (ref: AttachmentRef): void => {
    setRemoving(null);
    removeAttachment(doc, ref.id);
    void session.attachments.remove(docId, ref.id).catch(() => undefined);
  };

  return (
    <section class="kt-attachments" aria-labelledby="kt-attachments-heading" data-testid="attachments">
      <h2 class="utrecht-heading-2" id="kt-attachments-heading">
        Bijlagen{list.length > 0 ? ` (${list.length})` : ''}
      </h2>
      {list.length === 0 && <p class="utrecht-paragraph kt-muted">Nog geen foto's of bestanden.</p>}
      <ul class="kt-attachments__list">
        {list.map((ref) => (
          <AttachmentItem key={ref.id} session={session} docId={docId} doc={doc} item={ref} readOnly={readOnly} onRemove={() => setRemoving(ref)} />
        ))}
      </ul>
      {removing !== null && (
        <Confirm text={`Bijlage ‘${removing.name}’ verwijderen?`} yes="Ja, verwijderen" onYes={() => confirmRemove(removing)} onNo={() => setRemoving(null)}>
          <p class="utrecht-paragraph">De bijlage gaat uit het document en van dit apparaat. Dit kan niet ongedaan worden gemaakt.</p>
        </Confirm>
      )}
      {!readOnly && (
        <div class="utrecht-button-group kt-button-row kt-attachments__add">
          <label class="utrecht-button utrecht-button--secondary-action kt-file-button" aria-disabled={busy || list.length >= max}>
            Foto maken
            <input
              autocomplete="off"
              type="file"
              accept="image/*"
              capture="environment"
              class="kt-visually-hidden"
              data-testid="attach-photo"
              disabled={busy || list.length >= max}
              onChange={(e) => void onFiles(e.currentTarget, true)}
            />
          </label>
          <label class="utrecht-button utrecht-button--secondary-action kt-file-button" aria-disabled={busy || list.length >= max}>
            Bestand kiezen
            <input
              autocomplete="off"
              type="file"
              accept="application/pdf,image/jpeg,image/png,image/heic,image/heif,.pdf,.jpg,.jpeg,.png,.heic,.heif"
              multiple
              class="kt-visually-hidden"
              data-testid="attach-file"
              disabled={busy || list.length >= max}
              onChange={(e) => void onFiles(e.currentTarget, false)}
            />
          </label>
        </div>
      )}
      <div role="status" class="kt-attachments__status">
        {busy && <p class="utrecht-paragraph">Bijlage wordt op dit apparaat bewaard…</p>}
        {!readOnly && list.length >= max && <p class="utrecht-paragraph kt-muted">Dit document heeft het maximum van {max} bijlagen.</p>}
      </div>
      {messages.length > 0 && (
        <div class="utrecht-alert utrecht-alert--error kt-alert" role="alert" data-testid="attach-problems">
          <div class="utrecht-alert__content">
            <ul class="kt-plain-list">
              {messages.map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </section>
  );
}

function AttachmentItem({ session, docId, doc, item, readOnly, onRemove }: { session: Session; docId: string; doc: Y.Doc; item: AttachmentRef; readOnly: boolean; onRemove: () => void }) {
  const upload = session.attachments.status(docId, item.id);
  const { url, remote } = useAttachmentUrl(session, docId, item, upload !== null);
  const badge = attachmentBadge(upload, remote, session.sync.connectivity === 'offline');
  const image = item.mediaType !== 'application/pdf';
  return (
    <li class="kt-attachment" data-testid="attachment" data-attachment-id={item.id}>
      <div class="kt-attachment__thumb">
        {url !== null && image ? (
          <img src={url} alt={item.caption === '' ? item.name : item.caption} />
        ) : (
          <span class="kt-attachment__type" aria-hidden="true">
            {image ? 'Foto' : 'PDF'}
          </span>
        )}
      </div>
      <div class="kt-attachment__body">
        <p class="utrecht-paragraph kt-attachment__name">
          {url !== null ? (
            <a class="utrecht-link" href={url} target="_blank" rel="noopener" data-testid="attachment-open">
              {item.name}
            </a>
          ) : (
            <span>{item.name}</span>
          )}{' '}
          <span class="kt-muted">({formatBytes(item.size)})</span>
        </p>
        <p class="kt-attachment__badge" data-testid="attachment-badge">
          <StatusBadge badge={badge} />
        </p>
        {upload?.state === 'refused' && (
          <p class="utrecht-paragraph kt-error-text" data-testid="attachment-refusal">
            {upload.message}
          </p>
        )}
        <CaptionField doc={doc} item={item} readOnly={readOnly} />
        {!readOnly && (
          <button type="button" class="utrecht-button utrecht-button--subtle kt-attachment__remove" data-testid="attachment-remove" onClick={onRemove}>
            Verwijderen<span class="kt-visually-hidden"> {item.name}</span>
          </button>
        )}
      </div>
    </li>
  );
}

function CaptionField({ doc, item, readOnly }: { doc: Y.Doc; item: AttachmentRef; readOnly: boolean }) {
  const id = `kt-caption-${item.id}`;
  const [value, setValue] = useState(item.caption);
  const [focused, setFocused] = useState(false);
  // A co-editor's caption shows unless this official is typing in the field.
  useEffect(() => {
    if (!focused) setValue(item.caption);
  }, [item.caption, focused]);
  return (
    <div class="utrecht-form-field kt-attachment__caption">
      <label class="utrecht-form-label" for={id}>
        Onderschrift
      </label>
      <input
        autocomplete="off"
        id={id}
        class="utrecht-textbox utrecht-textbox--html-input"
        data-testid="attachment-caption"
        value={value}
        maxLength={MAX_CAPTION}
        readOnly={readOnly}
        autoComplete="off"
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onInput={(e) => {
          const next = e.currentTarget.value;
          setValue(next);
          setAttachmentCaption(doc, item.id, next);
        }}
      />
    </div>
  );
}

/**
 * An object URL of the bytes: from the device when this device holds them, else from the server
 * (the team's bearer; kept in memory only, revoked when the item goes).
 */
function useAttachmentUrl(session: Session, docId: string, item: AttachmentRef, local: boolean): { url: string | null; remote: RemoteState } {
  const [state, setState] = useState<{ url: string | null; remote: RemoteState }>({ url: null, remote: 'unknown' });
  const [attempt, setAttempt] = useState(0);
  const online = session.sync.connectivity !== 'offline';
  useEffect(() => {
    let cancelled = false;
    let url: string | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    const show = (bytes: Uint8Array, remote: RemoteState): void => {
      if (cancelled) return;
      url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: item.mediaType }));
      setState({ url, remote });
    };
    void (async () => {
      const held = await session.attachments.bytes(docId, item.id).catch(() => null);
      if (held !== null) return show(held, 'unknown');
      if (local || !online) return;
      try {
        const res = await authorizedFetch(session, `/api/documents/${encodeURIComponent(docId)}/attachments/${encodeURIComponent(item.id)}`);
        if (res.ok) show(new Uint8Array(await res.arrayBuffer()), 'on-server');
        else if (!cancelled && res.status === 404) {
          // The other device has not sent it yet: look again in a while.
          setState({ url: null, remote: 'not-on-server' });
          retry = setTimeout(() => setAttempt((n) => n + 1), REMOTE_RETRY_MS);
        }
      } catch {
        // Offline or the server did not answer: the badge says so, the next render tries again.
      }
    })();
    return () => {
      cancelled = true;
      if (retry !== null) clearTimeout(retry);
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [session, docId, item.id, item.mediaType, local, online, attempt]);
  return state;
}
