// X1, X11: the device's call of the zaak look-up (POST /api/zaken/zoek) with the session's token,
// bounded in time, every answer checked against the shared schema. Failures are values with a
// reason the field words in Dutch; nothing here throws.
import { ZAAK_SEARCH_PATH, ZaakSearchAnswerSchema, type ZaakSearchAnswer } from '../../../shared/protocol/zaken';
import type { Session } from '../../sync/session';
import { authorizedFetch } from '../session/authorized-fetch';

/** A little longer than the server's own limit on the DMS (ZAAK_LOOKUP_TIMEOUT_MS, 5 s by default). */
const TIMEOUT_MS = 8_000;

export type ZaakLookupProblem = 'offline' | 'timeout' | 'unreachable' | 'bad-answer' | 'refused' | 'rate-limited' | 'signed-out' | 'server-error';

export type ZaakLookupResult = { kind: 'answer'; answer: ZaakSearchAnswer } | { kind: 'failed'; problem: ZaakLookupProblem };

export async function lookupZaken(session: Session, q: string, signal?: AbortSignal): Promise<ZaakLookupResult> {
  let response: Response;
  try {
    response = await authorizedFetch(session, ZAAK_SEARCH_PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ q }),
      signal: signal === undefined ? AbortSignal.timeout(TIMEOUT_MS) : AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
    });
  } catch (error) {
    return { kind: 'failed', problem: error instanceof DOMException && error.name === 'TimeoutError' ? 'timeout' : 'offline' };
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const parsed = ZaakSearchAnswerSchema.safeParse(body);
    return parsed.success ? { kind: 'answer', answer: parsed.data } : { kind: 'failed', problem: 'bad-answer' };
  }
  const error = typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : '';
  return { kind: 'failed', problem: problemOf(response.status, error) };
}

export function problemOf(status: number, error: string): ZaakLookupProblem {
  if (status === 401) return 'signed-out';
  if (status === 429) return 'rate-limited';
  if (status === 504 || error === 'zaak-lookup-timeout') return 'timeout';
  if (error === 'zaak-lookup-bad-answer') return 'bad-answer';
  if (error === 'zaak-lookup-refused' || status === 403) return 'refused';
  if (error === 'zaak-lookup-unreachable') return 'unreachable';
  return 'server-error';
}

/** X11: what the field says when a look-up gave no answer; the typed zaaknummer always stays. */
export const ZAAK_LOOKUP_MESSAGES: Record<ZaakLookupProblem, string> = {
  offline: 'Geen verbinding: de zaak is niet opgezocht. U kunt het zaaknummer gewoon invullen.',
  timeout: 'Het zaaksysteem reageert niet op tijd. Probeer het zo opnieuw; het zaaknummer blijft staan.',
  unreachable: 'Het zaaksysteem is nu niet bereikbaar. Probeer het later opnieuw; het zaaknummer blijft staan.',
  'bad-answer': 'Het zaaksysteem gaf een antwoord dat niet klopt. Probeer het later opnieuw of meld het bij de beheerder.',
  refused: 'Keukentafel mag het zaaksysteem nu niet raadplegen. Meld dit bij de beheerder.',
  'rate-limited': 'Te veel zoekopdrachten kort na elkaar. Wacht even en probeer het opnieuw.',
  'signed-out': 'Meld u opnieuw aan om zaken op te zoeken.',
  'server-error': 'Zoeken naar de zaak is mislukt. Probeer het opnieuw.',
};
