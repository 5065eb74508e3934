// "Indienen" as an action (W1): queued on the device with an idempotency key, replayed when the
// document and the network allow. Follows the queue's events for one document: waiting (and
// why), accepted, or refused with the server's problems per field or section (W3).
import { useEffect, useRef, useState } from 'preact/hooks';
import { ActionType } from '../../../shared/model/status';
import type { ActionProblem, ActionWaitReason } from '../../sync/action-queue';
import type { Session } from '../../sync/session';

export interface SubmitState {
  queued: boolean;
  waitReason: ActionWaitReason | null;
  problems: ActionProblem[] | null;
  /** A refusal without problems (already submitted, no rights). */
  refusal: string | null;
  accepted: boolean;
}

const initial: SubmitState = { queued: false, waitReason: null, problems: null, refusal: null, accepted: false };

function refusalMessage(status: number, body: unknown): string {
  const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (error === 'not-allowed-in-status') return 'Dit document kan in zijn huidige status niet (opnieuw) worden ingediend.';
  if (error === 'role-required') return 'U mag dit document niet indienen.';
  if (status === 404) return 'De server kent dit document niet (meer).';
  return 'De server weigerde het indienen.';
}

export function useSubmit(session: Session, docId: string): { state: SubmitState; submit: () => Promise<void> } {
  const [state, setState] = useState<SubmitState>(initial);
  const enqueuing = useRef(false);

  useEffect(() => {
    let cancelled = false;
    setState(initial);
    void session.actions
      .list()
      .then(async (actions) => {
        const queued = actions.some((a) => a.docId === docId && a.type === ActionType.submit);
        if (!cancelled && queued) setState((s) => ({ ...s, queued: true }));
        // A refusal that came while the app was closed or elsewhere is shown now (W3).
        const rejection = queued ? null : await session.actions.lastRejection(docId);
        if (cancelled || rejection === null || rejection.type !== ActionType.submit) return;
        setState((s) =>
          s.queued || s.accepted || s.problems !== null || s.refusal !== null
            ? s
            : {
                ...initial,
                problems: rejection.problems,
                refusal: rejection.problems === null ? refusalMessage(rejection.status, rejection.body) : null,
              },
        );
      })
      .catch(() => undefined);
    const unsubscribe = session.actions.subscribe((event) => {
      if (event.action === null || event.action.docId !== docId || event.action.type !== ActionType.submit) return;
      if (event.kind === 'waiting') setState((s) => ({ ...s, queued: true, waitReason: event.reason }));
      else if (event.kind === 'done') setState({ ...initial, accepted: true });
      else {
        setState({
          ...initial,
          problems: event.problems,
          refusal: event.problems === null ? refusalMessage(event.status, event.body) : null,
        });
      }
    });
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, [session, docId]);

  const submit = async (): Promise<void> => {
    // A double tap must not queue two submits; the idempotency key covers replays of one.
    if (enqueuing.current || state.queued) return;
    enqueuing.current = true;
    setState({ ...initial, queued: true });
    try {
      await session.actions.enqueue(docId, ActionType.submit);
    } catch {
      setState({ ...initial, refusal: 'Indienen kon niet op dit apparaat worden bewaard.' });
    } finally {
      enqueuing.current = false;
    }
  };

  return { state, submit };
}
