// Four eyes in the editor (W4): the remarks a back-office official left when returning the
// document (read from `GET /api/documents/<id>`, shown at their field or section), and
// "Goedkeuren" / "Terugsturen" as queued actions (W1) with what became of them.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { WorkflowStatus } from '../../../shared/model/index-entry';
import { ActionType } from '../../../shared/model/status';
import { AlreadyDecided, type ReviewExpectation } from '../../../shared/protocol/review';
import type { JsonValue } from '../../store/local-store';
import { formatDateTime } from '../logic/format';
import { apiUrl } from '../../sync/auth-client';
import type { Session } from '../../sync/session';
import { serverUrl } from '../config';

export interface Remark {
  byName: string;
  at: number;
  section: string | null;
  text: string;
  resolved: boolean;
}

function parseRemarks(body: unknown): Remark[] {
  const list = typeof body === 'object' && body !== null ? (body as { remarks?: unknown }).remarks : undefined;
  if (!Array.isArray(list)) return [];
  const out: Remark[] = [];
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const r = item as Record<string, unknown>;
    if (typeof r.byName !== 'string' || typeof r.at !== 'number' || typeof r.text !== 'string' || typeof r.resolved !== 'boolean') continue;
    out.push({ byName: r.byName, at: r.at, section: typeof r.section === 'string' ? r.section : null, text: r.text, resolved: r.resolved });
  }
  return out;
}

/** Open remarks of the document, fetched again whenever its status changes (online only). */
export function useRemarks(session: Session, docId: string, status: WorkflowStatus | null): Remark[] {
  const [remarks, setRemarks] = useState<Remark[]>([]);
  const online = session.sync.connectivity === 'online';
  useEffect(() => {
    if (status === null || !online) return undefined;
    const controller = new AbortController();
    void (async () => {
      try {
        const res = await fetch(apiUrl(serverUrl(), `/api/documents/${encodeURIComponent(docId)}`), {
          headers: { authorization: `Bearer ${session.auth.accessToken() ?? ''}` },
          signal: controller.signal,
        });
        if (res.ok) setRemarks(parseRemarks(await res.json()).filter((r) => !r.resolved));
      } catch {
        // Offline or aborted: keep what was shown.
      }
    })();
    return () => controller.abort();
  }, [session, docId, status, online]);
  return remarks;
}

export interface ReviewState {
  /** An approve or return waits in the device's queue. */
  queued: boolean;
  done: 'approve' | 'return' | null;
  refusal: string | null;
}

const initial: ReviewState = { queued: false, done: null, refusal: null };

function refusalMessage(status: number, body: unknown): string {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (error === 'already-decided') {
    // V5: another official was first; say who and what.
    const decided = AlreadyDecided.safeParse(body);
    const d = decided.success ? decided.data.decided : null;
    if (d !== null) {
      return `${d.byName} heeft versie ${d.version} al ${d.kind === 'approved' ? 'goedgekeurd' : 'teruggestuurd'} (${formatDateTime(d.at)}). Uw actie is niet uitgevoerd.`;
    }
    return 'Een collega heeft dit document al behandeld. Uw actie is niet uitgevoerd.';
  }
  if (error === 'same-person') return 'U heeft dit besluit zelf ingediend. Een andere collega moet het goedkeuren.';
  if (error === 'role-required') return 'U heeft geen mandaat om dit document goed te keuren of terug te sturen.';
  if (error === 'not-allowed-in-status') return 'Dit document wacht niet (meer) op goedkeuring.';
  if (status === 400) return 'Terugsturen vraagt een opmerking.';
  return 'De server weigerde deze actie.';
}

const isReview = (type: string): type is 'approve' | 'return' => type === ActionType.approve || type === ActionType.return;

export function useReview(
  session: Session,
  docId: string,
): {
  state: ReviewState;
  approve: (expect: ReviewExpectation) => Promise<void>;
  sendBack: (remark: string, section: string | null, expect: ReviewExpectation) => Promise<void>;
} {
  const [state, setState] = useState<ReviewState>(initial);
  const enqueuing = useRef(false);

  useEffect(() => {
    setState(initial);
    return session.actions.subscribe((event) => {
      if (event.action === null || event.action.docId !== docId || !isReview(event.action.type)) return;
      const type = event.action.type;
      if (event.kind === 'waiting') setState((s) => ({ ...s, queued: true }));
      else if (event.kind === 'done') setState({ ...initial, done: type });
      else setState({ ...initial, refusal: refusalMessage(event.status, event.body) });
    });
  }, [session, docId]);

  const enqueue = async (type: 'approve' | 'return', payload: { [key: string]: JsonValue }): Promise<void> => {
    if (enqueuing.current || state.queued) return;
    enqueuing.current = true;
    setState({ ...initial, queued: true });
    try {
      await session.actions.enqueue(docId, type, payload);
    } catch {
      setState({ ...initial, refusal: 'De actie kon niet op dit apparaat worden bewaard.' });
    } finally {
      enqueuing.current = false;
    }
  };

  return {
    state,
    // V5: the status and version the official looked at travel along; the server refuses a late one.
    approve: (expect) => enqueue(ActionType.approve, { ...expect }),
    sendBack: (remark, section, expect) => enqueue(ActionType.return, section === null ? { remark, ...expect } : { remark, section, ...expect }),
  };
}
